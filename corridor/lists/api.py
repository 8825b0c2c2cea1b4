"""JSON API of the three lists: ``/api/v1/resources``, ``/api/v1/demands``, ``/api/v1/cooperations``.

Every write goes through ``corridor.lists.services`` (permissions, validation, history as in the
web UI). Confidential demands (confidentiality "summary") show their details only to
``Demand.details_visible_to`` readers — in lists, detail pages and change history alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
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
    fast_detail,
    fast_page,
    field_names,
    filtered_page,
    get_visible,
    history_page,
    list_params,
    page_schema,
    patch_schema,
    resolve_refs,
    schema_row,
    sent,
    url_of,
)
from corridor.api.errors import ApiError
from corridor.core.history import history_for
from corridor.core.models import ChangeRecord
from corridor.core.permissions import VIEW, is_operator, member_org_ids
from corridor.lists import services
from corridor.lists.choices import (
    Confidentiality,
    CooperationStage,
    CooperationType,
    DemandStatus,
    EvidenceKind,
    FeeBasis,
    OpenTo,
    PartyRole,
    ResourceKind,
    ResourceStatus,
)
from corridor.lists.filtersets import CooperationFilterSet, DemandFilterSet, ResourceFilterSet
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource, ResourceEvidence
from corridor.orgs.api import OrganizationRef
from corridor.orgs.models import Organization
from corridor.regions.api import CityRef, IndustryRef
from corridor.regions.models import City, Industry

router = Router(tags=["lists"])

TRL = Annotated[int, Field(ge=1, le=9)]
Year = Annotated[int, Field(ge=1000, le=2999)]


# Resources -------------------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    text: str
    reference: str
    year: int | None


class EvidenceIn(InSchema):
    kind: EvidenceKind
    title: str
    text: str = ""
    reference: str = ""
    year: Year | None = None


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    owner: OrganizationRef
    city: CityRef
    industries: list[IndustryRef]
    description: str
    trl_min: int
    trl_max: int
    open_to: str
    fee_basis: str
    status: str
    contact_name: str
    contact_phone: str
    contact_email: str
    public: bool
    evidence: list[EvidenceOut]
    created: Any
    updated: Any
    history_url: str

    @staticmethod
    def resolve_history_url(obj: Resource) -> str:
        return reverse("api:resource_history", args=[obj.pk])


class ResourceIn(InSchema):
    kind: ResourceKind
    name: str
    owner: Id = Field(..., description="Id of the owning organisation (one you act for).")
    city: Id | None = Field(None, description="City id; defaults to the owner's city.")
    industries: list[Id] = []
    description: str
    trl_min: TRL = 1
    trl_max: TRL = 9
    open_to: OpenTo = OpenTo.EVERYONE
    fee_basis: FeeBasis = FeeBasis.NEGOTIABLE
    status: ResourceStatus = ResourceStatus.AVAILABLE
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    public: bool = True
    evidence: list[EvidenceIn] | None = Field(None, description="Replaces all evidence entries when sent.")


ResourcePatch = patch_schema(ResourceIn, "ResourcePatch")
ResourceParams = list_params(ResourceFilterSet, "ResourceListParams")


def _resources() -> Any:
    return Resource.objects.select_related("owner", "city").prefetch_related("industries", "evidence")


# The lean read path (crud.fast_page): the same JSON as ResourceOut / DemandOut from values() rows.

_REF_COLUMNS = ("owner__name", "owner__name_en", "city__code", "city__short_name", "city__name_en")


def _refs(row: dict[str, Any]) -> dict[str, Any]:
    """The nested owner and city of a values() row, as OrganizationRef and CityRef render them."""
    return {
        "owner": {"id": row["owner_id"], "name": row["owner__name"], "name_en": row["owner__name_en"]},
        "city": {"id": row["city_id"], "code": row["city__code"], "name": row["city__short_name"], "name_en": row["city__name_en"]},
    }


def _industry_refs(through: Any, column: str, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """IndustryRef dicts of each object in ``ids`` (in Industry's own order), from one query of the m2m table."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not ids:
        return out
    rows = (
        through.objects.filter(**{f"{column}__in": ids})
        .order_by("industry__scheme", "industry__code")
        .values_list(column, "industry_id", "industry__scheme", "industry__code", "industry__name", "industry__name_en")
    )
    for owner, pk, scheme, code, name, name_en in rows:
        out.setdefault(owner, []).append({"id": pk, "scheme": scheme, "code": code, "name": name, "name_en": name_en})
    return out


_RESOURCE_COLUMNS = tuple(
    name for name in ResourceOut.model_fields if name not in ("owner", "city", "industries", "evidence", "history_url")
) + ("owner_id", "city_id", *_REF_COLUMNS)


def resource_rows(qs: Any) -> list[dict[str, Any]]:
    """ResourceOut dicts of the resources in ``qs`` (already restricted and sliced), in its order: 3 queries."""
    rows = list(qs.select_related(None).prefetch_related(None).values(*_RESOURCE_COLUMNS))
    ids = [r["id"] for r in rows]
    industries = _industry_refs(Resource.industries.through, "resource_id", ids)
    evidence: dict[int, list[dict[str, Any]]] = {}
    if ids:
        fields = field_names(EvidenceOut)
        for e in ResourceEvidence.objects.filter(resource_id__in=ids).order_by("kind", "id").values("resource_id", *fields):
            evidence.setdefault(e["resource_id"], []).append({name: e[name] for name in fields})
    base = url_of("api:resource_list")
    return [
        schema_row(
            ResourceOut,
            {
                **r,
                **_refs(r),
                "industries": industries.get(r["id"], []),
                "evidence": evidence.get(r["id"], []),
                "history_url": f"{base}/{r['id']}/history",
            },
        )
        for r in rows
    ]


def _resource_write(data: dict[str, Any]) -> tuple[dict[str, Any], list[services.EvidenceInput] | None]:
    evidence = data.pop("evidence", None)
    resolve_refs(
        data, {"owner": Organization.objects.all(), "city": City.objects.all(), "industries": Industry.objects.all()}
    )
    rows = None if evidence is None else [services.EvidenceInput(**e) for e in evidence]
    return data, rows


@router.get("/resources", response={200: page_schema(ResourceOut), **ERRORS_READ}, url_name="resource_list", tags=["resources"])
def list_resources(request: ApiRequest, params: Query[ResourceParams]) -> Any:  # type: ignore[valid-type]
    """Resources: laboratories, technology centres, pilot platforms, instruments, expert teams, patents."""
    return fast_page(request, Resource.objects.restrict(request.auth, VIEW), params, resource_rows)


@router.post("/resources", response={201: ResourceOut, **ERRORS_WRITE}, url_name="resource_list", tags=["resources"])
def create_resource(request: ApiRequest, payload: ResourceIn) -> Any:
    data, evidence = _resource_write(sent(payload))
    resource = services.resource_create(user=request.auth, data=data, evidence=evidence, source="api")
    return 201, _resources().get(pk=resource.pk)


@router.get("/resources/{id}", response={200: ResourceOut, **ERRORS_READ}, url_name="resource_detail", tags=["resources"])
def get_resource(request: ApiRequest, id: Id) -> Any:
    return fast_detail(Resource.objects.all(), id, request.auth, resource_rows)


@router.patch("/resources/{id}", response={200: ResourceOut, **ERRORS_WRITE}, url_name="resource_detail", tags=["resources"])
def update_resource(request: ApiRequest, id: Id, payload: ResourcePatch) -> Any:  # type: ignore[valid-type]
    resource = get_visible(_resources(), id, request.auth)
    data, evidence = _resource_write(sent(payload))
    services.resource_update(resource, user=request.auth, data=data, evidence=evidence, source="api")
    return _resources().get(pk=resource.pk)


@router.delete("/resources/{id}", response={204: None, **ERRORS_WRITE}, url_name="resource_detail", tags=["resources"])
def delete_resource(request: ApiRequest, id: Id) -> Any:
    services.resource_delete(get_visible(Resource.objects.all(), id, request.auth), user=request.auth, source="api")
    return 204, None


@router.get("/resources/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="resource_history", tags=["resources"])
def resource_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(get_visible(Resource.objects.all(), id, request.auth), params)


# Demands ---------------------------------------------------------------------------------------

# Shown only to readers for whom Demand.details_visible_to() holds when the demand is confidential.
DEMAND_DETAIL_FIELDS = ("description", "trl_desired", "budget_min", "budget_max", "deadline", "assigned_managers")


def _details(obj: Demand, value: Any) -> Any:
    # Fails closed: an object nobody marked as visible shows no details.
    return value if getattr(obj, "_details_visible", False) else None


class DemandOut(Schema):
    id: int
    title: str
    summary: str
    owner: OrganizationRef
    city: CityRef
    industries: list[IndustryRef]
    confidentiality: str
    status: str
    published_at: Any
    details_visible: bool = Field(description="False when the details of a confidential demand are withheld from you.")
    description: str | None
    trl_desired: int | None
    budget_min: Decimal | None
    budget_max: Decimal | None
    deadline: date | None
    assigned_managers: list[int] | None
    created: Any
    updated: Any
    history_url: str

    @staticmethod
    def resolve_details_visible(obj: Demand) -> bool:
        return bool(getattr(obj, "_details_visible", False))

    @staticmethod
    def resolve_description(obj: Demand) -> str | None:
        return _details(obj, obj.description)

    @staticmethod
    def resolve_trl_desired(obj: Demand) -> int | None:
        return _details(obj, obj.trl_desired)

    @staticmethod
    def resolve_budget_min(obj: Demand) -> Decimal | None:
        return _details(obj, obj.budget_min)

    @staticmethod
    def resolve_budget_max(obj: Demand) -> Decimal | None:
        return _details(obj, obj.budget_max)

    @staticmethod
    def resolve_deadline(obj: Demand) -> date | None:
        return _details(obj, obj.deadline)

    @staticmethod
    def resolve_assigned_managers(obj: Demand) -> list[int] | None:
        return _details(obj, [u.pk for u in obj.assigned_managers.all()])

    @staticmethod
    def resolve_history_url(obj: Demand) -> str:
        return reverse("api:demand_history", args=[obj.pk])


class DemandIn(InSchema):
    owner: Id = Field(..., description="Id of the posting organisation (one you act for).")
    title: str
    summary: str = ""
    description: str
    industries: list[Id] = []
    city: Id | None = Field(None, description="City id; defaults to the owner's city.")
    trl_desired: TRL | None = None
    budget_min: Money | None = None
    budget_max: Money | None = None
    deadline: date | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    status: DemandStatus | None = Field(None, description="draft (default) or published; on PATCH, a workflow move.")


class TransitionIn(InSchema):
    to: DemandStatus


DemandPatch = patch_schema(DemandIn, "DemandPatch")
DemandParams = list_params(DemandFilterSet, "DemandListParams")


def _demands() -> Any:
    return Demand.objects.select_related("owner", "city").prefetch_related("industries", "assigned_managers")


def details_visible_ids(
    demands: Iterable[tuple[int, int, bool]], user: Any, managers: Mapping[int, Iterable[int]] | None = None
) -> set[int]:
    """The ids among ``(pk, owner_id, is_confidential)`` whose details ``user`` may see, as
    ``Demand.details_visible_to`` decides for one demand: not confidential, or the reader is an
    operator, a member of the owner or an assigned technology manager. ``managers`` (demand id →
    assigned user ids), when the caller has it, saves the one query on the assignments."""
    demands = list(demands)
    visible = {pk for pk, _owner, confidential in demands if not confidential}
    confidential = [(pk, owner) for pk, owner, is_conf in demands if is_conf]
    if not confidential:
        return visible
    if is_operator(user):
        return visible | {pk for pk, _owner in confidential}
    orgs = member_org_ids(user)
    visible |= {pk for pk, owner in confidential if owner in orgs}
    uid = getattr(user, "pk", None)
    rest = [pk for pk, _owner in confidential if pk not in visible]
    if uid is not None and rest:
        if managers is None:
            through = Demand.assigned_managers.through
            visible |= set(through.objects.filter(user_id=uid, demand_id__in=rest).values_list("demand_id", flat=True))
        else:
            visible |= {pk for pk in rest if uid in managers.get(pk, ())}
    return visible


_DEMAND_COLUMNS = tuple(
    name
    for name in DemandOut.model_fields
    if name not in ("owner", "city", "industries", "details_visible", "assigned_managers", "history_url")
) + ("owner_id", "city_id", *_REF_COLUMNS)


def demand_rows(qs: Any, user: Any) -> list[dict[str, Any]]:
    """DemandOut dicts of the demands in ``qs`` (already restricted and sliced), in its order, with the
    details of confidential demands withheld as ``details_visible_ids`` decides: 3 queries."""
    rows = list(qs.select_related(None).prefetch_related(None).values(*_DEMAND_COLUMNS))
    ids = [r["id"] for r in rows]
    industries = _industry_refs(Demand.industries.through, "demand_id", ids)
    managers: dict[int, list[int]] = {}
    if ids:
        through = Demand.assigned_managers.through
        for demand_id, user_id in through.objects.filter(demand_id__in=ids).order_by("user_id").values_list("demand_id", "user_id"):
            managers.setdefault(demand_id, []).append(user_id)
    cleared = details_visible_ids(
        ((r["id"], r["owner_id"], r["confidentiality"] == Confidentiality.SUMMARY) for r in rows), user, managers
    )
    base = url_of("api:demand_list")
    out = []
    for r in rows:
        visible = r["id"] in cleared
        values = {
            **r,
            **_refs(r),
            "industries": industries.get(r["id"], []),
            "details_visible": visible,
            "assigned_managers": managers.get(r["id"], []),
            "history_url": f"{base}/{r['id']}/history",
        }
        if not visible:  # fails closed: every detail field is blanked unless visibility was established
            values.update(dict.fromkeys(DEMAND_DETAIL_FIELDS))
        out.append(schema_row(DemandOut, values))
    return out


def _demand_out(demand: Demand, user: Any) -> Demand:
    demand._details_visible = demand.details_visible_to(user)  # type: ignore[attr-defined]
    return demand


def _demand_write(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(
        data, {"owner": Organization.objects.all(), "city": City.objects.all(), "industries": Industry.objects.all()}
    )


def _redact_demand_history(records: Iterable[ChangeRecord]) -> None:
    """Drop the confidential detail fields from change records (marking the records as redacted)."""
    for record in records:
        kept = {k: v for k, v in record.changes.items() if k not in DEMAND_DETAIL_FIELDS}
        if len(kept) != len(record.changes):
            record.changes = kept
            record._redacted = True  # type: ignore[attr-defined]


def _ever_confidential(demand: Demand) -> bool:
    if demand.is_confidential:
        return True
    for changes in history_for(demand).values_list("changes", flat=True):
        value = changes.get("confidentiality")
        values = value if isinstance(value, list) else [value]
        if Confidentiality.SUMMARY in values:
            return True
    return False


@router.get("/demands", response={200: page_schema(DemandOut), **ERRORS_READ}, url_name="demand_list", tags=["demands"])
def list_demands(request: ApiRequest, params: Query[DemandParams]) -> Any:  # type: ignore[valid-type]
    """Demands: technology problems and linkage needs posted by enterprises."""
    return fast_page(request, Demand.objects.restrict(request.auth, VIEW), params, lambda qs: demand_rows(qs, request.auth))


@router.post("/demands", response={201: DemandOut, **ERRORS_WRITE}, url_name="demand_list", tags=["demands"])
def create_demand(request: ApiRequest, payload: DemandIn) -> Any:
    demand = services.demand_create(user=request.auth, data=_demand_write(sent(payload)), source="api")
    return 201, _demand_out(_demands().get(pk=demand.pk), request.auth)


@router.get("/demands/{id}", response={200: DemandOut, **ERRORS_READ}, url_name="demand_detail", tags=["demands"])
def get_demand(request: ApiRequest, id: Id) -> Any:
    return fast_detail(Demand.objects.all(), id, request.auth, lambda qs: demand_rows(qs, request.auth))


@router.patch("/demands/{id}", response={200: DemandOut, **ERRORS_WRITE}, url_name="demand_detail", tags=["demands"])
def update_demand(request: ApiRequest, id: Id, payload: DemandPatch) -> Any:  # type: ignore[valid-type]
    """Change the fields sent; ``status`` moves the demand along its workflow (409 if the move is not allowed)."""
    demand = get_visible(_demands(), id, request.auth)
    services.demand_update(demand, user=request.auth, data=_demand_write(sent(payload)), source="api")
    return _demand_out(_demands().get(pk=demand.pk), request.auth)


@router.post(
    "/demands/{id}/transition", response={200: DemandOut, **ERRORS_WRITE}, url_name="demand_transition", tags=["demands"]
)
def transition_demand(request: ApiRequest, id: Id, payload: TransitionIn) -> Any:
    """Move the demand to status ``to`` (draft → published → negotiating → cooperating → solved; closed)."""
    demand = get_visible(Demand.objects.all(), id, request.auth)
    services.demand_transition(demand, user=request.auth, to=str(payload.to), source="api")
    return _demand_out(_demands().get(pk=demand.pk), request.auth)


@router.delete("/demands/{id}", response={204: None, **ERRORS_WRITE}, url_name="demand_detail", tags=["demands"])
def delete_demand(request: ApiRequest, id: Id) -> Any:
    services.demand_delete(get_visible(Demand.objects.all(), id, request.auth), user=request.auth, source="api")
    return 204, None


@router.get("/demands/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="demand_history", tags=["demands"])
def demand_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    """Change records; while a demand is (or once was) confidential, changes of its details are left out
    for readers who may not see them."""
    demand = get_visible(Demand.objects.all(), id, request.auth)
    redact = None
    if _ever_confidential(demand) and not _may_see_confidential_details(demand, request.auth):
        redact = _redact_demand_history
    return history_page(demand, params, redact=redact)


def _may_see_confidential_details(demand: Demand, user: Any) -> bool:
    # Ask the model's own rule as if the demand were confidential now (an unsaved copy; nothing is written).
    probe = Demand(pk=demand.pk, owner_id=demand.owner_id, confidentiality=Confidentiality.SUMMARY)
    return probe.details_visible_to(user)


# Cooperation items -----------------------------------------------------------------------------


class PartyOut(Schema):
    organization: int
    organization_name: str
    city: int | None
    role: str

    @staticmethod
    def resolve_organization(obj: CooperationParty) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_organization_name(obj: CooperationParty) -> str:
        return obj.organization.name

    @staticmethod
    def resolve_city(obj: CooperationParty) -> int | None:
        return obj.organization.city_id


class PartyIn(InSchema):
    organization: Id
    role: PartyRole


class CooperationOut(Schema):
    id: int
    title: str
    description: str
    type: str
    stage: str
    contract_value: Decimal | None
    start_date: date | None
    end_date: date | None
    demand: int | None
    resources: list[int]
    industries: list[IndustryRef]
    public: bool
    rd_production_split: bool
    parties: list[PartyOut]
    created: Any
    updated: Any
    history_url: str

    @staticmethod
    def resolve_demand(obj: CooperationItem) -> int | None:
        return obj.demand_id

    @staticmethod
    def resolve_resources(obj: CooperationItem) -> list[int]:
        return [r.pk for r in obj.resources.all()]

    @staticmethod
    def resolve_history_url(obj: CooperationItem) -> str:
        return reverse("api:cooperation_history", args=[obj.pk])


class CooperationIn(InSchema):
    title: str
    description: str = ""
    type: CooperationType
    stage: CooperationStage = CooperationStage.NEGOTIATING
    contract_value: Money | None = None
    start_date: date | None = None
    end_date: date | None = None
    demand: Id | None = Field(None, description="Id of the demand it came from.")
    resources: list[Id] = []
    industries: list[Id] = []
    public: bool = True
    parties: list[PartyIn] = Field(
        ..., description="Two or more organisations in at least two cities; your organisation among them."
    )


CooperationPatch = patch_schema(CooperationIn, "CooperationPatch")
CooperationParams = list_params(CooperationFilterSet, "CooperationListParams")


def _cooperations() -> Any:
    # django-stubs cannot type Prefetch objects built from plain strings; the lookups are checked by the tests.
    parties: Any = Prefetch("parties", queryset=CooperationParty.objects.select_related("organization"))
    resources: Any = Prefetch("resources", queryset=Resource.objects.only("pk"))
    return CooperationItem.objects.prefetch_related(parties, "industries", resources)


def _cooperation_write(data: dict[str, Any], user: Any) -> tuple[dict[str, Any], list[services.PartyInput] | None]:
    parties = data.pop("parties", None)
    resolve_refs(
        data,
        {
            "demand": Demand.objects.restrict(user, "view"),
            "resources": Resource.objects.restrict(user, "view"),
            "industries": Industry.objects.all(),
        },
    )
    if parties is None:
        return data, None
    org_ids = [p["organization"] for p in parties]
    orgs = Organization.objects.in_bulk(org_ids)
    missing = [str(i) for i in org_ids if i not in orgs]
    if missing:
        raise ApiError.field("parties", _("Unknown organisation id(s): {ids}.").format(ids=", ".join(missing)), "unknown_id")
    return data, [services.PartyInput(organization=orgs[p["organization"]], role=p["role"]) for p in parties]


@router.get(
    "/cooperations", response={200: page_schema(CooperationOut), **ERRORS_READ}, url_name="cooperation_list", tags=["cooperations"]
)
def list_cooperations(request: ApiRequest, params: Query[CooperationParams]) -> Any:  # type: ignore[valid-type]
    """Cooperation items: concrete collaborations between parties in different cities."""
    return filtered_page(request, _cooperations().restrict(request.auth, "view"), params)


@router.post("/cooperations", response={201: CooperationOut, **ERRORS_WRITE}, url_name="cooperation_list", tags=["cooperations"])
def create_cooperation(request: ApiRequest, payload: CooperationIn) -> Any:
    data, parties = _cooperation_write(sent(payload), request.auth)
    item = services.cooperation_create(user=request.auth, data=data, parties=parties or [], source="api")
    return 201, _cooperations().get(pk=item.pk)


@router.get("/cooperations/{id}", response={200: CooperationOut, **ERRORS_READ}, url_name="cooperation_detail", tags=["cooperations"])
def get_cooperation(request: ApiRequest, id: Id) -> Any:
    return get_visible(_cooperations(), id, request.auth)


@router.patch(
    "/cooperations/{id}", response={200: CooperationOut, **ERRORS_WRITE}, url_name="cooperation_detail", tags=["cooperations"]
)
def update_cooperation(request: ApiRequest, id: Id, payload: CooperationPatch) -> Any:  # type: ignore[valid-type]
    """Change the fields sent; ``parties``, when sent, replaces all parties."""
    item = get_visible(_cooperations(), id, request.auth)
    data, parties = _cooperation_write(sent(payload), request.auth)
    services.cooperation_update(item, user=request.auth, data=data, parties=parties, source="api")
    return _cooperations().get(pk=item.pk)


@router.delete("/cooperations/{id}", response={204: None, **ERRORS_WRITE}, url_name="cooperation_detail", tags=["cooperations"])
def delete_cooperation(request: ApiRequest, id: Id) -> Any:
    item = get_visible(_cooperations(), id, request.auth)
    services.cooperation_delete(item, user=request.auth, source="api")
    return 204, None


@router.get(
    "/cooperations/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="cooperation_history", tags=["cooperations"]
)
def cooperation_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(get_visible(CooperationItem.objects.all(), id, request.auth), params)
