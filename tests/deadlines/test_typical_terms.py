import datetime
import itertools

from deadlines.models import TermName
from deadlines.typical_terms import typical_inset_days, typical_terms


def test_2026_to_2027_terms_fall_on_weekdays_in_order_around_easter():
    terms = typical_terms(2026)
    assert [name for name, _, _ in terms] == list(TermName.values)
    for _, start, end in terms:
        assert start.weekday() < 5 and end.weekday() < 5 and start <= end
    for (_, _, end), (_, next_start, _) in itertools.pairwise(terms):
        assert end < next_start
    spring_2_end = terms[3][2]
    summer_1_start = terms[4][1]
    easter_monday = datetime.date(2027, 3, 29)
    assert spring_2_end < easter_monday < summer_1_start
    assert terms[0][1] == datetime.date(2026, 9, 1)


def test_inset_days_are_school_weekdays_inside_terms():
    terms = typical_terms(2027)
    for day in typical_inset_days(2027):
        assert any(start <= day <= end for _, start, end in terms)
        assert day.weekday() < 5
