"""JSON API of organisations (``/api/v1/organizations``), through the services in ``corridor.orgs.services``."""

from __future__ import annotations

from typing import Annotated, Any

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from corridor.api.auth import ApiRequest
from corridor.api.crud import (
    ERRORS_READ,
    ERRORS_WRITE,
    HistoryPage,
    HistoryParams,
    Id,
    InSchema,
    filtered_page,
    get_visible,
    history_page,
    list_params,
    page_schema,
    patch_schema,
    resolve_refs,
    sent,
)
from corridor.orgs import services
from corridor.orgs.choices import OrganizationSize, OrganizationType
from corridor.orgs.filtersets import OrganizationFilterSet
from corridor.orgs.models import Organization
from corridor.regions.api import CityRef, IndustryRef
from corridor.regions.models import City, Industry

router = Router(tags=["organizations"])


class OrganizationRef(Schema):
    id: int
    name: str
    name_en: str


class OrganizationOut(OrganizationRef):
    type: str
    credit_code: str
    country: str
    city: CityRef | None
    industries: list[IndustryRef]
    size: str
    founded_year: int | None
    website: str
    description: str
    is_demo: bool
    created: Any
    updated: Any
    history_url: str

    @staticmethod
    def resolve_history_url(obj: Organization) -> str:
        return reverse("api:organization_history", args=[obj.pk])


class OrganizationIn(InSchema):
    name: str
    name_en: str = ""
    type: OrganizationType
    credit_code: str = Field("", description="Unified social credit code (18 characters, GB 32100-2015).")
    country: Annotated[str, Field(max_length=2)] = "CN"
    city: Id | None = Field(None, description="City id; required for organisations in China.")
    industries: list[Id] = []
    size: OrganizationSize | None = None
    founded_year: Annotated[int, Field(ge=1000, le=2999)] | None = None
    website: str = ""
    description: str = ""


OrganizationPatch = patch_schema(OrganizationIn, "OrganizationPatch")
OrganizationParams = list_params(OrganizationFilterSet, "OrganizationListParams")


def _refs(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("size", "") is None:
        data["size"] = ""
    return resolve_refs(data, {"city": City.objects.all(), "industries": Industry.objects.all()})


def _queryset() -> Any:
    return Organization.objects.select_related("city").prefetch_related("industries")


@router.get("/organizations", response={200: page_schema(OrganizationOut), **ERRORS_READ}, url_name="organization_list")
def list_organizations(request: ApiRequest, params: Query[OrganizationParams]) -> Any:  # type: ignore[valid-type]
    """Organisations: enterprises, universities, institutes, platforms … (all are public)."""
    return filtered_page(request, _queryset().restrict(request.auth, "view"), params)


@router.post("/organizations", response={201: OrganizationOut, **ERRORS_WRITE}, url_name="organization_list")
def create_organization(request: ApiRequest, payload: OrganizationIn) -> Any:
    """Register an organisation (platform operators only)."""
    org = services.organization_create(user=request.auth, data=_refs(sent(payload)), source="api")
    return 201, _queryset().get(pk=org.pk)


@router.get("/organizations/{id}", response={200: OrganizationOut, **ERRORS_READ}, url_name="organization_detail")
def get_organization(request: ApiRequest, id: Id) -> Any:
    return get_visible(_queryset(), id, request.auth)


@router.patch("/organizations/{id}", response={200: OrganizationOut, **ERRORS_WRITE}, url_name="organization_detail")
def update_organization(request: ApiRequest, id: Id, payload: OrganizationPatch) -> Any:  # type: ignore[valid-type]
    """Change the fields sent (members of the organisation and operators)."""
    org = get_visible(_queryset(), id, request.auth)
    services.organization_update(org, user=request.auth, data=_refs(sent(payload)), source="api")
    return _queryset().get(pk=org.pk)


@router.delete("/organizations/{id}", response={204: None, **ERRORS_WRITE}, url_name="organization_detail")
def delete_organization(request: ApiRequest, id: Id) -> Any:
    """Remove an organisation (operators only; refused with 409 while lists still refer to it)."""
    org = get_visible(_queryset(), id, request.auth)
    services.organization_delete(org, user=request.auth, source="api")
    return 204, None


@router.get("/organizations/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="organization_history")
def organization_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(get_visible(_queryset(), id, request.auth), params)
