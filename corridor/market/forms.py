"""Web forms of the innovation market. They only shape input; the services decide and save."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from corridor.core.forms import (
    IndustryChoiceField,
    StyledFormMixin,
    cities_corridor_first,
    owner_queryset,
    style_form,
)
from corridor.core.permissions import VIEW, is_operator
from corridor.lists.models import CooperationItem, Demand
from corridor.market.choices import Certification
from corridor.market.models import (
    Bid,
    CarrierSpace,
    ChallengeCall,
    OrganizationProfile,
    ReviewCriterion,
    TechnologyContract,
)
from corridor.market.services import CriterionInput, MilestoneInput, TeamMember
from corridor.orgs.choices import OrganizationType
from corridor.orgs.models import Organization, User
from corridor.regions.models import Industry

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploads in one field; their type and size are checked by the services."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes in a wrapping row; each box gets Bootstrap's check class (the widget's class is the row's)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"] = {**option["attrs"], "class": "form-check-input me-1"}
        return option


def fix_checkboxes(form: forms.BaseForm) -> None:
    """Checkbox lists lay out as a row, not as the text input ``style_form`` takes them for."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "d-flex flex-wrap column-gap-3 row-gap-1 pt-1"


class MarketFormMixin(StyledFormMixin):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fix_checkboxes(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()
        fix_checkboxes(self)  # type: ignore[arg-type]


def _org_label(org: Organization) -> str:
    return f"{org.name} ({org.city})" if org.city_id else org.name


# Challenge calls ------------------------------------------------------------------------------


def province_choices() -> list[tuple[str, str]]:
    seen: dict[str, None] = {}
    for province in cities_corridor_first().values_list("province", flat=True):
        seen.setdefault(province, None)
    return [(p, p) for p in seen]


class CallForm(MarketFormMixin, forms.ModelForm):
    industries = IndustryChoiceField()
    eligible_provinces = forms.MultipleChoiceField(
        label=_("eligible provinces"), required=False, widget=CheckboxList,
        help_text=_("Empty: every province (unless cities are given)."),
    )
    eligible_org_types = forms.MultipleChoiceField(
        label=_("eligible organisation types"), required=False, choices=OrganizationType.choices,
        widget=CheckboxList, help_text=_("Empty: every type."),
    )

    class Meta:
        model = ChallengeCall
        fields = [
            "issuer", "title", "summary", "problem", "indicators", "reward", "funding", "deadline",
            "industries", "demands", "eligible_cities", "eligible_provinces", "eligible_org_types",
            "ip_ownership", "ip_exclusive", "ip_notes", "blind_review",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "indicators": forms.Textarea(attrs={"rows": 4}),
            "ip_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issuer = cast(forms.ModelChoiceField, self.fields["issuer"])
        issuer.queryset = owner_queryset(self.user).select_related("city")
        issuer.label_from_instance = _org_label  # type: ignore[method-assign, assignment]  # Django allows replacing it per field; the stubs see a method
        if issuer.queryset.count() == 1 and not self.is_bound and not self.instance.pk:
            only = issuer.queryset.first()
            issuer.initial = only.pk if only is not None else None
        deadline = self.fields["deadline"]
        deadline.widget = forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"}, format=DATETIME_INPUT)
        deadline.help_text = _("China Standard Time. No bid, change or withdrawal is accepted after it.")
        cast(forms.ModelChoiceField, self.fields["demands"]).queryset = Demand.objects.restrict(self.user, VIEW).select_related("owner")
        self.fields["demands"].widget.attrs.update({"data-searchable": "true", "size": "6"})
        cast(forms.ModelChoiceField, self.fields["eligible_cities"]).queryset = cities_corridor_first()
        self.fields["eligible_cities"].widget.attrs.update({"size": "6"})
        cast(forms.ChoiceField, self.fields["eligible_provinces"]).choices = province_choices()
        style_form(self)
        fix_checkboxes(self)


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("criterion"), max_length=100, required=False)
    weight = forms.IntegerField(label=_("weight"), min_value=1, max_value=100, required=False)
    max_score = forms.IntegerField(label=_("maximum score"), min_value=1, max_value=100, required=False, initial=10)
    description = forms.CharField(label=_("description"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # typed Optional by the stubs; Form.clean() returns cleaned_data
        if data.get("name") and not data.get("weight"):
            self.add_error("weight", _("Give the criterion a weight."))
        if data.get("weight") and not data.get("name"):
            self.add_error("name", _("Give the criterion a name."))
        return data


class ServiceErrorsFormSet(forms.BaseFormSet):
    """A formset that can also show the errors a service reports for the whole set."""

    title: Any = ""
    help_text: Any = ""
    service_errors: list[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service_errors = []

    def filled(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data and any(v not in (None, "") for v in f.cleaned_data.values())]


class BaseCriterionFormSet(ServiceErrorsFormSet):
    title = _("Review rubric")
    help_text = _("The panel scores each bid on these criteria; the weights decide how much each counts.")

    def criteria(self) -> list[CriterionInput]:
        return [
            CriterionInput(name=d["name"], weight=d["weight"], max_score=d.get("max_score") or 10, description=d.get("description") or "")
            for d in self.filled()
            if d.get("name")
        ]


CriterionFormSet = forms.formset_factory(CriterionForm, formset=BaseCriterionFormSet, extra=1)


def criteria_initial(criteria: Iterable[ReviewCriterion | CriterionInput]) -> list[dict[str, Any]]:
    return [{"name": c.name, "weight": c.weight, "max_score": c.max_score, "description": c.description} for c in criteria]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PanelForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("reviewer"), queryset=User.objects.none())

    def __init__(self, *args: Any, call: ChallengeCall, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reviewer"]).queryset = (
            User.objects.filter(is_reviewer=True, is_active=True).exclude(review_panels__call=call).order_by("username")
        )
        style_form(self)


# Bids -----------------------------------------------------------------------------------------


class BidForm(StyledFormMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("documents"),
        help_text=_("PDF, Word (DOCX) or Excel (XLSX), at most 20 MB each; checked by content, visible only to the issuer, its panel and operators."),
    )

    class Meta:
        model = Bid
        fields = ["bidder", "team_name", "approach", "budget"]
        widgets = {"approach": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, call: ChallengeCall, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["bidder"]
            del self.fields["attachments"]  # documents of an existing bid are managed on its page
            return
        bidder = cast(forms.ModelChoiceField, self.fields["bidder"])
        orgs = Organization.objects.filter(pk__in=owner_queryset(self.user).values("pk")).exclude(pk=call.issuer_id)
        bidder.queryset = orgs.select_related("city")
        bidder.label_from_instance = _org_label  # type: ignore[method-assign, assignment]  # Django allows replacing it per field; the stubs see a method
        if bidder.queryset.count() == 1 and not self.is_bound:
            only = bidder.queryset.first()
            bidder.initial = only.pk if only is not None else None
        style_form(self)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200, required=False)
    due_date = forms.DateField(label=_("due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = forms.DecimalField(label=_("payment (yuan)"), max_digits=16, decimal_places=2, min_value=Decimal("0"), required=False)
    deliverable = forms.CharField(label=_("deliverable"), max_length=5000, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # typed Optional by the stubs; Form.clean() returns cleaned_data
        if any(data.get(k) not in (None, "") for k in ("title", "due_date", "amount", "deliverable")):
            for key in ("title", "due_date", "amount"):
                if data.get(key) in (None, "") and key not in self.errors:
                    self.add_error(key, _("This field is required."))
        return data


class BaseMilestoneFormSet(ServiceErrorsFormSet):
    title = _("Milestones")
    help_text = _("Dated, verifiable steps with the payment due for each; together at most the budget.")

    def milestones(self) -> list[MilestoneInput]:
        return [
            MilestoneInput(title=d["title"], due_date=d["due_date"], amount=d["amount"], deliverable=d.get("deliverable") or "")
            for d in self.filled()
            if d.get("title")
        ]


MilestoneFormSet = forms.formset_factory(MilestoneForm, formset=BaseMilestoneFormSet, extra=1)


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200, required=False)
    role = forms.CharField(label=_("role"), max_length=200, required=False)
    affiliation = forms.CharField(label=_("affiliation"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # typed Optional by the stubs; Form.clean() returns cleaned_data
        if (data.get("role") or data.get("affiliation")) and not data.get("name"):
            self.add_error("name", _("Every team member needs a name."))
        return data


class BaseTeamFormSet(ServiceErrorsFormSet):
    title = _("Team members")
    help_text = _("Hidden from reviewers when the call uses blind review.")

    def members(self) -> list[TeamMember]:
        return [TeamMember(name=d["name"], role=d.get("role") or "", affiliation=d.get("affiliation") or "") for d in self.filled() if d.get("name")]


TeamFormSet = forms.formset_factory(TeamMemberForm, formset=BaseTeamFormSet, extra=1)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("document"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class ReviewForm(forms.Form):
    """One score per criterion of the call's rubric, and a comment."""

    comment = forms.CharField(label=_("comment"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, criteria: Iterable[ReviewCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {}
        for c in self.criteria:
            scores[f"score_{c.pk}"] = forms.DecimalField(
                label=f"{c.name} ({_('weight')} {c.weight})",
                min_value=Decimal("0"), max_value=Decimal(c.max_score), max_digits=5, decimal_places=2,
                help_text=_("0 to {max}. {description}").format(max=c.max_score, description=c.description),
                widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": str(c.max_score)}),
            )
        self.fields = {**scores, **self.fields}
        style_form(self)

    def scores(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class AwardForm(forms.Form):
    """Tick the winning bids and give a reason (and, for several winners, the amount) for each."""

    note = forms.CharField(label=_("decision note"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, bids: Sequence[tuple[Bid, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bids = list(bids)
        for bid, label in self.bids:
            self.fields[f"award_{bid.pk}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"reason_{bid.pk}"] = forms.CharField(
                label=_("reason for the award"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"amount_{bid.pk}"] = forms.DecimalField(
                label=_("awarded amount (yuan)"), max_digits=16, decimal_places=2, min_value=Decimal("0"), required=False,
                help_text=_("Leave empty for a single winner: the whole reward."),
            )
        style_form(self)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"bid": bid, "label": label, "award": self[f"award_{bid.pk}"], "reason": self[f"reason_{bid.pk}"], "amount": self[f"amount_{bid.pk}"]}
            for bid, label in self.bids
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data  # typed Optional by the stubs; Form.clean() returns cleaned_data
        chosen = [bid for bid, _label in self.bids if data.get(f"award_{bid.pk}")]
        if not chosen:
            raise forms.ValidationError(_("Choose at least one bid to award."))
        for bid in chosen:
            if not (data.get(f"reason_{bid.pk}") or "").strip():
                self.add_error(f"reason_{bid.pk}", _("Give the reason for awarding this bid."))
        return data

    def awards(self) -> list[tuple[Bid, str, Decimal | None]]:
        return [
            (bid, self.cleaned_data[f"reason_{bid.pk}"], self.cleaned_data.get(f"amount_{bid.pk}"))
            for bid, _label in self.bids
            if self.cleaned_data.get(f"award_{bid.pk}")
        ]


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label=_("evidence"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label=_("document"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


# The ledger -----------------------------------------------------------------------------------


class ContractForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = TechnologyContract
        fields = [
            "registration_number", "title", "contract_type", "seller", "buyer", "amount", "signed_on",
            "industry", "demand", "call", "cooperation", "notes", "public",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.select_related("city").order_by("name")
        for name in ("seller", "buyer"):
            org_field = cast(forms.ModelChoiceField, self.fields[name])
            org_field.queryset = orgs
            org_field.label_from_instance = _org_label  # type: ignore[method-assign, assignment]  # Django allows replacing it per field; the stubs see a method
        self.fields["seller"].help_text = _("Your organisation must be the seller or the buyer.")
        cast(forms.ModelChoiceField, self.fields["industry"]).queryset = Industry.objects.order_by("-scheme", "code")
        cast(forms.ModelChoiceField, self.fields["demand"]).queryset = Demand.objects.restrict(self.user, VIEW)
        cast(forms.ModelChoiceField, self.fields["call"]).queryset = ChallengeCall.objects.restrict(self.user, VIEW)
        cast(forms.ModelChoiceField, self.fields["cooperation"]).queryset = CooperationItem.objects.restrict(self.user, VIEW)
        style_form(self)


# Carrier spaces -------------------------------------------------------------------------------


class SpaceForm(MarketFormMixin, forms.ModelForm):
    industries = IndustryChoiceField(label=_("industries of focus"))
    services = forms.CharField(
        label=_("services offered"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One service per line."),
    )

    class Meta:
        model = CarrierSpace
        fields = [
            "name", "kind", "city", "address", "operator_org", "industries", "description", "total_area", "available_area",
            "rent_min", "rent_max", "services", "contact_name", "contact_phone", "contact_email", "website", "public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        operator_org = cast(forms.ModelChoiceField, self.fields["operator_org"])
        operator_org.queryset = owner_queryset(self.user).select_related("city")
        operator_org.label_from_instance = _org_label  # type: ignore[method-assign, assignment]  # Django allows replacing it per field; the stubs see a method
        operator_org.required = not is_operator(self.user)
        if not self.is_bound and self.instance.pk:
            self.initial["services"] = "\n".join(self.instance.services or [])

    def clean_services(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("services") or "").splitlines() if line.strip()]


# Policies -------------------------------------------------------------------------------------


class MatcherForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("organisation"), queryset=Organization.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organization"])
        field.queryset = (Organization.objects.all() if is_operator(user) else owner_queryset(user)).select_related("city").order_by("name")
        field.label_from_instance = _org_label  # type: ignore[method-assign, assignment]  # Django allows replacing it per field; the stubs see a method
        style_form(self)


class ProfileForm(MarketFormMixin, forms.ModelForm):
    certifications = forms.MultipleChoiceField(
        label=_("certifications"), required=False, choices=Certification.choices, widget=CheckboxList
    )

    class Meta:
        model = OrganizationProfile
        fields = ["rd_spend_ratio", "certifications", "employees", "annual_revenue"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
        fix_checkboxes(self)
