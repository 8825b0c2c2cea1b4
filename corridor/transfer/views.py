"""Web endpoints of import/export: exports of a list page's filtered view, templates and error reports.

The list pages link to ``transfer:export`` with their own query string plus ``type`` and
``format``; the same filter set and ``.restrict(user, "view")`` decide the rows.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from openpyxl.utils import get_column_letter

from corridor.core.errors import ConflictError
from corridor.core.generic import apply_validation_error
from corridor.core.permissions import is_operator, member_org_ids
from corridor.transfer.choices import ExportFormat, ImportMode, ImportStatus
from corridor.transfer.forms import ColumnMappingForm, ImportUploadForm
from corridor.transfer.models import ImportRun
from corridor.transfer.readers import FileProblem
from corridor.transfer.selectors import export_queryset, import_runs_for
from corridor.transfer.specs import REGISTRY, get_spec, type_choices
from corridor.transfer.writers import csv_stream, export_rows, write_template, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTROL_PARAMS = {"type", "format", "page", "per_page", "sort", "ordering"}


def _spec_or_404(type_key: str | None) -> object:
    try:
        return get_spec(type_key or "")
    except LookupError:
        raise Http404(_("Unknown import type “{type}”; use one of: {types}.").format(type=type_key, types=", ".join(REGISTRY))) from None


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


# The import pages: upload → column mapping → preview → commit, and the list of past imports --------


def _run_or_404(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(import_runs_for(request.user), pk=pk)


def _may_import(user: Any) -> bool:
    return is_operator(user) or bool(member_org_ids(user))


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    """``/transfer/imports/``: one's own imports (operators: everyone's), newest first."""
    paginator = Paginator(import_runs_for(request.user), 25)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "transfer/import_list.html",
        {"page_obj": page, "paginator": paginator, "runs": page.object_list, "may_import": _may_import(request.user),
         "querystring": ""},
    )


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    """``/transfer/imports/new/``: choose the type, organisation and mode, upload the file."""
    from corridor.transfer import services

    if not _may_import(request.user):
        raise PermissionDenied(_("You need to act for an organisation to import."))
    initial = {"type": request.GET.get("type")} if request.GET.get("type") in REGISTRY else {}
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_upload(
                user=request.user,
                file=upload,
                file_name=upload.name,
                type=form.cleaned_data["type"],
                organization=form.cleaned_data.get("organization"),
                mode=form.cleaned_data["mode"],
                source="web",
                size=upload.size,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if run.status == ImportStatus.REJECTED:
                form.add_error("file", run.message)
            else:
                return _after_upload(request, run)
    return render(request, "transfer/import_new.html", {"form": form, "types": type_choices()})


def _after_upload(request: HttpRequest, run: ImportRun) -> HttpResponse:
    """Straight to the preview when every header is known; otherwise to the mapping step."""
    from corridor.transfer import services

    try:
        _spec, table, colmap = services.import_table(run)
    except FileProblem as exc:
        messages.error(request, exc.message)
        return redirect("transfer:import_detail", pk=run.pk)
    if colmap.unknown or not colmap.complete:
        return redirect("transfer:import_mapping", pk=run.pk)
    services.import_check(run, user=request.user)
    return redirect("transfer:import_detail", pk=run.pk)


def _sample_rows(table: Any, n: int = 3) -> list[list[Any]]:
    out: list[list[Any]] = []
    try:
        for _number, values in table.data_rows():
            out.append(values)
            if len(out) >= n:
                break
    except FileProblem:
        pass
    return out


@login_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """``/transfer/imports/<id>/mapping/``: which sheet column feeds which field."""
    from corridor.transfer import services

    run = _run_or_404(request, pk)
    if run.status not in (ImportStatus.UPLOADED, ImportStatus.PREVIEWED):
        messages.info(request, _("This import is finished; its columns can no longer be mapped."))
        return redirect("transfer:import_detail", pk=run.pk)
    try:
        spec, table, colmap = services.import_table(run)
    except FileProblem as exc:
        messages.error(request, exc.message)
        return redirect("transfer:import_detail", pk=run.pk)
    form = ColumnMappingForm(
        request.POST or None, spec=spec, headers=table.headers, colmap=colmap, samples=_sample_rows(table)
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.column_mapping_save(
                user=request.user, run=run, choices=form.choices_by_index(), remember=form.cleaned_data["remember"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            _spec2, _table2, colmap = services.import_table(run)
            if colmap.complete:
                services.import_check(run, user=request.user)
                return redirect("transfer:import_detail", pk=run.pk)
            problem = services.mapping_problem(spec, colmap)
    elif not colmap.complete:
        problem = services.mapping_problem(spec, colmap)
    return render(
        request,
        "transfer/import_mapping.html",
        {"run": run, "form": form, "spec": spec, "problem": problem, "unknown": [h for _i, h in colmap.unknown]},
    )


PREVIEW_KINDS = (
    ("create", gettext_lazy("New"), "success"),
    ("update", gettext_lazy("Updated"), "primary"),
    ("unchanged", gettext_lazy("Unchanged"), "secondary"),
    ("invalid", gettext_lazy("Invalid"), "danger"),
)


def _detail_context(run: ImportRun) -> dict[str, Any]:
    counts = run.counts()
    kinds = [
        {"key": key, "label": label, "css": css, "count": counts.get("created" if key == "create" else "updated" if key == "update" else key, 0),
         "rows": (run.preview or {}).get(key, [])}
        for key, label, css in PREVIEW_KINDS
    ]
    committable = run.status == ImportStatus.PREVIEWED and not run.dry_run and (run.created_count + run.updated_count + run.unchanged_count) > 0
    list_url = ""
    try:
        spec = get_spec(run.type)
        list_url = _list_url(spec)
        type_label: Any = spec.label
    except LookupError:
        type_label = run.type
    return {
        "run": run,
        "kinds": kinds,
        "committable": committable,
        "needs_valid_only": committable and run.invalid_count > 0 and run.mode == ImportMode.ALL_OR_NOTHING,
        "list_url": list_url,
        "type_label": type_label,
        # (row, column letter as Excel shows it, message)
        "errors_shown": [(r, get_column_letter(c) if c else "", m) for r, c, m in run.errors[:100]],
        "in_progress": bool(run.phase),
    }


def _list_url(spec: Any) -> str:
    from django.urls import NoReverseMatch, reverse

    meta = spec.model._meta
    for name in (spec.list_url_name, f"{meta.app_label}:{meta.model_name}_list"):
        if not name:
            continue
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """``/transfer/imports/<id>/``: status, counts, the first rows of each kind, the commit button."""
    run = _run_or_404(request, pk)
    return render(request, "transfer/import_detail.html", _detail_context(run))


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """``/transfer/imports/<id>/progress.json``: rows handled so far, for the page waiting on a long import."""
    from django.core.cache import cache

    from corridor.transfer.services import progress_key

    run = _run_or_404(request, pk)
    live = cache.get(progress_key(run.pk)) or {}
    return JsonResponse(
        {"status": run.status, "phase": live.get("phase", run.phase), "done": live.get("done", run.progress), "rows": run.rows}
    )


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    """``POST /transfer/imports/<id>/commit/``: write the checked file."""
    from corridor.transfer import services

    run = _run_or_404(request, pk)
    mode = request.POST.get("mode") or None
    try:
        run = services.import_commit(run, user=request.user, mode=mode)
    except ConflictError as exc:
        messages.warning(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if run.status == ImportStatus.COMMITTED:
            messages.success(
                request,
                _("Imported: {created} new, {updated} updated, {unchanged} unchanged.").format(
                    created=run.created_count, updated=run.updated_count, unchanged=run.unchanged_count
                ),
            )
        else:
            messages.error(request, run.message or _("Nothing was imported."))
    return redirect("transfer:import_detail", pk=run.pk)


__all__ = ["ImportRun", "error_report", "export", "import_commit", "import_detail", "import_list", "import_new", "template"]
