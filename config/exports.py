"""Tables as CSV or XLSX files, every cell kept as written: used by every export, whichever app
it belongs to."""

import csv
import io

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text(value):
    """A cell a spreadsheet shows as written: text that begins like a formula (a school named
    "=HYPERLINK(…)", a pupil "@SUM(…)") is kept as text behind a leading apostrophe, as OWASP
    advises for CSV and Excel exports. Numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def respond(rows: list[list], *, filename: str, fmt: str) -> HttpResponse:
    rows = [[as_text(value) for value in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = filename[:31]
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
