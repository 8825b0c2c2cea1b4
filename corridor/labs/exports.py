"""CSV (UTF-8 with BOM, so Excel opens Chinese text) and XLSX exports of the utilisation figures."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from corridor.labs.selectors import UtilisationRow

ExportFormat = Literal["csv", "xlsx"]


def _headers() -> list[str]:
    return [
        _("Group"), _("Instruments"), _("Open hours"), _("Used hours"), _("Utilisation"), _("Bookings"),
        _("Cross-region bookings"), _("Cross-region share"), _("Cost to users (yuan)"), _("Market price (yuan)"),
        _("Savings (yuan)"), _("Savings rate"),
    ]


def _cell_text(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def table(total: UtilisationRow, rows: Sequence[UtilisationRow]) -> list[list[object]]:
    out: list[list[object]] = []
    for row in [*rows, total]:
        d = row.as_dict()
        label = _("Total") if row is total else _cell_text(row.label)
        out.append([
            label, d["instruments"], d["open_hours"], d["used_hours"], d["utilisation"], d["bookings"],
            d["cross_region_bookings"], d["cross_region_share"], d["cost"], d["market_cost"], d["savings"], d["savings_rate"],
        ])
    return out


def utilisation_response(total: UtilisationRow, rows: Sequence[UtilisationRow], fmt: str, name: str) -> HttpResponse:
    data = table(total, rows)
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = _("Utilisation")[:31]
        ws.append(_headers())
        for r in data:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in r])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(_headers())
    writer.writerows(data)
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
