"""Forms of the import pages: the upload (type, organisation, mode, file) and the column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.core.forms import owner_queryset, style_form
from corridor.core.permissions import is_operator
from corridor.transfer import conf
from corridor.transfer.choices import ImportMode
from corridor.transfer.engine import ColumnMap
from corridor.transfer.specs import type_choices
from corridor.transfer.specs.base import Spec


class ImportUploadForm(forms.Form):
    type = forms.ChoiceField(label=gettext_lazy("What the rows are"), choices=())
    organization: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Import for"),
        queryset=None,  # set per user in __init__
        required=False,
        help_text=gettext_lazy("Its column mapping and external ids are used; rows without an owner belong to it."),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
        help_text=gettext_lazy("All or nothing: one invalid row stops the whole import. Valid rows only: invalid rows are skipped."),
    )
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        type_field: Any = self.fields["type"]
        type_field.choices = [(key, str(label)) for key, label in type_choices()]
        orgs = owner_queryset(user).order_by("name")
        org_field: Any = self.fields["organization"]
        org_field.queryset = orgs
        if is_operator(user):
            org_field.empty_label = _("Nobody in particular (platform-wide)")
        elif orgs.count() <= 1:
            # The only organisation a member acts for is implied (services.resolve_organization).
            del self.fields["organization"]
        else:
            org_field.required = True
        mb = conf.get("MAX_UPLOAD_BYTES") // (1024 * 1024)
        self.fields["file"].help_text = _("At most {mb} MB and {rows} data rows; the first sheet or the one named like the type is read.").format(
            mb=mb, rows=f"{conf.get('MAX_ROWS'):,}"
        )
        style_form(self)
        self.fields["mode"].widget.attrs["class"] = "form-check-input"


class ColumnMappingForm(forms.Form):
    """One select per sheet column: which field it feeds, or “ignore”."""

    remember = forms.BooleanField(
        label=gettext_lazy("Remember this mapping for the next files"), required=False, initial=True
    )

    def __init__(self, *args: Any, spec: Spec, headers: list[str], colmap: ColumnMap, samples: list[list[Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", _("— ignore this column —"))]
        for col in spec.all_columns():
            mark = " *" if col.required else ""
            choices.append((col.key, f"{col.header()}{mark}"))
        self.columns: list[tuple[int, str]] = []
        for idx, header in enumerate(headers):
            if not header:
                continue
            name = f"col_{idx}"
            example = "；".join(str(s[idx]) for s in samples if idx < len(s) and s[idx] not in (None, ""))[:80]
            self.fields[name] = forms.ChoiceField(
                label=header, choices=choices, required=False, initial=colmap.columns.get(idx, ""),
                help_text=_("e.g. {values}").format(values=example) if example else "",
            )
            self.columns.append((idx, name))
        # keep “remember” last
        self.fields["remember"] = self.fields.pop("remember")
        style_form(self)

    def choices_by_index(self) -> dict[int, str]:
        return {idx: self.cleaned_data.get(name) or "" for idx, name in self.columns}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for _idx, name in self.columns:
            key = data.get(name) or ""
            if not key:
                continue
            if key in seen:
                self.add_error(name, _("“{other}” already feeds this field.").format(other=self.fields[seen[key]].label))
            else:
                seen[key] = name
        return data
