"""Checking uploaded bid documents by their content, not their name: PDF, DOCX or XLSX, at most 20 MB."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    sha256: str


def _size(fileobj: IO[bytes]) -> int:
    size = getattr(fileobj, "size", None)
    if size is not None:
        return int(size)
    pos = fileobj.tell()
    fileobj.seek(0, 2)
    end = fileobj.tell()
    fileobj.seek(pos)
    return end


def detect_kind(fileobj: IO[bytes]) -> str | None:
    """'pdf', 'docx' or 'xlsx' from the bytes themselves, or None."""
    fileobj.seek(0)
    head = fileobj.read(8)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    # An OOXML document is a zip with [Content_Types].xml and its main part; only the
    # directory is read, nothing is extracted, so a zip bomb costs nothing here.
    try:
        with zipfile.ZipFile(fileobj) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def check_attachment(fileobj: IO[bytes]) -> CheckedFile:
    """Raise ValidationError unless the file is a PDF, DOCX or XLSX of at most 20 MB."""
    size = _size(fileobj)
    if size == 0:
        raise ValidationError({"file": ValidationError(_("The file is empty."), code="empty")})
    if size > MAX_ATTACHMENT_BYTES:
        message = _("The file has {size} bytes; at most 20 MB ({limit} bytes) are allowed.").format(
            size=f"{size:,}", limit=f"{MAX_ATTACHMENT_BYTES:,}"
        )
        raise ValidationError({"file": ValidationError(message, code="too_large")})
    kind = detect_kind(fileobj)
    if kind is None:
        message = _("Only PDF, Word (DOCX) and Excel (XLSX) documents are accepted; this file is none of them.")
        raise ValidationError({"file": ValidationError(message, code="file_type")})
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return CheckedFile(kind=kind, content_type=CONTENT_TYPES[kind], size=size, sha256=digest.hexdigest())
