from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from corridor.core.filtersets import BaseFilterSet
from corridor.orgs.choices import OrganizationSize, OrganizationType
from corridor.orgs.models import Organization


class OrganizationFilterSet(BaseFilterSet):
    search_fields = ("name", "name_en", "credit_code", "description")

    type = django_filters.ChoiceFilter(choices=OrganizationType.choices, label=_("Type"))
    size = django_filters.ChoiceFilter(choices=OrganizationSize.choices, label=_("Size"))
    province = django_filters.CharFilter(field_name="city__province", label=_("Province"))

    class Meta:
        model = Organization
        fields = ["q", "type", "size", "city", "province", "industry"]
