"""A printable regional report of one city (``corridor report --city 苏州 --out report.pdf``).

Built with reportlab: Chinese text in the built-in CID font STSong-Light (no font file needed),
charts with reportlab.graphics. The figures are the analytics' own (``corridor.insights.analytics``),
computed from what the given user may see (public data for no user).
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from corridor.insights import analytics
from corridor.regions.models import City

FONT = "STSong-Light"
INK = colors.HexColor("#0b3d5c")
ACCENT = colors.HexColor("#0f7a6b")


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=20, leading=26, textColor=INK, spaceAfter=4 * mm),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, textColor=INK, spaceBefore=5 * mm, spaceAfter=2 * mm),
        "body": ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14),
        "small": ParagraphStyle("small", fontName=font, fontSize=8, leading=11, textColor=colors.HexColor("#555555")),
    }


def _yuan(value: Any) -> str:
    return f"¥{Decimal(str(value)):,.2f}"


def _table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
    font = _font()
    cells = [[c if isinstance(c, Flowable) else str(c) for c in r] for r in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5ecf0")),
        ("TEXTCOLOR", (0, 0), (-1, 0), INK),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8d3da")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
    ]))
    return table


def _hbar(labels: list[str], values: list[float], title: str, width: float = 160 * mm) -> Drawing:
    font = _font()
    height = max(60.0, 16.0 * len(labels) + 40)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 70 * mm, 15
    chart.width, chart.height = width - 80 * mm, height - 35
    chart.data = [values or [0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.reverseDirection = True
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = ACCENT
    chart.bars.strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, height - 12, title, fontName=font, fontSize=9, fillColor=INK))
    return drawing


def _vbar(labels: list[str], series: list[list[float]], names: list[str], title: str, width: float = 160 * mm) -> Drawing:
    font = _font()
    drawing = Drawing(width, 70 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 18 * mm
    chart.width, chart.height = width - 20 * mm, 70 * mm - 30 * mm
    chart.data = series if labels else [[0]]
    chart.categoryAxis.categoryNames = labels or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.angle = 30
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    palette = [INK, ACCENT, colors.HexColor("#3c7fa3")]
    for i in range(len(series)):
        chart.bars[i].fillColor = palette[i % len(palette)]
    chart.bars.strokeColor = None
    drawing.add(chart)
    drawing.add(String(0, 70 * mm - 10, title, fontName=font, fontSize=9, fillColor=INK))
    x = 0.0
    for i, name in enumerate(names):
        drawing.add(String(60 * mm + x, 70 * mm - 10, f"■ {name}", fontName=font, fontSize=8, fillColor=palette[i % len(palette)]))
        x += 32 * mm
    return drawing


def city_report(city: City, user: Any, *, compress: bool = True) -> bytes:
    """The report of ``city`` as PDF bytes."""
    styles = _styles()
    dashboard = analytics.dashboard(user, with_utilisation=True)
    competition = analytics.competition(user)
    flows = analytics.flows(user)
    levels = analytics.industry_levels()
    name = analytics.cities()[city.pk].name
    code = city.code

    story: list[Any] = []
    story.append(Paragraph(_("{city}: regional innovation report").format(city=name), styles["title"]))
    story.append(Paragraph(
        _("Shanghai–Nanjing industrial innovation belt · prepared {date} (Asia/Shanghai) · {province}").format(
            date=timezone.localtime().strftime("%Y-%m-%d %H:%M"), province=city.province),
        styles["small"],
    ))

    # Headline figures ---------------------------------------------------------------------------
    story.append(Paragraph(_("The city in figures"), styles["h2"]))
    mine = next((r for r in dashboard["by_city"] if r["code"] == code), None) or {
        "resources": 0, "demands": 0, "cooperation_items": 0, "transactions": 0, "amount": Decimal(0)}
    s = dashboard["summary"]
    util = next((r for r in dashboard["utilisation"] if r["city"] == name), None)
    story.append(_table([
        [_("figure"), name, _("whole region")],
        [_("innovation resources"), mine["resources"], s["resources"]],
        [_("technology demands"), mine["demands"], s["demands"]],
        [_("cross-region cooperation items"), mine["cooperation_items"], s["cooperation_items"]],
        [_("technology contracts sold"), mine["transactions"], s["transactions"]],
        [_("contract value sold"), _yuan(mine["amount"]), _yuan(s["transaction_amount"])],
        [_("instrument utilisation, last {days} days").format(days=analytics.UTILISATION_DAYS),
         f"{util['utilisation'] * 100:.1f}%" if util else "—",
         f"{(s['utilisation'] or 0) * 100:.1f}%"],
    ], [75 * mm, 45 * mm, 45 * mm]))

    # Industry profile -------------------------------------------------------------------------
    profile = sorted((r for r in competition["location_quotients"] if r["city_code"] == code), key=lambda r: -r["weight"])[:12]
    story.append(Paragraph(_("Industry profile (GB/T 4754 divisions)"), styles["h2"]))
    if profile:
        story.append(_hbar([f"{r['industry_code']} {r['industry']}"[:22] for r in profile], [r["weight"] for r in profile],
                           _("profile weight (organisations ×1, resources ×2, demands ×2, contracts ×1)")))
        story.append(Spacer(1, 3 * mm))
        story.append(_table(
            [[_("industry"), _("weight"), _("share"), _("location quotient")]]
            + [[f"{r['industry_code']} {r['industry']}", f"{r['weight']:g}", f"{r['share'] * 100:.1f}%", f"{r['lq']:.2f}"] for r in profile],
            [90 * mm, 25 * mm, 25 * mm, 30 * mm],
        ))
    else:
        story.append(Paragraph(_("No data yet."), styles["body"]))

    # Homogeneous competition -------------------------------------------------------------------
    story.append(Paragraph(_("Most similar cities (homogeneous competition)"), styles["h2"]))
    pairs = [p for p in competition["pairs"] if code in (p["code_a"], p["code_b"])][:8]
    if pairs:
        story.append(_table(
            [[_("city"), _("cosine"), _("Krugman index"), _("industries they compete in")]]
            + [[p["city_b"] if p["code_a"] == code else p["city_a"], f"{p['cosine']:.3f}", f"{p['krugman']:.3f}",
                Paragraph(p["industries"], styles["small"])] for p in pairs],
            [25 * mm, 20 * mm, 25 * mm, 100 * mm],
        ))
    else:
        story.append(Paragraph(_("No data yet."), styles["body"]))

    story.append(Paragraph(_("Complementarity"), styles["h2"]))
    comp = [c for c in analytics.complements(user, levels, analytics.cities(), limit=200) if code in (c["supply_code"], c["demand_code"])][:10]
    if comp:
        story.append(_table(
            [[_("resources in"), _("demands in"), _("industry"), _("resources"), _("open demands")]]
            + [[c["supply_city"], c["demand_city"], f"{c['industry_code']} {c['industry']}"[:26], c["resources"], c["open_demands"]] for c in comp],
            [25 * mm, 25 * mm, 75 * mm, 20 * mm, 25 * mm],
        ))
    else:
        story.append(Paragraph(_("No data yet."), styles["body"]))

    # Flows ------------------------------------------------------------------------------------
    story.append(Paragraph(_("Cooperation flows"), styles["h2"]))
    edges = [e for e in flows["cooperation_edges"] if code in (e["from_code"], e["to_code"])][:10]
    if edges:
        out_n = sum(e["count"] for e in edges if e["from_code"] == code)
        in_n = sum(e["count"] for e in edges if e["to_code"] == code)
        story.append(Paragraph(
            _("{city} does the R&D of {out} cooperation items produced elsewhere and produces {inbound} items researched elsewhere.").format(
                city=name, out=out_n, inbound=in_n),
            styles["body"],
        ))
        story.append(_vbar([f"{e['from_city']}→{e['to_city']}" for e in edges], [[e["count"] for e in edges]], [_("items")],
                           _("Cooperation routes (R&D → production)")))
        story.append(_table(
            [[_("route"), _("items"), _("value")]] + [[f"{e['from_city']} → {e['to_city']}", e["count"], _yuan(e["value"])] for e in edges],
            [70 * mm, 30 * mm, 50 * mm],
        ))
    else:
        story.append(Paragraph(_("No data yet."), styles["body"]))

    # Gaps -------------------------------------------------------------------------------------
    story.append(Paragraph(_("Gaps: open demands, no capable resource (卡脖子 candidates)"), styles["h2"]))
    if dashboard["gaps"]:
        story.append(_table(
            [[_("industry"), _("division or category"), _("open demands")]]
            + [[f"{g['code']} {g['name']}"[:30], f"{g['division']} {g['division_name']}"[:30], g["open_demands"]] for g in dashboard["gaps"][:15]],
            [70 * mm, 70 * mm, 30 * mm],
        ))
    else:
        story.append(Paragraph(_("None: every industry with open demands has a capable resource in the region."), styles["body"]))

    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(
        _("Methods: cosine similarity and the Krugman index K = Σ|s_ik − s_jk| over industry shares; location quotient "
          "LQ = (e_ik/e_i)/(E_k/E). See docs/insights.md."),
        styles["small"],
    ))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=_("{city}: regional innovation report").format(city=name), author="Corridor", pageCompression=1 if compress else 0,
    )
    doc.build(story)
    return buf.getvalue()
