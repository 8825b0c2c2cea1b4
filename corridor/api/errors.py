"""One JSON shape for every error the API returns, and the handlers that produce it.

Every error body is ``{"detail": str, "code": str, "fields": {name: [message, …]}}``:
``detail`` is a translated sentence for people, ``code`` a stable machine word for programs,
``fields`` names the request fields that were wrong (empty when the error is not about a field;
``"__all__"`` holds messages about the request as a whole).

Views raise ordinary exceptions — Django's ``ValidationError``, ``PermissionDenied``, ``Http404``,
``ObjectDoesNotExist``, ``IntegrityError``, Corridor's ``ConflictError`` or :class:`ApiError` —
and :func:`install_error_handlers` turns them into answers with this shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

from corridor.core.errors import ConflictError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

ALL = NON_FIELD_ERRORS  # "__all__": messages about the request as a whole


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] = {}


# For ``response=`` in operation decorators, so the OpenAPI schema documents the error answers.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ApiError(Exception):
    """An error answer decided by the API layer itself (bad id in a field, bad token, …)."""

    def __init__(self, status: int, code: str, detail: str, fields: Mapping[str, Iterable[str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}

    @classmethod
    def field(cls, name: str, message: str, code: str = "invalid") -> ApiError:
        return cls(400, code, _("Some fields are not valid."), {name: [message]})


def error_body(detail: str, code: str, fields: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": str(detail), "code": code, "fields": dict(fields or {})}


def error_response(status: int, detail: str, code: str, fields: Mapping[str, list[str]] | None = None) -> HttpResponse:
    response = JsonResponse(error_body(detail, code, fields), status=status, json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def not_authenticated_message() -> str:
    return _("Sign in, or send an API token (Authorization: Bearer …), to do this.")


# Request-schema (pydantic) errors --------------------------------------------------------------


def _pydantic_message(error: Mapping[str, Any]) -> str:
    """A translated message for one pydantic error; pydantic's own messages are English only."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"}:
        return _("Enter a number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type", "string_unicode"}:
        return _("Enter text.")
    if kind in {"list_type", "tuple_type", "set_type"}:
        return _("Enter a list.")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return _("Enter an object.")
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind in {"enum", "literal_error"}:
        return _("Select one of: {choices}.").format(choices=ctx.get("expected", ""))
    if kind in {"string_too_long", "too_long"}:
        limit = ctx.get("max_length", "")
        return _("Ensure this value has at most {limit} characters (or items).").format(limit=limit)
    if kind in {"string_too_short", "too_short"}:
        limit = ctx.get("min_length", "")
        return _("Ensure this value has at least {limit} characters (or items).").format(limit=limit)
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Ensure this value is at least {limit}.").format(limit=ctx.get("ge", ctx.get("gt", "")))
    if kind in {"less_than_equal", "less_than"}:
        return _("Ensure this value is at most {limit}.").format(limit=ctx.get("le", ctx.get("lt", "")))
    if kind in {"decimal_max_digits", "decimal_whole_digits"}:
        return _("Ensure that there are no more than {digits} digits in total.").format(
            digits=ctx.get("max_digits", ctx.get("whole_digits", ""))
        )
    if kind == "decimal_max_places":
        return _("Ensure that there are no more than {places} decimal places.").format(places=ctx.get("decimal_places", ""))
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in {"value_error", "assertion_error"} and ctx.get("error"):
        return str(ctx["error"])
    return _("Enter a valid value.")


def _field_name(loc: tuple[Any, ...], body_params: set[str]) -> str:
    """``("body", "payload", "parties", 0, "role")`` → ``"parties.0.role"``; the request body itself → ``__all__``."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] in body_params:
            parts.pop(0)
    return ".".join(str(p) for p in parts) or ALL


def schema_validation_fields(errors: Iterable[Mapping[str, Any]], body_params: set[str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        name = _field_name(tuple(error.get("loc", ())), body_params)
        fields.setdefault(name, []).append(_pydantic_message(error))
    return fields


# Handlers --------------------------------------------------------------------------------------


def _is_anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _body_param_names(request: HttpRequest) -> set[str]:
    # Names under which views declare their JSON body (``payload`` by convention, see docs/api.md).
    return {"payload", "body", "data"}


def _on_schema_validation(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
    fields = schema_validation_fields(exc.errors, _body_param_names(request))
    if set(fields) == {ALL}:
        return error_response(400, _("The request body must be a JSON object."), "invalid_body", fields)
    return error_response(400, _("Some fields are not valid."), "invalid", fields)


def _on_django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        fields = {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    else:
        fields = {ALL: [str(m) for m in exc.messages]}
    detail = fields[ALL][0] if set(fields) == {ALL} and fields[ALL] else _("Some fields are not valid.")
    return error_response(400, detail, "invalid", fields)


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.detail, exc.code, exc.fields)


def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(401, not_authenticated_message(), "not_authenticated")


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    if _is_anonymous(request):
        return error_response(401, not_authenticated_message(), "not_authenticated")
    detail = str(exc) or _("You do not have permission to do this.")
    return error_response(403, detail, "permission_denied")


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(404, _("Not found."), "not_found")


def _on_conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    return error_response(409, exc.message, exc.code)


def _on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    logger.info("API integrity error: %s", exc)
    return error_response(
        409, _("This clashes with existing data (a duplicate, or other records still refer to it)."), "integrity_error"
    )


def _on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    logger.info("API data error: %s", exc)
    return error_response(400, _("A value is out of range or of the wrong kind."), "invalid")


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return error_response(400, _("The request body is not valid JSON."), "malformed_json", {ALL: [_("Malformed JSON.")]})
    if exc.status_code == 429:
        return error_response(429, _("Too many requests; try again later."), "throttled")
    codes = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found", 409: "conflict"}
    return error_response(exc.status_code, str(exc), codes.get(exc.status_code, "error"))


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in API view %s %s", request.method, request.path)
    return error_response(500, _("Something went wrong on our side; the error has been logged."), "server_error")


def document_rate_limits(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the 429 answer to every operation of the OpenAPI ``schema``: the rate limits
    (corridor.security.middleware, and the log-in lockout of ``POST auth/token``) apply to the whole
    API, before any view runs, with the usual error body and a ``Retry-After`` header."""
    answer = {
        "description": "Too many requests (rate limit or log-in lockout); retry after the Retry-After header's seconds.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault(429, answer)
    return schema


def install_error_handlers(api: NinjaAPI) -> None:
    """Register the handlers; the most specific exception class wins (ninja looks along the MRO)."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (SchemaValidationError, _on_schema_validation),
        (ValidationError, _on_django_validation),
        (ApiError, _on_api_error),
        (AuthenticationError, _on_authentication),
        (PermissionDenied, _on_permission_denied),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (ConflictError, _on_conflict),
        (IntegrityError, _on_integrity),
        (DataError, _on_data_error),
        (HttpError, _on_http_error),
        (Exception, _on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
