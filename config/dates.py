"""The dates a person can mean. A year typed as 1000 or 9999 is a slip, not a record: every date
the service takes, on a page or through the API, falls between 1 January 2000 and the end of
the fifth year from now (an agreed action, a timetable's end), and a date of birth is that of
a child or young person (0 to 25: the EHCP age range)."""

import datetime

from django.utils import timezone

EARLIEST = datetime.date(2000, 1, 1)
OLDEST_PUPIL_YEARS = 26  # the day before the 26th birthday, at the most


def latest() -> datetime.date:
    return datetime.date(timezone.localdate().year + 5, 12, 31)


def earliest_birth() -> datetime.date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - OLDEST_PUPIL_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year - OLDEST_PUPIL_YEARS, day=28)


def birth_range() -> tuple[datetime.date, datetime.date]:
    return earliest_birth(), timezone.localdate()


def out_of_range(day: datetime.date, earliest=None, latest_=None) -> str | None:
    """``None`` when ``day`` is one a person can mean, else the words after the date's name:
    "must be between 1 January 2000 and 31 December 2031"."""
    low = earliest() if callable(earliest) else (earliest or EARLIEST)
    high = latest_() if callable(latest_) else (latest_ or latest())
    if low <= day <= high:
        return None
    return f"must be between {low:%-d %B %Y} and {high:%-d %B %Y}"
