"""The parts every report's figures are made of: a figure and a breakdown, the filters a
drill-down shares with its count (``cell_filter``, ``within``), one grouped read for many
breakdowns, and how numbers and shares are written."""

import datetime
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import (
    Aggregate,
    Count,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models import (
    Case as When_,
)
from django.db.models.functions import ExtractYear
from django.utils import timezone

from pupils.years import academic_year_of
from reporting.quarters import Quarter


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def epoch_between(later, earlier):
    from django.db.models import Func

    return Func(
        F(later) - F(earlier),
        function="EXTRACT",
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


@dataclass
class Figure:
    key: str
    label: str
    value: object
    drill: str = ""
    note: str = ""


@dataclass
class Breakdown:
    key: str
    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    values: list = field(default_factory=list)  # the raw value behind each row, for drilling

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)

    @property
    def cells(self) -> list[tuple[str, int, str]]:
        values = self.values or [None] * len(self.rows)
        return [
            (label, count, "" if raw is None else str(raw))
            for (label, count), raw in zip(self.rows, values, strict=True)
        ]


def cell_filter(queryset, field_name: str, raw: str, quarter: Quarter):
    """The records of one breakdown row: ``raw`` as sent back by the page."""
    if field_name == "year_group":
        return queryset.annotate(year_group=year_group_expression(quarter)).filter(
            year_group=int(raw)
        )
    if raw == "":
        return queryset.filter(Q(**{f"{field_name}__isnull": True}) | Q(**{field_name: ""}))
    if raw in {"True", "False"}:
        return queryset.filter(**{field_name: raw == "True"})
    return queryset.filter(**{field_name: raw})


def year_group_expression(quarter: Quarter):
    """National curriculum year from date of birth, in SQL (pupils.years, the same rule)."""
    cohort = When_(
        When(pupil__date_of_birth__month__lt=9, then=ExtractYear("pupil__date_of_birth") - 1),
        default=ExtractYear("pupil__date_of_birth"),
        output_field=IntegerField(),
    )
    return Value(academic_year_of(quarter.start)) - cohort - Value(5)


def within(field: str, span: tuple[datetime.date, datetime.date]) -> Q:
    """A timestamp ``field`` on a local day from ``span[0]`` to ``span[1]``, inclusive: what
    ``__date__range`` means, written as a range on the column so an index can answer it."""
    first, last = span
    return Q(
        **{
            f"{field}__gte": local_midnight(first),
            f"{field}__lt": local_midnight(last + datetime.timedelta(days=1)),
        }
    )


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The moment ``day`` begins in the service's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def label_of(choices, value) -> str:
    return dict(choices).get(value, str(value) if value not in (None, "") else "Not recorded")


def grouped_counts(queryset, fields: list[str]) -> dict[str, list[tuple[object, int]]]:
    """``{field: [(value, count), …]}`` for each of ``fields`` over ``queryset``, in one query:
    ``GROUPING SETS`` over the queryset's own SQL, so the rows counted are exactly the rows it
    would list (its ``visible_to`` filter included) and the table is read once, not once for
    each breakdown."""
    aliases = {name: f"g{index}" for index, name in enumerate(fields)}
    inner = queryset.order_by().values(**{alias: F(name) for name, alias in aliases.items()})
    sql, params = inner.query.sql_with_params()
    columns = ", ".join(aliases.values())
    sets = ", ".join(f"({alias})" for alias in aliases.values())
    every = (1 << len(fields)) - 1
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            f"SELECT GROUPING({columns}), {columns}, COUNT(*) FROM ({sql}) AS rows "
            f"GROUP BY GROUPING SETS ({sets})",
            params,
        )
        found = cursor.fetchall()
    counts = {}
    for index, name in enumerate(fields):
        mask = every ^ (1 << (len(fields) - 1 - index))  # only this field grouped
        counts[name] = [(row[1 + index], row[-1]) for row in found if row[0] == mask]
    return counts


def breakdown_of(queryset, field_name, key, title, choices=None) -> Breakdown:
    rows = (
        queryset.order_by()
        .values_list(field_name)
        .annotate(n=Count("pk"))
        .values_list(field_name, "n")
    )
    return labelled_rows(rows, key, title, choices)


def labelled_rows(rows, key, title, choices=None) -> Breakdown:
    labelled = sorted(
        ((label_of(choices, value) if choices else str(value or "Not recorded"), n, value)
         for value, n in rows),
        key=lambda row: (-row[1], row[0]),
    )  # fmt: skip
    return Breakdown(
        key, title, [(label, n) for label, n, _ in labelled], [raw for *_, raw in labelled]
    )


def year_groups_of(queryset, quarter) -> Breakdown:
    rows = (
        queryset.order_by()
        .annotate(year_group=year_group_expression(quarter))
        .values_list("year_group")
        .annotate(n=Count("pk"))
        .values_list("year_group", "n")
    )
    return year_group_rows(rows)


def year_group_rows(rows) -> Breakdown:
    from pupils.years import year_group_label

    ordered = sorted(rows)
    return Breakdown(
        "by_year_group",
        "By year group",
        [(year_group_label(year), n) for year, n in ordered],
        [year for year, _ in ordered],
    )


def rounded(value):
    return None if value is None else round(float(value), 1)


def share_of(part: int, whole: int) -> str:
    return "no cases" if not whole else f"{round(100 * part / whole)}%"


def count_and_share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({share_of(part, whole)})" if whole else "0"
