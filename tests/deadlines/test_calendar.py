"""School-day arithmetic, as a table of worked examples checked by hand against the fixture
calendars in conftest.py, plus properties that hold for every school day."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.calendar import CalendarDataMissing, SchoolCalendar, term_of
from deadlines.models import TermName

D = datetime.date
pytestmark = pytest.mark.django_db

# (which school, function, arguments, expected, why)
EXAMPLES = [
    ("school", "is_school_day", (D(2025, 9, 3),), True, "first day of autumn term"),
    ("school", "is_school_day", (D(2025, 9, 2),), False, "summer holiday before term"),
    ("school", "is_school_day", (D(2025, 9, 6),), False, "a Saturday in term"),
    ("school", "is_school_day", (D(2026, 1, 5),), False, "an INSET day"),
    ("school", "is_school_day", (D(2026, 5, 4),), False, "May Day bank holiday in term"),
    ("school", "add_school_days", (D(2025, 10, 24), 1), D(2025, 11, 3), "over October half term"),
    (
        "school",
        "add_school_days",
        (D(2025, 12, 19), 1),
        D(2026, 1, 6),
        "over Christmas and the INSET day that starts spring",
    ),
    (
        "school",
        "add_school_days",
        (D(2026, 3, 16), 15),
        D(2026, 4, 20),
        "15 school days over the Easter holiday (Good Friday and Easter Monday inside it)",
    ),
    (
        "school",
        "add_school_days",
        (D(2026, 3, 7), 0),
        D(2026, 3, 9),
        "n = 0 from a Saturday is the next school day",
    ),
    (
        "school",
        "add_school_days",
        (D(2026, 3, 4), 0),
        D(2026, 3, 4),
        "n = 0 from a school day is that day",
    ),
    (
        "school",
        "add_school_days",
        (D(2026, 3, 8), 1),
        D(2026, 3, 9),
        "counting from a Sunday starts on Monday",
    ),
    ("school", "add_school_days", (D(2026, 5, 1), 1), D(2026, 5, 5), "over May Day"),
    (
        "school",
        "add_school_days",
        (D(2026, 7, 21), 1),
        D(2026, 9, 1),
        "over the summer into the next academic year",
    ),
    ("school", "add_school_days", (D(2026, 4, 20), -15), D(2026, 3, 16), "counting backwards"),
    ("school", "school_days_between", (D(2025, 10, 24), D(2025, 11, 3)), 1, "half term"),
    ("school", "school_days_between", (D(2026, 3, 4), D(2026, 3, 4)), 0, "same day"),
    (
        "school",
        "school_days_between",
        (D(2025, 12, 19), D(2026, 1, 9)),
        4,
        "Christmas: 6, 7, 8, 9 January after the INSET day",
    ),
    (
        "school",
        "add_school_weeks",
        (D(2025, 10, 15), 2),
        D(2025, 11, 5),
        "2 school weeks skip the half-term week",
    ),
    (
        "school",
        "school_weeks_between",
        (D(2025, 10, 15), D(2025, 11, 5)),
        2,
        "the half-term week is not a school week",
    ),
    (
        "school",
        "add_school_weeks",
        (D(2025, 12, 17), 1),
        D(2026, 1, 7),
        "one school week over Christmas",
    ),
    ("academy", "is_school_day", (D(2026, 3, 30),), True, "academy's own spring 2 runs on"),
    ("school", "is_school_day", (D(2026, 3, 30),), False, "the authority's Easter holiday"),
    (
        "academy",
        "is_school_day",
        (D(2026, 4, 6),),
        False,
        "Easter Monday inside the academy's term",
    ),
    (
        "academy",
        "add_school_days",
        (D(2026, 4, 2), 1),
        D(2026, 4, 7),
        "Good Friday and Easter Monday are not school days",
    ),
    ("academy", "is_school_day", (D(2025, 10, 17),), False, "the academy's own INSET day"),
    ("school", "is_school_day", (D(2025, 10, 17),), True, "not an INSET day for the school"),
    (
        "academy",
        "is_school_day",
        (D(2026, 1, 5),),
        True,
        "the authority's INSET day does not apply to an academy with its own dates",
    ),
]


@pytest.mark.parametrize(("which", "function", "args", "expected", "why"), EXAMPLES)
def test_worked_examples(request, which, function, args, expected, why):
    """The 2012 Regulations, regulation 2: a school day is a day with a session at the school, so
    weekends, holidays, INSET days and bank holidays are skipped; worked examples in the
    statutory guidance's own words."""
    calendar = SchoolCalendar(request.getfixturevalue(which))
    assert getattr(calendar, function)(*args) == expected, why


def test_counting_past_the_last_term_dates_is_a_clear_error(school):
    """A statutory date cannot be counted without the school's term dates: past the last ones
    entered, the count stops with words, never a guess."""
    calendar = SchoolCalendar(school)
    with pytest.raises(CalendarDataMissing, match=r"no term dates for 2027 to 2028 for Oakfield"):
        calendar.add_school_days(D(2027, 7, 12), 10)


def test_a_date_before_the_first_term_dates_is_a_clear_error(school):
    """A date before the first term dates entered cannot be counted: said in words."""
    with pytest.raises(CalendarDataMissing, match="2024 to 2025"):
        SchoolCalendar(school).is_school_day(D(2024, 10, 1))


def test_term_of_a_date(school):
    """Seed 002 counts in terms (a PEP every term): each date belongs to its half term and its whole
    term."""
    assert term_of(school, D(2025, 11, 3)).name == TermName.AUTUMN_2
    assert term_of(school, D(2025, 10, 28)) is None  # half term


def test_closures_are_named_for_the_counting_note(school):
    """Each deadline says how it was counted ("15 school days, not counting the Easter holiday"), so
    the days it skipped are named."""
    calendar = SchoolCalendar(school)
    assert calendar.closures_between(D(2026, 3, 16), D(2026, 4, 20)) == ["the Easter holiday"]
    assert calendar.closures_between(D(2025, 12, 19), D(2026, 1, 9)) == [
        "the Christmas holiday",
        "an INSET day (5 January)",
    ]
    assert calendar.closures_between(D(2026, 4, 30), D(2026, 5, 6)) == ["May Day (4 May)"]


def test_adding_n_school_days_then_counting_them_gives_n(school):
    """School-day arithmetic is consistent: adding n school days and counting them back gives n."""
    calendar = SchoolCalendar(school)
    days = calendar.year(2025).school_days

    @given(st.sampled_from(days), st.integers(min_value=0, max_value=150))
    @settings(max_examples=300, deadline=None)
    def check(start, n):
        assert calendar.school_days_between(start, calendar.add_school_days(start, n)) == n
        assert calendar.add_school_days(calendar.add_school_days(start, n), -n) == start

    check()


def test_adding_n_school_weeks_then_counting_them_gives_n(school):
    """School-week arithmetic (seed 000: BOSS's 22 weeks) is consistent in the same way."""
    calendar = SchoolCalendar(school)
    days = calendar.year(2025).school_days

    @given(st.sampled_from(days), st.integers(min_value=0, max_value=30))
    @settings(max_examples=200, deadline=None)
    def check(start, n):
        assert calendar.school_weeks_between(start, calendar.add_school_weeks(start, n)) == n

    check()


def test_school_weeks_between_counts_as_a_walk_week_by_week_does(school):
    """Counted from each year's weeks with school, the number of school weeks between two days
    is what walking the weeks one by one and asking each for a school day gives, across half
    terms, holidays and the turn of the academic year."""
    import datetime

    from deadlines.calendar import DAY, WEEK

    calendar = SchoolCalendar(school)

    def walked(a, b):
        monday, last, count = a - a.weekday() * DAY, b - b.weekday() * DAY, 0
        while monday < last:
            monday += WEEK
            count += calendar.week_has_school(monday)
        return count

    first = datetime.date(2025, 9, 1)

    @given(st.integers(min_value=0, max_value=600), st.integers(min_value=0, max_value=400))
    @settings(max_examples=300, deadline=None)
    def check(offset, length):
        a = first + offset * DAY
        b = a + length * DAY
        try:
            expected = walked(a, b)
        except CalendarDataMissing:  # a year with no term dates: refused alike
            with pytest.raises(CalendarDataMissing):
                calendar.school_weeks_between(a, b)
            return
        assert calendar.school_weeks_between(a, b) == expected
        assert calendar.school_weeks_between(b, a) == -expected

    check()
