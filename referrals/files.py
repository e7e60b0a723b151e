"""What an uploaded file really is, read from its content, not its name."""

import io
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


def detect_content_type(data: bytes) -> str | None:
    """The MIME type of an allowed document, or ``None`` for anything else."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "ignore").strip()
                    if mimetype == "application/vnd.oasis.opendocument.text":
                        return mimetype
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    return None
