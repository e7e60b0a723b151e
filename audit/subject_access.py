"""Subject access requests: everything held about one pupil, as a ZIP with a readable index."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape

from audit import personal_data

REDACTED = "[redacted]"


def build_archive(pupil, *, redact_third_parties: bool) -> bytes:
    """Everything each app registered about the pupil (audit.personal_data): its sections as
    JSON, its documents in folders, the access log, and an index to read first."""
    from audit.models import AccessLog

    def person(name: str) -> str:
        return REDACTED if redact_third_parties and name else name

    sections = {part.name: part.rows(pupil, person) for part in personal_data.sections()}
    sections["access_log"] = [
        {"when": a.viewed_at, "who": person(a.user.full_name), "what": a.page}
        for a in AccessLog.objects.filter(pupil=pupil).select_related("user")
    ]
    counted = {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in sections.items():
            archive.writestr(f"{name}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2))
        for folder, files in personal_data.document_folders():
            counted[folder] = 0
            for filename, data in files(pupil):
                archive.writestr(f"{folder}/{filename}", data)
                counted[folder] += 1
        archive.writestr("index.html", _index(pupil, sections, counted, redact_third_parties))
    return buffer.getvalue()


def _index(pupil, sections, folders, redacted) -> str:
    items = "".join(
        f"<li><a href='{escape(name)}.json'>{escape(name.replace('_', ' ').capitalize())}</a>: "
        f"{len(rows)} record{'s' if len(rows) != 1 else ''}</li>"
        for name, rows in sections.items()
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Records held about {escape(pupil.display_name)}</title></head><body>"
        f"<h1>Records held about {escape(pupil.display_name)}</h1>"
        f"<p>UPN {escape(pupil.upn)}. "
        + " ".join(
            f"{count} file{'s' if count != 1 else ''} in the {escape(folder)} folder."
            for folder, count in folders.items()
        )
        + "</p>"
        f"{'<p>Other people&#x27;s names have been redacted.</p>' if redacted else ''}"
        f"<ul>{items}</ul></body></html>"
    )
