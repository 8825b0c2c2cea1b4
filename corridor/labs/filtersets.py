"""Filters of the instrument and booking lists, shared by the web pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from corridor.core.filtersets import BaseFilterSet
from corridor.labs.choices import BookingStatus, InstrumentCategory, InstrumentKind, InstrumentStatus
from corridor.labs.models import Booking, Instrument


class InstrumentFilterSet(BaseFilterSet):
    search_fields = ("name", "model_name", "manufacturer", "capabilities", "organization__name")
    industry_lookup = "resource__industries"

    kind = django_filters.ChoiceFilter(choices=InstrumentKind.choices, label=_("Kind"))
    category = django_filters.ChoiceFilter(choices=InstrumentCategory.choices, label=_("Category"))
    status = django_filters.ChoiceFilter(choices=InstrumentStatus.choices, label=_("Status"))
    organization = django_filters.NumberFilter(field_name="organization_id", label=_("Owner organisation"))
    approval_required = django_filters.BooleanFilter(label=_("Approval required"))
    qualification_required = django_filters.BooleanFilter(label=_("Qualification required"))

    class Meta:
        model = Instrument
        fields = ["q", "kind", "category", "status", "city", "organization", "approval_required", "qualification_required"]


class BookingFilterSet(django_filters.FilterSet):
    instrument = django_filters.NumberFilter(field_name="instrument_id", label=_("Instrument"))
    status = django_filters.ChoiceFilter(choices=BookingStatus.choices, label=_("Status"))
    user = django_filters.NumberFilter(field_name="user_id", label=_("Booked by"))
    start_after = django_filters.IsoDateTimeFilter(field_name="end", lookup_expr="gt", label=_("Ends after"))
    start_before = django_filters.IsoDateTimeFilter(field_name="start", lookup_expr="lt", label=_("Starts before"))

    class Meta:
        model = Booking
        fields = ["instrument", "status", "user", "start_after", "start_before"]
