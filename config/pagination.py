import datetime
from dataclasses import dataclass

from django.core import paginator
from django.db.models import Count, Q, Window
from rest_framework.pagination import CursorPagination


def query_without_page(request) -> str:
    """The request's query string without ``page`` or ``after``, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("after", None)
    return params.urlencode()


TOTAL = "paginator_total"


class Paginator(paginator.Paginator):
    """Django's paginator, reading a page of a list and its length in one query: each row
    carries ``COUNT(*) OVER ()``, the number of rows before the page was cut, where Django
    counts in a query of its own first. A page past the end is counted as Django counts it, and
    is then the last page, as with Django."""

    def get_page(self, number):
        try:
            wanted = int(number or 1)
        except (TypeError, ValueError):
            wanted = 0  # not a number: Django's way, its first page
        rows = self._rows_with_total(wanted)
        if rows is None:
            return super().get_page(number)
        if rows:
            self.__dict__["count"] = getattr(rows[0], TOTAL)  # Django's cached_property
            return self._get_page(rows, wanted, self)
        if wanted == 1:
            self.__dict__["count"] = 0
            return self._get_page(rows, 1, self)
        return super().get_page(self.num_pages)  # past the end: counted, then the last page

    def _rows_with_total(self, number: int):
        """The page's rows, each with the total, or ``None`` where that cannot be read so:
        a page number below one, orphans, or a list that is not a plain queryset."""
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if (
            number < 1
            or self.orphans
            or "count" in self.__dict__
            or query is None
            or query.distinct
            or query.combinator
            or query.is_sliced
            or queryset._fields is not None  # values() and values_list(): rows, not objects
            or query.group_by is not None
        ):
            return None
        bottom = (number - 1) * self.per_page
        counted = queryset.annotate(**{TOTAL: Window(Count("*"))})
        return list(counted[bottom : bottom + self.per_page])


class KeysetPagination(CursorPagination):
    """API lists page by keyset, newest first: each page is one indexed range read however long
    the list, and no ``COUNT(*)`` over a million rows. A client follows ``next`` and
    ``previous``; ``?ordering=`` still sorts by a view's ordering fields."""

    ordering = "-pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            described["properties"][link]["example"] = (
                "https://casework.example.gov.uk/api/v1/referrals?cursor=cD00ODY%3D"
            )
        return described


@dataclass
class KeysetPage:
    """One page of a long list read newest first by ``(date, pk)``: ``rows``, and the marks
    the links to the next and first pages carry."""

    rows: list
    next_mark: str = ""
    is_first: bool = True


def keyset_page(queryset, request, *, date_field: str, size: int = 50) -> KeysetPage:
    """The ``size`` rows of ``queryset`` after the ``after`` mark in the query string, newest
    ``date_field`` first: one indexed range read whichever page it is, where an offset would
    read and throw away every row before it. A mark that does not parse starts from the top."""
    mark = _parse_mark(request.GET.get("after", ""))
    ordered = queryset.order_by(f"-{date_field}", "-pk")
    if mark:
        day, pk = mark
        # "on or before the day" is the range the index walks; the rest settles ties.
        ordered = ordered.filter(**{f"{date_field}__lte": day}).filter(
            Q(**{f"{date_field}__lt": day}) | Q(pk__lt=pk)
        )
    rows = list(ordered[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    last = rows[-1] if rows else None
    next_mark = f"{getattr(last, date_field):%Y-%m-%d}.{last.pk}" if more and last else ""
    return KeysetPage(rows=rows, next_mark=next_mark, is_first=mark is None)


def _parse_mark(text: str):
    day, _, pk = text.partition(".")
    try:
        return datetime.date.fromisoformat(day), int(pk)
    except ValueError:
        return None
