"""Filters of the agreements half's lists (barriers, agreements), shared by the web pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from corridor.insights.choices import BarrierCategory, BarrierStatus, SharingRule
from corridor.insights.models import Agreement, Barrier
from corridor.regions.selectors import resolve_city


class BarrierFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    city = django_filters.CharFilter(method="filter_city", label=_("City"))
    category = django_filters.ChoiceFilter(choices=BarrierCategory.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=BarrierStatus.choices, label=_("Status"))

    class Meta:
        model = Barrier
        fields = ["category", "status"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for term in (value or "").strip()[:200].split():
            queryset = queryset.filter(Q(title__icontains=term) | Q(description__icontains=term) | Q(source_name__icontains=term))
        return queryset

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        city = resolve_city(value)
        return queryset.filter(city=city) if city is not None else queryset.none()


class AgreementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    cooperation = django_filters.NumberFilter(field_name="cooperation_id", label=_("Cooperation item"))
    rule = django_filters.ChoiceFilter(choices=SharingRule.choices, label=_("Sharing rule"))
    latest = django_filters.BooleanFilter(method="filter_latest", label=_("Latest versions only"))

    class Meta:
        model = Agreement
        fields = ["rule"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for term in (value or "").strip()[:200].split():
            queryset = queryset.filter(Q(title__icontains=term) | Q(cooperation__title__icontains=term))
        return queryset

    def filter_latest(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        from django.db.models import Max, OuterRef, Subquery

        top = Agreement.objects.filter(cooperation_id=OuterRef("cooperation_id")).values("cooperation_id").annotate(m=Max("version")).values("m")
        return queryset.filter(version=Subquery(top))
