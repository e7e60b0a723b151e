import datetime

import pytest

from pupils.years import academic_year_of, national_curriculum_year, year_group_label


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 8, 31), 2025),
        (datetime.date(2026, 9, 1), 2026),
        (datetime.date(2027, 1, 15), 2026),
    ],
)
def test_academic_year_starts_on_1_september(day, expected):
    """The school year in England starts on 1 September."""
    assert academic_year_of(day) == expected


def test_child_born_on_31_august_is_the_youngest_of_the_older_year_group():
    """A child born on 31 August is the youngest of the older year group (the school year runs 1
    September to 31 August)."""
    on = datetime.date(2026, 11, 23)
    assert national_curriculum_year(datetime.date(2016, 8, 31), on) == 6
    assert national_curriculum_year(datetime.date(2016, 9, 1), on) == 5


def test_year_group_moves_up_on_1_september():
    """Every pupil's year group moves up on 1 September."""
    born = datetime.date(2015, 12, 3)
    assert national_curriculum_year(born, datetime.date(2026, 8, 31)) == 5
    assert national_curriculum_year(born, datetime.date(2026, 9, 1)) == 6


def test_reception_and_nursery():
    """Reception is the year a child turns five; nursery the year before."""
    on = datetime.date(2026, 10, 1)
    assert national_curriculum_year(datetime.date(2021, 9, 1), on) == 0
    assert year_group_label(0) == "Reception"
    assert national_curriculum_year(datetime.date(2022, 9, 1), on) == -1
    assert year_group_label(-1) == "Nursery"
    assert year_group_label(11) == "Year 11"
