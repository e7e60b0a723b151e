"""A letter as a parent receives it: Word (.docx) and PDF, written from its paragraphs."""

import io
from xml.sax.saxutils import escape

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def to_docx(school: str, paragraphs: list[str]) -> bytes:
    from docx import Document

    word = Document()
    word.add_paragraph(school).runs[0].bold = True
    for text in paragraphs:
        word.add_paragraph(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def to_pdf(school: str, title: str, paragraphs: list[str], *, address=()) -> bytes:
    """The letter as PDF; with an ``address``, it stands where a window envelope (and GOV.UK
    Notify's precompiled letters) read it, at the top left."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, leftMargin=22 * mm, rightMargin=22 * mm,
        topMargin=20 * mm, bottomMargin=20 * mm,
    )  # fmt: skip
    story = []
    if address:
        lines = "<br/>".join(escape(line) for line in address)
        story += [Spacer(1, 18 * mm), Paragraph(lines, styles["BodyText"]), Spacer(1, 10 * mm)]
    story += [Paragraph(escape(school), styles["Heading3"]), Spacer(1, 4 * mm)]
    for text in paragraphs:
        story += [Paragraph(escape(text), styles["BodyText"]), Spacer(1, 2 * mm)]
    pdf.build(story)
    return buffer.getvalue()


def respond(fmt: str, *, school: str, title: str, paragraphs: list[str]) -> HttpResponse:
    if fmt == "docx":
        response = HttpResponse(to_docx(school, paragraphs), content_type=DOCX)
    else:
        response = HttpResponse(to_pdf(school, title, paragraphs), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{title.replace("/", "-")}.{fmt}"'
    return response
