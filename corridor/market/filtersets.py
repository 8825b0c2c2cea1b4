"""Filters of the market's list pages and API list endpoints."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.core.filtersets import BaseFilterSet
from corridor.market.choices import CallStatus, ContractType, PolicyLevel, PolicyType, SpaceKind
from corridor.market.models import CarrierSpace, ChallengeCall, Policy, TechnologyContract
from corridor.regions.selectors import resolve_city


class CallFilterSet(BaseFilterSet):
    search_fields = ("title", "summary", "problem", "issuer__name")
    city_lookup = "issuer__city"

    status = django_filters.ChoiceFilter(choices=CallStatus.choices, label=_("Status"))
    issuer = django_filters.NumberFilter(field_name="issuer_id", label=_("Issuer"))
    accepting_bids = django_filters.BooleanFilter(method="filter_accepting", label=_("Accepting bids now"))

    class Meta:
        model = ChallengeCall
        fields = ["q", "status", "city", "industry", "issuer", "accepting_bids"]

    def filter_accepting(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        q = Q(status=CallStatus.OPEN, deadline__gt=timezone.now())
        return queryset.filter(q) if value else queryset.exclude(q)


class ContractFilterSet(BaseFilterSet):
    search_fields = ("title", "registration_number", "seller__name", "buyer__name")
    industry_lookup = "industry"

    contract_type = django_filters.ChoiceFilter(choices=ContractType.choices, label=_("Contract type"))
    organization = django_filters.NumberFilter(method="filter_org", label=_("Seller or buyer"))
    signed_from = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("Signed from"))
    signed_to = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Signed up to"))

    class Meta:
        model = TechnologyContract
        fields = ["q", "contract_type", "city", "industry", "organization", "signed_from", "signed_to"]

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        city = resolve_city(value)
        if city is None:
            return queryset.none()
        return queryset.filter(Q(seller__city=city) | Q(buyer__city=city))

    def filter_org(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(Q(seller_id=value) | Q(buyer_id=value))


class PolicyFilterSet(BaseFilterSet):
    search_fields = ("title", "issuer", "benefits", "document_number")

    level = django_filters.ChoiceFilter(choices=PolicyLevel.choices, label=_("Level"))
    type = django_filters.ChoiceFilter(choices=PolicyType.choices, label=_("Type"))
    province = django_filters.CharFilter(field_name="province", label=_("Province"))
    in_force = django_filters.BooleanFilter(method="filter_in_force", label=_("In force today"))

    class Meta:
        model = Policy
        fields = ["q", "level", "type", "city", "province", "in_force"]

    def filter_industry(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # policies name industries in their conditions, not as tags

    def filter_in_force(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        day = timezone.localdate()
        q = (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        return queryset.filter(q) if value else queryset.exclude(q)


class SpaceFilterSet(BaseFilterSet):
    search_fields = ("name", "address", "description")

    kind = django_filters.ChoiceFilter(choices=SpaceKind.choices, label=_("Kind"))
    min_area = django_filters.NumberFilter(field_name="available_area", lookup_expr="gte", label=_("Available area at least (m²)"))
    max_rent = django_filters.NumberFilter(field_name="rent_min", lookup_expr="lte", label=_("Rent from at most (yuan/m²/day)"))

    class Meta:
        model = CarrierSpace
        fields = ["q", "kind", "city", "industry", "min_area", "max_rent"]
