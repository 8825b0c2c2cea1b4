"""Read-only JSON API of the reference data: cities and industries (``/api/v1/cities``, ``/api/v1/industries``)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema

from corridor.api.auth import ApiRequest
from corridor.api.crud import ERRORS_READ, Id, filtered_page, list_params, page_schema
from corridor.core.filtersets import BaseFilterSet
from corridor.regions.choices import CorridorMembership, IndustryScheme
from corridor.regions.models import City, Industry
from corridor.regions.selectors import resolve_city

router = Router(tags=["regions"])


# Filters (reference data has no web list pages, so its filtersets live with the API) ----------


class CityFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "name_en", "code", "province")
    industry = None  # type: ignore[assignment]  # cities carry no industries

    province = django_filters.CharFilter(field_name="province", label=_("Province"))
    corridor = django_filters.ChoiceFilter(choices=CorridorMembership.choices, label=_("Corridor membership"))

    class Meta:
        model = City
        fields = ["q", "city", "province", "corridor"]

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """``city=苏州`` (or an id or GB/T 2260 code) finds the city itself."""
        city = resolve_city(value)
        return queryset.filter(pk=city.pk) if city is not None else queryset.none()


class IndustryFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en")
    industry_lookup = "pk"  # ``industry=26`` gives the industry and all below it
    city = None  # type: ignore[assignment]

    scheme = django_filters.ChoiceFilter(choices=IndustryScheme.choices, label=_("Scheme"))
    level = django_filters.NumberFilter(field_name="level", label=_("Level"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent"))

    class Meta:
        model = Industry
        fields = ["q", "industry", "scheme", "level", "parent"]


# Schemas ----------------------------------------------------------------------------------------


class CityRef(Schema):
    id: int
    code: str
    name: str
    name_en: str

    @staticmethod
    def resolve_name(obj: City) -> str:
        return obj.short_name


class CityOut(CityRef):
    full_name: str
    province: str
    province_code: str
    area_code: str
    lon: float
    lat: float
    corridor: str

    @staticmethod
    def resolve_full_name(obj: City) -> str:
        return obj.name


class IndustryRef(Schema):
    id: int
    scheme: str
    code: str
    name: str
    name_en: str


class IndustryOut(IndustryRef):
    level: int
    parent: int | None
    description: str

    @staticmethod
    def resolve_parent(obj: Industry) -> int | None:
        return obj.parent_id


CityParams = list_params(CityFilterSet, "CityListParams")
IndustryParams = list_params(IndustryFilterSet, "IndustryListParams")


# Endpoints --------------------------------------------------------------------------------------


@router.get("/cities", response={200: page_schema(CityOut), **ERRORS_READ}, url_name="city_list")
def list_cities(request: ApiRequest, params: Query[CityParams]) -> Any:  # type: ignore[valid-type]
    """Cities of the Yangtze River Delta (GB/T 2260 codes, coordinates, corridor membership)."""
    return filtered_page(request, City.objects.all(), params)


@router.get("/cities/{id}", response={200: CityOut, **ERRORS_READ}, url_name="city_detail")
def get_city(request: ApiRequest, id: Id) -> Any:
    city = City.objects.filter(pk=id).first()
    if city is None:
        raise Http404
    return city


@router.get("/industries", response={200: page_schema(IndustryOut), **ERRORS_READ}, url_name="industry_list")
def list_industries(request: ApiRequest, params: Query[IndustryParams]) -> Any:  # type: ignore[valid-type]
    """Industries of GB/T 4754-2017 and of the strategic emerging industries (2018)."""
    return filtered_page(request, Industry.objects.all(), params)


@router.get("/industries/{id}", response={200: IndustryOut, **ERRORS_READ}, url_name="industry_detail")
def get_industry(request: ApiRequest, id: Id) -> Any:
    industry = Industry.objects.filter(pk=id).first()
    if industry is None:
        raise Http404
    return industry
