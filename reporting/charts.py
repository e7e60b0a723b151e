"""Server-rendered SVG bar charts. Each chart has a caption saying what it shows, and the page
puts the same numbers in a table beside it, so nothing is lost without the picture."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = 22
GAP = 8
LABEL_WIDTH = 170
CHART_WIDTH = 420


def bar_chart(rows: list[tuple[str, int]], *, title: str, chart_id: str) -> str:
    height = max(len(rows), 1) * (BAR + GAP) + GAP
    biggest = max((value for _, value in rows), default=0) or 1
    total_width = LABEL_WIDTH + CHART_WIDTH + 60
    parts = [
        f'<svg role="img" aria-labelledby="{chart_id}-title" width="{total_width}" '
        f'height="{height}" viewBox="0 0 {total_width} {height}" '
        'xmlns="http://www.w3.org/2000/svg" class="app-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        width = round(CHART_WIDTH * value / biggest)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR * 0.7}" text-anchor="end" '
            f'font-size="14">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" fill="#1d70b8"/>',
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR * 0.7}" '
            f'font-size="14">{value}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))
