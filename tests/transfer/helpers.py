"""Builders for spreadsheets used by the import tests."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl


def xlsx(path: Path, rows: list[list[Any]], *, title: str = "资源") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def read_xlsx(data: bytes | Path) -> list[list[Any]]:
    src = io.BytesIO(data) if isinstance(data, bytes) else data
    wb = openpyxl.load_workbook(src)
    return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
