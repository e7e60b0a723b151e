"""Subject access requests: everything held about one pupil, as a ZIP with a readable index."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape

REDACTED = "[redacted]"


def _rows(queryset, fields):
    return [{field: getattr(row, field) for field in fields} for row in queryset]


def build_archive(pupil, *, redact_third_parties: bool) -> bytes:
    from audit.models import AccessLog
    from cases.models import Case, Contact
    from exclusions.models import Exclusion
    from plans.export import document_for, to_pdf
    from plans.models import (
        BehaviourImprovementPlan,
        PartTimeTimetable,
        PastoralSupportPlan,
        PepMeeting,
        RiskAssessment,
    )
    from referrals.models import Attachment, Referral

    def person(name: str) -> str:
        return REDACTED if redact_third_parties and name else name

    sections = {
        "pupil": [
            {
                "upn": pupil.upn, "legal_name": pupil.legal_name,
                "display_name": pupil.display_name,
                "date_of_birth": pupil.date_of_birth, "gender": pupil.get_gender_display(),
                "care_status": pupil.get_care_status_display(),
                "sen_status": pupil.get_sen_status_display(),
            }
        ],
        "schools": [
            {"school": e.school.name, "from": e.start_date, "to": e.end_date}
            for e in pupil.enrolments.select_related("school")
        ],
        "contacts": [
            {"name": person(c.name), "relationship": c.get_relationship_display(),
             "phone": "" if redact_third_parties else c.phone}
            for c in pupil.contacts.all()
        ],
        "referrals": [
            {"reference": r.reference, "type": r.referral_type.name,
             "status": r.get_status_display(),
             "submitted": r.submitted_at, "reason": r.reason, "concerns": r.concerns,
             "pupil_views": r.pupil_views, "parent_views": r.parent_views,
             "history": [{"what": a.get_kind_display(), "when": a.at,
                          "by": person(a.actor.full_name if a.actor else ""), "note": a.note}
                         for a in r.activities.select_related("actor")]}
            for r in Referral.objects.filter(pupil=pupil).select_related("referral_type")
        ],
        "cases": [
            {"service": c.service.name, "opened": c.opened_on, "closed": c.closed_on,
             "caseworker": person(c.caseworker.full_name),
             "contacts": [{"date": x.date, "kind": x.get_kind_display(), "notes": x.notes,
                           "with": person(x.participants)}
                          for x in Contact.objects.filter(case=c)]}
            for c in Case.objects.filter(pupil=pupil).select_related("service", "caseworker")
        ],
        "exclusions": [
            {"kind": e.get_kind_display(), "from": e.start_date, "days": e.days,
             "description": e.description, "status": e.get_status_display()}
            for e in Exclusion.objects.filter(pupil=pupil)
        ],
        "pep_meetings": [
            {"date": m.date, "attendees": person(m.attendees), "targets": m.targets}
            for m in PepMeeting.objects.filter(pupil=pupil)
        ],
        "access_log": [
            {"when": a.viewed_at, "who": person(a.user.full_name), "what": a.page}
            for a in AccessLog.objects.filter(pupil=pupil).select_related("user")
        ],
    }  # fmt: skip
    plans = [
        *PastoralSupportPlan.objects.filter(pupil=pupil),
        *BehaviourImprovementPlan.objects.filter(pupil=pupil),
        *PartTimeTimetable.objects.filter(pupil=pupil),
        *RiskAssessment.objects.filter(pupil=pupil),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sections.items():
            archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
        for index, plan in enumerate(plans, start=1):
            archive.writestr(
                f"plans/{index:02d}-{plan._meta.model_name}.pdf", to_pdf(document_for(plan))
            )
        for attachment in Attachment.objects.filter(referral__pupil=pupil):
            with attachment.file.open("rb") as handle:
                archive.writestr(
                    f"documents/{attachment.pk}-{attachment.original_name}", handle.read()
                )
        archive.writestr("index.html", _index(pupil, sections, plans, redact_third_parties))
    return buffer.getvalue()


def _index(pupil, sections, plans, redacted) -> str:
    items = "".join(
        f"<li><a href='{escape(name)}.json'>{escape(name.replace('_', ' ').capitalize())}</a>: "
        f"{len(rows)} record{'s' if len(rows) != 1 else ''}</li>"
        for name, rows in sections.items()
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Records held about {escape(pupil.display_name)}</title></head><body>"
        f"<h1>Records held about {escape(pupil.display_name)}</h1>"
        f"<p>UPN {escape(pupil.upn)}. {len(plans)} plans are in the plans folder; documents "
        "are in the documents folder.</p>"
        f"{'<p>Other people&#x27;s names have been redacted.</p>' if redacted else ''}"
        f"<ul>{items}</ul></body></html>"
    )
