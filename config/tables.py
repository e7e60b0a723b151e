"""Rows of a GOV.UK Design System table written in Python, for the long lists a working day
opens again and again (a caseload, the screening queue): a template loop over thirty rows of
six cells cost more than the rows' query. Every text is escaped here; a cell may carry a
``data-sort-value`` for MOJ Frontend's sortable table and a link."""

import datetime
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from config.html import conditional_escape, escape

SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                "Dec")  # fmt: skip
SHORT_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class Cell(NamedTuple):
    text: object  # escaped, unless already safe HTML (a tag, say)
    sort: object = None  # ``data-sort-value``
    href: str = ""  # the text links here
    numeric: bool = False  # right-aligned, as numbers are


def short_date(day: datetime.date) -> str:
    """``7 Dec 2026``: the ``date:"j M Y"`` of a template."""
    return f"{day.day} {SHORT_MONTHS[day.month - 1]} {day.year}"


def day_and_date(day: datetime.date) -> str:
    """``Mon 7 Dec 2026``: the ``date:"D j M Y"`` of a template."""
    return f"{SHORT_DAYS[day.weekday()]} {short_date(day)}"


def one_place(number) -> str:
    """``2.5``, or ``3`` for a whole number: the ``floatformat:"-1"`` of a template."""
    rounded = Decimal(str(number)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    whole = rounded.to_integral_value()
    return str(whole) if rounded == whole else str(rounded)


def sort_key(day: datetime.date | None, missing: str) -> str:
    """A date as ``20261207`` for sorting, or ``missing`` where there is none."""
    return f"{day:%Y%m%d}" if day else missing


def record_urls(url_name: str) -> Callable[[int], str]:
    """``reverse(url_name, args=[pk])`` for each of a list's rows, reversed once: the address
    with the record's id in place of a marker (the patterns take an ``<int:pk>``)."""
    marker = 918273645
    before, after = reverse(url_name, args=[marker]).split(str(marker))
    return lambda pk: f"{before}{int(pk)}{after}"


def table_rows(rows: Iterable[Iterable[Cell]]) -> SafeString:
    """``<tr>`` elements of ``govuk-table__cell`` cells, one per row of cells."""
    html = []
    for row in rows:
        cells = []
        for cell in row:
            text = conditional_escape(cell.text)
            if cell.href:
                text = f'<a class="govuk-link" href="{escape(cell.href)}">{text}</a>'
            sort = "" if cell.sort is None else f' data-sort-value="{escape(cell.sort)}"'
            numeric = " govuk-table__cell--numeric" if cell.numeric else ""
            cells.append(f'<td class="govuk-table__cell{numeric}"{sort}>{text}</td>')
        html.append(f'<tr class="govuk-table__row">{"".join(cells)}</tr>')
    return mark_safe("\n".join(html))  # every value above is escaped


def tag(text: str, colour: str) -> SafeString:
    """A GOV.UK tag (``govuk-tag--{colour}``) for a cell."""
    return mark_safe(f'<strong class="govuk-tag govuk-tag--{colour}">{escape(text)}</strong>')


# Beside a date counted on the typical calendar while the year's term dates are not entered
# (``Deadline.provisional``).
PROVISIONAL = tag("Provisional", "yellow")
