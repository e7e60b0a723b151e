"""Tables as CSV or XLSX, optionally anonymised with small-number suppression."""

from reporting.suppression import suppress


def table_rows(breakdown, *, anonymised: bool, threshold: int) -> list[list]:
    rows = [[label, count] for label, count in breakdown.rows]
    total = breakdown.total
    if anonymised:
        shown, total = suppress(breakdown.rows, threshold=threshold)
        rows = [[label, value] for label, value in shown]
    return [[breakdown.title, "Count"], *rows, ["Total", total]]
