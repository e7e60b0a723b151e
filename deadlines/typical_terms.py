"""A typical English academic calendar, used for demo data and as a starting point that an LA
administrator then corrects to the authority's published dates.

Half terms fall in the week of the last Monday of October, the third week of February and the week
of the spring bank holiday (last Monday of May); Christmas starts the Friday on or before 20
December; the Easter holiday is the fortnight from the Monday of Holy Week; summer starts after the
last weekday on or before 22 July. INSET days: the first two days of the year, the first day of
spring 1, and the last days of summer 1 and summer 2.
"""

import datetime

from dateutil.easter import easter

from deadlines.models import TermName

DAY = datetime.timedelta(days=1)


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += DAY
    return day


def _weekday_on_or_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= DAY
    return day


def _last_monday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - DAY
    return day - datetime.timedelta(days=day.weekday())


def _nth_monday(year: int, month: int, n: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    first_monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    return first_monday + datetime.timedelta(weeks=n - 1)


def _friday_before(monday: datetime.date) -> datetime.date:
    return monday - datetime.timedelta(days=3)


def _monday_after(monday: datetime.date) -> datetime.date:
    return monday + datetime.timedelta(weeks=1)


def typical_terms(start_year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    """(term name, first day, last day) for the six half terms of ``start_year`` to the next."""
    end_year = start_year + 1
    october = _last_monday(start_year, 10)
    february = _nth_monday(end_year, 2, 3)
    easter_sunday = easter(end_year)
    may = _last_monday(end_year, 5)
    return [
        (
            TermName.AUTUMN_1,
            _weekday_on_or_after(datetime.date(start_year, 9, 1)),
            _friday_before(october),
        ),
        (
            TermName.AUTUMN_2,
            _monday_after(october),
            _weekday_on_or_before(datetime.date(start_year, 12, 20)),
        ),
        (
            TermName.SPRING_1,
            _weekday_on_or_after(datetime.date(end_year, 1, 4)),
            _friday_before(february),
        ),
        (TermName.SPRING_2, _monday_after(february), easter_sunday - datetime.timedelta(days=9)),
        (TermName.SUMMER_1, easter_sunday + datetime.timedelta(days=8), _friday_before(may)),
        (
            TermName.SUMMER_2,
            _monday_after(may),
            _weekday_on_or_before(datetime.date(end_year, 7, 22)),
        ),
    ]


def typical_inset_days(start_year: int) -> list[datetime.date]:
    terms = {name: (start, end) for name, start, end in typical_terms(start_year)}
    autumn_start = terms[TermName.AUTUMN_1][0]
    return [
        autumn_start,
        _weekday_on_or_after(autumn_start + DAY),
        terms[TermName.SPRING_1][0],
        terms[TermName.SUMMER_1][1],
        terms[TermName.SUMMER_2][1],
    ]
