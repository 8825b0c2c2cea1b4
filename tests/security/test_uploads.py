"""Uploads: typed by content, size-capped, stored outside anything the web server serves."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve

from corridor.brokers.forms import DocumentForm


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("纪要.pdf", b"%PDF-1.7 minutes", True),
        ("合同.docx", docx_bytes(), True),
        ("report.pdf", b"MZ\x90\x00 an executable named .pdf", False),
        ("notes.pdf", b"<html><script>alert(1)</script>", False),
        ("archive.docx", b"PK\x03\x04 not a real zip", False),
    ],
)
def test_case_documents_are_typed_by_content(name, content, ok):
    form = DocumentForm(data={"kind": "other", "title": "文件"}, files={"file": SimpleUploadedFile(name, content)})
    assert form.is_valid() is ok, form.errors
    if not ok:
        assert "只接受" in str(form.errors["file"]) or "PDF" in str(form.errors["file"])


def test_case_documents_are_size_capped():
    from corridor.brokers.forms import MAX_DOCUMENT_BYTES

    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (MAX_DOCUMENT_BYTES + 1))
    form = DocumentForm(data={"kind": "other", "title": "大文件"}, files={"file": big})
    assert not form.is_valid() and "file" in form.errors


def test_uploads_live_outside_static_files_and_no_url_serves_them():
    media = Path(settings.MEDIA_ROOT).resolve()
    static_roots = [Path(settings.STATIC_ROOT).resolve()] + [
        Path(d[1] if isinstance(d, tuple) else d).resolve() for d in settings.STATICFILES_DIRS
    ]
    for root in static_roots:
        assert not media.is_relative_to(root) and not root.is_relative_to(media)
    for url in ("/media/market/bids/1/x.pdf", "/uploads/market/bids/1/x.pdf", f"{settings.MEDIA_URL or '/'}market/x.pdf"):
        with pytest.raises(Resolver404):
            resolve(url)


@pytest.mark.django_db
def test_whitenoise_does_not_serve_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    assert Client().get("/static/../uploads/secret.pdf").status_code == 404
    assert Client().get("/uploads/secret.pdf").status_code == 404
