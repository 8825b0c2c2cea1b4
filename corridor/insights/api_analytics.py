"""API endpoints of the insights app's analytics half, under /api/v1/insights/ (joined in corridor.insights.api).

Each endpoint returns exactly the figures its page draws (``corridor.insights.analytics``); money
is a string with two decimals, like the rest of the API. Signed-in users only (401 otherwise);
every figure is computed from the rows the caller may see.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema

from corridor.api.auth import ApiRequest
from corridor.api.crud import ERRORS_READ
from corridor.api.errors import ApiError
from corridor.insights import analytics
from corridor.insights.views_analytics import plain

router = Router()


def _signed_in(request: ApiRequest) -> Any:
    user = request.auth
    if user is None or not user.is_authenticated:
        raise ApiError(401, "not_authenticated", _("Sign in, or send an API token (Authorization: Bearer …), to see the regional figures."))
    return user


# Dashboard ------------------------------------------------------------------------------------


class DashboardSummary(Schema):
    resources: int
    demands: int
    demands_open: int
    demands_in_progress: int
    demands_met: int
    cooperation_items: int
    transactions: int
    transaction_amount: str
    open_calls: int
    utilisation: float | None
    utilisation_days: int


class CityCounts(Schema):
    city: str
    code: str
    resources: int
    demands: int
    cooperation_items: int
    transactions: int
    amount: str


class IndustryCounts(Schema):
    code: str
    name: str
    resources: int
    demands: int
    cooperation_items: int


class MonthCounts(Schema):
    month: str
    resources: int
    demands: int
    cooperation_items: int


class StatusCount(Schema):
    status: str
    label: str
    count: int


class BalanceRow(Schema):
    scheme: str
    code: str
    name: str
    open_demands: int
    answerable: int
    unanswered: int
    resources: int
    resource_cities: int
    gap: bool


class GapRow(Schema):
    scheme: str
    code: str
    name: str
    division: str
    division_name: str
    open_demands: int
    resources: int


class UtilisationRow(Schema):
    city: str
    instruments: int
    open_hours: float
    used_hours: float
    utilisation: float
    bookings: int


class DashboardOut(Schema):
    summary: DashboardSummary
    by_city: list[CityCounts]
    by_industry: list[IndustryCounts]
    trend: list[MonthCounts]
    demand_status: list[StatusCount]
    balance: list[BalanceRow]
    gaps: list[GapRow]
    utilisation: list[UtilisationRow]


@router.get("/dashboard", response={200: DashboardOut, **ERRORS_READ}, url_name="insights_dashboard")
def dashboard(request: ApiRequest, utilisation: bool = True) -> Any:
    """The regional dashboard: counts by city, industry and month, demands met and open, transaction
    volume, open calls, instrument utilisation (last 90 days), supply–demand balance and gaps.

    Utilisation replays every booking (seconds on a cold cache, then cached for 10 minutes);
    ``utilisation=false`` leaves it out (``summary.utilisation`` null, ``utilisation`` empty)."""
    return plain(analytics.dashboard(_signed_in(request), with_utilisation=utilisation))


# Homogeneous competition ----------------------------------------------------------------------


class Heatmap(Schema):
    cities: list[str]
    codes: list[str]
    z: list[list[float]]


class CityPairRow(Schema):
    city_a: str
    code_a: str
    city_b: str
    code_b: str
    cosine: float
    krugman: float
    industries: str


class LocationQuotientRow(Schema):
    city: str
    city_code: str
    industry_code: str
    industry: str
    weight: float
    share: float
    lq: float


class ProfileRow(Schema):
    city: str
    city_code: str
    industry_code: str
    industry: str
    organisations: int
    resources: int
    demands: int
    transactions: int
    weight: float


class ComplementRow(Schema):
    supply_city: str
    supply_code: str
    demand_city: str
    demand_code: str
    industry_code: str
    industry: str
    resources: int
    open_demands: int


class CompetitionOut(Schema):
    weights: dict[str, float]
    heatmap: Heatmap
    pairs: list[CityPairRow]
    top_pairs: list[CityPairRow]
    location_quotients: list[LocationQuotientRow]
    profiles: list[ProfileRow]
    complements: list[ComplementRow]


@router.get("/competition", response={200: CompetitionOut, **ERRORS_READ}, url_name="insights_competition")
def competition(request: ApiRequest) -> Any:
    """Homogeneous competition: city industry profiles, cosine similarity (heatmap), Krugman index
    per pair, location quotients, the most overlapping pairs and complementarity suggestions."""
    return plain(analytics.competition(_signed_in(request)))


# Cooperation flows ----------------------------------------------------------------------------


class FlowsSummary(Schema):
    cooperation_items: int
    rd_to_production_items: int
    shanghai_rd_jiangsu_production: int
    shanghai_jiangsu_share: float
    transactions: int
    transaction_amount: str
    radiation_places: int


class FlowCity(Schema):
    city: str
    code: str
    lon: float
    lat: float
    corridor: str


class CooperationEdge(Schema):
    from_city: str
    from_code: str
    to_city: str
    to_code: str
    from_lon: float
    from_lat: float
    to_lon: float
    to_lat: float
    count: int
    value: str


class TransactionEdge(Schema):
    from_city: str
    from_code: str
    to_city: str
    to_code: str
    from_lon: float
    from_lat: float
    to_lon: float
    to_lat: float
    count: int
    amount: str


class RadiationRow(Schema):
    place: str
    reach: str
    reach_label: str
    cooperation_items: int
    transactions: int
    amount: str


class FlowsOut(Schema):
    summary: FlowsSummary
    cities: list[FlowCity]
    cooperation_edges: list[CooperationEdge]
    transaction_edges: list[TransactionEdge]
    radiation: list[RadiationRow]


@router.get("/flows", response={200: FlowsOut, **ERRORS_READ}, url_name="insights_flows")
def flows(request: ApiRequest) -> Any:
    """Cooperation flows: R&D city → production city (cooperation items) and seller → buyer
    (technology contracts), weighted by count and value; the Shanghai-R&D/Jiangsu-production share;
    radiation beyond the core corridor."""
    return plain(analytics.flows(_signed_in(request)))
