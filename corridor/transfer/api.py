"""JSON API of import/export: upload a spreadsheet, look at the run, commit it, fetch its error report; export lists.

Every write goes through ``corridor.transfer.services`` (the same functions as the web pages and
``corridor import``); every import is recorded as an ``ImportRun``. Errors have the API's one
shape ``{detail, code, fields}``: a refused file → 400 ``file_refused``, someone else's import →
404, committing a finished import → 409.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from typing import Any, Literal

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from corridor.api.auth import ApiRequest
from corridor.api.errors import ERRORS, ApiError, not_authenticated_message
from corridor.orgs.models import Organization
from corridor.transfer import services
from corridor.transfer.choices import ExportFormat, ImportMode, ImportStatus
from corridor.transfer.models import ImportRun
from corridor.transfer.readers import FileProblem
from corridor.transfer.selectors import export_queryset, import_runs_for
from corridor.transfer.specs import REGISTRY, get_spec
from corridor.transfer.specs.base import Spec
from corridor.transfer.writers import csv_stream, export_rows, write_xlsx

router = Router(tags=["import/export"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL_PARAMS = {"format", "page", "per_page", "sort", "ordering"}
MAX_MESSAGES_SHOWN = 1000


class RowMessage(Schema):
    row: int
    column: int | None
    message: str


class PreviewRow(Schema):
    row: int
    label: str
    messages: list[str]


class ImportOut(Schema):
    id: int
    type: str
    file_name: str
    sha256: str
    size: int
    mode: str
    dry_run: bool
    status: str
    status_label: str
    organization: int | None
    user: str | None
    created: dt.datetime
    finished: dt.datetime | None
    rows: int
    created_count: int
    updated_count: int
    unchanged_count: int
    invalid_count: int
    message: str
    warnings: list[str]
    messages: list[RowMessage]
    messages_total: int
    preview: dict[str, list[PreviewRow]]
    errors_url: str | None


def _present(run: ImportRun) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": run.pk,
        "type": run.type,
        "file_name": run.file_name,
        "sha256": run.sha256,
        "size": run.file_size,
        "mode": run.mode,
        "dry_run": run.dry_run,
        "status": run.status,
        "status_label": str(run.get_status_display()),
        "organization": run.organization_id,
        "user": run.user.get_username() if run.user else None,
        "created": run.created,
        "finished": run.finished,
        "rows": run.rows,
        "created_count": run.created_count,
        "updated_count": run.updated_count,
        "unchanged_count": run.unchanged_count,
        "invalid_count": run.invalid_count,
        "message": run.message,
        "warnings": [str(w) for w in run.warnings],
        "messages": [{"row": r, "column": c, "message": m} for r, c, m in run.errors[:MAX_MESSAGES_SHOWN]],
        "messages_total": len(run.errors),
        "preview": run.preview or {},
        "errors_url": reverse("api:import_errors", args=[run.pk]) if run.errors and run.file else None,
    }


def _signed_in(request: ApiRequest) -> Any:
    user = request.auth
    if not getattr(user, "is_authenticated", False):
        raise ApiError(401, "not_authenticated", not_authenticated_message())
    return user


def _run(request: ApiRequest, id: int) -> ImportRun:  # noqa: A002 - the path parameter's name
    user = _signed_in(request)
    run = import_runs_for(user).filter(pk=id).first()
    if run is None:
        raise ApiError(404, "not_found", _("No import #{id} of yours.").format(id=id))
    return run


def _spec(type_key: str) -> Spec:
    try:
        return get_spec(type_key)
    except LookupError:
        raise ApiError(
            404, "not_found", _("Unknown import type “{type}”; use one of: {types}.").format(type=type_key, types=", ".join(REGISTRY))
        ) from None


@router.post("/imports", response={201: ImportOut, **ERRORS}, url_name="import_create")
def import_create(
    request: ApiRequest,
    file: File[UploadedFile],
    type: Form[str],  # noqa: A002 - the import type, named as everywhere else
    mode: Form[Literal["all", "valid_only"]] = "all",
    organization: Form[int | None] = None,
    dry_run: Form[bool] = False,
) -> Any:
    """Upload an .xlsx or CSV file of ``type`` rows; check it (``dry_run``) or check and commit it.

    All or nothing by default: any invalid row leaves the import ``invalid`` with nothing written;
    ``mode=valid_only`` writes the valid rows. The answer is the recorded import (status, counts,
    row messages, the first rows of each kind); ``errors_url`` gives the error report.
    """
    user = _signed_in(request)
    if type not in REGISTRY:
        raise ApiError.field("type", _("Unknown import type “{type}”; use one of: {types}.").format(type=type, types=", ".join(REGISTRY)))
    org = None
    if organization is not None:
        org = Organization.objects.filter(pk=organization).first()
        if org is None:
            raise ApiError.field("organization", _("Unknown id: {id}.").format(id=organization), "unknown_id")
    run = services.import_upload(
        user=user, file=file, file_name=file.name or "upload", type=type, organization=org,
        mode=mode, dry_run=dry_run, source="api", size=file.size,
    )
    if run.status == ImportStatus.REJECTED:
        raise ApiError(400, "file_refused", run.message, {"file": [run.message]})
    if dry_run:
        run = services.import_check(run, user=user)
        if run.status == ImportStatus.UPLOADED and run.message:  # columns missing: nothing could be checked
            raise ApiError(400, "columns", run.message, {"file": [run.message]})
    else:
        run = services.import_commit(run, user=user)
    if run.status == ImportStatus.REJECTED:
        raise ApiError(400, "file_refused", run.message, {"file": [run.message]})
    return 201, _present(run)


@router.get("/imports/{id}", response={200: ImportOut, **ERRORS}, url_name="import_detail")
def import_detail(request: ApiRequest, id: int) -> Any:  # noqa: A002
    """One of one's own imports (operators: any): status, counts, row messages."""
    return _present(_run(request, id))


@router.post("/imports/{id}/commit", response={200: ImportOut, **ERRORS}, url_name="import_commit")
def import_commit(request: ApiRequest, id: int, mode: Literal["all", "valid_only"] | None = None) -> Any:  # noqa: A002
    """Write a checked (dry-run) import; ``?mode=valid_only`` skips invalid rows. 409 when already finished."""
    run = _run(request, id)
    run = services.import_commit(run, user=request.auth, mode=mode)
    if run.status == ImportStatus.REJECTED:
        raise ApiError(400, "file_refused", run.message, {"file": [run.message]})
    return _present(run)


@router.get("/imports/{id}/errors.xlsx", response={200: None, **ERRORS}, url_name="import_errors")
def import_errors(request: ApiRequest, id: int) -> HttpResponseBase:  # noqa: A002
    """The uploaded sheet with bad cells marked and a column of messages (404 when there are none)."""
    run = _run(request, id)
    if not run.errors:
        raise ApiError(404, "no_messages", _("This import has no row messages."))
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    try:
        services.error_report(run, spool)
    except FileProblem as exc:
        raise ApiError(404, "gone", exc.message) from exc
    spool.seek(0)
    stem = run.file_name.rsplit(".", 1)[0]
    return FileResponse(spool, as_attachment=True, filename=f"{stem}-errors.xlsx", content_type=XLSX)


@router.get("/exports/{type_key}", response={200: None, **ERRORS}, url_name="export")
def export(request: ApiRequest, type_key: str, format: str = ExportFormat.XLSX) -> HttpResponse | StreamingHttpResponse | FileResponse:  # noqa: A002
    """What the caller may see of a list, filtered with the list page's query parameters, as XLSX or CSV (UTF-8 with BOM).

    Example: ``/api/v1/exports/demands?format=csv&city=苏州``. The file imports back as all unchanged.
    """
    spec = _spec(type_key)
    if format not in ExportFormat.values:
        raise ApiError.field("format", _("Unknown format “{format}”; use xlsx or csv.").format(format=format))
    params = request.GET.copy()
    for key in CONTROL_PARAMS:
        params.pop(key, None)
    from django.core.exceptions import ValidationError

    try:
        qs = export_queryset(spec, request.auth, params)
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
        raise ApiError(400, "invalid", _("Some fields are not valid."), fields) from exc
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{spec.key}-{stamp}.{format}"
    rows = export_rows(spec, qs, request.auth)
    if format == ExportFormat.CSV:
        response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    write_xlsx(spec, rows, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)


__all__ = ["ImportMode", "router"]
