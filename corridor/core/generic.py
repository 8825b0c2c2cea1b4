"""Generic web views, tables, menus and history for every app's pages (NetBox-style).

An app's UI is a handful of small subclasses:

- ``ObjectListView``   — model, filterset, table; restricted to what the user may view, paginated,
  re-rendering only the table for htmx requests;
- ``ObjectDetailView`` — one object the user may view, with its change history;
- ``ObjectEditView``   — add and edit through a form (plus optional formsets) whose cleaned data go
  to the app's service functions; services' errors become field errors, 403 or 409;
- ``ObjectDeleteView`` — confirm, then call the app's delete service.

Menus: an app's ``urls.py`` may declare ``menu = MenuGroup(...)``; ``navigation()`` collects them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models.deletion import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View

from corridor.core.errors import ConflictError
from corridor.core.forms import style_filter_form
from corridor.core.history import history_for
from corridor.core.models import ChangeAction, ChangeRecord
from corridor.core.permissions import ADD, CHANGE, DELETE, VIEW, can, is_operator

# Navigation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    label: Any  # a lazy translation
    url_name: str
    add_url_name: str = ""  # shown as "+" to users who may add ``model``
    model: type[models.Model] | None = None
    add_permission: Callable[[Any], bool] | None = None  # extra check besides can(user, ADD, model)


@dataclass(frozen=True)
class MenuGroup:
    label: Any
    items: tuple[MenuItem, ...]
    weight: int = 100  # lower comes first


def navigation() -> list[MenuGroup]:
    """Every installed app's ``urls.menu``, ordered by weight (apps declare their own entries)."""
    groups: list[MenuGroup] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("corridor."):
            continue
        try:
            module = import_module(f"{config.name}.urls")
        except ModuleNotFoundError:
            continue
        group = getattr(module, "menu", None)
        if isinstance(group, MenuGroup):
            groups.append(group)
        elif isinstance(group, list | tuple):
            groups.extend(g for g in group if isinstance(g, MenuGroup))
    return sorted(groups, key=lambda g: g.weight)


def crud_urls(prefix: str, url: str, list_view: Any, edit_view: Any, detail_view: Any, delete_view: Any) -> list[Any]:
    """The five standard pages of one model: ``<prefix>_list/_add/_detail/_edit/_delete`` under ``url/``."""
    from django.urls import path

    base = f"{url.strip('/')}/" if url.strip("/") else ""
    return [
        path(base, list_view.as_view(), name=f"{prefix}_list"),
        path(f"{base}add/", edit_view.as_view(), name=f"{prefix}_add"),
        path(f"{base}<int:pk>/", detail_view.as_view(), name=f"{prefix}_detail"),
        path(f"{base}<int:pk>/edit/", edit_view.as_view(), name=f"{prefix}_edit"),
        path(f"{base}<int:pk>/delete/", delete_view.as_view(), name=f"{prefix}_delete"),
    ]


# Tables ---------------------------------------------------------------------------------------


@dataclass
class Column:
    """One table column: a model field (or attribute path), optionally linked, sortable by ``order_by``."""

    name: str
    label: Any = None
    accessor: str = ""  # dotted attribute path; defaults to ``name``
    linkify: bool = False
    order_by: str = ""  # database ordering used when the user sorts by this column ("" = not sortable)
    template: str = ""  # a template rendering the cell with ``record`` and ``value``
    css: str = ""

    def value(self, record: Any) -> Any:
        value: Any = record
        for part in (self.accessor or self.name).split("."):
            if value is None:
                return None
            display = getattr(value, f"get_{part}_display", None)
            value = display() if callable(display) else getattr(value, part, None)
            if callable(value) and not isinstance(value, models.Manager):
                value = value()
        if isinstance(value, models.Manager):
            return ", ".join(str(v) for v in value.all())
        return value


@dataclass
class Table:
    columns: Sequence[Column]
    rows: Sequence[Any]
    sort: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def column_label(model: type[models.Model], column: Column) -> Any:
    if column.label is not None:
        return column.label
    try:
        return getattr(model._meta.get_field(column.name), "verbose_name", column.name)
    except FieldDoesNotExist:
        return column.name


# Permissions ----------------------------------------------------------------------------------


class NeedsLogin(Exception):
    """Raised inside a view to send an anonymous user to the login page and back."""


class ObjectView(View):
    """Shared plumbing: the model, its permission checks and the object from the URL."""

    http_method_names = ["get", "post", "head", "options"]

    model: type[models.Model]
    queryset: models.QuerySet | None = None
    # Actions that the model's services reserve for operators (e.g. registering organisations);
    # listed here so that buttons and pages match what the service will accept.
    operator_only: frozenset[str] = frozenset()

    def allowed(self, action: str, obj: models.Model | None = None) -> bool:
        user = self.request.user
        if action in self.operator_only and not is_operator(user):
            return False
        return can(user, action, obj, model=self.model if obj is None else None)

    def require(self, action: str, obj: models.Model | None = None) -> None:
        """Anonymous users go to the login page; others without permission get 403."""
        if self.allowed(action, obj):
            return
        if not self.request.user.is_authenticated:
            raise NeedsLogin
        raise PermissionDenied(_("You do not have permission to do this."))

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except NeedsLogin:
            return redirect_to_login(request.get_full_path())

    def get_queryset(self) -> models.QuerySet:
        qs = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return qs.all()

    def get_object(self, action: str = VIEW) -> Any:
        """The object named by ``pk``.

        Anonymous users without permission go to the login page. For others, an object they may
        not even view answers 404 exactly like a missing one (its existence is not disclosed,
        as in the API); one they may view but not ``action`` answers 403.
        """
        missing = Http404(_("No such {thing}.").format(thing=self.model._meta.verbose_name))
        try:
            obj = self.get_queryset().get(pk=self.kwargs["pk"])
        except (self.model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
            raise missing from None
        if self.allowed(action, obj):
            return obj
        if not self.request.user.is_authenticated:
            raise NeedsLogin
        if action != VIEW and self.allowed(VIEW, obj):
            raise PermissionDenied(_("You do not have permission to do this."))
        raise missing

    def meta_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model_name": meta.verbose_name,
            "model_name_plural": meta.verbose_name_plural,
            "url_names": self.url_names(),
        }

    @classmethod
    def url_name(cls, action: str) -> str:
        meta = cls.model._meta
        prefix = getattr(cls, "url_prefix", "") or meta.model_name
        return f"{meta.app_label}:{prefix}_{action}"

    def url_names(self) -> dict[str, str]:
        return {a: self.url_name(a) for a in ("list", "add", "detail", "edit", "delete")}

    def reverse_safe(self, action: str, *args: Any) -> str:
        try:
            return reverse(self.url_name(action), args=args)
        except NoReverseMatch:
            return ""


# List -----------------------------------------------------------------------------------------


MAX_FILTER_NUMBER = 2**53  # larger ids and amounts exist nowhere; SQLite would overflow on them


def reject_out_of_range_numbers(form: forms.BaseForm) -> None:
    """Numbers beyond any stored value become form errors (instead of database overflow errors)."""
    for name, value in list(form.cleaned_data.items()):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            if not Decimal(value).is_finite() or abs(Decimal(value)) > MAX_FILTER_NUMBER:
                form.add_error(name, _("This number is out of range."))


class ObjectListView(ObjectView):
    """Filter form, sortable table and pagination over what the user may view."""

    filterset_class: type | None = None
    columns: Sequence[Column] = ()
    template_name = "generic/object_list.html"
    table_template = "generic/_object_table.html"
    default_sort = ""
    page_size: int | None = None
    # Filters that take ids (reached through links such as "this organisation's demands") stay in
    # the URL and the form but are not shown as inputs.
    hidden_filters: tuple[str, ...] = ("owner", "organization")

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().restrict(self.request.user, VIEW)  # type: ignore[attr-defined]

    def sort_fields(self) -> dict[str, str]:
        return {c.name: c.order_by for c in self.columns if c.order_by}

    def decorate_rows(self, rows: list[Any]) -> dict[str, Any]:
        """Hook: extra per-page context for cell templates (e.g. which rows show confidential data)."""
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(request.GET or None, queryset=qs, request=request)
            # Invalid values (a city that does not exist, a letter for a number) show on the form and
            # give an empty result, never an error page.
            if filterset.is_bound and filterset.is_valid():
                reject_out_of_range_numbers(filterset.form)
            qs = filterset.qs if not filterset.is_bound or filterset.is_valid() else qs.none()
            style_filter_form(filterset.form, hidden=self.hidden_filters)
        sort = request.GET.get("sort", "") or self.default_sort
        allowed = self.sort_fields()
        key = sort.lstrip("-")
        if key in allowed:
            order = allowed[key]
            qs = qs.order_by(f"-{order}" if sort.startswith("-") else order, "-pk")
        else:
            sort = ""
        from django.conf import settings

        size = self.page_size or settings.CORRIDOR.get("PAGE_SIZE", 25)
        paginator = Paginator(qs, size)
        page = paginator.get_page(request.GET.get("page"))  # get_page copes with "abc", 0 and 10**9
        rows = list(page.object_list)
        query = request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        table = Table(columns=self.columns, rows=rows, sort=sort, extra=self.decorate_rows(rows))
        context = {
            **self.meta_context(),
            "filterset": filterset,
            "filter_form": filterset.form if filterset is not None else None,
            "table": table,
            "headers": [(c, column_label(self.model, c)) for c in self.columns],
            "page_obj": page,
            "paginator": paginator,
            "querystring": query.urlencode(),
            "sort_querystring": sort_query.urlencode(),
            "can_add": self.allowed(ADD),
            "list_url": request.path,
        }
        context.update(self.extra_context(context))
        htmx = getattr(request, "htmx", None)
        if htmx and not htmx.boosted:
            return render(request, self.table_template, context)
        return render(request, self.template_name, context)

    def extra_context(self, context: dict[str, Any]) -> dict[str, Any]:
        return {}


# Detail ---------------------------------------------------------------------------------------


@dataclass
class HistoryChange:
    field: Any
    before: Any
    after: Any
    hidden: bool = False


@dataclass
class HistoryRow:
    record: ChangeRecord
    changes: list[HistoryChange]


def _own_field(model: type[models.Model], name: str) -> Any:
    """The model's own field (concrete or many-to-many) called ``name``; None for reverse relations."""
    try:
        f = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return f if getattr(f, "concrete", False) or getattr(f, "many_to_many", False) and not f.auto_created else None


def _display_values(model: type[models.Model], name: str, values: list[Any], lookups: dict[Any, dict[Any, str]]) -> list[Any]:
    f = _own_field(model, name)
    if f is None:
        return values
    out: list[Any] = []
    for value in values:
        if value is None or value == "" or value == []:
            out.append("")
        elif getattr(f, "choices", None):
            out.append(dict(f.flatchoices).get(value, value))
        elif isinstance(f, models.DecimalField):
            # Decimal fields in Corridor are money in yuan.
            out.append(f"¥{Decimal(str(value)):,.2f}")
        elif isinstance(f, models.BooleanField):
            out.append(_("Yes") if value else _("No"))
        elif f.is_relation and f.related_model is not None:
            names = lookups.get(f.related_model, {})
            if isinstance(value, list):
                out.append(", ".join(names.get(v, f"#{v}") for v in value))
            else:
                out.append(names.get(value, f"#{value}"))
        elif isinstance(value, list):
            out.append(", ".join(str(v) for v in value))
        else:
            out.append(value)
    return out


def _extra_labels() -> dict[str, str]:
    return {"evidence": _("evidence"), "parties": _("parties")}


def history_rows(obj: models.Model, *, hidden_fields: Iterable[str] = (), limit: int = 50) -> list[HistoryRow]:
    """The object's change records with field labels and readable before → after values.

    Related ids are resolved to names with one query per related model; ``hidden_fields`` keep
    their labels but not their values (confidential content must not leak through history).
    """
    model = type(obj)
    hidden = set(hidden_fields)
    records = list(history_for(obj)[:limit])
    wanted: dict[Any, set[Any]] = {}
    for record in records:
        for name, value in (record.changes or {}).items():
            f = _own_field(model, name)
            if f is None or not f.is_relation or f.related_model is None:
                continue
            pairs = value if record.action == ChangeAction.UPDATE and isinstance(value, list) and len(value) == 2 else [value]
            for v in pairs:
                ids = v if isinstance(v, list) else [v]
                wanted.setdefault(f.related_model, set()).update(i for i in ids if isinstance(i, int))
    lookups = {m: {o.pk: str(o) for o in m._default_manager.filter(pk__in=ids)} for m, ids in wanted.items() if ids}
    extra_labels = _extra_labels()
    rows = []
    for record in records:
        changes = []
        for name, value in sorted((record.changes or {}).items()):
            own = _own_field(model, name)
            label = getattr(own, "verbose_name", None) or extra_labels.get(name) or name  # reverse relations have no verbose_name
            if record.action == ChangeAction.UPDATE and isinstance(value, list) and len(value) == 2:
                before, after = _display_values(model, name, list(value), lookups)
            else:
                before, after = "", _display_values(model, name, [value], lookups)[0]
            if record.action == ChangeAction.DELETE:
                before, after = after, ""
            if name in ("evidence", "parties") and isinstance(value, list) and record.action != ChangeAction.UPDATE:
                after = ", ".join(str(v) for v in value)
            if record.action != ChangeAction.UPDATE and before in ("", None) and after in ("", None):
                continue  # a created or deleted object's empty fields say nothing
            changes.append(HistoryChange(label, before, after, hidden=name in hidden))
        rows.append(HistoryRow(record, changes))
    return rows


class ObjectDetailView(ObjectView):
    template_name = ""  # the app's template, extending generic/object_detail.html

    def hidden_history_fields(self, obj: Any) -> Iterable[str]:
        return ()

    def extra_context(self, obj: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(VIEW)
        context = {
            **self.meta_context(),
            "object": obj,
            "can_change": self.allowed(CHANGE, obj),
            "can_delete": self.allowed(DELETE, obj),
            "history": history_rows(obj, hidden_fields=self.hidden_history_fields(obj)),
        }
        context.update(self.extra_context(obj))
        return render(request, self.template_name, context)


# Edit -----------------------------------------------------------------------------------------


def apply_validation_error(form: forms.BaseForm, exc: ValidationError, targets: Mapping[str, Callable[[Any], None]] | None = None) -> None:
    """Put a service's ValidationError onto the form: known fields inline, the rest at the top."""
    targets = targets or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for error in errors:
                message = " ".join(error.messages)
                if name in targets:
                    targets[name](message)
                elif name in form.fields:
                    form.add_error(name, message)
                else:
                    form.add_error(None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def form_data(form: forms.BaseForm, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The cleaned values a service receives: the form's model fields only."""
    fields = names if names is not None else getattr(getattr(form, "Meta", None), "fields", form.fields)
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


class ObjectEditView(ObjectView):
    """Add (no ``pk``) or edit (``pk``) through ``form_class`` and the app's services.

    Subclasses implement ``create(form, formsets)`` and ``update(obj, form, formsets)`` by calling
    service functions, and may add formsets with ``get_formsets``.
    """

    form_class: type[forms.BaseForm]
    template_name = "generic/object_edit.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"user": self.request.user}

    def get_formsets(self, obj: Any, data: Any) -> dict[str, Any]:
        return {}

    def create(self, form: Any, formsets: dict[str, Any]) -> Any:
        raise NotImplementedError

    def update(self, obj: Any, form: Any, formsets: dict[str, Any]) -> Any:
        raise NotImplementedError

    def validation_targets(self, form: Any, formsets: dict[str, Any]) -> dict[str, Callable[[Any], None]]:
        """Where service errors for names that are not form fields go (e.g. ``parties`` → its formset)."""
        return {}

    def load(self) -> Any:
        if "pk" not in self.kwargs:
            self.require(ADD)
            return None
        return self.get_object(CHANGE)

    def render_form(self, obj: Any, form: Any, formsets: dict[str, Any], status: int = 200) -> HttpResponse:
        context = {
            **self.meta_context(),
            "object": obj,
            "form": form,
            "formsets": formsets,
            "is_new": obj is None,
            "cancel_url": obj.get_absolute_url() if obj is not None else self.reverse_safe("list"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.load()
        form = self.form_class(instance=obj, **self.get_form_kwargs())  # type: ignore[call-arg]
        return self.render_form(obj, form, self.get_formsets(obj, None))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.load()
        # The form validates a throw-away copy: ModelForm writes into its instance while cleaning,
        # and the service must see the stored values to record what changed.
        scratch = self.get_queryset().get(pk=obj.pk) if obj is not None else None
        form = self.form_class(request.POST, request.FILES, instance=scratch, **self.get_form_kwargs())  # type: ignore[call-arg]
        formsets = self.get_formsets(obj, request.POST)
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs in formsets.values()]) and valid
        if valid:
            try:
                saved = self.create(form, formsets) if obj is None else self.update(obj, form, formsets)
            except ValidationError as exc:
                apply_validation_error(form, exc, self.validation_targets(form, formsets))
            except ConflictError as exc:
                form.add_error(None, exc.message)
                return self.render_form(obj, form, formsets, status=409)
            else:
                if obj is None:
                    messages.success(request, _("Created {thing} “{name}”.").format(thing=self.model._meta.verbose_name, name=saved))
                else:
                    messages.success(request, _("Saved {thing} “{name}”.").format(thing=self.model._meta.verbose_name, name=saved))
                return HttpResponseRedirect(saved.get_absolute_url())
        return self.render_form(obj, form, formsets, status=400)


# Delete ---------------------------------------------------------------------------------------


class ObjectDeleteView(ObjectView):
    template_name = "generic/object_delete.html"

    def perform_delete(self, obj: Any) -> None:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(DELETE)
        return render(request, self.template_name, {**self.meta_context(), "object": obj})

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object(DELETE)
        name = str(obj)
        try:
            self.perform_delete(obj)
        except (ProtectedError, RestrictedError) as exc:
            blockers = sorted({str(o) for o in list(exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects)[:5]})
            error = _("“{name}” is still referenced by other entries ({blockers}) and cannot be deleted.").format(
                name=name, blockers=", ".join(blockers)
            )
            return render(request, self.template_name, {**self.meta_context(), "object": obj, "error": error}, status=409)
        except ConflictError as exc:
            return render(request, self.template_name, {**self.meta_context(), "object": obj, "error": exc.message}, status=409)
        messages.success(request, _("Deleted {thing} “{name}”.").format(thing=self.model._meta.verbose_name, name=name))
        return HttpResponseRedirect(self.reverse_safe("list") or "/")
