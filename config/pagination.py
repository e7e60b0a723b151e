import datetime
from dataclasses import dataclass

from django.core import paginator
from django.db.models import Q
from rest_framework.pagination import CursorPagination


def query_without_page(request) -> str:
    """The request's query string without ``page`` or ``after``, for pagination links."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("after", None)
    return params.urlencode()


class Paginator(paginator.Paginator):
    """Django's paginator, which counts a list only when it must: the first page is read
    first, and when it is not full its length is the count. A search that finds one pupil, or
    a queue shorter than a page, costs one query fewer."""

    def get_page(self, number):
        if number not in (None, "", "1", 1) or self.orphans or "count" in self.__dict__:
            return super().get_page(number)
        rows = list(self.object_list[: self.per_page])
        if len(rows) < self.per_page:
            self.__dict__["count"] = len(rows)  # Django's cached_property, filled in
        return self._get_page(rows, 1, self)


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
