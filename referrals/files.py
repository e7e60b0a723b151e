"""What an uploaded file really is, read from its content, not its name."""

import io
import os
import zipfile

ALLOWED = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
    "application/vnd.oasis.opendocument.text": "OpenDocument text (ODT)",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
}
EXTENSIONS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "image/jpeg": "jpg",
    "image/png": "png",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
# A Word or OpenDocument file is a zip archive. Its entries are judged by the sizes the archive
# declares, before anything is expanded: a small upload that would expand past these is refused
# (a "zip bomb"), and only the few bytes each check needs are ever read.
MAX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 100  # expanded size to stored size, for any one entry


class ArchiveTooLarge(Exception):
    """The archive would expand past the limits: refused without expanding it."""


class MacroDocument(Exception):
    """A macro-enabled Word document (.docm): refused, its macros could run on opening."""


def detect_content_type(data: bytes) -> str | None:
    """The MIME type of an allowed document, or ``None`` for anything else. Raises
    ``ArchiveTooLarge`` for an archive that would expand past the limits, and
    ``MacroDocument`` for a Word document with macros."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return _office_type(archive)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return None
    return None


def _office_type(archive: zipfile.ZipFile) -> str | None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ArchiveTooLarge
    if sum(entry.file_size for entry in entries) > MAX_EXPANDED_BYTES:
        raise ArchiveTooLarge
    for entry in entries:
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1) + 1024:
            raise ArchiveTooLarge
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        declared = _head(archive, "[Content_Types].xml", 64 * 1024)
        if "word/vbaProject.bin" in names or b"macroEnabled" in declared:
            raise MacroDocument
        return DOCX
    if "mimetype" in names and _head(archive, "mimetype", 100).strip() == ODT.encode():
        return ODT
    return None


def _head(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as entry:
        return entry.read(limit)


def served_name(original: str, content_type: str) -> str:
    """The name a document is kept and served under: the name it was uploaded with, its
    extension replaced by the detected type's ("report.html" holding a PDF is "report.pdf")."""
    stem = os.path.splitext(os.path.basename(original or ""))[0].strip() or "document"
    return f"{stem[:200]}.{EXTENSIONS[content_type]}"
