"""Web pages of the regional analytics: dashboard, homogeneous competition, cooperation flows.

Each page draws its charts (static/insights/charts.js) from the very figures the JSON API returns
(``corridor.insights.analytics``), embedded with ``json_script``; every table behind a chart is
downloadable as CSV or XLSX from ``<page>/data/?table=…&format=csv|xlsx|json``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from corridor.core.views import plotly_url
from corridor.insights import analytics

# Every downloadable table of every page, with its columns (in order).
TABLES: dict[str, dict[str, list[str]]] = {
    "dashboard": {
        "by_city": ["city", "code", "resources", "demands", "cooperation_items", "transactions", "amount"],
        "by_industry": ["code", "name", "resources", "demands", "cooperation_items"],
        "trend": ["month", "resources", "demands", "cooperation_items"],
        "demand_status": ["status", "label", "count"],
        "balance": ["scheme", "code", "name", "open_demands", "answerable", "unanswered", "resources", "resource_cities", "gap"],
        "gaps": ["scheme", "code", "name", "division", "division_name", "open_demands", "resources"],
        "utilisation": ["city", "instruments", "open_hours", "used_hours", "utilisation", "bookings"],
    },
    "competition": {
        "heatmap": ["city_a", "city_b", "cosine"],
        "pairs": ["city_a", "code_a", "city_b", "code_b", "cosine", "krugman", "industries"],
        "location_quotients": ["city", "city_code", "industry_code", "industry", "weight", "share", "lq"],
        "profiles": ["city", "city_code", "industry_code", "industry", "organisations", "resources", "demands", "transactions", "weight"],
        "complements": ["supply_city", "supply_code", "demand_city", "demand_code", "industry_code", "industry", "resources", "open_demands"],
    },
    "flows": {
        "cooperation_edges": ["from_city", "from_code", "to_city", "to_code", "count", "value"],
        "transaction_edges": ["from_city", "from_code", "to_city", "to_code", "count", "amount"],
        "radiation": ["place", "reach", "reach_label", "cooperation_items", "transactions", "amount"],
        "cities": ["city", "code", "lon", "lat", "corridor"],
    },
}

COMPUTE: dict[str, Callable[[Any], dict[str, Any]]] = {
    # The page and its downloads leave out the slow utilisation table; it has its own request.
    "dashboard": lambda user: analytics.dashboard(user, with_utilisation=False),
    "competition": analytics.competition,
    "flows": analytics.flows,
}


def plain(value: Any) -> Any:
    """JSON-ready copy: money as strings with two decimals (like the market's statistics)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def table_rows(page: str, figures: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """The rows of one downloadable table (the heatmap is flattened to city pairs)."""
    if table == "heatmap":
        heat = figures["heatmap"]
        return [
            {"city_a": a, "city_b": b, "cosine": heat["z"][i][j]}
            for i, a in enumerate(heat["cities"])
            for j, b in enumerate(heat["cities"])
        ]
    rows: list[dict[str, Any]] = figures[table]
    return rows


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # a spreadsheet must not read text as a formula
    return value


def table_response(page: str, figures: dict[str, Any], table: str, fmt: str) -> HttpResponse:
    columns = TABLES[page][table]
    rows = table_rows(page, figures, table)
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"insights-{page}-{table}-{stamp}"
    if fmt == "json":
        return JsonResponse({"table": table, "columns": columns, "rows": plain(rows)})
    if fmt == "xlsx":
        wb = Workbook(write_only=True)
        ws = wb.create_sheet(table[:31])
        ws.append(columns)
        for row in rows:
            ws.append([_cell(float(v) if isinstance(v, Decimal) else v) for v in (row.get(c) for c in columns)])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(plain(row.get(c))) for c in columns])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _labels() -> dict[str, str]:
    return {
        "resources": _("Resources"), "demands": _("Demands"), "cooperation_items": _("Cooperation items"),
        "open_demands": _("Open demands"), "answerable": _("Answerable in the region"), "unanswered": _("No capable resource"),
        "cosine": _("Cosine similarity"), "utilisation": _("Utilisation"), "amount": _("Amount (yuan)"),
        "cooperation": _("Cooperation items (R&D → production)"), "transactions": _("Transactions (seller → buyer)"),
        "count": _("Count"), "value": _("Value (yuan)"), "core": _("Core corridor city"), "extended": _("Extended corridor city"),
        "other": _("Elsewhere in the delta"), "empty": _("No data yet."), "lon": _("Longitude"), "lat": _("Latitude"),
    }


def _page(request: HttpRequest, page: str, template: str) -> HttpResponse:
    figures = COMPUTE[page](request.user)
    data_url = reverse(f"insights:{page}_data")
    return render(request, template, {
        "figures": figures,
        "chart_data": {"page": page, "figures": plain(figures), "labels": _labels(),
                       "utilisation_url": f"{data_url}?table=utilisation&format=json" if page == "dashboard" else ""},
        "tables": TABLES[page],
        "page": page,
        "data_url": data_url,
        "plotly_url": plotly_url(),
        "api_url": f"/api/v1/insights/{page}",
    })


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboard", "insights/dashboard.html")


@require_GET
@login_required
def competition(request: HttpRequest) -> HttpResponse:
    return _page(request, "competition", "insights/competition.html")


@require_GET
@login_required
def flows(request: HttpRequest) -> HttpResponse:
    return _page(request, "flows", "insights/flows.html")


def _data(request: HttpRequest, page: str) -> HttpResponse:
    table = request.GET.get("table", "")
    fmt = request.GET.get("format", "csv")
    if table not in TABLES[page] or fmt not in ("csv", "xlsx", "json"):
        return JsonResponse(
            {
                "detail": _("Choose a table ({tables}) and a format (csv, xlsx or json).").format(tables=", ".join(TABLES[page])),
                "code": "bad_request",
                "fields": {"table" if table not in TABLES[page] else "format": [_("Not one of the choices.")]},
            },
            status=400,
        )
    if page == "dashboard" and table == "utilisation":
        figures = {"utilisation": analytics.utilisation_by_city(request.user)["rows"]}
    else:
        figures = COMPUTE[page](request.user)
    return table_response(page, figures, table, fmt)


@require_GET
@login_required
def dashboard_data(request: HttpRequest) -> HttpResponse:
    return _data(request, "dashboard")


@require_GET
@login_required
def competition_data(request: HttpRequest) -> HttpResponse:
    return _data(request, "competition")


@require_GET
@login_required
def flows_data(request: HttpRequest) -> HttpResponse:
    return _data(request, "flows")
