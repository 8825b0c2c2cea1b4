"""JSON API of the alliance: ``/api/v1/managers``, ``/api/v1/cases`` (stage moves as actions), ``/api/v1/consortia``.

Every write goes through ``corridor.brokers.services``; who sees which case is decided by
``Case.objects.restrict`` (operators all, managers their own, members their organisation's).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from corridor.api.auth import ApiRequest
from corridor.api.crud import (
    ERRORS_READ,
    ERRORS_WRITE,
    HistoryPage,
    HistoryParams,
    Id,
    InSchema,
    Money,
    filtered_page,
    get_visible,
    history_page,
    list_params,
    page_schema,
    patch_schema,
    resolve_refs,
    sent,
)
from corridor.api.errors import ApiError
from corridor.brokers import selectors, services
from corridor.brokers.choices import (
    ActivityKind,
    CasePartyRole,
    CaseStage,
    CertificationLevel,
    GoalKind,
    GoalStatus,
    LeadRole,
    LostReason,
    MemberRole,
    OutputKind,
)
from corridor.brokers.filtersets import CaseFilterSet, ConsortiumFilterSet, TechnologyManagerFilterSet
from corridor.brokers.models import (
    Case,
    CaseActivity,
    Consortium,
    ConsortiumGoal,
    ConsortiumOutput,
    TechnologyManager,
)
from corridor.core.permissions import VIEW
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.api import OrganizationRef
from corridor.orgs.models import Organization, User
from corridor.regions.api import CityRef, IndustryRef
from corridor.regions.models import City, Industry

router = Router(tags=["brokers"])

Text = Annotated[str, Field(max_length=5000)]
Title = Annotated[str, Field(min_length=1, max_length=200)]


# Managers --------------------------------------------------------------------------------------


class ManagerRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: TechnologyManager) -> str:
        return str(obj.user)


class ManagerOut(ManagerRef):
    username: str
    city: CityRef
    covered_cities: list[CityRef]
    organization: OrganizationRef | None
    industries: list[IndustryRef]
    expertise: str
    certification_level: str
    languages: list[str]
    years_of_practice: int
    active: bool

    @staticmethod
    def resolve_username(obj: TechnologyManager) -> str:
        return obj.user.username


class ManagerIn(InSchema):
    user: Id = Field(..., description="Id of the person to enrol.")
    city: Id
    covered_cities: list[Id] = []
    organization: Id | None = None
    industries: list[Id] = []
    expertise: Text = ""
    certification_level: CertificationLevel = CertificationLevel.JUNIOR
    languages: list[Annotated[str, Field(max_length=5)]] = ["zh"]
    years_of_practice: Annotated[int, Field(ge=0, le=80)] = 0
    active: bool = True


ManagerPatch = patch_schema(ManagerIn, "ManagerPatch")
ManagerParams = list_params(TechnologyManagerFilterSet, "ManagerListParams")


def _managers() -> Any:
    return TechnologyManager.objects.select_related("user", "city", "organization").prefetch_related("industries", "covered_cities")


def _manager_refs(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(
        data,
        {
            "city": City.objects.all(),
            "covered_cities": City.objects.all(),
            "organization": Organization.objects.all(),
            "industries": Industry.objects.all(),
        },
    )


@router.get("/managers", response={200: page_schema(ManagerOut), **ERRORS_READ}, url_name="manager_list", tags=["managers"])
def list_managers(request: ApiRequest, params: Query[ManagerParams]) -> Any:  # type: ignore[valid-type]
    """Technology managers of the alliance (active ones are public)."""
    return filtered_page(request, _managers().restrict(request.auth, VIEW), params)


@router.post("/managers", response={201: ManagerOut, **ERRORS_WRITE}, url_name="manager_list", tags=["managers"])
def create_manager(request: ApiRequest, payload: ManagerIn) -> Any:
    data = sent(payload)
    person = User.objects.filter(pk=data.pop("user")).first()
    if person is None:
        raise ApiError.field("user", _("Unknown id: {id}.").format(id=payload.user), "unknown_id")
    manager = services.technology_manager_create(user=request.auth, person=person, data=_manager_refs(data), source="api")
    return 201, _managers().get(pk=manager.pk)


class CoverageCell(Schema):
    city: str
    industry: str
    managers: list[int]


class CoverageOut(Schema):
    cities: list[CityRef]
    industries: list[IndustryRef]
    cells: list[CoverageCell]
    gaps: list[CoverageCell]


@router.get("/managers/coverage", response={200: CoverageOut, **ERRORS_READ}, url_name="manager_coverage", tags=["managers"])
def manager_coverage(request: ApiRequest) -> Any:
    """Which corridor city–industry pairs active managers cover, and the gaps where nobody does."""
    cov = selectors.alliance_coverage()
    cells = [
        {"city": c.short_name, "industry": i.code, "managers": cov.cells.get((c.pk, i.pk), [])}
        for c in cov.cities
        for i in cov.industries
    ]
    return {
        "cities": cov.cities,
        "industries": cov.industries,
        "cells": [c for c in cells if c["managers"]],
        "gaps": [c for c in cells if not c["managers"]],
    }


@router.get("/managers/{id}", response={200: ManagerOut, **ERRORS_READ}, url_name="manager_detail", tags=["managers"])
def get_manager(request: ApiRequest, id: Id) -> Any:
    return get_visible(_managers(), id, request.auth)


@router.patch("/managers/{id}", response={200: ManagerOut, **ERRORS_WRITE}, url_name="manager_detail", tags=["managers"])
def update_manager(request: ApiRequest, id: Id, payload: ManagerPatch) -> Any:  # type: ignore[valid-type]
    manager = get_visible(_managers(), id, request.auth)
    data = sent(payload)
    if "user" in data:
        raise ApiError.field("user", _("The person of a profile cannot change."), "read_only")
    services.technology_manager_update(manager, user=request.auth, data=_manager_refs(data), source="api")
    return _managers().get(pk=manager.pk)


# Cases -----------------------------------------------------------------------------------------


class CasePartyOut(Schema):
    organization: OrganizationRef
    role: str


class StageChangeOut(Schema):
    kind: str
    from_stage: str
    to_stage: str
    at: dt.datetime
    by: str | None
    note: str

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return str(obj.by) if obj.by_id else None


class ActivityOut(Schema):
    id: int
    kind: str
    occurred_on: dt.date
    title: str
    text: str
    by: str | None
    created: dt.datetime

    @staticmethod
    def resolve_by(obj: CaseActivity) -> str | None:
        return str(obj.by) if obj.by_id else None


class LinkOut(Schema):
    kind: str
    object_id: int
    label: str
    note: str

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class CaseOut(Schema):
    id: int
    title: str
    description: str
    stage: str
    stage_label: str
    demand: int | None = Field(None, alias="demand_id")
    cooperation: int | None = Field(None, alias="cooperation_id")
    resources: list[int]
    industries: list[IndustryRef]
    city: CityRef
    rd_city: CityRef | None
    production_city: CityRef | None
    cross_region: bool
    parties: list[CasePartyOut]
    lead_manager: ManagerRef | None
    helpers: list[ManagerRef]
    lost_at_stage: str
    lost_reason: str
    lost_note: str
    contract_value: Decimal | None
    opened_at: dt.datetime
    stage_entered_at: dt.datetime
    last_activity_at: dt.datetime
    history_url: str

    @staticmethod
    def resolve_stage_label(obj: Case) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_resources(obj: Case) -> list[int]:
        return [r.pk for r in obj.resources.all()]

    @staticmethod
    def resolve_cross_region(obj: Case) -> bool:
        return obj.is_cross_region

    @staticmethod
    def resolve_history_url(obj: Case) -> str:
        return reverse("api:case_history", args=[obj.pk])


class CaseDetailOut(CaseOut):
    stage_changes: list[StageChangeOut]
    activities: list[ActivityOut]
    links: list[LinkOut]


class CasePartyIn(InSchema):
    organization: Id
    role: CasePartyRole


class CaseIn(InSchema):
    title: Title
    description: Text = ""
    demand: Id | None = None
    cooperation: Id | None = None
    resources: list[Id] = []
    industries: list[Id] | None = Field(None, description="Defaults to the demand's (or cooperation item's) industries.")
    city: Id | None = Field(None, description="City of the need; defaults to the demand's city.")
    parties: list[CasePartyIn] | None = Field(None, description="Defaults to the demand owner, cooperation parties and resource owners.")


class AssignIn(InSchema):
    lead: Id
    helpers: list[Id] = []


class AdvanceIn(InSchema):
    to: CaseStage = Field(..., description="The next stage of the chain (and only that one).")
    note: Text = ""
    contract_value: Money | None = Field(None, description="Contract value in yuan, from the contract stage on.")


class CloseIn(InSchema):
    reason: LostReason
    note: Text = ""


class ReopenIn(InSchema):
    to: CaseStage
    note: Text


class ActivityIn(InSchema):
    kind: ActivityKind
    title: Title
    occurred_on: dt.date | None = None
    text: Text = ""


class LinkIn(InSchema):
    kind: Annotated[str, Field(max_length=60, description="app_label.model, e.g. market.challengecall, market.technologycontract, lists.resource")]
    object_id: Id
    note: Annotated[str, Field(max_length=300)] = ""


class SuggestionOut(Schema):
    manager: ManagerRef
    score: float
    industry: float
    text: float
    proximity: float
    load: float
    distance_km: float | None
    open_cases: float
    reasons: list[str]


CaseParams = list_params(CaseFilterSet, "CaseListParams")


def _cases() -> Any:
    return Case.objects.select_related(
        "city", "rd_city", "production_city", "lead_manager__user"
    ).prefetch_related("industries", "resources", "parties__organization", "helpers__user")


def _case_detail(pk: int) -> Case:
    return _cases().prefetch_related("stage_changes__by", "activities__by", "links__content_type").get(pk=pk)


def _visible_case(request: ApiRequest, id: int) -> Case:
    return get_visible(Case.objects.all(), id, request.auth)


@router.get("/cases", response={200: page_schema(CaseOut), **ERRORS_READ}, url_name="case_list", tags=["cases"])
def list_cases(request: ApiRequest, params: Query[CaseParams]) -> Any:  # type: ignore[valid-type]
    """Cases you may see: operators all, managers their own, members their organisation's.

    Cross-region filters: ``rd_province=上海&production_province=江苏`` gives the 上海研发—江苏制造 cases.
    """
    return filtered_page(request, _cases().restrict(request.auth, VIEW), params)


@router.post("/cases", response={201: CaseDetailOut, **ERRORS_WRITE}, url_name="case_list", tags=["cases"])
def open_case(request: ApiRequest, payload: CaseIn) -> Any:
    data = sent(payload)
    parties = data.pop("parties", None)
    resolve_refs(
        data,
        {
            "demand": Demand.objects.restrict(request.auth, VIEW),
            "cooperation": CooperationItem.objects.restrict(request.auth, VIEW),
            "resources": Resource.objects.restrict(request.auth, VIEW),
            "industries": Industry.objects.all(),
            "city": City.objects.all(),
        },
    )
    if parties is not None:
        orgs = Organization.objects.in_bulk([p["organization"] for p in parties])
        missing = [str(p["organization"]) for p in parties if p["organization"] not in orgs]
        if missing:
            raise ApiError.field("parties", _("Unknown id(s): {ids}.").format(ids=", ".join(missing)), "unknown_id")
        parties = [services.CasePartyInput(orgs[p["organization"]], p["role"]) for p in parties]
    case = services.case_open(user=request.auth, parties=parties, source="api", **data)
    return 201, _case_detail(case.pk)


class FunnelRow(Schema):
    stage: str
    label: str
    reached: int
    to_next: float | None


class MedianRow(Schema):
    stage: str
    label: str
    median_days: float | None
    stays: int


class GroupRow(Schema):
    id: int | None
    name: str
    cases: int
    landed: int
    signed: int
    contract_value: Decimal


class KpiOut(Schema):
    cases: int
    open: int
    landed: int
    lost: int
    contract_value: Decimal
    funnel: list[FunnelRow]
    median_days: list[MedianRow]
    by_manager: list[GroupRow]
    by_city: list[GroupRow]
    by_industry: list[GroupRow]


@router.get("/cases/kpis", response={200: KpiOut, **ERRORS_READ}, url_name="case_kpis", tags=["cases"])
def case_kpis(request: ApiRequest, params: Query[CaseParams]) -> Any:  # type: ignore[valid-type]
    """Conversion funnel, median days per stage, landed cases and contract value per manager, city and industry,
    over the cases you may see (and the filters given; ``limit``/``offset`` are ignored)."""
    values = params.model_dump()  # type: ignore[attr-defined]
    values.pop("limit"), values.pop("offset")
    data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items() if v is not None}
    fs = CaseFilterSet(data=data, queryset=Case.objects.restrict(request.auth, VIEW), request=request)
    if not fs.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(fs.errors.as_data())
    return selectors.case_kpis(fs.qs)


@router.get("/cases/alerts", response={200: list[CaseOut], **ERRORS_READ}, url_name="case_alerts", tags=["cases"])
def case_alerts(request: ApiRequest, days: Annotated[int | None, Field(ge=1, le=3650)] = None) -> Any:
    """Open cases you may change with no activity for ``days`` days (default: the platform setting, 14)."""
    if not request.auth.is_authenticated:
        raise ApiError(401, "not_authenticated", _("Sign in, or send an API token (Authorization: Bearer …), to do this."))
    return list(selectors.stale_cases(days=days, qs=_cases().restrict(request.auth, "change")))


@router.get("/cases/{id}", response={200: CaseDetailOut, **ERRORS_READ}, url_name="case_detail", tags=["cases"])
def get_case(request: ApiRequest, id: Id) -> Any:
    return _case_detail(_visible_case(request, id).pk)


@router.get("/cases/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="case_history", tags=["cases"])
def case_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(_visible_case(request, id), params)


@router.get(
    "/cases/{id}/suggestions", response={200: list[SuggestionOut], **ERRORS_READ}, url_name="case_suggestions", tags=["cases"]
)
def case_suggestions(request: ApiRequest, id: Id, limit: Annotated[int, Field(ge=1, le=50)] = 10) -> Any:
    """Managers ranked by expertise fit, proximity and open-case load, with the reasons (operators and the case's managers)."""
    case = _visible_case(request, id)
    if not services.case_can(request.auth, "change", case):
        raise Http404
    return selectors.suggest_managers(case, limit=limit)


@router.post("/cases/{id}/assign", response={200: CaseDetailOut, **ERRORS_WRITE}, url_name="case_assign", tags=["cases"])
def assign_case(request: ApiRequest, id: Id, payload: AssignIn) -> Any:
    case = _visible_case(request, id)
    data = resolve_refs(sent(payload), {"lead": TechnologyManager.objects.all(), "helpers": TechnologyManager.objects.all()})
    services.case_assign(case, user=request.auth, lead=data["lead"], helpers=data.get("helpers", []), source="api")
    return _case_detail(case.pk)


@router.post("/cases/{id}/advance", response={200: CaseDetailOut, **ERRORS_WRITE}, url_name="case_advance", tags=["cases"])
def advance_case(request: ApiRequest, id: Id, payload: AdvanceIn) -> Any:
    """Move the case to the next stage; a skipped or backward move is a 409 ``invalid_transition``."""
    case = _visible_case(request, id)
    services.case_advance(case, user=request.auth, to=payload.to, note=payload.note, contract_value=payload.contract_value, source="api")
    return _case_detail(case.pk)


@router.post("/cases/{id}/close", response={200: CaseDetailOut, **ERRORS_WRITE}, url_name="case_close", tags=["cases"])
def close_case(request: ApiRequest, id: Id, payload: CloseIn) -> Any:
    """Close the case as lost, with a reason from the fixed list and free text."""
    case = _visible_case(request, id)
    services.case_close_lost(case, user=request.auth, reason=payload.reason, note=payload.note, source="api")
    return _case_detail(case.pk)


@router.post("/cases/{id}/reopen", response={200: CaseDetailOut, **ERRORS_WRITE}, url_name="case_reopen", tags=["cases"])
def reopen_case(request: ApiRequest, id: Id, payload: ReopenIn) -> Any:
    """Operators only: put the case into any stage (back, or out of lost)."""
    case = _visible_case(request, id)
    services.case_reopen(case, user=request.auth, to=payload.to, note=payload.note, source="api")
    return _case_detail(case.pk)


@router.get("/cases/{id}/activities", response={200: list[ActivityOut], **ERRORS_READ}, url_name="case_activities", tags=["cases"])
def list_activities(request: ApiRequest, id: Id) -> Any:
    return list(_visible_case(request, id).activities.select_related("by"))


@router.post("/cases/{id}/activities", response={201: ActivityOut, **ERRORS_WRITE}, url_name="case_activities", tags=["cases"])
def log_activity(request: ApiRequest, id: Id, payload: ActivityIn) -> Any:
    case = _visible_case(request, id)
    return 201, services.activity_log(case, user=request.auth, **sent(payload))


@router.post("/cases/{id}/links", response={201: LinkOut, **ERRORS_WRITE}, url_name="case_links", tags=["cases"])
def link_case(request: ApiRequest, id: Id, payload: LinkIn) -> Any:
    """Link a technology contract, challenge call, resource, demand or cooperation item to the case."""
    case = _visible_case(request, id)
    target = services.resolve_link_target(payload.kind, payload.object_id)
    return 201, services.case_link_add(case, user=request.auth, target=target, note=payload.note)


# Consortia -------------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    organization: OrganizationRef
    role: str
    responsibilities: str
    joined_on: dt.date
    left_on: dt.date | None


class HistoryEventOut(Schema):
    on: dt.date
    event: str
    organization: OrganizationRef
    role: str

    @staticmethod
    def resolve_organization(obj: Any) -> Organization:
        return obj.member.organization

    @staticmethod
    def resolve_role(obj: Any) -> str:
        return obj.member.role


class GoalOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    status: str
    demands: list[int]

    @staticmethod
    def resolve_demands(obj: ConsortiumGoal) -> list[int]:
        return [d.pk for d in obj.demands.all()]


class OutputOut(Schema):
    id: int
    kind: str
    title: str
    reference: str
    description: str
    achieved_on: dt.date | None
    goal: int | None = Field(None, alias="goal_id")
    credited: list[OrganizationRef]
    adopters: list[OrganizationRef]
    adopter_count: int

    @staticmethod
    def resolve_adopter_count(obj: ConsortiumOutput) -> int:
        return len(obj.adopters.all())


class ConsortiumOut(Schema):
    id: int
    name: str
    name_en: str
    description: str
    industries: list[IndustryRef]
    lead: OrganizationRef
    lead_role: str
    launched_on: dt.date | None
    public: bool


class ConsortiumDetailOut(ConsortiumOut):
    members: list[MemberOut]
    membership_history: list[HistoryEventOut]
    goals: list[GoalOut]
    outputs: list[OutputOut]

    @staticmethod
    def resolve_membership_history(obj: Consortium) -> list[Any]:
        return selectors.membership_history(obj)


class ConsortiumIn(InSchema):
    name: Title
    name_en: Annotated[str, Field(max_length=200)] = ""
    description: Text = ""
    industries: list[Id] = []
    lead: Id
    lead_role: LeadRole
    launched_on: dt.date | None = None
    public: bool = True


ConsortiumPatch = patch_schema(ConsortiumIn, "ConsortiumPatch")
ConsortiumParams = list_params(ConsortiumFilterSet, "ConsortiumListParams")


class JoinIn(InSchema):
    organization: Id
    role: MemberRole | None = Field(None, description="Defaults from the organisation's type.")
    joined_on: dt.date | None = None
    responsibilities: Annotated[str, Field(max_length=300)] = ""


class LeaveIn(InSchema):
    left_on: dt.date | None = None


class GoalIn(InSchema):
    title: Title
    kind: GoalKind = GoalKind.KEY_PROBLEM
    description: Text = ""
    status: GoalStatus | None = None
    demands: list[Id] = []


class OutputIn(InSchema):
    kind: OutputKind
    title: Title
    credited: list[Id]
    reference: Annotated[str, Field(max_length=100)] = ""
    description: Text = ""
    achieved_on: dt.date | None = None
    adopters: list[Id] = []
    goal: Id | None = None
    city: Id | None = None


def _consortia() -> Any:
    return Consortium.objects.select_related("lead").prefetch_related("industries")


def _consortium_detail(pk: int) -> Consortium:
    return _consortia().prefetch_related(
        "members__organization", "goals__demands", "outputs__credited", "outputs__adopters"
    ).get(pk=pk)


def _consortium_refs(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(data, {"lead": Organization.objects.all(), "industries": Industry.objects.all()})


@router.get("/consortia", response={200: page_schema(ConsortiumOut), **ERRORS_READ}, url_name="consortium_list", tags=["consortia"])
def list_consortia(request: ApiRequest, params: Query[ConsortiumParams]) -> Any:  # type: ignore[valid-type]
    """Innovation consortia (创新联合体)."""
    return filtered_page(request, _consortia().restrict(request.auth, VIEW), params)


@router.post("/consortia", response={201: ConsortiumDetailOut, **ERRORS_WRITE}, url_name="consortium_list", tags=["consortia"])
def create_consortium(request: ApiRequest, payload: ConsortiumIn) -> Any:
    consortium = services.consortium_create(user=request.auth, data=_consortium_refs(sent(payload)), source="api")
    return 201, _consortium_detail(consortium.pk)


@router.get("/consortia/{id}", response={200: ConsortiumDetailOut, **ERRORS_READ}, url_name="consortium_detail", tags=["consortia"])
def get_consortium(request: ApiRequest, id: Id) -> Any:
    return _consortium_detail(get_visible(Consortium.objects.all(), id, request.auth).pk)


@router.patch("/consortia/{id}", response={200: ConsortiumDetailOut, **ERRORS_WRITE}, url_name="consortium_detail", tags=["consortia"])
def update_consortium(request: ApiRequest, id: Id, payload: ConsortiumPatch) -> Any:  # type: ignore[valid-type]
    consortium = get_visible(Consortium.objects.all(), id, request.auth)
    services.consortium_update(consortium, user=request.auth, data=_consortium_refs(sent(payload)), source="api")
    return _consortium_detail(consortium.pk)


@router.get("/consortia/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="consortium_history", tags=["consortia"])
def consortium_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(get_visible(Consortium.objects.all(), id, request.auth), params)


@router.post("/consortia/{id}/members", response={201: MemberOut, **ERRORS_WRITE}, url_name="consortium_members", tags=["consortia"])
def join_consortium(request: ApiRequest, id: Id, payload: JoinIn) -> Any:
    consortium = get_visible(Consortium.objects.all(), id, request.auth)
    data = resolve_refs(sent(payload), {"organization": Organization.objects.all()})
    return 201, services.consortium_member_join(consortium, user=request.auth, source="api", **data)


@router.post(
    "/consortia/{id}/members/{organization_id}/leave",
    response={200: MemberOut, **ERRORS_WRITE},
    url_name="consortium_member_leave",
    tags=["consortia"],
)
def leave_consortium(request: ApiRequest, id: Id, organization_id: Id, payload: LeaveIn) -> Any:
    consortium = get_visible(Consortium.objects.all(), id, request.auth)
    org = Organization.objects.filter(pk=organization_id).first()
    if org is None:
        raise Http404
    return services.consortium_member_leave(consortium, user=request.auth, organization=org, left_on=payload.left_on, source="api")


@router.post("/consortia/{id}/goals", response={201: GoalOut, **ERRORS_WRITE}, url_name="consortium_goals", tags=["consortia"])
def add_goal(request: ApiRequest, id: Id, payload: GoalIn) -> Any:
    consortium = get_visible(Consortium.objects.all(), id, request.auth)
    data = resolve_refs(sent(payload), {"demands": Demand.objects.restrict(request.auth, VIEW)})
    return 201, services.consortium_goal_add(consortium, user=request.auth, source="api", **data)


@router.post("/consortia/{id}/outputs", response={201: OutputOut, **ERRORS_WRITE}, url_name="consortium_outputs", tags=["consortia"])
def add_output(request: ApiRequest, id: Id, payload: OutputIn) -> Any:
    consortium = get_visible(Consortium.objects.all(), id, request.auth)
    data = resolve_refs(
        sent(payload),
        {
            "credited": Organization.objects.all(),
            "adopters": Organization.objects.all(),
            "goal": ConsortiumGoal.objects.filter(consortium=consortium),
            "city": City.objects.all(),
        },
    )
    output = services.consortium_output_add(consortium, user=request.auth, source="api", **data)
    return 201, ConsortiumOutput.objects.prefetch_related("credited", "adopters").get(pk=output.pk)

