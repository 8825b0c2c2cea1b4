"""Filters of the case and manager lists, shared by the web pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from corridor.brokers.choices import OPEN_STAGES, CaseStage, CertificationLevel
from corridor.brokers.models import Case, Consortium, TechnologyManager
from corridor.core.filtersets import BaseFilterSet
from corridor.regions.selectors import resolve_city


def _province_q(prefix: str, value: str) -> Q:
    """A province by name with or without its suffix: 上海, 上海市, 江苏, 江苏省."""
    value = value.strip()
    return Q(**{f"{prefix}__province": value}) | Q(**{f"{prefix}__province__startswith": value.rstrip("省市")})


class CaseFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "demand__title")

    stage = django_filters.MultipleChoiceFilter(choices=CaseStage.choices, label=_("Stage"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open cases only"))
    manager = django_filters.NumberFilter(method="filter_manager", label=_("Technology manager"))
    rd_city = django_filters.CharFilter(method="filter_rd_city", label=_("R&D city"))
    production_city = django_filters.CharFilter(method="filter_production_city", label=_("Production city"))
    rd_province = django_filters.CharFilter(method="filter_rd_province", label=_("R&D province"))
    production_province = django_filters.CharFilter(method="filter_production_province", label=_("Production province"))
    cross_region = django_filters.BooleanFilter(method="filter_cross_region", label=_("R&D and production in different cities"))

    class Meta:
        model = Case
        fields = ["stage"]

    def filter_open(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(stage__in=OPEN_STAGES) if value else qs.exclude(stage__in=OPEN_STAGES)

    def filter_manager(self, qs: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(Q(lead_manager_id=value) | Q(helpers__id=value)).distinct()

    def _city(self, qs: QuerySet, field: str, value: str) -> QuerySet:
        city = resolve_city(value)
        return qs.none() if city is None else qs.filter(**{field: city})

    def filter_rd_city(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return self._city(qs, "rd_city", value)

    def filter_production_city(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return self._city(qs, "production_city", value)

    def filter_rd_province(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(_province_q("rd_city", value)) if value.strip() else qs

    def filter_production_province(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(_province_q("production_city", value)) if value.strip() else qs

    def filter_cross_region(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        split = Q(rd_city__isnull=False, production_city__isnull=False) & ~Q(rd_city=F("production_city"))
        return qs.filter(split) if value else qs.exclude(split)


class TechnologyManagerFilterSet(BaseFilterSet):
    search_fields = ("user__display_name", "user__username", "expertise")

    certification_level = django_filters.ChoiceFilter(choices=CertificationLevel.choices, label=_("Certification level"))
    active = django_filters.BooleanFilter(label=_("Active"))
    language = django_filters.CharFilter(method="filter_language", label=_("Language"))

    class Meta:
        model = TechnologyManager
        fields = ["certification_level", "active"]

    def filter_city(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        city = resolve_city(value)
        if city is None:
            return qs.none()
        return qs.filter(Q(city=city) | Q(covered_cities=city)).distinct()

    def filter_language(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip().lower()
        if not value:
            return qs
        # JSON containment is not portable to SQLite; the list is short, so match the quoted code.
        # values_list, not only(): the API's queryset select_related()s the user, which only() would defer.
        ids = [pk for pk, languages in qs.values_list("pk", "languages") if value in (languages or [])]
        return qs.filter(pk__in=ids)


class ConsortiumFilterSet(BaseFilterSet):
    search_fields = ("name", "name_en", "description", "lead__name")
    city_lookup = "lead__city"

    class Meta:
        model = Consortium
        fields = ["lead_role"]
