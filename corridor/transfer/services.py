"""State changes of imports: receiving a file, checking it, committing it, remembering column mappings.

The web UI, the API and the ``corridor import`` command all go through these functions; they
record every import as an :class:`ImportRun` (who, when, file hash, counts) and translate file
problems into a refused run rather than an exception.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.core.permissions import is_operator, member_org_ids
from corridor.orgs.models import Organization
from corridor.transfer.choices import ImportMode, ImportStatus
from corridor.transfer.engine import ColumnMap, Importer, Outcome, Progress, map_columns
from corridor.transfer.models import ColumnMapping, ImportRun
from corridor.transfer.readers import FileProblem, Table, check_size, open_table
from corridor.transfer.specs import REGISTRY, get_spec, header_index
from corridor.transfer.specs.base import Spec


def resolve_organization(user: Any, organization: Organization | None) -> Organization | None:
    """The organisation an import runs for: checked for members, their only one when not given."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to import."))
    if is_operator(user):
        return organization
    orgs = member_org_ids(user)
    if not orgs:
        raise PermissionDenied(_("You need to act for an organisation to import."))
    if organization is None:
        if len(orgs) == 1:
            return Organization.objects.get(pk=next(iter(orgs)))
        raise ValidationError({"organization": _("Choose the organisation you import for.")})
    if organization.pk not in orgs:
        raise PermissionDenied(_("You do not act for {org}.").format(org=organization.name))
    return organization


def _spec(type_key: str) -> Spec:
    try:
        return get_spec(type_key)
    except LookupError:
        raise ValidationError(
            {"type": _("Unknown import type “{type}”; use one of: {types}.").format(type=type_key, types=", ".join(REGISTRY))}
        ) from None


def _hash_and_store(run: ImportRun, source: IO[bytes]) -> None:
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(delete=False, suffix=".upload") as tmp:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            size += len(chunk)
            digest.update(chunk)
            tmp.write(chunk)
    run.sha256 = digest.hexdigest()
    run.file_size = size
    try:
        if size:
            with open(tmp.name, "rb") as fh:
                run.file.save(run.sha256, File(fh), save=False)
    finally:
        Path(tmp.name).unlink(missing_ok=True)


def import_upload(
    *,
    user: Any,
    file: IO[bytes],
    file_name: str,
    type: str,  # noqa: A002 - the import type, named as everywhere else
    organization: Organization | None = None,
    mode: str = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    source: str = "web",
    size: int | None = None,
) -> ImportRun:
    """Receive a file and read its header. A file that cannot be read gives a refused run with a message."""
    spec = _spec(type)
    organization = resolve_organization(user, organization)
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("Unknown mode “{mode}”.").format(mode=mode)})
    run = ImportRun(
        user=user,
        organization=organization,
        file_name=(file_name or "upload")[-255:],
        type=spec.key,
        mode=mode,
        dry_run=dry_run,
        source=source,
    )
    if size is not None:
        try:
            check_size(size)
        except FileProblem as exc:
            run.file_size, run.sha256 = size, ""
            return _refuse(run, exc)
    _hash_and_store(run, file)
    try:
        check_size(run.file_size)
        table = _open(run, spec)
    except FileProblem as exc:
        return _refuse(run, exc)
    run.warnings = list(table.warnings)
    run.mapping = _remembered(spec, run.organization)
    run.save()
    return run


def _refuse(run: ImportRun, exc: FileProblem) -> ImportRun:
    run.status = ImportStatus.REJECTED
    run.message = exc.message
    run.phase = ""
    run.finished = timezone.now()
    if run.file:
        run.file.delete(save=False)
    run.save()
    return run


def _open(run: ImportRun, spec: Spec) -> Table:
    path = Path(run.file.path)
    return open_table(path, sheet_titles=(spec.sheet_title("zh-hans"), spec.sheet_title("en")), known_headers=set(header_index(spec)))


def _remembered(spec: Spec, organization: Organization | None) -> dict[str, str]:
    found = ColumnMapping.objects.filter(organization=organization, type=spec.key).first()
    return dict(found.mapping) if found else {}


def import_table(run: ImportRun) -> tuple[Spec, Table, ColumnMap]:
    """The run's file, header and column map (remembered and automatic matches)."""
    spec = _spec(run.type)
    if run.status == ImportStatus.REJECTED or not run.file:
        raise FileProblem(run.message or _("The file of this import is no longer available."), code="gone")
    table = _open(run, spec)
    colmap = map_columns(spec, table.headers, run.mapping, owner_default=run.organization is not None)
    return spec, table, colmap


def column_mapping_save(
    *, user: Any, run: ImportRun, choices: dict[int, str], remember: bool = True
) -> ImportRun:
    """Set which sheet column feeds which field (``choices``: column index → key or "" to ignore)."""
    if run.user_id != getattr(user, "pk", None) and not is_operator(user):
        raise PermissionDenied(_("This import belongs to someone else."))
    spec, table, _colmap = import_table(run)
    valid = {c.key for c in spec.all_columns()} | {""}
    mapping: dict[str, str] = {}
    from corridor.transfer.readers import normalize_header

    for idx, key in choices.items():
        if key not in valid:
            raise ValidationError({"mapping": _("Unknown column “{key}”.").format(key=key)})
        if 0 <= idx < len(table.headers) and table.headers[idx]:
            mapping[normalize_header(table.headers[idx])] = key
    used = [k for k in mapping.values() if k]
    if len(used) != len(set(used)):
        raise ValidationError({"mapping": _("Each field can be fed by one column only.")})
    with transaction.atomic():
        run.mapping = {**run.mapping, **mapping}
        run.save(update_fields=["mapping"])
        if remember:
            existing = ColumnMapping.objects.select_for_update().filter(organization=run.organization, type=run.type).first()
            if existing is None:
                ColumnMapping.objects.create(organization=run.organization, type=run.type, mapping=mapping, updated_by=user)
            else:
                existing.mapping = {**existing.mapping, **mapping}
                existing.updated_by = user
                existing.save(update_fields=["mapping", "updated_by", "updated"])
    return run


def _save_outcome(run: ImportRun, outcome: Outcome, *, final: bool) -> ImportRun:
    run.status = outcome.status
    run.rows = outcome.rows
    run.created_count = outcome.created
    run.updated_count = outcome.updated
    run.unchanged_count = outcome.unchanged
    run.invalid_count = outcome.invalid
    run.errors = outcome.errors
    run.warnings = outcome.warnings
    run.message = outcome.message
    run.preview = outcome.samples
    run.progress = outcome.rows
    run.phase = ""
    cache.delete(progress_key(run.pk))
    if final:
        run.finished = timezone.now()
    run.save()
    return run


def mapping_problem(spec: Spec, colmap: ColumnMap) -> str:
    parts = []
    if colmap.missing:
        parts.append(
            _("Required columns are missing: {columns}.").format(columns="、".join(spec.column(k).header() for k in colmap.missing))
        )
    if colmap.duplicates:
        parts.append(
            _("Several columns feed the same field: {columns}.").format(
                columns="、".join(spec.column(k).header() for k in colmap.duplicates)
            )
        )
    return " ".join(parts)


def progress_key(run_id: int) -> str:
    return f"transfer:progress:{run_id}"


def _tracked(run: ImportRun, progress: Progress | None) -> Progress:
    """A progress callback that also keeps the run's counter current for pages polling it."""

    def report(phase: str, done: int) -> None:
        if run.pk is not None:
            # The commit pass runs inside its transaction, where this update stays invisible to other
            # requests until the end; the cache (shared when REDIS_URL is set) carries it meanwhile.
            ImportRun.objects.filter(pk=run.pk).update(progress=done, phase=phase)
            cache.set(progress_key(run.pk), {"phase": phase, "done": done}, 3600)
        if progress is not None:
            progress(phase, done)

    return report


def import_check(run: ImportRun, *, user: Any, progress: Progress | None = None) -> ImportRun:
    """Validate every row and count creates / updates / unchanged / invalid; writes no data."""
    _require_own(run, user)
    try:
        spec, table, colmap = import_table(run)
    except FileProblem as exc:
        return _refuse(run, exc)
    if not colmap.complete:
        run.message = mapping_problem(spec, colmap)
        run.save(update_fields=["message"])
        return run
    importer = Importer(spec, table, colmap, user=user, organization=run.organization, mode=run.mode, progress=_tracked(run, progress))
    outcome = importer.check()
    if outcome.status == ImportStatus.REJECTED:
        return _refuse(run, _as_problem(outcome))
    return _save_outcome(run, outcome, final=False)


def import_commit(run: ImportRun, *, user: Any, mode: str | None = None, progress: Progress | None = None) -> ImportRun:
    """Write the file: everything or nothing by default, or only the valid rows when ``mode`` says so."""
    _require_own(run, user)
    if run.status in (ImportStatus.COMMITTED, ImportStatus.REJECTED):
        from corridor.core.errors import ConflictError

        raise ConflictError(_("This import is already finished."), code="finished")
    if mode is not None:
        if mode not in ImportMode.values:
            raise ValidationError({"mode": _("Unknown mode “{mode}”.").format(mode=mode)})
        run.mode = mode
    try:
        spec, table, colmap = import_table(run)
    except FileProblem as exc:
        return _refuse(run, exc)
    if not colmap.complete:
        raise ValidationError({"mapping": mapping_problem(spec, colmap)})
    importer = Importer(spec, table, colmap, user=user, organization=run.organization, mode=run.mode, progress=_tracked(run, progress))
    outcome = importer.commit(run_id=run.pk)
    if outcome.status == ImportStatus.REJECTED:
        return _refuse(run, _as_problem(outcome))
    return _save_outcome(run, outcome, final=outcome.status in (ImportStatus.COMMITTED, ImportStatus.FAILED))


def _as_problem(outcome: Outcome) -> FileProblem:
    return FileProblem(outcome.message, code="rejected")


def _require_own(run: ImportRun, user: Any) -> None:
    if run.user_id != getattr(user, "pk", None) and not is_operator(user):
        raise PermissionDenied(_("This import belongs to someone else."))


def import_file(
    *,
    user: Any,
    path: str | Path,
    type: str,  # noqa: A002
    organization: Organization | None = None,
    mode: str = ImportMode.ALL_OR_NOTHING,
    dry_run: bool = False,
    source: str = "cli",
    progress: Progress | None = None,
    file_name: str | None = None,
) -> ImportRun:
    """Upload, check and (unless ``dry_run``) commit in one go — for the command line and the API."""
    path = Path(path)
    with open(path, "rb") as fh:
        run = import_upload(
            user=user,
            file=fh,
            file_name=file_name or path.name,
            type=type,
            organization=organization,
            mode=mode,
            dry_run=dry_run,
            source=source,
            size=path.stat().st_size,
        )
    if run.status == ImportStatus.REJECTED:
        return run
    if dry_run:
        return import_check(run, user=user, progress=progress)
    try:
        return import_commit(run, user=user, progress=progress)
    except ValidationError as exc:
        run.message = " ".join(exc.messages)
        run.status = ImportStatus.INVALID
        run.finished = timezone.now()
        run.save()
        return run


def error_report(run: ImportRun, out: IO[bytes]) -> None:
    """The uploaded sheet with the run's messages (see writers.write_error_report)."""
    from corridor.transfer.writers import write_error_report

    _spec_, table, _colmap = import_table(run)
    write_error_report(table, run.errors, out)


def copy_to(path: Path, fileobj: IO[bytes]) -> None:
    with open(path, "wb") as fh:
        shutil.copyfileobj(fileobj, fh)


def types() -> Iterable[str]:
    return REGISTRY.keys()
