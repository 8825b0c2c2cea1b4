from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from corridor.core.filtersets import BaseFilterSet
from corridor.lists.choices import (
    Confidentiality,
    CooperationStage,
    CooperationType,
    DemandStatus,
    OpenTo,
    ResourceKind,
    ResourceStatus,
)
from corridor.lists.models import CooperationItem, Demand, Resource


class ResourceFilterSet(BaseFilterSet):
    search_fields = ("name", "description", "owner__name", "evidence__title")

    kind = django_filters.ChoiceFilter(choices=ResourceKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=ResourceStatus.choices, label=_("Status"))
    open_to = django_filters.ChoiceFilter(choices=OpenTo.choices, label=_("Open to"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("Owner organisation"))
    trl = django_filters.NumberFilter(method="filter_trl", label=_("Covers TRL"))

    class Meta:
        model = Resource
        fields = ["q", "kind", "status", "open_to", "city", "industry", "owner", "trl"]

    def filter_trl(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(trl_min__lte=value, trl_max__gte=value)


class DemandFilterSet(BaseFilterSet):
    search_fields = ("title", "summary", "owner__name")

    status = django_filters.ChoiceFilter(choices=DemandStatus.choices, label=_("Status"))
    confidentiality = django_filters.ChoiceFilter(choices=Confidentiality.choices, label=_("Confidentiality"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("Owner organisation"))
    # Budgets of confidential demands are details: a budget filter never matches them, or it
    # could be used to narrow down a hidden budget by bisection.
    budget_min = django_filters.NumberFilter(method="filter_budget_min", label=_("Budget at least (yuan)"))
    budget_max = django_filters.NumberFilter(method="filter_budget_max", label=_("Budget at most (yuan)"))

    class Meta:
        model = Demand
        fields = ["q", "status", "city", "industry", "owner", "confidentiality", "budget_min", "budget_max"]

    def term_q(self, term: str) -> Q:
        # Descriptions of confidential demands are never searched: a hit would leak their content.
        return super().term_q(term) | Q(description__icontains=term, confidentiality=Confidentiality.PUBLIC)


    def filter_budget_min(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(confidentiality=Confidentiality.PUBLIC, budget_max__gte=value)

    def filter_budget_max(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(confidentiality=Confidentiality.PUBLIC, budget_min__lte=value)


class CooperationFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "parties__organization__name")
    city_lookup = "parties__organization__city"

    type = django_filters.ChoiceFilter(choices=CooperationType.choices, label=_("Type"))
    stage = django_filters.ChoiceFilter(choices=CooperationStage.choices, label=_("Stage"))
    rd_production_split = django_filters.BooleanFilter(label=_("R&D in one city, production in another"))
    organization = django_filters.NumberFilter(field_name="parties__organization_id", label=_("Party"), distinct=True)

    class Meta:
        model = CooperationItem
        fields = ["q", "type", "stage", "city", "industry", "rd_production_split", "organization"]
