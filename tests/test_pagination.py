"""Pages of a list: the first page's length is its count when it is not full."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.pagination import Paginator
from pupils.models import Pupil
from tests.pupils.factories import PupilFactory

pytestmark = pytest.mark.django_db


def _page(number, size=3):
    paginator = Paginator(Pupil.objects.order_by("pk"), size)
    with CaptureQueriesContext(connection) as read:
        page = paginator.get_page(number)
        shown = [pupil.pk for pupil in page.object_list]
        count, pages = paginator.count, paginator.num_pages
    return shown, count, pages, [q["sql"] for q in read.captured_queries]


def test_a_first_page_that_is_not_full_is_counted_without_a_count_query():
    pupils = PupilFactory.create_batch(2)
    shown, count, pages, sql = _page(None)
    assert shown == [p.pk for p in pupils] and count == 2 and pages == 1
    assert len(sql) == 1 and "COUNT" not in sql[0]


def test_a_full_first_page_is_counted_as_django_counts_it():
    pupils = PupilFactory.create_batch(4)
    shown, count, pages, sql = _page("1")
    assert shown == [p.pk for p in pupils[:3]] and count == 4 and pages == 2
    assert sum("COUNT" in statement for statement in sql) == 1


def test_later_pages_and_bad_page_numbers_behave_as_django_s():
    pupils = PupilFactory.create_batch(4)
    assert _page("2")[0] == [pupils[3].pk]
    assert _page("99")[0] == [pupils[3].pk]  # past the end: the last page
    assert _page("x")[0] == [p.pk for p in pupils[:3]]  # not a number: the first page
    assert _page(None, size=4)[1:3] == (4, 1)  # exactly full: counted by a query, still right


def test_an_empty_list_has_one_empty_first_page():
    shown, count, pages, _ = _page(1)
    assert shown == [] and count == 0 and pages == 1
