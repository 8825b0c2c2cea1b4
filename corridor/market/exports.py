"""CSV (UTF-8 with BOM, so Excel opens Chinese text correctly) and XLSX exports of the ledger."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from corridor.market.models import TechnologyContract
from corridor.market.selectors import organization_reach

ExportFormat = Literal["csv", "xlsx"]


def _headers() -> list[str]:
    return [
        _("Registration number"), _("Title"), _("Contract type"), _("Seller"), _("Seller's city or country"),
        _("Buyer"), _("Buyer's city or country"), _("Amount (yuan)"), _("Signed on"), _("Industry"), _("Reach"),
    ]


def _place(org: object) -> str:
    city = getattr(org, "city", None)
    return city.short_name if city is not None else getattr(org, "country", "")


def _cell_text(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rows(contracts: Iterable[TechnologyContract]) -> Iterable[list[object]]:
    for c in contracts:
        far = max(organization_reach(c.seller), organization_reach(c.buyer), key=_REACH_ORDER.index)
        yield [
            _cell_text(c.registration_number), _cell_text(c.title), str(c.get_contract_type_display()),
            _cell_text(c.seller.name), _place(c.seller), _cell_text(c.buyer.name), _place(c.buyer), c.amount,
            c.signed_on, str(c.industry) if c.industry else "", far,
        ]


_REACH_ORDER = ["corridor", "extended", "delta", "domestic", "international"]


def ledger_response(contracts: Iterable[TechnologyContract], fmt: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = "ledger"
        ws.append(_headers())
        for row in rows(contracts):
            ws.append(row)
        for cell in ws["H"][1:]:
            cell.number_format = "#,##0.00"
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(_headers())
    for row in rows(contracts):
        writer.writerow([f"{v:.2f}" if hasattr(v, "quantize") else v for v in row])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ledger-{stamp}.csv"'
    return response
