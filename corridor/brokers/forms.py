"""Forms of the alliance pages: case actions (stages, activities, documents, links, assignment) and the list filters.

The forms only check the shape of the input; the rules (who may, which stage comes next, dates)
live in ``corridor.brokers.services`` and come back as field errors.
"""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.brokers.choices import STAGE_CHAIN, ActivityKind, CaseStage, DocumentKind, LostReason
from corridor.brokers.filtersets import CaseFilterSet
from corridor.brokers.models import LINKABLE_MODELS, TechnologyManager
from corridor.core.forms import StyledFormMixin, city_filter_choices
from corridor.regions.selectors import resolve_city

# Uploads stay small enough for e-mail and review; larger files belong in a shared drive.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Executable and script files are refused: documents are downloaded by other parties.
REFUSED_EXTENSIONS = frozenset({"exe", "bat", "cmd", "com", "msi", "sh", "js", "vbs", "ps1", "jar", "scr", "html", "htm", "svg"})

LINK_KIND_LABELS = {
    "lists.resource": _("Resource"),
    "lists.demand": _("Demand"),
    "lists.cooperationitem": _("Cooperation item"),
    "market.technologycontract": _("Technology contract (transaction)"),
    "market.challengecall": _("Challenge call"),
    "labs.booking": _("Instrument booking"),
    "labs.instrument": _("Shared instrument"),
}


def active_managers() -> QuerySet[TechnologyManager]:
    return TechnologyManager.objects.filter(active=True).select_related("user", "city").order_by("user__display_name", "user__username")


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TechnologyManager) -> str:
        return f"{obj.user} · {obj.city}"


class ManagerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: TechnologyManager) -> str:
        return f"{obj.user} · {obj.city}"


class AdvanceForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("to stage"), choices=[(s, CaseStage(s).label) for s in STAGE_CHAIN], widget=forms.HiddenInput)
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    contract_value = forms.DecimalField(
        label=_("contract value (yuan)"), required=False, max_digits=16, decimal_places=2, min_value=0,
        help_text=_("Recorded when the case is signed."),
    )


class CloseLostForm(StyledFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("reason"), choices=[("", "—"), *LostReason.choices])
    note = forms.CharField(label=_("why it was lost"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(StyledFormMixin, forms.Form):
    to = forms.ChoiceField(label=_("put back into"), choices=[(s, CaseStage(s).label) for s in STAGE_CHAIN])
    note = forms.CharField(label=_("why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ActivityForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityKind.choices, initial=ActivityKind.MEETING)
    occurred_on = forms.DateField(label=_("date"), initial=timezone.localdate)
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("details"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=DocumentKind.choices, initial=DocumentKind.OTHER)
    title = forms.CharField(label=_("title"), max_length=200)
    file = forms.FileField(label=_("file"), max_length=200)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError(_("The file is larger than {mb} MB.").format(mb=MAX_DOCUMENT_BYTES // (1024 * 1024)))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension in REFUSED_EXTENSIONS:
            raise forms.ValidationError(_("Files of type .{ext} cannot be attached.").format(ext=extension))
        # Typed by content, not by name (the same check as bid documents): PDF, DOCX or XLSX only.
        from corridor.market.files import detect_kind

        if detect_kind(upload) is None:
            raise forms.ValidationError(_("Only PDF, Word (DOCX) and Excel (XLSX) documents are accepted; this file is none of them."))
        return upload


class LinkForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=list(LINK_KIND_LABELS.items()))
    object_id = forms.IntegerField(label=_("number (id)"), min_value=1, help_text=_("The number shown in the object's address."))
    note = forms.CharField(label=_("note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        linkable = {f"{a}.{m}" for a, m in LINKABLE_MODELS}
        cast(forms.ChoiceField, self.fields["kind"]).choices = [(k, v) for k, v in LINK_KIND_LABELS.items() if k in linkable]


class AssignForm(StyledFormMixin, forms.Form):
    lead = ManagerChoiceField(label=_("lead manager"), queryset=TechnologyManager.objects.none())
    helpers = ManagerMultipleChoiceField(
        label=_("helping managers"), queryset=TechnologyManager.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"data-searchable": "true", "size": "8", "data-search-placeholder": _("Type a name or city…"), "data-selected-label": _("Selected:")}),
        help_text=_("Optional; hold Ctrl (⌘ on Mac) to choose several."),
    )

    def __init__(self, *args: Any, suggested: list[TechnologyManager] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = active_managers()
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = qs
        cast(forms.ModelMultipleChoiceField, self.fields["helpers"]).queryset = qs
        if suggested:
            # The suggested managers come first in the lead list, in their ranked order.
            first = [(m.pk, f"★ {m.user} · {m.city}") for m in suggested]
            seen = {m.pk for m in suggested}
            rest = [(m.pk, f"{m.user} · {m.city}") for m in qs if m.pk not in seen]
            self.fields["lead"].widget.choices = [("", "—"), (_("Suggested"), first), (_("All active managers"), rest)]


# Filters of the web pages ------------------------------------------------------------------------


class OneOfMany(forms.Select):
    """A single select for a multiple-choice filter: the URL may still repeat the parameter."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else [data.get(name)]
        return [v for v in values if v]


PROVINCES = (("", _("Any province")), ("上海", _("Shanghai")), ("江苏", _("Jiangsu")), ("浙江", _("Zhejiang")), ("安徽", _("Anhui")))


class CaseWebFilterSet(CaseFilterSet):
    """The case filters as the web pages show them: selects instead of free ids and codes."""

    stage = django_filters.MultipleChoiceFilter(
        choices=CaseStage.choices, label=_("Stage"), widget=OneOfMany(choices=[("", _("Any stage")), *CaseStage.choices])
    )
    manager = django_filters.ModelChoiceFilter(
        queryset=TechnologyManager.objects.select_related("user").order_by("user__display_name", "user__username"),
        method="filter_manager_obj",
        label=_("Technology manager"),
    )
    rd_province = django_filters.CharFilter(method="filter_rd_province", label=_("R&D province"), widget=forms.Select(choices=PROVINCES))
    production_province = django_filters.CharFilter(
        method="filter_production_province", label=_("Production province"), widget=forms.Select(choices=PROVINCES)
    )
    rd_city = django_filters.CharFilter(method="filter_rd_city", label=_("R&D city"))
    production_city = django_filters.CharFilter(method="filter_production_city", label=_("Production city"))

    class Meta(CaseFilterSet.Meta):
        fields = ["stage"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("rd_city", "production_city"):
            self.form.fields[name].widget = forms.Select(choices=city_filter_choices())
        # The field hands its own choices to the widget; put the "any" entry back in front.
        self.form.fields["stage"].widget.choices = [("", _("Any stage")), *CaseStage.choices]

    def filter_manager_obj(self, qs: QuerySet, name: str, value: TechnologyManager | None) -> QuerySet:
        return self.filter_manager(qs, name, value.pk if value is not None else None)

    def _city(self, qs: QuerySet, field: str, value: str) -> QuerySet:
        if not value.strip():
            return qs
        city = resolve_city(value)
        return qs.none() if city is None else qs.filter(**{field: city})
