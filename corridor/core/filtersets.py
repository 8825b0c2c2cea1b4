"""Filter pieces shared by every list page and API list endpoint."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from corridor.regions.selectors import industry_subtree_ids, resolve_city, resolve_industry


class BaseFilterSet(django_filters.FilterSet):
    """``q`` searches the fields in ``search_fields``; ``city`` and ``industry`` accept ids, codes or names."""

    search_fields: tuple[str, ...] = ()
    city_lookup = "city"
    industry_lookup = "industries"

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    city = django_filters.CharFilter(method="filter_city", label=_("City"))
    industry = django_filters.CharFilter(method="filter_industry", label=_("Industry"))

    def term_q(self, term: str) -> Q:
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": term})
        return q

    def search_q(self, value: str) -> Q:
        """Every whitespace-separated term must match one of the search fields."""
        q = Q()
        for term in value.split():
            q &= self.term_q(term)
        return q

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(self.search_q(value[:200])).distinct()

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        city = resolve_city(value)
        if city is None:
            return queryset.none()
        qs = queryset.filter(**{self.city_lookup: city})
        # A direct foreign key cannot repeat rows; DISTINCT over every column (texts included) costs
        # the API list several ms on SQLite. Lookups through relations keep it.
        return qs.distinct() if "__" in self.city_lookup else qs

    def filter_industry(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        industry = resolve_industry(value)
        if industry is None:
            return queryset.none()
        ids = industry_subtree_ids(industry.pk)
        return queryset.filter(**{f"{self.industry_lookup}__in": ids}).distinct()
