"""The virtual school's cohort as lists (seed 002): each looked-after or previously
looked-after pupil with what the virtual school follows for them. The columns come from the
apps that hold the records (exclusions, plans, cases), each registered from its
``AppConfig.ready``, so that this app knows none of them."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    records: Callable  # (user) -> the column's records the user may read, with a "pupil" field
    latest: str = ""  # a date field: the column shows the latest; otherwise it counts
    order: int = 0


_columns: dict[str, Column] = {}


def register(column: Column) -> Column:
    _columns[column.key] = column
    return column


def columns() -> list[Column]:
    return sorted(_columns.values(), key=lambda c: c.order)


def annotate(pupils, user):
    """Each column as one correlated subquery on the page's pupils."""
    for column in columns():
        mine = column.records(user).filter(pupil=OuterRef("pk")).order_by().values("pupil")
        if column.latest:
            value = Subquery(mine.annotate(v=Max(column.latest)).values("v")[:1])
        else:
            value = Coalesce(Subquery(mine.annotate(v=Count("pk")).values("v")[:1]), 0)
        pupils = pupils.annotate(**{f"cohort_{column.key}": value})
    return pupils


def values(pupil) -> list:
    return [getattr(pupil, f"cohort_{column.key}") for column in columns()]
