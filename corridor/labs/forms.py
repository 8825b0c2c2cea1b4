"""Web forms of the shared laboratories. They only shape input; the services check the rules and save."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import StyledFormMixin, cities_corridor_first, owner_queryset, style_form
from corridor.core.permissions import is_operator, member_org_ids
from corridor.labs.choices import Weekday
from corridor.labs.models import Instrument, minutes_label
from corridor.labs.services import OpeningPeriodInput
from corridor.orgs.models import Organization

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 900}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")


def parse_spans(text: str) -> list[tuple[int, int]]:
    """“09:00-12:00, 13:00-18:00” → [(540, 720), (780, 1080)]; 24:00 ends the day."""
    spans = []
    for part in re.split(r"[,，;；]", text or ""):
        if not part.strip():
            continue
        m = SPAN.match(part)
        if not m:
            raise ValidationError(_("Write opening hours like 09:00-12:00, 13:00-18:00."), code="bad_hours")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if m1 >= 60 or m2 >= 60 or start >= end or end > 24 * 60:
            raise ValidationError(_("Write opening hours like 09:00-12:00, 13:00-18:00."), code="bad_hours")
        spans.append((start, end))
    return spans


class InstrumentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Instrument
        fields = [
            "organization", "kind", "name", "model_name", "manufacturer", "category", "city", "address", "room",
            "capabilities", "min_booking_minutes", "max_booking_minutes", "lead_time_hours", "cancel_cutoff_hours",
            "price_own", "price_corridor", "price_outside", "market_price", "qualification_required",
            "approval_required", "status", "contact_name", "contact_email",
        ]
        widgets = {"capabilities": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, instance: Instrument | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, instance=instance, **kwargs)
        self.fields["organization"].queryset = owner_queryset(user)  # type: ignore[attr-defined]
        self.fields["city"].queryset = cities_corridor_first()  # type: ignore[attr-defined]
        self.fields["city"].required = False
        for day in Weekday:
            initial = ""
            if instance is not None and instance.pk:
                initial = ", ".join(
                    f"{minutes_label(p.start_minute)}-{minutes_label(p.end_minute)}"
                    for p in instance.opening_periods.all()
                    if p.weekday == day.value
                )
            elif day.value < 5:
                initial = "09:00-12:00, 13:00-17:30"
            self.fields[f"hours_{day.value}"] = forms.CharField(
                label=day.label, required=False, initial=initial, max_length=200,
                help_text=_("e.g. 09:00-12:00, 13:00-18:00; empty = closed") if day.value == 0 else "",
            )
        style_form(self)

    def opening_periods(self) -> list[OpeningPeriodInput]:
        """The weekly hours typed in (call after is_valid(): the spans are already checked)."""
        periods = []
        for day in Weekday:
            spans = parse_spans(self.cleaned_data.get(f"hours_{day.value}", ""))
            periods += [OpeningPeriodInput(day.value, s, e) for s, e in spans]
        return periods

    def instrument_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day in Weekday:
            try:
                parse_spans(cleaned.get(f"hours_{day.value}", ""))
            except ValidationError as exc:
                self.add_error(f"hours_{day.value}", exc)
        return cleaned

    def _post_clean(self) -> None:
        # Model validation runs in the service (which needs the resource it creates); skip it here.
        pass


class BookingForm(StyledFormMixin, forms.Form):
    start = forms.DateTimeField(label=_("start"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    end = forms.DateTimeField(label=_("end"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    organization = forms.ModelChoiceField(
        label=_("for organisation"), queryset=Organization.objects.none(), required=False, empty_label=_("(first of mine)")
    )
    purpose = forms.CharField(label=_("purpose"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if is_operator(user):
            qs = Organization.objects.all()
        else:
            qs = Organization.objects.filter(pk__in=member_org_ids(user))
        self.fields["organization"].queryset = qs.order_by("name")  # type: ignore[attr-defined]
        style_form(self)


class BlockForm(StyledFormMixin, forms.Form):
    start = forms.DateTimeField(label=_("start"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    end = forms.DateTimeField(label=_("end"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    reason = forms.CharField(label=_("reason"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class UsageForm(StyledFormMixin, forms.Form):
    actual_start = forms.DateTimeField(label=_("actual start"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    actual_end = forms.DateTimeField(label=_("actual end"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS)
    report = forms.CharField(label=_("usage report"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class UtilisationForm(forms.Form):
    start = forms.DateField(label=_("from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    group_by = forms.ChoiceField(
        label=_("group by"),
        required=False,
        choices=[("month", _("month")), ("city", _("city")), ("organization", _("institution")), ("instrument", _("instrument"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
