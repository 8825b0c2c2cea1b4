"""API endpoints of the insights app's sharing half, under /api/v1/insights/ (joined in corridor.insights.api).

- ``POST /insights/sharing/compute``: the allocation and its working, nothing saved;
- ``GET/POST /insights/agreements``, ``GET /insights/agreements/{id}``: saved agreements, a POST
  saves the next version for the cooperation item (party members and operators only);
- ``GET /insights/barriers``, ``/insights/barriers/{id}``, ``/insights/barriers/compare``,
  ``/insights/barriers/cited``: the hidden-barriers register.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from corridor.api.auth import ApiRequest
from corridor.api.crud import (
    ERRORS_READ,
    ERRORS_WRITE,
    Id,
    InSchema,
    Money,
    filtered_page,
    get_visible,
    list_params,
    page_schema,
    patch_schema,
    resolve_refs,
    sent,
)
from corridor.api.errors import ApiError
from corridor.core.permissions import VIEW
from corridor.insights import selectors_sharing, services, sharing
from corridor.insights.choices import BarrierCategory, BarrierStatus, SharingRule
from corridor.insights.filtersets import AgreementFilterSet, BarrierFilterSet
from corridor.insights.models import Agreement, Barrier
from corridor.lists.models import CooperationItem
from corridor.regions.api import CityRef
from corridor.regions.models import City
from corridor.regions.selectors import resolve_city

router = Router(tags=["insights"])

Amount = Annotated[Decimal, Field(max_digits=16, decimal_places=2)]  # the sign is checked by the calculation, with its own message
Percent = Annotated[Decimal, Field(max_digits=7, decimal_places=4)]


# Calculator ---------------------------------------------------------------------------------------


class SharingPartyIn(InSchema):
    organization: Id = Field(..., description="Id of the party's organisation.")
    ratio: Percent | None = Field(None, description="Agreed ratio in percent (rule `fixed`; the ratios must sum to 100).")
    rd_spend: Amount = Field(Decimal(0), description="R&D spend, yuan.")
    ip_value: Amount = Field(Decimal(0), description="IP contributed, valued in yuan.")
    staff_months: Amount = Field(Decimal(0), description="Staff-months of researchers (weighted at ¥30,000 each).")
    facilities: Amount = Field(Decimal(0), description="Facilities lent, yuan (weighted at 0.5).")
    market_access: Amount = Field(Decimal(0), description="Market access: value of the sales channels brought, yuan.")
    risk: Amount = Field(Decimal(0), description="Risk borne: capital at risk, yuan (weighted at 0.2).")


class TaxIn(InSchema):
    base_year: Annotated[int, Field(ge=1990, le=2100)]
    annual_new_tax: Amount = Field(..., description="Expected new local tax in the first year after the base year, yuan.")
    years: Annotated[int, Field(ge=1, le=sharing.MAX_TAX_YEARS)]
    rd_share_pct: Percent = Field(Decimal(0), description="The R&D city's share of the new tax, percent (rule `ratio`).")
    share_rule: Literal["ratio", "shares"] = Field(
        "ratio", description="`ratio`: rd_share_pct as given; `shares`: the summed shares of the parties located in the R&D city."
    )
    growth_pct: Percent = Field(Decimal(0), description="Yearly growth of the new tax, percent.")
    cap: Amount | None = Field(None, description="Most the R&D city receives in one year, yuan.")
    rd_city: Id | None = None
    production_city: Id | None = None


class CalculationIn(InSchema):
    rule: SharingRule
    licence_income: Money = Decimal(0)
    parties: Annotated[list[SharingPartyIn], Field(max_length=sharing.MAX_PARTIES)]
    tax: TaxIn | None = None


class AgreementIn(CalculationIn):
    cooperation: Id = Field(..., description="Id of the cooperation item the agreement belongs to.")
    title: Annotated[str, Field(max_length=200)] = ""
    note: Annotated[str, Field(max_length=5000)] = ""


def _inputs(payload: CalculationIn) -> dict[str, Any]:
    data = payload.model_dump(exclude={"cooperation", "title", "note"})
    return data


def _calculate(inputs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        return services.agreement_calculate(inputs)
    except ValidationError as exc:
        raise _api_error(exc) from None


def _api_error(exc: ValidationError) -> ApiError:
    """A 400 carrying the calculation's own code (``ratios_not_100``, ``too_many_parties``, ``unknown_party``, …)."""
    fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    code = "invalid"
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            code = errors[0].code or code
            break
    detail = next(iter(fields.values()))[0] if fields else _("Some fields are not valid.")
    return ApiError(400, code, detail, fields)


@router.post("/sharing/compute", response={200: dict[str, Any], **ERRORS_READ}, url_name="sharing_compute", tags=["benefit sharing"])
def compute(request: ApiRequest, payload: CalculationIn) -> Any:
    """Each party's share of IP rights and licence income, the tax split by year, and every step of the working. Nothing is saved."""
    result, inputs = _calculate(_inputs(payload))
    return {"inputs": inputs, **result}


# Agreements ---------------------------------------------------------------------------------------


class CooperationRef(Schema):
    id: int
    title: str


class AgreementOut(Schema):
    id: int
    cooperation: CooperationRef
    version: int
    title: str
    rule: str
    licence_income: Decimal
    note: str
    created: dt.datetime
    created_by: str | None
    parties: list[dict[str, Any]]
    url: str

    @staticmethod
    def resolve_created_by(obj: Agreement) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[dict[str, Any]]:
        return [
            {"organization": p.get("key"), "name": p.get("name"), "share_pct": p.get("share_pct"), "licence_income": p.get("licence_income")}
            for p in obj.result.get("parties", [])
        ]

    @staticmethod
    def resolve_url(obj: Agreement) -> str:
        return obj.get_absolute_url()


class AgreementDetailOut(AgreementOut):
    inputs: dict[str, Any]
    result: dict[str, Any]
    versions: list[int]

    @staticmethod
    def resolve_versions(obj: Agreement) -> list[int]:
        return list(Agreement.objects.filter(cooperation_id=obj.cooperation_id).order_by("version").values_list("version", flat=True))


AgreementParams = list_params(AgreementFilterSet, "AgreementListParams")


def _agreements() -> Any:
    return Agreement.objects.select_related("cooperation", "created_by")


@router.get("/agreements", response={200: page_schema(AgreementOut), **ERRORS_READ}, url_name="agreement_list", tags=["benefit sharing"])
def list_agreements(request: ApiRequest, params: Query[AgreementParams]) -> Any:  # type: ignore[valid-type]
    """Saved agreements (every version) of the cooperation items the caller may view."""
    return filtered_page(request, _agreements().restrict(request.auth, VIEW).order_by("cooperation_id", "-version"), params)


@router.get("/agreements/{id}", response={200: AgreementDetailOut, **ERRORS_READ}, url_name="agreement_detail", tags=["benefit sharing"])
def get_agreement(request: ApiRequest, id: int) -> Any:
    return get_visible(_agreements(), id, request.auth)


@router.post("/agreements", response={201: AgreementDetailOut, **ERRORS_WRITE}, url_name="agreement_list", tags=["benefit sharing"])
def create_agreement(request: ApiRequest, payload: AgreementIn) -> Any:
    """Save the calculation as the next version of the cooperation item's agreement (party members and operators)."""
    item = CooperationItem.objects.restrict(request.auth, VIEW).filter(pk=payload.cooperation).first()
    if item is None:
        raise ApiError.field("cooperation", _("Unknown id: {id}.").format(id=payload.cooperation), "unknown_id")
    _calculate(_inputs(payload))  # the calculation's own 400s come first, with their codes
    try:
        agreement = services.agreement_save(
            user=request.auth, cooperation=item, inputs=_inputs(payload), title=payload.title, note=payload.note, source="api"
        )
    except ValidationError as exc:
        raise _api_error(exc) from None
    return 201, _agreements().get(pk=agreement.pk)


# Barriers -----------------------------------------------------------------------------------------


class BarrierOut(Schema):
    id: int
    city: CityRef
    category: BarrierCategory
    category_label: str
    title: str
    description: str
    source_name: str
    source_url: str
    effective_date: dt.date | None
    status: BarrierStatus
    url: str

    @staticmethod
    def resolve_category_label(obj: Barrier) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_url(obj: Barrier) -> str:
        return obj.get_absolute_url()


BarrierParams = list_params(BarrierFilterSet, "BarrierListParams")


@router.get("/barriers", response={200: page_schema(BarrierOut), **ERRORS_READ}, url_name="barrier_list", tags=["hidden barriers"])
def list_barriers(request: ApiRequest, params: Query[BarrierParams]) -> Any:  # type: ignore[valid-type]
    """The hidden-barriers register (隐性壁垒): filter by ``city`` (id, code or name), ``category``, ``status``, ``q``."""
    return filtered_page(request, Barrier.objects.select_related("city").restrict(request.auth, VIEW), params)


class CategoryOut(Schema):
    category: str
    label: str
    state: str = Field(..., description="both, left_only, right_only or neither (counting rules in force or under revision).")
    differs: bool
    left: list[BarrierOut]
    right: list[BarrierOut]


class CompareOut(Schema):
    left: CityRef
    right: CityRef
    differences: int
    categories: list[CategoryOut]


class CompareParams(Schema):
    left: Annotated[str, Field(min_length=1, max_length=40, description="City id, GB/T 2260 code or name.")]
    right: Annotated[str, Field(min_length=1, max_length=40, description="City id, GB/T 2260 code or name.")]


@router.get("/barriers/compare", response={200: CompareOut, **ERRORS_READ}, url_name="barrier_compare", tags=["hidden barriers"])
def compare_barriers(request: ApiRequest, params: Query[CompareParams]) -> Any:
    """Two cities side by side, category by category; ``differs`` marks where only one has a rule in force."""
    cities = {}
    for name in ("left", "right"):
        city = resolve_city(getattr(params, name))
        if city is None:
            raise ApiError.field(name, _("Unknown city: {city}.").format(city=getattr(params, name)), "unknown_city")
        cities[name] = city
    rows = selectors_sharing.compare_cities(cities["left"], cities["right"])
    return {
        "left": cities["left"],
        "right": cities["right"],
        "differences": sum(1 for r in rows if r.differs),
        "categories": [
            {"category": r.category, "label": str(r.label), "state": r.state, "differs": r.differs, "left": r.left, "right": r.right}
            for r in rows
        ],
    }


class CitedOut(Schema):
    barrier: BarrierOut
    cases: int
    linked_cases: list[int]
    derived_cases: list[int]


class CitedParams(Schema):
    city: Annotated[str, Field(max_length=40)] | None = None
    limit: Annotated[int, Field(ge=1, le=100)] = 20


@router.get("/barriers/cited", response={200: list[CitedOut], **ERRORS_READ}, url_name="barrier_cited", tags=["hidden barriers"])
def cited_barriers(request: ApiRequest, params: Query[CitedParams]) -> Any:
    """Barriers ranked by the cases that stalled on them (linked cases, and policy-lost cases whose note names the category)."""
    city = None
    if params.city:
        city = resolve_city(params.city)
        if city is None:
            raise ApiError.field("city", _("Unknown city: {city}.").format(city=params.city), "unknown_city")
    return [
        {"barrier": c.barrier, "cases": c.count, "linked_cases": sorted(c.linked), "derived_cases": sorted(c.derived)}
        for c in selectors_sharing.cited_barriers(limit=params.limit, city=city)
    ]


@router.get("/barriers/{id}", response={200: BarrierOut, **ERRORS_READ}, url_name="barrier_detail", tags=["hidden barriers"])
def get_barrier(request: ApiRequest, id: int) -> Any:
    return get_visible(Barrier.objects.select_related("city"), id, request.auth)


class BarrierIn(InSchema):
    city: Id
    category: BarrierCategory
    title: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(min_length=1, max_length=10000)]
    source_name: Annotated[str, Field(min_length=1, max_length=300)]
    source_url: Annotated[str, Field(max_length=500)] = ""
    effective_date: dt.date | None = None
    status: BarrierStatus = BarrierStatus.IN_FORCE


BarrierPatch = patch_schema(BarrierIn, "BarrierPatch")


def _barrier_refs(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(data, {"city": City.objects.all()})


@router.post("/barriers", response={201: BarrierOut, **ERRORS_WRITE}, url_name="barrier_list", tags=["hidden barriers"])
def create_barrier(request: ApiRequest, payload: BarrierIn) -> Any:
    """Add a barrier to the register (operators only)."""
    barrier = services.barrier_create(user=request.auth, data=_barrier_refs(sent(payload)), source="api")
    return 201, Barrier.objects.select_related("city").get(pk=barrier.pk)


@router.patch("/barriers/{id}", response={200: BarrierOut, **ERRORS_WRITE}, url_name="barrier_detail", tags=["hidden barriers"])
def update_barrier(request: ApiRequest, id: Id, payload: BarrierPatch) -> Any:  # type: ignore[valid-type]
    """Change a barrier (operators only); only the fields sent change."""
    barrier = get_visible(Barrier.objects.all(), id, request.auth)
    services.barrier_update(barrier, user=request.auth, data=_barrier_refs(sent(payload)), source="api")
    return Barrier.objects.select_related("city").get(pk=barrier.pk)


@router.delete("/barriers/{id}", response={204: None, **ERRORS_WRITE}, url_name="barrier_detail", tags=["hidden barriers"])
def delete_barrier(request: ApiRequest, id: Id) -> Any:
    """Remove a barrier from the register (operators only)."""
    barrier = get_visible(Barrier.objects.all(), id, request.auth)
    services.barrier_delete(barrier, user=request.auth, source="api")
    return 204, None
