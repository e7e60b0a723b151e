"""The quarterly report as a printable PDF: the figures, the trend chart and the tables."""

import io
from xml.sax.saxutils import escape

from django.conf import settings


def quarterly_pdf(*, title: str, figures, trend, breakdowns) -> bytes:
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()

    def para(text, style="BodyText"):
        return Paragraph(escape(str(text)), styles[style])

    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)])
    story = [para(settings.LOCAL_AUTHORITY_NAME, "Normal"), para(title, "Title")]
    rows = [[para("Figure"), para("This quarter"), para("A year earlier")]]
    for figure in figures:
        label = figure.label + (f" ({figure.note})" if figure.note else "")
        previous = getattr(figure, "last_year", "")
        rows.append([para(label), para(_show(figure.value)), para(_show(previous))])
    table = Table(rows, colWidths=[100 * mm, 35 * mm, 35 * mm], repeatRows=1)
    table.setStyle(grid)
    story += [table, Spacer(1, 6 * mm), para("Referrals received, last four quarters", "Heading2")]
    chart = Drawing(170 * mm, 60 * mm)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 30, 20, 150 * mm, 45 * mm
    bars.data = [[value for _, value in trend]]
    bars.categoryAxis.categoryNames = [label for label, _ in trend]
    bars.valueAxis.valueMin = 0
    bars.bars[0].fillColor = colors.HexColor("#1d70b8")
    chart.add(bars)
    chart.add(String(30, 5, "Bar chart; the same numbers follow in the table.", fontSize=8))
    trend_table = Table([[para(label), para(value)] for label, value in trend])
    trend_table.setStyle(grid)
    story += [chart, trend_table]
    for breakdown in breakdowns:
        story.append(para(breakdown.title, "Heading2"))
        body = [[para(label), para(count)] for label, count in breakdown.rows] or [
            [para("None this quarter"), para("")]
        ]
        table = Table(body, colWidths=[120 * mm, 30 * mm])
        table.setStyle(grid)
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title).build(story)
    return buffer.getvalue()


def _show(value) -> str:
    return "" if value is None else str(value)
