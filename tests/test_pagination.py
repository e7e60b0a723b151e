"""Pages of a list: a page and the length of the whole list read in one query."""

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


def test_a_page_and_the_list_s_length_are_read_in_one_query():
    pupils = PupilFactory.create_batch(2)
    shown, count, pages, sql = _page(None)
    assert shown == [p.pk for p in pupils] and count == 2 and pages == 1
    assert len(sql) == 1 and "COUNT(*) OVER ()" in sql[0]


def test_a_full_page_knows_the_length_of_the_whole_list():
    pupils = PupilFactory.create_batch(7)
    shown, count, pages, sql = _page("1")
    assert shown == [p.pk for p in pupils[:3]] and count == 7 and pages == 3
    assert len(sql) == 1
    shown, count, pages, sql = _page("3")
    assert shown == [pupils[6].pk] and count == 7 and len(sql) == 1


def test_later_pages_and_bad_page_numbers_behave_as_django_s():
    pupils = PupilFactory.create_batch(4)
    assert _page("2")[0] == [pupils[3].pk]
    assert _page("99")[0] == [pupils[3].pk]  # past the end: the last page
    assert _page("x")[0] == [p.pk for p in pupils[:3]]  # not a number: the first page
    assert _page(None, size=4)[1:3] == (4, 1)  # exactly one full page


def test_an_empty_list_has_one_empty_first_page():
    shown, count, pages, _ = _page(1)
    assert shown == [] and count == 0 and pages == 1


def test_a_list_that_is_not_a_plain_queryset_is_counted_as_django_counts_it():
    PupilFactory.create_batch(4)
    paginator = Paginator(Pupil.objects.order_by("pk").values_list("pk", flat=True), 3)
    with CaptureQueriesContext(connection) as read:
        page = paginator.get_page(1)
        assert len(page.object_list) == 3 and paginator.count == 4
    assert len(read.captured_queries) == 2
    assert Paginator(list(range(5)), 2).get_page("3").object_list == [4]
