from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from corridor.security.choices import AuditKind
from corridor.security.models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("event"), choices=AuditKind.choices, empty_label=_("all events"))
    who = django_filters.CharFilter(method="filter_who", label=_("username"))
    ip = django_filters.CharFilter(field_name="ip", lookup_expr="startswith", label=_("IP address"))
    path = django_filters.CharFilter(field_name="path", lookup_expr="icontains", label=_("path"))
    since = django_filters.DateFilter(field_name="created", lookup_expr="date__gte", label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(field_name="created", lookup_expr="date__lte", label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_who(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()[:150]
        return queryset.filter(Q(username__icontains=value) | Q(details__account__icontains=value)) if value else queryset
