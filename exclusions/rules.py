"""The statutory rules of suspensions and permanent exclusions, counted as the law counts them.

Sources, named in each rule and on the pages in words a parent can follow:

- **The 2012 Regulations**: The School Discipline (Pupil Exclusions and Reviews) (England)
  Regulations 2012 (SI 2012/1033). Part 2 is for maintained schools (regulation 5, the head tells
  the parents, the board and the authority; regulation 6, the board considers reinstatement;
  regulation 8, it reconsiders after a review), Part 3 for pupil referral units (regulations 14,
  15 and 17) and Part 4 for academies (regulations 23, 24 and 26); Schedule 1 governs independent
  review panels.
- **The 2007 Regulations**: The Education (Provision of Full-Time Education for Excluded Pupils)
  (England) Regulations 2007 (SI 2007/1870), as amended in 2014 (SI 2014/3216): full-time
  education from "the sixth consecutive school day of exclusion, regardless of whether the pupil
  has been excluded for a single fixed period or more than one fixed period".
- **The guidance**: the DfE's statutory guidance "Suspension and permanent exclusion from
  maintained schools, academies and pupil referral units in England, including pupil movement",
  in force from 26 July 2026 (it replaced the August 2024 edition; its time limits are the
  Regulations' and did not change).

"School day" is "any day on which there is a school session" at the pupil's school (the 2012
Regulations, regulation 2): weekends, holidays, INSET days and bank holidays do not count.
A "working day" is any day but a Saturday, a Sunday, Christmas Day, Good Friday or a bank holiday.
"""

import datetime
from dataclasses import dataclass

from deadlines.calendar import bank_holidays
from pupils.models import SchoolType
from pupils.years import academic_year_of

DAY = datetime.timedelta(days=1)


class NoticeSent:
    """How a written notice was given (the 2012 Regulations, regulations 8(3), 17(3), 26(3))."""

    IN_PERSON = "in_person"
    EMAIL = "email"
    POST = "post"
    CHOICES = [
        (IN_PERSON, "Handed over in person"),
        (EMAIL, "By email"),
        (POST, "By first class post"),
    ]


def notice_received_on(sent_on: datetime.date, how: str) -> datetime.date:
    """When a written notice counts as received. Sent by first class post, "on the second
    working day after the date of posting"; delivered (in person or by email), on the day
    (the 2012 Regulations, regulations 8(3), 17(3) and 26(3)).

    Posted on Thursday 18 December 2025: Friday 19th is the first working day, Monday 22nd
    the second. Posted on Tuesday 23 December: Wednesday 24th, then (Christmas Day and Boxing
    Day being bank holidays) Monday 29th."""
    if how != NoticeSent.POST:
        return sent_on
    day, working = sent_on, 0
    while working < 2:
        day += DAY
        if day.weekday() < 5 and day not in bank_holidays(academic_year_of(day)):
            working += 1
    return day


def regulation(school, *, maintained: str, academy: str) -> str:
    """The regulation that applies to the school: Part 2 for a maintained school, Part 4 for
    an academy or free school."""
    if school.school_type in {SchoolType.ACADEMY, SchoolType.FREE}:
        return f"regulation {academy} of the 2012 Regulations (academies)"
    return f"regulation {maintained} of the 2012 Regulations (maintained schools)"


@dataclass(frozen=True)
class ExcludedDay:
    day: datetime.date
    fraction: float  # 1, or 0.5 for a last half day (a lunchtime counts as half a day)
    exclusion_id: int | None


def days_of(exclusion, calendar) -> list[ExcludedDay]:
    """The school days a suspension covers, counted from its first day on the school's
    calendar: a suspension of 7 sessions is three whole days and a half day. A suspension
    that runs across a holiday continues on the first school day after it."""
    sessions = exclusion.sessions or 0
    if not sessions:
        return []
    whole, half = divmod(sessions, 2)
    count = whole + half
    first = calendar.add_school_days(exclusion.start_date, 0)
    days = [first] + ([] if count == 1 else _next(calendar, first, count - 1))
    return [
        ExcludedDay(d, 0.5 if (half and i == count - 1) else 1.0, exclusion.pk)
        for i, d in enumerate(days)
    ]


def _next(calendar, day, n) -> list[datetime.date]:
    out = []
    for school_day in calendar.school_days_after(day):
        out.append(school_day)
        if len(out) == n:
            return out
    return out


def days_in_span(suspensions, calendar, first: datetime.date, last: datetime.date) -> float:
    """Days of suspension that fall between two dates, each day in the term it falls in (not
    the term the suspension started in): "a total of more than 15 school days in any one term"
    (the 2012 Regulations, regulations 5(3)/6(1) and 23(3)/24(1))."""
    return sum(
        d.fraction for s in suspensions for d in days_of(s, calendar) if first <= d.day <= last
    )


def terms_touched(exclusion, calendar) -> list[tuple[datetime.date, datetime.date]]:
    """The whole terms (autumn, spring, summer) the suspension's days fall in, in order."""
    spans = []
    for excluded in days_of(exclusion, calendar):
        _, first, last = calendar.whole_term_of(excluded.day)
        if (first, last) not in spans:
            spans.append((first, last))
    return spans


def consecutive_run(exclusion, others, calendar) -> list[ExcludedDay]:
    """The unbroken run of school days of exclusion that ends with ``exclusion``: earlier
    suspensions whose last day is the school day before the next one's first day join it, as the
    2007 Regulations count "the sixth consecutive school day of exclusion, regardless of whether
    the pupil has been excluded for a single fixed period or more than one fixed period". A 3-day
    suspension from Monday followed by another from Thursday is one run of six days; a school
    day between them breaks it."""
    mine = days_of(exclusion, calendar) if exclusion.sessions else []
    if not mine:  # a permanent exclusion: its own run starts on its first day
        mine = [ExcludedDay(calendar.add_school_days(exclusion.start_date, 0), 1.0, exclusion.pk)]
    by_last_day = {}
    for other in others:
        if other.pk == exclusion.pk or not other.sessions:
            continue
        other_days = days_of(other, calendar)
        if other_days:
            by_last_day.setdefault(other_days[-1].day, other_days)
    run = list(mine)
    while True:
        before = next(calendar.school_days_before(run[0].day))
        earlier = by_last_day.pop(before, None)
        if earlier is None:
            return run
        run = earlier + run


def sixth_day(run: list[ExcludedDay]) -> ExcludedDay | None:
    """The sixth consecutive school day of exclusion, from which full-time education must be
    provided (the 2007 Regulations), or ``None`` for a run of five days or fewer."""
    return run[5] if len(run) >= 6 else None
