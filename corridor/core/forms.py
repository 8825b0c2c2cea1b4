"""Form pieces shared by every app: Bootstrap styling, industry and city pickers, owner choices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from corridor.core.permissions import is_operator, member_org_ids
from corridor.regions.choices import CorridorMembership, IndustryScheme
from corridor.regions.models import City, Industry


def cities_corridor_first() -> QuerySet[City]:
    """Core corridor cities, then the extended corridor, then the rest of the delta."""
    rank = Case(
        When(corridor=CorridorMembership.CORE, then=Value(0)),
        When(corridor=CorridorMembership.EXTENDED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return City.objects.annotate(corridor_rank=rank).order_by("corridor_rank", "code")


def style_form(form: forms.BaseForm) -> forms.BaseForm:
    """Give every widget the Bootstrap class it needs (idempotent)."""
    # Never trigger validation here (forms finish setting up their fields after styling).
    errors = getattr(form, "_errors", None) or {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(widget, forms.CheckboxSelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "")
        if css not in classes.split():
            widget.attrs["class"] = f"{classes} {css}".strip()
        if name in errors and "is-invalid" not in widget.attrs["class"].split():
            widget.attrs["class"] += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
    return form


class IndustryChoiceField(forms.ModelMultipleChoiceField):
    """Industries from both taxonomies, grouped by scheme and indented by level (~2,000 options)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            forms.SelectMultiple(
                attrs={
                    "data-searchable": "true",
                    "size": "10",
                    "data-search-placeholder": _("Type a word or code to filter…"),
                    "data-selected-label": _("Selected:"),
                }
            ),
        )
        kwargs.setdefault("queryset", Industry.objects.order_by("-scheme", "code"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("industries"))
        kwargs.setdefault(
            "help_text", _("Type to filter; hold Ctrl (⌘ on Mac) to choose several. GB/T 4754-2017 and strategic emerging industries (2018).")
        )
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Industry) -> str:
        return "\u3000" * max(obj.level - 1, 0) + str(obj)


class StyledFormMixin:
    """Forms that know the acting user and render with Bootstrap classes."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        if "city" in self.fields and isinstance(self.fields["city"], forms.ModelChoiceField):  # type: ignore[attr-defined]
            self.fields["city"].queryset = cities_corridor_first()  # type: ignore[attr-defined]
        style_form(self)  # type: ignore[arg-type]

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        style_form(self)  # type: ignore[arg-type]


def owner_queryset(user: Any) -> QuerySet:
    """The organisations ``user`` may act for: all for operators, otherwise their memberships."""
    from corridor.orgs.models import Organization

    if is_operator(user):
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=member_org_ids(user))


# Filter forms -------------------------------------------------------------------------------


def city_filter_choices() -> list[tuple[str, Any]]:
    groups: dict[str, list[tuple[str, str]]] = {}
    for city in cities_corridor_first():
        groups.setdefault(city.corridor, []).append((city.code, str(city)))
    labels = dict(CorridorMembership.choices)
    return [("", _("All cities"))] + [(str(labels[key]), options) for key, options in groups.items()]


def industry_filter_choices() -> list[tuple[str, Any]]:
    """Strategic emerging industries, and GB/T 4754 sections and divisions; deeper codes can be typed in the URL."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for ind in Industry.objects.filter(level__lte=2).order_by("-scheme", "code"):
        groups.setdefault(ind.scheme, []).append((f"#{ind.pk}", "\u3000" * (ind.level - 1) + str(ind)))
    labels = dict(IndustryScheme.choices)
    return [("", _("All industries"))] + [(str(labels[key]), options) for key, options in groups.items()]


def style_filter_form(form: forms.BaseForm, hidden: tuple[str, ...] = ()) -> forms.BaseForm:
    """City and industry become grouped selects (the filter accepts ids, codes and names alike)."""
    for name in hidden:
        if name in form.fields:
            form.fields[name].widget = forms.HiddenInput()
    if "city" in form.fields:
        form.fields["city"].widget = forms.Select(choices=city_filter_choices())
    if "industry" in form.fields:
        form.fields["industry"].widget = forms.Select(choices=industry_filter_choices())
    if "q" in form.fields:
        form.fields["q"].widget = forms.TextInput(attrs={"placeholder": _("Search…"), "type": "search"})
    for field in form.fields.values():
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices = list(field.choices)  # type: ignore[arg-type]
            if choices and choices[0][0] == "":
                field.choices = [("", _("Any")), *choices[1:]]
        if isinstance(field, forms.NullBooleanField):
            field.widget = forms.Select(choices=[("", _("Any")), ("true", _("Yes")), ("false", _("No"))])
    return style_form(form)


class LoginForm(StyledFormMixin, AuthenticationForm):
    """Django's login form with Bootstrap styling."""
