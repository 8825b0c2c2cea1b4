"""Summaries of a saved benefit-sharing agreement: XLSX (openpyxl) and PDF (reportlab, STSong-Light for Chinese)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.insights.choices import SharingRule
from corridor.insights.models import Agreement

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _money(value: Any) -> float:
    return float(Decimal(str(value or 0)))


def _filename(agreement: Agreement, ext: str) -> str:
    return f"agreement-{agreement.cooperation_id}-v{agreement.version}.{ext}"


def summary_rows(agreement: Agreement) -> dict[str, Any]:
    """The figures both formats show: heading facts, the parties' shares, the tax table."""
    result = agreement.result
    saved = timezone.localtime(agreement.created).strftime("%Y-%m-%d %H:%M") if agreement.created else ""
    facts = [
        (_("cooperation item"), str(agreement.cooperation)),
        (_("version"), str(agreement.version)),
        (_("sharing rule"), str(SharingRule(agreement.rule).label)),
        (_("expected licence income (yuan)"), f"¥{_money(agreement.licence_income):,.2f}"),
        (_("saved"), f"{saved} (Asia/Shanghai)"),
    ]
    parties = [
        (p.get("name", ""), p.get("city", ""), float(p.get("share_pct", 0)), _money(p.get("licence_income")))
        for p in result.get("parties", [])
    ]
    tax = result.get("tax") or None
    tax_rows = []
    if tax:
        tax_rows = [
            (r["year"], _money(r["new_tax"]), _money(r["rd_city"]), _money(r["production_city"]), bool(r.get("capped")))
            for r in tax.get("rows", [])
        ]
    return {"facts": facts, "parties": parties, "tax": tax, "tax_rows": tax_rows}


def xlsx_bytes(agreement: Agreement) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = summary_rows(agreement)
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = _("Agreement")[:31]
    bold = Font(bold=True)
    ws.append([agreement.title])
    ws["A1"].font = Font(bold=True, size=14)
    for label, value in data["facts"]:
        ws.append([str(label), value])
    ws.append([])
    ws.append([_("party"), _("city"), _("share (%)"), _("licence income (yuan)")])
    for cell in ws[ws.max_row]:
        cell.font = bold
    for name, city, pct, income in data["parties"]:
        ws.append([name, city, pct, income])
        ws.cell(ws.max_row, 4).number_format = "¥#,##0.00"
    if data["tax"]:
        tax = data["tax"]
        ws.append([])
        ws.append([_("Split of the new local tax"), f"{tax.get('rd_city', '')} / {tax.get('production_city', '')}"])
        ws.cell(ws.max_row, 1).font = bold
        ws.append([_("year"), _("new local tax (yuan)"), _("R&D city (yuan)"), _("production city (yuan)"), _("capped")])
        for cell in ws[ws.max_row]:
            cell.font = bold
        for year, new_tax, rd, prod, capped in data["tax_rows"]:
            ws.append([year, new_tax, rd, prod, _("Yes") if capped else ""])
            for col in (2, 3, 4):
                ws.cell(ws.max_row, col).number_format = "¥#,##0.00"
    ws.column_dimensions["A"].width = 36
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 20
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def pdf_bytes(agreement: Agreement) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    font = "STSong-Light"
    title_style = ParagraphStyle("t", fontName=font, fontSize=15, leading=20, spaceAfter=8)
    body = ParagraphStyle("b", fontName=font, fontSize=9.5, leading=13)
    data = summary_rows(agreement)
    story: list[Any] = [Paragraph(agreement.title, title_style)]
    story += [Paragraph(f"{label}: {value}", body) for label, value in data["facts"]]
    story.append(Spacer(1, 8))
    grid = TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ]
    )
    rows: list[list[Any]] = [[_("party"), _("city"), _("share (%)"), _("licence income (yuan)")]]
    rows += [[Paragraph(name, body), city, f"{pct:.2f}", f"¥{income:,.2f}"] for name, city, pct, income in data["parties"]]
    story.append(Table(rows, colWidths=[200, 70, 70, 120], style=grid))
    if data["tax"]:
        story.append(Spacer(1, 10))
        tax = data["tax"]
        story.append(Paragraph(f"{_('Split of the new local tax')}: {tax.get('rd_city', '')} / {tax.get('production_city', '')}", body))
        trows: list[list[Any]] = [[_("year"), _("new local tax (yuan)"), _("R&D city (yuan)"), _("production city (yuan)"), _("capped")]]
        trows += [[str(y), f"¥{t:,.2f}", f"¥{r:,.2f}", f"¥{p:,.2f}", _("Yes") if c else ""] for y, t, r, p, c in data["tax_rows"]]
        story.append(Table(trows, colWidths=[50, 110, 110, 110, 50], style=grid))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=agreement.title, leftMargin=40, rightMargin=40, topMargin=40, bottomMargin=40).build(story)
    return out.getvalue()


def xlsx_response(agreement: Agreement) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(agreement), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(agreement, "xlsx")}"'
    return response


def pdf_response(agreement: Agreement) -> HttpResponse:
    response = HttpResponse(pdf_bytes(agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(agreement, "pdf")}"'
    return response
