"""Academic years and national curriculum year groups.

England's school year runs from 1 September to 31 August. A child starts Reception in the
September after their fourth birthday, so a whole year group is the children born between
1 September and the following 31 August (Education Act 1996, s.8: compulsory school age).
"""

import datetime

RECEPTION = 0


def academic_year_of(day: datetime.date) -> int:
    """The calendar year in which the academic year containing ``day`` began."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(start_year: int) -> str:
    return f"{start_year} to {start_year + 1}"


def national_curriculum_year(date_of_birth: datetime.date, on: datetime.date) -> int:
    """Year group on ``on``: 0 is Reception, 1 to 13 are Years 1 to 13, negative is nursery.

    A child born 1 September 2015 to 31 August 2016 is in Reception in 2020 to 2021.
    """
    cohort = academic_year_of(date_of_birth)
    return academic_year_of(on) - cohort - 5


def year_group_label(year: int) -> str:
    if year == RECEPTION:
        return "Reception"
    if year < RECEPTION:
        return "Nursery"
    if year > 14:
        return "Post-school age"
    return f"Year {year}"
