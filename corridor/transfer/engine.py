"""The import engine: map the columns, check every row, then (and only then) write.

``check`` streams the sheet once and writes nothing: it parses every cell, finds the object each
row stands for (Corridor id, then external id, then natural key), applies the permission and model
rules and sorts rows into create / update / unchanged / invalid. ``commit`` runs the check, and when
the file may be written streams it a second time inside one transaction, re-checking each row
against the database as it is then and writing through the owning app's services. In the default
all-or-nothing mode a single bad row rolls everything back; in valid-rows-only mode bad rows are
skipped. Memory stays bounded: rows are handled in chunks and only their messages are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import ManyToManyField, Max
from django.utils.translation import gettext as _

from corridor.core.errors import ConflictError
from corridor.core.history import _plain as plain_value  # the change log's own value format, so records match
from corridor.core.models import ChangeAction, ChangeRecord
from corridor.core.permissions import is_operator, member_org_ids
from corridor.transfer import conf
from corridor.transfer.choices import ImportMode, ImportStatus
from corridor.transfer.models import ExternalKey
from corridor.transfer.parsers import CellError, Lookups
from corridor.transfer.readers import FileProblem, Table, normalize_header
from corridor.transfer.specs.base import (
    CREATE,
    INVALID,
    UNCHANGED,
    UPDATE,
    Row,
    RunContext,
    Spec,
    header_index,
)
from corridor.transfer.writers import is_report_header

CHUNK = 500
SAMPLES = 10  # rows of each kind kept for the preview
Progress = Callable[[str, int], None]


@dataclass
class ColumnMap:
    """Which sheet column (0-based) feeds which spec column, and what could not be matched."""

    columns: dict[int, str]
    unknown: list[tuple[int, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

    @property
    def present(self) -> set[str]:
        return set(self.columns.values())

    def index_of(self, key: str | None) -> int | None:
        if key is None:
            return None
        for idx, k in self.columns.items():
            if k == key:
                return idx
        return None

    @property
    def complete(self) -> bool:
        return not self.missing and not self.duplicates

    def as_headers(self, headers: list[str]) -> dict[str, str]:
        """{normalised header: key or ""} — the form kept in ColumnMapping and ImportRun.mapping."""
        out = {normalize_header(h): "" for h in headers if h}
        for idx, key in self.columns.items():
            if idx < len(headers) and headers[idx]:
                out[normalize_header(headers[idx])] = key
        return out


def map_columns(
    spec: Spec, headers: list[str], chosen: dict[str, str] | None = None, *, owner_default: bool = False
) -> ColumnMap:
    """Match headers to columns: ``chosen`` ({normalised header: key or ""}) first, then known headers."""
    known = header_index(spec)
    valid_keys = {c.key for c in spec.all_columns()}
    chosen = {k: v for k, v in (chosen or {}).items() if v == "" or v in valid_keys}
    columns: dict[int, str] = {}
    unknown: list[tuple[int, str]] = []
    used: dict[str, int] = {}
    duplicates: list[str] = []
    for idx, header in enumerate(headers):
        if not header:
            continue
        if is_report_header(header):
            continue  # the messages column of an error report being imported again
        norm = normalize_header(header)
        key = chosen[norm] if norm in chosen else known.get(norm)
        if key is None:
            unknown.append((idx, header))
            continue
        if key == "":
            continue
        if key in used:
            duplicates.append(key)
            continue
        used[key] = idx
        columns[idx] = key
    required = spec.required_keys()
    missing = [k for k in required if k not in used]
    if "owner" in valid_keys and "owner" not in used and not owner_default and "id" not in used:
        missing.append("owner")
    return ColumnMap(columns=columns, unknown=unknown, missing=missing, duplicates=sorted(set(duplicates)))


@dataclass
class Outcome:
    status: str = ImportStatus.PREVIEWED
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[list[Any]] = field(default_factory=list)  # [row, column (1-based) or None, message]
    warnings: list[str] = field(default_factory=list)
    message: str = ""
    written: int = 0
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # action → first rows

    def count(self, action: str) -> None:
        self.rows += 1
        if action == CREATE:
            self.created += 1
        elif action == UPDATE:
            self.updated += 1
        elif action == UNCHANGED:
            self.unchanged += 1
        else:
            self.invalid += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
            "message": self.message,
            "warnings": self.warnings,
            "errors": self.errors,
            "samples": self.samples,
        }


def new_snapshot(obj: Any, m2m: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """What ``corridor.core.history.snapshot`` records for a just-created object, without querying it back."""
    exclude = set(getattr(obj, "history_exclude", ()))
    data: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclude or f.primary_key:
            continue
        data[f.name] = plain_value(getattr(obj, f.attname))
    for f in obj._meta.many_to_many:
        if f.name in exclude:
            continue
        data[f.name] = sorted({t.pk for t in m2m.get(f.name) or []})
    data.update({k: plain_value(v) for k, v in extra.items()})
    return data


def make_context(user: Any, organization: Any = None, run_id: int | None = None) -> RunContext:
    return RunContext(
        user=user,
        operator=is_operator(user),
        member_org_ids=member_org_ids(user),
        organization=organization,
        lookups=Lookups(),
        run_id=run_id,
    )


class Importer:
    def __init__(
        self,
        spec: Spec,
        table: Table,
        colmap: ColumnMap,
        *,
        user: Any,
        organization: Any = None,
        mode: str = ImportMode.ALL_OR_NOTHING,
        progress: Progress | None = None,
    ) -> None:
        self.spec = spec
        self.table = table
        self.colmap = colmap
        self.user = user
        self.organization = organization
        self.mode = mode
        self.progress = progress
        self.present = colmap.present

    # -- public ----------------------------------------------------------------------------------

    def check(self) -> Outcome:
        """Validate every row; write nothing."""
        outcome = Outcome(warnings=list(self.table.warnings))
        ctx = make_context(self.user, self.organization)
        try:
            for rows in self._chunks(ctx, "check"):
                for row in rows:
                    self._tally(outcome, row)
        except FileProblem as exc:
            return Outcome(status=ImportStatus.REJECTED, message=exc.message, warnings=outcome.warnings)
        outcome.status = ImportStatus.PREVIEWED
        if outcome.rows == 0:
            outcome.status = ImportStatus.REJECTED
            outcome.message = _("The sheet has a header row but no data rows.")
        return outcome

    def commit(self, run_id: int | None = None) -> Outcome:
        """Check and write in one streamed pass inside one transaction.

        Each chunk of rows is parsed, matched and validated against the database as it is then (rows
        written by earlier chunks included), and its valid rows are written. All or nothing: once a
        row is invalid nothing more is written, every row is still checked for its messages, and the
        transaction is rolled back at the end. Valid rows only: invalid rows are skipped. The sheet
        is read once; new objects of types that allow it are inserted in bulk with their change
        records (see ``Spec.build``).
        """
        outcome = Outcome(warnings=list(self.table.warnings))
        ctx = make_context(self.user, self.organization, run_id)
        all_or_nothing = self.mode == ImportMode.ALL_OR_NOTHING
        try:
            with transaction.atomic():
                mark = ChangeRecord.objects.aggregate(m=Max("pk"))["m"] or 0
                invalid_seen = write_failed = False
                touched: list[int] = []
                for rows in self._chunks(ctx, "commit"):
                    if any(not row.valid for row in rows):
                        invalid_seen = True
                    if not (all_or_nothing and (invalid_seen or write_failed)):
                        self._write_chunk([r for r in rows if r.valid and r.action in (CREATE, UPDATE, UNCHANGED)], ctx, touched)
                        if all_or_nothing and any(not r.valid for r in rows):
                            write_failed = write_failed or not invalid_seen
                    for row in rows:
                        self._tally(outcome, row)
                if outcome.rows == 0:
                    raise _RolledBack(ImportStatus.REJECTED)
                if all_or_nothing and invalid_seen:
                    raise _RolledBack(ImportStatus.INVALID)
                if all_or_nothing and write_failed:
                    raise _RolledBack(ImportStatus.FAILED)
                if outcome.created + outcome.updated + outcome.unchanged == 0:
                    raise _RolledBack(ImportStatus.INVALID)
                if run_id is not None and touched:
                    self._tag_history(mark, touched, run_id)
        except _RolledBack as stop:
            status = stop.args[0]
            outcome.status = status
            if status == ImportStatus.REJECTED:
                outcome.message = _("The sheet has a header row but no data rows.")
            elif status == ImportStatus.FAILED:
                outcome.created = outcome.updated = outcome.unchanged = 0
                outcome.message = _("Some rows could not be written (see their messages), so nothing was imported.")
            elif all_or_nothing and outcome.invalid:
                outcome.message = _(
                    "{n} rows are invalid, so nothing was imported. Correct them, or import the valid rows only."
                ).format(n=outcome.invalid)
            else:
                outcome.message = _("No row is valid; nothing was imported.")
            return outcome
        except FileProblem as exc:
            return Outcome(status=ImportStatus.REJECTED, message=exc.message, warnings=outcome.warnings)
        outcome.status = ImportStatus.COMMITTED
        return outcome

    def _write_chunk(self, rows: list[Row], ctx: RunContext, touched: list[int]) -> None:
        """Write the chunk's valid rows: new objects in bulk where the type allows it, the rest one by one."""
        bulk = [r for r in rows if r.action == CREATE] if self.spec.bulk_create else []
        if bulk and not self._bulk_create(bulk, ctx):
            bulk = []  # the database refused the batch: write those rows one by one for precise messages
        done = {id(r) for r in bulk}
        for row in rows:
            if id(row) not in done:
                self._write(row, ctx, touched)

    def _bulk_create(self, rows: list[Row], ctx: RunContext) -> bool:
        """Insert new objects, their many-to-many rows, change records and external ids in a few queries."""
        spec = self.spec
        model = spec.model
        built = [(row, *spec.build(row, ctx, self.present)) for row in rows]
        try:
            with transaction.atomic():
                objs = model._default_manager.bulk_create([obj for _row, obj, _m2m in built], batch_size=CHUNK)
                if any(o.pk is None for o in objs):
                    raise DatabaseError("no primary keys returned")  # pragma: no cover - every supported database returns them
                for name in {n for _r, _o, m2m in built for n in m2m}:
                    field = cast(ManyToManyField, model._meta.get_field(name))  # build() returns many-to-many names only
                    through: Any = field.remote_field.through  # always set once the app registry is ready
                    src = field.m2m_field_name()
                    dst = field.m2m_reverse_field_name()
                    links = [
                        through(**{f"{src}_id": obj.pk, f"{dst}_id": target.pk})
                        for _row, obj, m2m in built
                        for target in {t.pk: t for t in m2m.get(name) or []}.values()
                    ]
                    through._default_manager.bulk_create(links, batch_size=CHUNK)
                ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
                actor = ctx.user if getattr(ctx.user, "is_authenticated", False) else None
                extra = {"import_run": ctx.run_id} if ctx.run_id is not None else {}
                ChangeRecord.objects.bulk_create(
                    [
                        ChangeRecord(
                            user=actor, user_name=actor.get_username() if actor else "", content_type=ct, object_id=obj.pk,
                            object_repr=str(obj)[:300], action=ChangeAction.CREATE, source=spec.source[:40],
                            changes={**new_snapshot(obj, m2m, spec.bulk_history_extra(obj)), **extra},
                        )
                        for _row, obj, m2m in built
                    ],
                    batch_size=CHUNK,
                )
                ExternalKey.objects.bulk_create(
                    [
                        ExternalKey(type=spec.key, scope=ctx.organization, external_id=row.external_id, object_id=obj.pk,
                                    import_run_id=ctx.run_id)
                        for row, obj, _m2m in built
                        if row.external_id
                    ],
                    batch_size=CHUNK,
                )
                spec.after_bulk_create(objs, ctx)
        except DatabaseError:
            return False
        for row, obj, _m2m in built:
            row.obj = obj
            ctx.seen_objects.setdefault(obj.pk, row.number)
        return True

    # -- rows ------------------------------------------------------------------------------------

    def _tally(self, outcome: Outcome, row: Row) -> None:
        if not row.valid:
            row.action = INVALID
        outcome.count(row.action)
        kept = outcome.samples.setdefault(row.action, [])
        if len(kept) < SAMPLES:
            kept.append({"row": row.number, "label": self._label(row), "messages": [str(m) for _k, m in row.errors]})
        if row.errors:
            limit = conf.get("MAX_MESSAGES")
            for key, message in row.errors:
                if len(outcome.errors) >= limit:
                    break
                idx = self.colmap.index_of(key)
                outcome.errors.append([row.number, None if idx is None else idx + 1, str(message)])

    def _label(self, row: Row) -> str:
        """What the preview calls a row: its first text column (name or title), else the object."""
        first = self.spec.columns[0].key
        value = row.values.get(first) or row.parsed.get(first)
        if value is None and row.obj is not None:
            value = row.obj
        if value is None:
            idx = self.colmap.index_of(first)
            value = row.raw[idx] if idx is not None and idx < len(row.raw) else ""
        return str(value or "")[:120]

    def _chunks(self, ctx: RunContext, phase: str) -> Iterator[list[Row]]:
        batch: list[Row] = []
        done = 0
        for number, values in self.table.data_rows():
            batch.append(self._parse(number, values, ctx))
            if len(batch) >= CHUNK:
                self._plan(batch, ctx)
                yield batch
                done += len(batch)
                if self.progress:
                    self.progress(phase, done)
                batch = []
        if batch:
            self._plan(batch, ctx)
            yield batch
            done += len(batch)
            if self.progress:
                self.progress(phase, done)

    def _parse(self, number: int, values: list[Any], ctx: RunContext) -> Row:
        row = Row(number=number, raw=values)
        required = set(self.spec.required_keys())
        for idx, key in self.colmap.columns.items():
            raw = values[idx] if idx < len(values) else None
            col = self.spec.column(key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                row.values[key] = None
                if key in required:
                    row.error(key, _("“{column}” is required.").format(column=col.header()))
                continue
            try:
                row.values[key] = col.parser.parse(raw, ctx.lookups)
            except CellError as exc:
                row.values[key] = None
                row.error(key, exc.message)
        ext = row.values.get("external_id")
        row.external_id = ext or ""
        return row

    def _plan(self, rows: list[Row], ctx: RunContext) -> None:
        spec = self.spec
        ids = {r.values["id"] for r in rows if r.values.get("id")}
        exts = {r.external_id for r in rows if r.external_id}
        keys = {
            k.external_id: k
            for k in ExternalKey.objects.filter(type=spec.key, scope=ctx.organization, external_id__in=exts)
        } if exts else {}
        wanted = ids | {k.object_id for k in keys.values()}
        objs = {o.pk: o for o in spec.queryset().filter(pk__in=wanted)} if wanted else {}
        for row in rows:
            key = keys.get(row.external_id) if row.external_id else None
            row.external_key = key
            pk = row.values.get("id")
            if pk:
                row.obj = objs.get(pk)
                if row.obj is None:
                    row.error("id", _("No {type} has the Corridor ID {id}.").format(type=spec.sheet_title(), id=pk))
                elif key is not None and key.object_id != pk and key.object_id in objs:
                    row.error(
                        "external_id",
                        _("External ID “{ext}” already belongs to Corridor ID {other}.").format(ext=row.external_id, other=key.object_id),
                    )
            elif key is not None:
                row.obj = objs.get(key.object_id)  # None: the object was deleted since; the key is renewed
            row.parsed = dict(row.values)
            if not row.errors or row.obj is not None:
                spec.prepare(row, ctx, self.present)
        # Rows without a known object: look for it by natural key.
        pending = [r for r in rows if r.obj is None and not r.values.get("id")]
        for r in pending:
            r.natural_key = spec.natural_key(r)
        found = spec.find_natural([r for r in pending if r.natural_key is not None])
        for r in pending:
            matches = found.get(r.natural_key, []) if r.natural_key is not None else []
            if len(matches) > 1:
                r.error(None, _("Several existing entries match this row; add the Corridor ID column to say which one."))
            elif matches:
                r.obj = matches[0]
                r.values = dict(r.parsed)
                spec.prepare(r, ctx, self.present)
        for row in rows:
            self._check_row(row, ctx)

    def _check_row(self, row: Row, ctx: RunContext) -> None:
        spec = self.spec
        if row.external_id:
            first = ctx.seen_external.setdefault(row.external_id, row.number)
            if first != row.number:
                row.error("external_id", _("Row {row} has the same external ID.").format(row=first))
        if row.obj is not None:
            first = ctx.seen_objects.setdefault(row.obj.pk, row.number)
            if first != row.number:
                row.error(None, _("Row {row} already imports this entry.").format(row=first))
        else:
            for key in spec.duplicate_keys(row):
                first = ctx.seen_keys.setdefault(key, row.number)
                if first != row.number:
                    row.error(None, _("Row {row} already adds this entry.").format(row=first))
                    break
        if row.errors:
            row.action = INVALID
            return
        spec.check_permission(row, ctx)
        if row.errors:
            row.action = INVALID
            return
        spec.validate(row, ctx, self.present)
        if row.errors:
            row.action = INVALID
            return
        row.action = spec.classify(row, self.present)

    # -- writing ---------------------------------------------------------------------------------

    def _write(self, row: Row, ctx: RunContext, touched: list[int]) -> None:
        try:
            with transaction.atomic():
                if row.action in (CREATE, UPDATE):
                    if row.obj is not None:
                        # Drop comparison prefetches so the change record's snapshots read the database.
                        getattr(row.obj, "_prefetched_objects_cache", {}).clear()
                    obj = self.spec.write(row, ctx, self.present)
                    touched.append(obj.pk)
                    ctx.seen_objects.setdefault(obj.pk, row.number)
                else:
                    obj = row.obj
                if row.external_id:
                    self._link(row, obj, ctx)
        except ValidationError as exc:
            self.spec._add_validation_errors(row, exc)
        except (PermissionDenied, ConflictError) as exc:
            row.error(None, str(getattr(exc, "message", exc) or _("Not allowed.")))
        except DatabaseError as exc:
            row.error(None, _("The database refused this row: {error}").format(error=str(exc).splitlines()[0][:200]))

    def _link(self, row: Row, obj: Any, ctx: RunContext) -> None:
        key = row.external_key
        if key is None:
            ExternalKey.objects.create(
                type=self.spec.key, scope=ctx.organization, external_id=row.external_id, object_id=obj.pk, import_run_id=ctx.run_id
            )
        elif key.object_id != obj.pk:
            key.object_id = obj.pk
            key.import_run_id = ctx.run_id
            key.save(update_fields=["object_id", "import_run"])

    def _tag_history(self, mark: int, touched: list[int], run_id: int) -> None:
        """Put the import's id into the change records its rows wrote (the services know nothing of imports)."""
        ct = ContentType.objects.get_for_model(self.spec.model, for_concrete_model=True)
        for start in range(0, len(touched), CHUNK):
            part = touched[start : start + CHUNK]
            records = list(
                ChangeRecord.objects.filter(pk__gt=mark, content_type=ct, object_id__in=part, source=self.spec.source)
            )
            for rec in records:
                rec.changes = {**(rec.changes or {}), "import_run": run_id}
            ChangeRecord.objects.bulk_update(records, ["changes"], batch_size=CHUNK)


class _RolledBack(Exception):
    pass
