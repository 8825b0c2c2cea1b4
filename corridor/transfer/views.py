"""Web endpoints of import/export: exports of a list page's filtered view, templates and error reports.

The list pages link to ``transfer:export`` with their own query string plus ``type`` and
``format``; the same filter set and ``.restrict(user, "view")`` decide the rows.
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from corridor.transfer.choices import ExportFormat
from corridor.transfer.models import ImportRun
from corridor.transfer.readers import FileProblem
from corridor.transfer.selectors import export_queryset, import_runs_for
from corridor.transfer.specs import get_spec
from corridor.transfer.writers import csv_stream, export_rows, write_template, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL_PARAMS = {"type", "format", "page", "per_page", "sort", "ordering"}


def _spec_or_404(type_key: str | None) -> object:
    try:
        return get_spec(type_key or "")
    except LookupError:
        raise Http404(_("Unknown import type “{type}”; use one of: {types}.").format(type=type_key, types="resources, demands, cooperation, organizations")) from None


@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """``/transfer/export/?type=resources&format=xlsx&city=苏州&…`` — what the user sees, filtered like the list page."""
    spec = _spec_or_404(request.GET.get("type"))
    fmt = request.GET.get("format", ExportFormat.XLSX)
    if fmt not in ExportFormat.values:
        return HttpResponseBadRequest(_("Unknown mode “{mode}”.").format(mode=fmt))
    params = request.GET.copy()
    for key in CONTROL_PARAMS:
        params.pop(key, None)
    try:
        qs = export_queryset(spec, request.user, params)  # type: ignore[arg-type]
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{spec.key}-{stamp}.{fmt}"  # type: ignore[attr-defined]
    rows = export_rows(spec, qs, request.user)  # type: ignore[arg-type]
    if fmt == ExportFormat.CSV:
        response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - handed to FileResponse, which closes it
    write_xlsx(spec, rows, spool)  # type: ignore[arg-type]
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX)


@require_GET
def template(request: HttpRequest, type_key: str) -> HttpResponseBase:
    spec = _spec_or_404(type_key)
    spool = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    write_template(spec, spool)  # type: ignore[arg-type]
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"template-{type_key}.xlsx", content_type=XLSX)


@require_GET
def error_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    from corridor.transfer.services import error_report as build

    if not request.user.is_authenticated:
        raise Http404()
    run = get_object_or_404(import_runs_for(request.user), pk=pk)
    if not run.errors:
        raise Http404(_("This import has no row messages."))
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - closed by FileResponse
    try:
        build(run, spool)
    except FileProblem as exc:
        raise Http404(exc.message) from exc
    spool.seek(0)
    stem = run.file_name.rsplit(".", 1)[0]
    return FileResponse(spool, as_attachment=True, filename=f"{stem}-errors.xlsx", content_type=XLSX)


__all__ = ["ImportRun", "error_report", "export", "template"]
