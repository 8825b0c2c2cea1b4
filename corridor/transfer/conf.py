"""The importer's limits, read from settings with defaults (override in settings.CORRIDOR_TRANSFER)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Largest upload accepted, in bytes.
    "MAX_UPLOAD_BYTES": 20 * 1024 * 1024,
    # Most data rows one file may hold; bigger files are refused with a message asking to split them.
    "MAX_ROWS": 10_000,
    # Most columns read from one sheet (protects against sheets formatted out to column XFD).
    "MAX_COLUMNS": 200,
    # Largest uncompressed size of an .xlsx (zip bomb guard), in bytes.
    "MAX_UNZIPPED_BYTES": 400 * 1024 * 1024,
    # Most row messages kept for the error report.
    "MAX_MESSAGES": 50_000,
}


def get(name: str) -> Any:
    overrides = getattr(settings, "CORRIDOR_TRANSFER", {}) or {}
    return overrides.get(name, DEFAULTS[name])
