"""Web forms for organisations; the services decide who may save them."""

from __future__ import annotations

from django import forms

from corridor.core.forms import IndustryChoiceField, StyledFormMixin
from corridor.orgs.models import Organization


class OrganizationForm(StyledFormMixin, forms.ModelForm):
    industries = IndustryChoiceField()
    website = forms.URLField(label=Organization._meta.get_field("website").verbose_name, required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = [
            "name",
            "name_en",
            "type",
            "credit_code",
            "country",
            "city",
            "industries",
            "size",
            "founded_year",
            "website",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
