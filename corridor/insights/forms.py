"""Forms of the agreements half: the benefit-sharing calculator, barriers and the city comparison.

The calculator form only checks the shape of the input; the rules (ratios summing to 100, limits of
the Shapley value, tax terms) live in ``corridor.insights.sharing`` and come back as field errors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import StyledFormMixin, cities_corridor_first
from corridor.insights import sharing
from corridor.insights.choices import SharingRule
from corridor.insights.models import Barrier
from corridor.orgs.models import Organization


class CalculatorForm(StyledFormMixin, forms.Form):
    """Rule, licence income and tax terms, then one row of fields per party (``p<i>_<kind>``)."""

    title = forms.CharField(label=_("title"), max_length=200, required=False)
    rule = forms.ChoiceField(label=_("sharing rule"), choices=SharingRule.choices)
    licence_income = forms.DecimalField(label=_("expected licence income (yuan)"), required=False, max_digits=16, decimal_places=2, min_value=0)
    tax_enabled = forms.BooleanField(label=_("Split the new local tax between the R&D city and the production city"), required=False)
    rd_city = forms.ModelChoiceField(label=_("R&D city"), queryset=cities_corridor_first(), required=False)
    production_city = forms.ModelChoiceField(label=_("production city"), queryset=cities_corridor_first(), required=False)
    base_year = forms.IntegerField(label=_("base year"), min_value=1990, max_value=2100, required=False)
    annual_new_tax = forms.DecimalField(label=_("expected new local tax per year (yuan)"), required=False, max_digits=16, decimal_places=2, min_value=0)
    growth_pct = forms.DecimalField(label=_("yearly growth (%)"), required=False, max_digits=7, decimal_places=2, min_value=-100, max_value=1000)
    rd_share_pct = forms.DecimalField(label=_("R&D city's share (%)"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100)
    share_from_parties = forms.BooleanField(label=_("R&D city's share = the summed shares of the parties located there"), required=False)
    cap = forms.DecimalField(label=_("cap per year for the R&D city (yuan)"), required=False, max_digits=16, decimal_places=2, min_value=0)
    years = forms.IntegerField(label=_("duration (years)"), min_value=1, max_value=sharing.MAX_TAX_YEARS, required=False)
    note = forms.CharField(label=_("note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        self.organizations = organizations
        super().__init__(*args, **kwargs)
        for i in range(len(organizations)):
            self.fields[f"p{i}_ratio"] = forms.DecimalField(
                label=_("agreed ratio (%)"), required=False, max_digits=7, decimal_places=4, min_value=0, max_value=100
            )
            for kind in sharing.CONTRIBUTION_KINDS:
                self.fields[f"p{i}_{kind}"] = forms.DecimalField(
                    label=sharing.CONTRIBUTION_LABELS[kind], required=False, max_digits=16, decimal_places=2, min_value=0
                )
        for name, field in self.fields.items():
            if name.startswith("p") and "_" in name:
                field.widget.attrs.update({"class": "form-control form-control-sm text-end", "step": "any", "style": "min-width: 6.5rem"})

    @staticmethod
    def initial_from(inputs: dict[str, Any]) -> dict[str, Any]:
        """Form values from the calculator's (canonical) inputs."""
        tax = inputs.get("tax") or {}
        initial: dict[str, Any] = {
            "rule": inputs.get("rule") or SharingRule.SHAPLEY,
            "licence_income": inputs.get("licence_income") or "0",
            "tax_enabled": bool(inputs.get("tax")),
            "rd_city": tax.get("rd_city"),
            "production_city": tax.get("production_city"),
            "base_year": tax.get("base_year") or 2025,
            "annual_new_tax": tax.get("annual_new_tax") or "0",
            "growth_pct": tax.get("growth_pct") or "0",
            "rd_share_pct": tax.get("rd_share_pct") or "30",
            "cap": tax.get("cap"),
            "share_from_parties": tax.get("share_rule") == "shares",
            "years": tax.get("years") or 5,
        }
        for i, party in enumerate(inputs.get("parties") or []):
            initial[f"p{i}_ratio"] = party.get("ratio")
            for kind in sharing.CONTRIBUTION_KINDS:
                initial[f"p{i}_{kind}"] = party.get(kind) or "0"
        return initial

    def party_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "index": i,
                "organization": org,
                "ratio": self[f"p{i}_ratio"],
                "fields": [self[f"p{i}_{kind}"] for kind in sharing.CONTRIBUTION_KINDS],
            }
            for i, org in enumerate(self.organizations)
        ]

    def contribution_labels(self) -> list[Any]:
        return [sharing.CONTRIBUTION_LABELS[kind] for kind in sharing.CONTRIBUTION_KINDS]

    def inputs(self) -> dict[str, Any]:
        """The calculator's inputs (as the API takes them) from the cleaned data."""
        data = self.cleaned_data
        tax = None
        if data.get("tax_enabled"):
            tax = {
                "base_year": data.get("base_year") or 0,
                "annual_new_tax": str(data.get("annual_new_tax") or 0),
                "years": data.get("years") or 0,
                "rd_share_pct": str(data.get("rd_share_pct") or 0),
                "growth_pct": str(data.get("growth_pct") or 0),
                "cap": None if data.get("cap") is None else str(data["cap"]),
                "share_rule": "shares" if data.get("share_from_parties") else "ratio",
                "rd_city": data["rd_city"].pk if data.get("rd_city") else None,
                "production_city": data["production_city"].pk if data.get("production_city") else None,
            }
        parties = []
        for i, org in enumerate(self.organizations):
            ratio = data.get(f"p{i}_ratio")
            parties.append(
                {
                    "organization": org.pk,
                    "ratio": None if ratio is None else str(ratio),
                    **{kind: str(data.get(f"p{i}_{kind}") or 0) for kind in sharing.CONTRIBUTION_KINDS},
                }
            )
        return {"rule": data.get("rule"), "licence_income": str(data.get("licence_income") or 0), "parties": parties, "tax": tax}

    def apply_error(self, exc: ValidationError) -> None:
        """Put the calculation's errors (``parties.1.ratio``, ``tax.years``) on the matching fields."""
        names = {"tax.years": "years", "tax.base_year": "base_year", "tax.annual_new_tax": "annual_new_tax", "tax.rd_share_pct": "rd_share_pct",
                 "tax.growth_pct": "growth_pct", "tax.cap": "cap", "tax.share_rule": "share_from_parties", "tax.rd_city": "rd_city", "tax.production_city": "production_city",
                 "licence_income": "licence_income", "rule": "rule", "title": "title"}
        for key, errors in exc.message_dict.items():
            target = names.get(key)
            parts = key.split(".")
            if target is None and len(parts) == 3 and parts[0] == "parties" and f"p{parts[1]}_{parts[2]}" in self.fields:
                target = f"p{parts[1]}_{parts[2]}"
            for message in errors:
                self.add_error(target if target in self.fields else None, message)


class BarrierForm(StyledFormMixin, forms.ModelForm):
    source_url = forms.URLField(label=_("source URL"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Barrier
        fields = ["city", "category", "title", "description", "source_name", "source_url", "effective_date", "status"]


class CompareForm(StyledFormMixin, forms.Form):
    left = forms.ModelChoiceField(label=_("City"), queryset=cities_corridor_first())
    right = forms.ModelChoiceField(label=_("compared with"), queryset=cities_corridor_first())
