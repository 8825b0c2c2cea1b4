"""Building blocks that every app's ``api.py`` uses, so all endpoints behave the same way.

- :data:`Id`, :data:`Money`, :class:`InSchema` — request-schema pieces with safe bounds (a huge
  number or an unknown enum value is a 400 naming the field, never a 500);
- :func:`list_params` — the query parameters of a list endpoint, built from the app's
  ``FilterSet`` (the filter logic stays in ``filtersets.py``; this only documents and types it),
  plus ``limit``/``offset``; :func:`filtered_page` applies them;
- :func:`page_schema` — the ``{"items": [...], "count": N}`` answer;
- :func:`fast_page`, :func:`json_response`, :func:`schema_row` — the lean path of hot read endpoints:
  plain dicts from ``values()`` rows, rendered as ninja renders a validated schema (same JSON), skipping
  pydantic's validation of nested models (tests/api/test_fast_path.py compares both paths byte for byte);
- :func:`get_visible` — one object the user may view, else 404;
- :func:`resolve_refs` — ids in a write payload → model instances, 400 naming the field if unknown;
- :class:`ChangeOut`, :func:`history_page` — the change records of one object.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, get_args

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import ConfigDict, create_model

from corridor.api.errors import ERRORS, ApiError, ErrorOut
from corridor.core.history import history_for
from corridor.core.models import ChangeRecord
from corridor.core.permissions import VIEW

# Database ids are 64-bit; bounding them here turns 10**30 into a 400 instead of a database overflow.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
MAX_OFFSET = 10**9

# ``response=`` error entries for the OpenAPI schema: reads, and writes (which may also be refused or clash).
ERRORS_READ: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
ERRORS_WRITE = ERRORS


def default_limit() -> int:
    return int(settings.CORRIDOR["PAGE_SIZE"])


def max_limit() -> int:
    return int(settings.CORRIDOR["API_MAX_LIMIT"])


class InSchema(Schema):
    """Base of request bodies: unknown fields are an error, enum members arrive as plain strings."""

    model_config = ConfigDict(extra="forbid", use_enum_values=True)


# Lists ----------------------------------------------------------------------------------------


def _english(text: Any) -> str:
    with translation.override("en"):
        return str(text)


def _filter_annotation(flt: django_filters.Filter) -> tuple[Any, dict[str, Any]]:
    extra: dict[str, Any] = {}
    if isinstance(flt, django_filters.BooleanFilter):
        return bool | None, extra
    if isinstance(flt, django_filters.NumberFilter):
        # Bounded, so an absurd number is a 400 here rather than an overflow in the database.
        return Annotated[Decimal, Field(max_digits=30, decimal_places=10)] | None, extra
    if isinstance(flt, django_filters.ChoiceFilter):
        choices = flt.extra.get("choices") or []
        extra["enum"] = [str(value) for value, _label in choices]
    return Annotated[str, Field(max_length=200)] | None, extra


def list_params(filterset_class: type[django_filters.FilterSet], name: str) -> type[Schema]:
    """Query parameters of a list endpoint: every filter of ``filterset_class``, then ``limit`` and ``offset``.

    The values are only typed here; :func:`filtered_page` hands them to the filterset, which
    validates choices and does the filtering exactly as on the web pages.
    """
    fields: dict[str, Any] = {}
    for filter_name, flt in filterset_class.base_filters.items():
        annotation, extra = _filter_annotation(flt)
        fields[filter_name] = (
            annotation,
            Field(None, description=_english(flt.label or filter_name), json_schema_extra=extra or None),
        )
    fields["limit"] = (
        int,
        Field(default_limit(), ge=1, le=max_limit(), description=f"Items per page (at most {max_limit()})."),
    )
    fields["offset"] = (int, Field(0, ge=0, le=MAX_OFFSET, description="Items to skip."))
    model = create_model(name, __base__=Schema, **fields)
    model.filterset_class = filterset_class  # type: ignore[attr-defined]
    return model


def page_schema(item: type[Schema], name: str | None = None) -> type[Schema]:
    """The answer of a list endpoint: ``{"items": [item, …], "count": total matching}``."""
    return create_model(name or f"{item.__name__}Page", __base__=Schema, items=(list[item], ...), count=(int, ...))  # type: ignore[valid-type]


def filtered_page(
    request: HttpRequest,
    queryset: models.QuerySet,
    params: Schema,
    *,
    prepare: Callable[[list[Any]], None] | None = None,
) -> dict[str, Any]:
    """Filter ``queryset`` with the filterset behind ``params``; return one page and the total count.

    ``queryset`` must already be restricted to what the user may view and carry the
    ``select_related``/``prefetch_related`` its item schema needs. ``prepare`` sees the page's
    objects before they are serialised (to attach per-user facts without one query per row).
    """
    qs, limit, offset = _filtered(request, queryset, params)
    items = list(qs[offset : offset + limit])
    count = _count(qs, items, limit, offset)
    if prepare is not None:
        prepare(items)
    return {"items": items, "count": count}


def _filtered(request: HttpRequest, queryset: models.QuerySet, params: Schema) -> tuple[models.QuerySet, int, int]:
    values = params.model_dump()
    limit, offset = values.pop("limit"), values.pop("offset")
    data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items() if v is not None}
    filterset = params.filterset_class(data=data, queryset=queryset, request=request)  # type: ignore[attr-defined]
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    return filterset.qs, limit, offset


def _count(qs: models.QuerySet, items: list[Any], limit: int, offset: int) -> int:
    # A page that is not full tells the total without a COUNT query.
    return len(items) + offset if len(items) < limit and (items or offset == 0) else qs.count()


# The lean path ------------------------------------------------------------------------------
#
# Validating ORM objects through nested ninja schemas costs most of a list request's CPU. Hot read
# endpoints instead build plain dicts (``values()`` rows, a few batched queries) in the declared
# schema's field order and return them rendered exactly as ninja renders a validated schema; the
# schema stays declared on the operation for the OpenAPI document. tests/api/test_fast_path.py
# compares the two paths byte for byte, so a field that the lean path forgets fails a test.


def json_response(data: Any, status: int = 200) -> HttpResponse:
    """``data`` rendered as ninja's default ``JSONRenderer`` renders a validated answer."""
    return HttpResponse(json.dumps(data, cls=NinjaJSONEncoder), status=status, content_type="application/json; charset=utf-8")


@functools.lru_cache(maxsize=64)
def _reversed(name: str, prefix: str) -> str:
    return reverse(name)


def url_of(name: str) -> str:
    """``reverse(name)`` for a URL without arguments, remembered per script prefix (reverse costs
    milliseconds on the API's URL conf; a list needs one base URL for all its rows)."""
    return _reversed(name, get_script_prefix())


@functools.lru_cache(maxsize=128)
def field_names(schema: type[Schema]) -> tuple[str, ...]:
    """``schema``'s field names in order (pydantic rebuilds ``model_fields`` on every access)."""
    return tuple(schema.model_fields)


def schema_row(schema: type[Schema], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` keyed and ordered by ``schema``'s fields (a missing field is a KeyError, not a silent gap)."""
    return {name: values[name] for name in field_names(schema)}


def fast_page(
    request: HttpRequest,
    queryset: models.QuerySet,
    params: Schema,
    rows: Callable[[models.QuerySet], list[dict[str, Any]]],
) -> HttpResponse:
    """As :func:`filtered_page`, but ``rows`` turns the page's queryset into the items' dicts."""
    qs, limit, offset = _filtered(request, queryset, params)
    items = rows(qs[offset : offset + limit])
    return json_response({"items": items, "count": _count(qs, items, limit, offset)})


def fast_detail(queryset: models.QuerySet, pk: int, user: Any, rows: Callable[[models.QuerySet], list[dict[str, Any]]]) -> HttpResponse:
    """As :func:`get_visible` (404 unless ``user`` may view ``pk``), answered through ``rows``."""
    found = rows(queryset.restrict(user, VIEW).filter(pk=pk))  # type: ignore[attr-defined]
    if not found:
        raise Http404
    return json_response(found[0])


# Single objects -------------------------------------------------------------------------------


def get_visible(queryset: models.QuerySet, pk: int, user: Any) -> Any:
    """The object ``pk`` if ``user`` may view it; otherwise 404, so hidden objects do not betray their existence."""
    obj = queryset.restrict(user, VIEW).filter(pk=pk).first()  # type: ignore[attr-defined]
    if obj is None:
        raise Http404
    return obj


def resolve_refs(data: dict[str, Any], refs: Mapping[str, models.QuerySet]) -> dict[str, Any]:
    """Replace ids in ``data`` (single ids or lists of ids) by the objects of the matching querysets.

    An id that is not in its queryset — unknown, or one the user may not see — is a 400 naming the field.
    """
    for field, queryset in refs.items():
        if field not in data or data[field] is None:
            continue
        value = data[field]
        if isinstance(value, list | tuple):
            wanted = list(dict.fromkeys(value))
            found = queryset.in_bulk(wanted)
            missing = [str(i) for i in wanted if i not in found]
            if missing:
                raise ApiError.field(field, _("Unknown id(s): {ids}.").format(ids=", ".join(missing)), "unknown_id")
            data[field] = [found[i] for i in wanted]
        else:
            obj = queryset.filter(pk=value).first()
            if obj is None:
                raise ApiError.field(field, _("Unknown id: {id}.").format(id=value), "unknown_id")
            data[field] = obj
    return data


# History --------------------------------------------------------------------------------------


class ChangeOut(Schema):
    id: int
    time: Any
    action: str
    user: str | None
    source: str
    changes: dict[str, Any]
    redacted: bool = Field(False, description="True when fields you may not see were left out of ``changes``.")

    @staticmethod
    def resolve_user(obj: ChangeRecord) -> str | None:
        return obj.user_name or None

    @staticmethod
    def resolve_redacted(obj: ChangeRecord) -> bool:
        return bool(getattr(obj, "_redacted", False))


class HistoryParams(Schema):
    limit: int = Field(default_factory=default_limit, ge=1, le=max_limit())
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


HistoryPage = page_schema(ChangeOut, "ChangePage")


def history_page(
    obj: models.Model, params: HistoryParams, *, redact: Callable[[Iterable[ChangeRecord]], None] | None = None
) -> dict[str, Any]:
    """The object's change records, newest first. ``redact`` may blank what this reader may not see."""
    qs = history_for(obj)
    items = list(qs[params.offset : params.offset + params.limit])
    if redact is not None:
        redact(items)
    return {"items": items, "count": qs.count()}


def patch_schema(schema: type[Schema], name: str) -> type[Schema]:
    """The PATCH body for ``schema``: the same fields, all optional; only the fields sent are changed.

    Constraints must be written into the annotations (``Annotated[...]``) to carry over. ``null`` is
    accepted only where ``schema`` accepts it (a null for a required text or list is a 400, not a 500).
    """
    fields: dict[str, Any] = {}
    for field, info in schema.model_fields.items():
        annotation: Any = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        nullable = info.annotation is Any or info.annotation is type(None) or type(None) in get_args(info.annotation)
        fields[field] = (annotation | None if nullable else annotation, Field(None, description=info.description))
    return create_model(name, __base__=InSchema, **fields)  # type: ignore[call-overload]


def sent(payload: Schema) -> dict[str, Any]:
    """The fields the client actually sent (so PATCH changes only those, and model defaults apply on create)."""
    return payload.model_dump(exclude_unset=True)
