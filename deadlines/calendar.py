"""School-day arithmetic on a school's own calendar.

Statutory time limits for exclusions are counted in school days: "any day on which there is a
school session", so weekends, holidays, INSET days and bank holidays do not count (DfE,
"Suspension and permanent exclusion from maintained schools, academies and pupil referral units in
England", in force from 26 July 2026, glossary: "school day"). Service time limits (BOSS's
22 weeks, seed 000; BASS's allocation within 2 weeks, seed 001) are counted in school weeks.

A school's calendar for an academic year is its own term dates if it has any for that year (an
academy may set its own), otherwise its authority's; INSET days are the calendar's own plus any
the school adds; bank holidays for England come from the ``holidays`` package. Counting into a
year with no term dates raises :class:`CalendarDataMissing`, unless the calendar is asked to
count provisionally (``SchoolCalendar(school, provisional=True)``): a head must notify an exclusion
without delay whether or not next year's dates are in, so a deadline is then counted on the
authority's typical calendar (:mod:`deadlines.typical_terms`) for the half terms nobody has
entered, ``assumed_years`` says which years were assumed, the deadline shows as provisional, and
it is counted again when the dates are entered.

Conventions: ``add_school_days(d, n)`` is the n-th school day after ``d`` (so day 1 is the first
school day after a notice is given); ``n = 0`` gives ``d`` itself if it is a school day, else the
next one. ``school_days_between(a, b)`` counts the school days after ``a`` up to and including
``b``, so ``school_days_between(a, add_school_days(a, n)) == n`` for a school day ``a``.
A school week is a Monday-to-Sunday week with at least one school day in it.
"""

import bisect
import datetime
import functools
from dataclasses import dataclass
from functools import cached_property

import holidays
from django.conf import settings

from config.errors import DomainError
from deadlines.models import InsetDay, Term, TermName
from deadlines.typical_terms import typical_inset_days, typical_terms
from pupils.years import academic_year_label, academic_year_of

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(days=7)

HOLIDAY_AFTER = {
    TermName.AUTUMN_1: "the October half term",
    TermName.AUTUMN_2: "the Christmas holiday",
    TermName.SPRING_1: "the February half term",
    TermName.SPRING_2: "the Easter holiday",
    TermName.SUMMER_1: "the May half term",
    TermName.SUMMER_2: "the summer holiday",
}


class CalendarDataMissing(DomainError):
    """Term dates are needed for a year nobody has entered yet: nothing the sender can change,
    so the API answers 409 (retrying will not help until an administrator adds them)."""

    def __init__(self, message: str):
        super().__init__(message, code="term_dates_missing", conflict=True)


def bank_holidays(academic_year: int) -> dict[datetime.date, str]:
    """Bank holidays from the ``holidays`` package for the two calendar years an academic
    year spans (England by default; ``BANK_HOLIDAY_SUBDIVISION`` = WLS for Wales)."""
    return _bank_holidays(settings.BANK_HOLIDAY_SUBDIVISION, academic_year)


@functools.lru_cache(maxsize=64)
def _bank_holidays(subdivision: str, year: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("GB", subdiv=subdivision, years=[year, year + 1]))


@dataclass(frozen=True)
class YearCalendar:
    academic_year: int
    terms: tuple[Term, ...]
    inset_days: frozenset[datetime.date]
    bank_holidays: dict[datetime.date, str]

    @cached_property
    def school_days(self) -> tuple[datetime.date, ...]:
        days = []
        for term in self.terms:
            day = term.start_date
            while day <= term.end_date:
                if (
                    day.weekday() < 5
                    and day not in self.inset_days
                    and day not in self.bank_holidays
                ):
                    days.append(day)
                day += DAY
        return tuple(sorted(set(days)))  # an assumed half term may overlap an entered one

    @cached_property
    def school_day_set(self) -> frozenset[datetime.date]:
        return frozenset(self.school_days)

    @cached_property
    def school_mondays(self) -> frozenset[datetime.date]:
        """The Monday of every week with at least one of this year's school days."""
        return frozenset(day - day.weekday() * DAY for day in self.school_days)

    def term_of(self, day: datetime.date) -> Term | None:
        return next((t for t in self.terms if t.start_date <= day <= t.end_date), None)


class SchoolCalendar:
    """The calendar of one school, loading each academic year's dates once (or taking them
    preloaded for many schools by :func:`calendars_for`)."""

    def __init__(
        self, school, *, terms=None, inset_days=None, provisional: bool = False, shared=None
    ):
        self.school = school
        self._years: dict[int, YearCalendar | CalendarDataMissing] = {}
        self._terms = terms
        self._inset_days = inset_days
        # Calendars made together (calendars_for) share each year that comes out the same: the
        # schools on their authority's dates count on one list of school days, not one each.
        self._shared = shared
        self.provisional = provisional
        self.assumed_years: set[int] = set()
        self.assumed_spans: list[tuple[int, datetime.date, datetime.date]] = []

    def year(self, academic_year: int) -> YearCalendar:
        if academic_year not in self._years:
            try:
                self._years[academic_year] = self._load(academic_year)
            except CalendarDataMissing as missing:
                self._years[academic_year] = missing  # asked again by a list: not read again
        found = self._years[academic_year]
        if isinstance(found, CalendarDataMissing):
            raise found
        return found

    def _load(self, academic_year: int) -> YearCalendar:
        authority_id = self.school.organisation.local_authority_id
        if self._terms is not None:
            return self._from_preloaded(academic_year, authority_id)
        own = list(Term.objects.filter(school=self.school, academic_year=academic_year))
        terms = own or list(
            Term.objects.filter(
                authority_id=authority_id, school__isnull=True, academic_year=academic_year
            )
        )
        start, end = _year_bounds(academic_year)
        inset = InsetDay.objects.filter(date__range=(start, end))
        if own:
            inset = inset.filter(school=self.school)
        else:
            inset = inset.filter(authority_id=authority_id, school__isnull=True) | inset.filter(
                school=self.school
            )
        return self._year(academic_year, terms, set(inset.values_list("date", flat=True)))

    def _year(self, academic_year: int, terms, inset_days: set) -> YearCalendar:
        """The year's calendar from the dates entered, or, counting provisionally, with the
        typical calendar's half terms (and their INSET days) where none are entered."""
        if self.provisional and len({t.name for t in terms}) < len(TermName):
            entered = {t.name for t in terms}
            typical = [
                Term(academic_year=academic_year, name=name, start_date=first, end_date=last)
                for name, first, last in typical_terms(academic_year)
                if name not in entered
            ]
            terms = list(terms) + typical
            if not entered:
                inset_days = inset_days | set(typical_inset_days(academic_year))
                self.assumed_spans.append((academic_year, *_year_bounds(academic_year)))
            else:
                self.assumed_spans += [(academic_year, t.start_date, t.end_date) for t in typical]
            self.assumed_years.add(academic_year)
        if not terms:
            raise CalendarDataMissing(
                f"There are no term dates for {academic_year_label(academic_year)} for "
                f"{self.school.name}. An administrator must add them before this can be counted."
            )
        return YearCalendar(
            academic_year=academic_year,
            terms=tuple(sorted(terms, key=lambda t: t.start_date)),
            inset_days=frozenset(inset_days),
            bank_holidays=bank_holidays(academic_year),
        )

    def _from_preloaded(self, academic_year: int, authority_id: int) -> YearCalendar:
        in_year = [t for t in self._terms if t.academic_year == academic_year]
        own = [t for t in in_year if t.school_id == self.school.pk]
        terms = own or [
            t for t in in_year if t.school_id is None and t.authority_id == authority_id
        ]
        start, end = _year_bounds(academic_year)
        inset = {
            d.date
            for d in self._inset_days
            if start <= d.date <= end
            and (
                d.school_id == self.school.pk
                or (not own and d.school_id is None and d.authority_id == authority_id)
            )
        }
        if self._shared is None or self.provisional:
            return self._year(academic_year, terms, inset)
        key = (academic_year, tuple(sorted(t.pk for t in terms)), frozenset(inset))
        if key not in self._shared:
            self._shared[key] = self._year(academic_year, terms, inset)
        return self._shared[key]

    def assumed_between(self, a: datetime.date, b: datetime.date) -> list[int]:
        """The academic years whose assumed (typical) dates a count from ``a`` to ``b`` used."""
        return sorted({year for year, first, last in self.assumed_spans if first <= b and last > a})

    def for_date(self, day: datetime.date) -> YearCalendar:
        return self.year(academic_year_of(day))

    def is_school_day(self, day: datetime.date) -> bool:
        return day in self.for_date(day).school_day_set

    def term_of(self, day: datetime.date) -> Term | None:
        return self.for_date(day).term_of(day)

    def whole_term_of(self, day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
        """The whole term (autumn, spring or summer: two half terms) that ``day`` falls in, or,
        in a holiday, the one that ended last: (name, first day, last day)."""
        year = self.for_date(day)
        spans = {}
        for term in year.terms:
            season = term.name.split("_")[0]
            start, end = spans.get(season, (term.start_date, term.end_date))
            spans[season] = (min(start, term.start_date), max(end, term.end_date))
        ordered = sorted(spans.items(), key=lambda item: item[1][0])
        current = [item for item in ordered if item[1][0] <= day]
        if not current:  # early September, before term starts: last year's summer
            return self.whole_term_of(datetime.date(year.academic_year, 8, 31))
        name, (start, end) = current[-1]
        return name, start, end

    def school_days_after(self, day: datetime.date):
        """Every school day after ``day``, in order, across academic years."""
        year = academic_year_of(day)
        while True:
            for school_day in self.year(year).school_days:
                if school_day > day:
                    yield school_day
            year += 1

    def school_days_before(self, day: datetime.date):
        year = academic_year_of(day)
        while True:
            for school_day in reversed(self.year(year).school_days):
                if school_day < day:
                    yield school_day
            year -= 1

    def add_school_days(self, day: datetime.date, n: int) -> datetime.date:
        if n == 0:
            return day if self.is_school_day(day) else next(self.school_days_after(day))
        days = self.school_days_after(day) if n > 0 else self.school_days_before(day)
        for count, school_day in enumerate(days, start=1):
            if count == abs(n):
                return school_day
        raise AssertionError("unreachable")

    def school_days_between(self, a: datetime.date, b: datetime.date) -> int:
        if b < a:
            return -self.school_days_between(b, a)
        count = 0
        for year in range(academic_year_of(a), academic_year_of(b) + 1):
            days = self.year(year).school_days  # sorted: two binary searches, not a walk
            count += bisect.bisect_right(days, b) - bisect.bisect_right(days, a)
        return count

    def week_has_school(self, monday: datetime.date) -> bool:
        return any(self.is_school_day(monday + i * DAY) for i in range(5))

    def school_days_in_week(self, monday: datetime.date) -> list[datetime.date]:
        return [monday + i * DAY for i in range(5) if self.is_school_day(monday + i * DAY)]

    def add_school_weeks(self, day: datetime.date, n: int) -> datetime.date:
        """The same weekday ``n`` school weeks on (or the nearest school day of that week)."""
        monday = day - day.weekday() * DAY
        step = WEEK if n >= 0 else -WEEK
        counted = 0
        while counted < abs(n):
            monday += step
            if self.week_has_school(monday):
                counted += 1
        if n == 0 and not self.week_has_school(monday):
            raise DomainError("That week has no school days.")
        candidates = self.school_days_in_week(monday)
        earlier = [d for d in candidates if d.weekday() <= day.weekday()]
        return max(earlier) if earlier else min(candidates)

    def school_weeks_between(self, a: datetime.date, b: datetime.date) -> int:
        if b < a:
            return -self.school_weeks_between(b, a)
        monday = a - a.weekday() * DAY
        last = b - b.weekday() * DAY
        if monday + WEEK > last:
            return 0
        # Each week after a's up to b's that has a school day: the weeks with school of every
        # academic year those weeks' days fall in (a caseload counts thirty cases' weeks on
        # every visit; walking them day by day had cost more than the caseload's query).
        mondays = set()
        for year in range(academic_year_of(monday + WEEK), academic_year_of(last + 4 * DAY) + 1):
            mondays |= self.year(year).school_mondays
        return sum(1 for week in mondays if monday < week <= last)

    def closures_between(self, a: datetime.date, b: datetime.date) -> list[str]:
        """In words, the holidays and closures on weekdays after ``a`` up to ``b``."""
        names: list[str] = []
        day = a + DAY
        while day <= b:
            if day.weekday() < 5 and not self.is_school_day(day):
                name = self._closure_name(day)
                if name not in names:
                    names.append(name)
            day += DAY
        return names

    def _closure_name(self, day: datetime.date) -> str:
        calendar = self.for_date(day)
        if day in calendar.bank_holidays and calendar.term_of(day):
            return f"{calendar.bank_holidays[day]} ({day:%-d %B})"
        if day in calendar.inset_days:
            return f"an INSET day ({day:%-d %B})"
        before = [t for t in calendar.terms if t.end_date < day]
        if before:
            return HOLIDAY_AFTER[before[-1].name]
        return HOLIDAY_AFTER[TermName.SUMMER_2]


def _year_bounds(academic_year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(academic_year, 8, 1), datetime.date(academic_year + 1, 8, 31)


CALENDAR_KEPT_SECONDS = 300


def calendar_key(authority_id) -> str:
    return f"calendar-dates:{authority_id}"


def authority_dates(authority_ids) -> tuple[list, list]:
    """Every term and INSET day of the authorities, their schools' own among them, for the list
    pages' counts of school days. Kept in the cache per authority and dropped whenever a term or
    an INSET day is saved or deleted (``deadlines.apps``); kept five minutes at most, should a
    change come while Redis is away. Statutory deadlines never read this: they read the
    database (:meth:`SchoolCalendar._load`)."""
    from django.core.cache import cache

    keys = {authority: calendar_key(authority) for authority in authority_ids}
    kept = cache.get_many(list(keys.values()))
    terms, inset_days = [], []
    for authority, key in keys.items():
        if key not in kept:
            kept[key] = (
                list(Term.objects.filter(authority_id=authority)),
                list(InsetDay.objects.filter(authority_id=authority)),
            )
            cache.set(key, kept[key], CALENDAR_KEPT_SECONDS)
        terms += kept[key][0]
        inset_days += kept[key][1]
    return terms, inset_days


def forget_authority_dates(sender, instance, **kwargs) -> None:
    """A term or an INSET day changed: the list pages read its authority's dates afresh."""
    from django.core.cache import cache

    cache.delete(calendar_key(instance.authority_id))


def calendars_for(schools) -> dict[int, SchoolCalendar]:
    """Calendars for many schools from two queries, for list pages."""
    schools = [s for s in schools if s is not None]
    if not schools:
        return {}
    authorities = {s.organisation.local_authority_id for s in schools}
    terms, inset_days = authority_dates(authorities)
    shared: dict = {}
    return {
        s.pk: SchoolCalendar(s, terms=terms, inset_days=inset_days, shared=shared) for s in schools
    }


def calendar_for(school) -> SchoolCalendar:
    return SchoolCalendar(school)


def is_school_day(school, day: datetime.date) -> bool:
    return calendar_for(school).is_school_day(day)


def add_school_days(school, day: datetime.date, n: int) -> datetime.date:
    return calendar_for(school).add_school_days(day, n)


def school_days_between(school, a: datetime.date, b: datetime.date) -> int:
    return calendar_for(school).school_days_between(a, b)


def add_school_weeks(school, day: datetime.date, n: int) -> datetime.date:
    return calendar_for(school).add_school_weeks(day, n)


def school_weeks_between(school, a: datetime.date, b: datetime.date) -> int:
    return calendar_for(school).school_weeks_between(a, b)


def term_of(school, day: datetime.date) -> Term | None:
    """The half term ``day`` falls in, or ``None`` in a holiday."""
    return calendar_for(school).term_of(day)
