"""Plans as documents a school would print or edit: Word (.docx) and PDF, each with the
authority's name, the pupil, the plan's content and its review history."""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404, HttpResponse

from plans.models import (
    BehaviourImprovementPlan,
    PartTimeTimetable,
    PastoralSupportPlan,
    RiskAssessment,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Document:
    title: str
    pupil: str
    details: list[tuple[str, str]]
    sections: list[tuple[str, str]]
    tables: list[tuple[str, list[str], list[list[str]]]] = field(default_factory=list)


def _d(day) -> str:
    return f"{day:%-d %B %Y}" if day else "Not set"


def document_for(plan) -> Document:
    pupil = plan.pupil
    name = f"{pupil.display_name} (UPN {pupil.upn}, born {_d(pupil.date_of_birth)})"
    if isinstance(plan, PastoralSupportPlan):
        targets = list(plan.targets.all())
        reviews = list(plan.reviews.prefetch_related("outcomes__target"))
        return Document(
            title="Pastoral Support Plan",
            pupil=name,
            details=[
                ("School", plan.school.name),
                ("Start date", _d(plan.start_date)),
                ("Planned length", f"{plan.planned_weeks} weeks"),
                ("Reviews", f"Every {plan.review_every_weeks} weeks"),
                ("Next review", _d(plan.next_review_date)),
            ],
            sections=[
                ("Who is involved", plan.people_involved),
                ("The pupil's views", plan.pupil_views),
                ("The parent or carer's views", plan.parent_views),
                ("Areas of concern", plan.areas_of_concern),
                ("Interventions already tried", plan.interventions_tried),
            ],
            tables=[
                (
                    "Targets",
                    ["Target", "Strategies", "Who does what", "Success measure"],
                    [[t.description, t.strategies, t.who_does_what, t.success_measure]
                     for t in targets],
                ),
                (
                    "Review history",
                    ["Date", "Outcomes", "Next review"],
                    [[_d(r.date),
                      "; ".join(f"{o.target}: {o.get_outcome_display()}" for o in r.outcomes.all()),
                      _d(r.next_review_date)] for r in reviews],
                ),
            ],
        )  # fmt: skip
    if isinstance(plan, BehaviourImprovementPlan):
        return Document(
            title="Behaviour Improvement Plan",
            pupil=name,
            details=[
                ("Written by", plan.case.service.name),
                ("Next review", _d(plan.next_review_date)),
                ("Passed to the school", _d(plan.handed_to_school_on)),
            ],
            sections=[
                ("Our understanding of the pupil's needs", plan.understanding_of_needs),
                ("Strategies", plan.strategies),
                ("Targets", plan.targets),
                ("Who does what", plan.who_does_what),
            ],
        )
    if isinstance(plan, PartTimeTimetable):
        reviews = list(plan.reviews.all())
        return Document(
            title="Part-time timetable (PT1)",
            pupil=name,
            details=[
                ("School", plan.school.name),
                ("Hours a week", str(plan.hours_per_week)),
                ("From", _d(plan.start_date)),
                ("Until", _d(plan.end_date)),
                ("Parent's consent", f"{plan.consent_given_by}, {_d(plan.consent_given_on)}"),
            ],
            sections=[("Reason", plan.reason), ("Return to full time", plan.return_plan)],
            tables=[
                (
                    "Review history",
                    ["Date", "Findings", "Next review"],
                    [[_d(r.date), r.notes, _d(r.next_review_date)] for r in reviews],
                )
            ],
        )
    if isinstance(plan, RiskAssessment):
        return Document(
            title="Risk assessment",
            pupil=name,
            details=[
                ("School", plan.school.name),
                ("Review date", _d(plan.review_date)),
                ("Shared with the pupil", _d(plan.shared_with_pupil_on)),
                ("Shared with the parents", _d(plan.shared_with_parents_on)),
                ("Shared with staff", _d(plan.shared_with_staff_on)),
            ],
            sections=[
                ("Triggers", plan.triggers),
                ("Early signs", plan.early_signs),
                ("De-escalation strategies", plan.de_escalation),
                ("Support measures", plan.support_measures),
            ],
        )
    raise TypeError(plan)


def _rows_or_none(columns: list[str], rows: list[list[str]]) -> list[list[str]]:
    return rows or [["None yet"] + [""] * (len(columns) - 1)]


def to_docx(document: Document) -> bytes:
    from docx import Document as WordDocument

    word = WordDocument()
    word.add_paragraph(settings.LOCAL_AUTHORITY_NAME)
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.pupil)
    details = word.add_table(rows=0, cols=2)
    details.style = "Table Grid"
    for key, value in document.details:
        cells = details.add_row().cells
        cells[0].text, cells[1].text = key, value
    for heading, text in document.sections:
        word.add_heading(heading, level=2)
        word.add_paragraph(text or "None recorded")
    for heading, columns, rows in document.tables:
        word.add_heading(heading, level=2)
        table = word.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, column in zip(table.rows[0].cells, columns, strict=True):
            cell.text = column
        for row in _rows_or_none(columns, rows):
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def to_pdf(document: Document) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, title=f"{document.title}: {document.pupil}",
        leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
    )  # fmt: skip

    def para(text, style="BodyText", empty="None recorded"):
        from xml.sax.saxutils import escape

        return Paragraph(escape(text or empty).replace("\n", "<br/>"), styles[style])

    grid = TableStyle(
        [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    )
    story = [
        para(settings.LOCAL_AUTHORITY_NAME, "Normal"),
        para(document.title, "Title"),
        para(document.pupil, "Heading3"),
    ]
    details = Table([[para(k), para(v)] for k, v in document.details], colWidths=[50 * mm, None])
    details.setStyle(grid)
    story += [details, Spacer(1, 6 * mm)]
    for heading, text in document.sections:
        story += [para(heading, "Heading2"), para(text)]
    for heading, columns, rows in document.tables:
        story.append(para(heading, "Heading2"))
        body = [[para(v, empty="") for v in row] for row in _rows_or_none(columns, rows)]
        table = Table([[para(c) for c in columns], *body], repeatRows=1)
        table.setStyle(grid)
        story.append(table)
    pdf.build(story)
    return buffer.getvalue()


def download(plan, fmt: str) -> HttpResponse:
    document = document_for(plan)
    filename = f"{document.title} - {plan.pupil.display_name}".replace("/", "-")
    if fmt == "docx":
        response = HttpResponse(to_docx(document), content_type=DOCX)
    elif fmt == "pdf":
        response = HttpResponse(to_pdf(document), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
