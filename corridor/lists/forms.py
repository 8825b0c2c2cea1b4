"""Web forms of the three lists. They only shape input; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import IndustryChoiceField, StyledFormMixin, owner_queryset, style_form
from corridor.core.permissions import VIEW
from corridor.lists.choices import DemandStatus, EvidenceKind, PartyRole
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.lists.services import EvidenceInput, PartyInput
from corridor.orgs.models import Organization


class OwnedFormMixin(StyledFormMixin):
    """The owner can only be one of the user's own organisations (operators: any).

    An empty city means the owner's city (on edit as on create).
    """

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        if "city" in self.fields and not data.get("city") and data.get("owner") is not None:  # type: ignore[attr-defined]
            data["city"] = data["owner"].city
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]  # type: ignore[attr-defined]
        owner.queryset = owner_queryset(self.user)
        if owner.queryset.count() == 1 and not self.is_bound:  # type: ignore[attr-defined]
            owner.initial = owner.queryset.first().pk


class ResourceForm(OwnedFormMixin, forms.ModelForm):
    industries = IndustryChoiceField()

    class Meta:
        model = Resource
        fields = [
            "kind",
            "name",
            "owner",
            "city",
            "industries",
            "description",
            "trl_min",
            "trl_max",
            "open_to",
            "fee_basis",
            "status",
            "contact_name",
            "contact_phone",
            "contact_email",
            "public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].required = False
        self.fields["city"].help_text = _("Leave empty to use the owner organisation's city.")


class DemandForm(OwnedFormMixin, forms.ModelForm):
    industries = IndustryChoiceField()
    status = forms.ChoiceField(
        label=_("status"),
        choices=[(DemandStatus.DRAFT, DemandStatus.DRAFT.label), (DemandStatus.PUBLISHED, DemandStatus.PUBLISHED.label)],
        initial=DemandStatus.PUBLISHED,
        help_text=_("A draft is visible only to your organisation; publish it when ready."),
    )

    class Meta:
        model = Demand
        fields = [
            "owner",
            "title",
            "summary",
            "description",
            "industries",
            "city",
            "trl_desired",
            "budget_min",
            "budget_max",
            "deadline",
            "confidentiality",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].required = False
        self.fields["city"].help_text = _("Leave empty to use the owner organisation's city.")
        if self.instance.pk:
            # Existing demands change status only through the workflow buttons on their page.
            del self.fields["status"]


class CooperationForm(StyledFormMixin, forms.ModelForm):
    industries = IndustryChoiceField()

    class Meta:
        model = CooperationItem
        fields = [
            "title",
            "description",
            "type",
            "stage",
            "contract_value",
            "start_date",
            "end_date",
            "demand",
            "resources",
            "industries",
            "public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["demand"].queryset = Demand.objects.restrict(self.user, VIEW).select_related("owner")  # type: ignore[attr-defined]
        self.fields["resources"].queryset = Resource.objects.restrict(self.user, VIEW)  # type: ignore[attr-defined]
        self.fields["resources"].widget.attrs.update({"data-searchable": "true", "size": "6"})


class PartyForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organization.objects.select_related("city"), required=False
    )
    role = forms.ChoiceField(label=_("role"), choices=[("", "---------"), *PartyRole.choices], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].label_from_instance = lambda o: f"{o.name} ({o.city})" if o.city else o.name  # type: ignore[attr-defined]
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organization") and not data.get("role"):
            self.add_error("role", _("Choose the party's role."))
        if data.get("role") and not data.get("organization"):
            self.add_error("organization", _("Choose an organisation."))
        return data


class BasePartyFormSet(forms.BaseFormSet):
    title = _("Parties")
    help_text = _("At least two organisations in different cities. Mark who does R&D and who produces.")
    service_errors: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_errors = []

    def parties(self) -> list[PartyInput]:
        return [
            PartyInput(organization=f.cleaned_data["organization"], role=f.cleaned_data["role"])
            for f in self.forms
            if f.cleaned_data.get("organization") and not f.cleaned_data.get("DELETE")
        ]


PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=2)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---------"), *EvidenceKind.choices], required=False)
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    reference = forms.CharField(label=_("reference"), max_length=80, required=False)
    text = forms.CharField(label=_("details"), required=False, widget=forms.Textarea(attrs={"rows": 1}))
    year = forms.IntegerField(label=_("year"), min_value=1900, max_value=2100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("title") and not data.get("kind"):
            self.add_error("kind", _("Choose what kind of evidence this is."))
        if data.get("kind") and not data.get("title"):
            self.add_error("title", _("Give the evidence a title."))
        return data


class BaseEvidenceFormSet(forms.BaseFormSet):
    title = _("Evidence")
    help_text = _("Achievements, patents, equipment and team members that back the resource up.")
    service_errors: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_errors = []

    def evidence(self) -> list[EvidenceInput]:
        return [
            EvidenceInput(
                kind=f.cleaned_data["kind"],
                title=f.cleaned_data["title"],
                reference=f.cleaned_data.get("reference") or "",
                text=f.cleaned_data.get("text") or "",
                year=f.cleaned_data.get("year"),
            )
            for f in self.forms
            if f.cleaned_data.get("title")
        ]


EvidenceFormSet = forms.formset_factory(EvidenceForm, formset=BaseEvidenceFormSet, extra=2)
