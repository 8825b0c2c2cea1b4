"""What an import/export type is made of: its columns, how rows find their object, and how they are written.

A type is a :class:`Spec` registered under a key ("resources", "demands", …). Adding a type (the
market's transactions, the labs' instruments) means writing one small Spec subclass: columns with
their parsers, the natural key, the permission rule and the service calls that write a row.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from corridor.core.permissions import CHANGE, can
from corridor.transfer.parsers import Integer, Lookups, Parser, Text
from corridor.transfer.readers import normalize_header

CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "invalid"


@dataclass
class Column:
    """One spreadsheet column: its headers (Chinese, English, aliases), parser and model field."""

    key: str
    label: Promise | str  # English msgid; its Chinese translation is the template header
    parser: Parser
    field: str | None = None  # the model field it sets; None for columns handled by the spec
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: Promise | str = ""
    examples: tuple[Any, ...] = ()
    empty: Any = None  # the value an empty cell stands for

    def header(self, lang: str = "zh-hans") -> str:
        with translation.override(lang):
            return str(self.label)

    def accepted_headers(self) -> set[str]:
        names = {self.key, self.header("zh-hans"), self.header("en"), *self.aliases}
        return {normalize_header(n) for n in names if n}


@dataclass
class RunContext:
    """What every row of one import shares: who imports, for which organisation, and the caches."""

    user: Any
    operator: bool
    member_org_ids: set[int]
    organization: Any = None  # default owner and external-id scope
    lookups: Lookups = field(default_factory=Lookups)
    seen_objects: dict[int, int] = field(default_factory=dict)  # object pk → first row
    seen_keys: dict[Any, int] = field(default_factory=dict)  # natural key of a new object → first row
    seen_external: dict[str, int] = field(default_factory=dict)  # external id → first row
    run_id: int | None = None


@dataclass
class Row:
    number: int
    raw: list[Any]
    values: dict[str, Any] = field(default_factory=dict)  # parsed values of the columns present
    errors: list[tuple[str | None, str]] = field(default_factory=list)  # (column key or None, message)
    obj: Any = None
    action: str = ""
    external_id: str = ""
    external_key: Any = None  # the ExternalKey row found for external_id, if any
    natural_key: Any = None
    parsed: dict[str, Any] = field(default_factory=dict)  # values as parsed, before prepare() derived any
    extra: dict[str, Any] = field(default_factory=dict)  # spec-specific prepared data

    def error(self, key: str | None, message: str) -> None:
        self.errors.append((key, message))

    @property
    def valid(self) -> bool:
        return not self.errors


class Spec:
    """Base class of an import/export type. Subclasses set the class attributes and the hooks below."""

    key: ClassVar[str]
    model: ClassVar[type[models.Model]]
    label: ClassVar[Promise]  # plural, e.g. “Resources” → 资源 (also the data sheet's title)
    filterset_class: ClassVar[Any] = None
    list_url_name: ClassVar[str] = ""  # the list page of the type's objects (links after an import)
    columns: ClassVar[list[Column]]
    # the service writes records with this source
    source = "import"
    # New objects may be inserted in bulk (build() + after_bulk_create()) instead of one service call per row.
    # Only for types whose create service does nothing beyond the checks the importer already made.
    bulk_create: ClassVar[bool] = False

    id_column = Column("id", gettext_lazy("Corridor ID"), Integer(1), aliases=("系统ID", "ID", "编号（系统）"),
                       help=gettext_lazy("Filled in on export; leave empty for new rows. A row with an id updates that entry."))
    external_column = Column(
        "external_id",
        gettext_lazy("External ID"),
        Text(100),
        aliases=("外部ID", "序号", "原编号", "external id", "ext id"),
        help=gettext_lazy("Your own number for the row. Importing again with the same number updates instead of duplicating."),
    )

    # -- columns ---------------------------------------------------------------------------------

    @classmethod
    def all_columns(cls) -> list[Column]:
        return [cls.id_column, cls.external_column, *cls.columns]

    @classmethod
    def column(cls, key: str) -> Column:
        for col in cls.all_columns():
            if col.key == key:
                return col
        raise KeyError(key)

    @classmethod
    def sheet_title(cls, lang: str = "zh-hans") -> str:
        with translation.override(lang):
            return str(cls.label)

    @classmethod
    def required_keys(cls, ctx: RunContext | None = None) -> list[str]:
        return [c.key for c in cls.columns if c.required]

    # -- hooks -----------------------------------------------------------------------------------

    def queryset(self) -> models.QuerySet:
        """Objects with what the comparison and the export read (select/prefetch)."""
        return self.model._default_manager.all()

    def prepare(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        """Fill derived values (defaults from the owner, …) after the cells are parsed."""

    def natural_key(self, row: Row) -> Any:
        """A hashable key identifying the object when the row has neither id nor a known external id."""
        return None

    def find_natural(self, rows: Sequence[Row]) -> dict[Any, list[Any]]:
        """Existing objects for the natural keys of ``rows``: key → objects."""
        return {}

    def duplicate_keys(self, row: Row) -> list[Any]:
        """Keys that two rows creating new objects may not share."""
        return [row.natural_key] if row.natural_key is not None else []

    def check_permission(self, row: Row, ctx: RunContext) -> None:
        """Add an error to ``row`` unless the user may write it."""
        if row.obj is not None and not ctx.operator and not can(ctx.user, CHANGE, row.obj):
            row.error(None, _("This row matches an entry that you may not change."))

    def current(self, obj: Any, col: Column) -> Any:
        if col.field is None:
            return None
        f = obj._meta.get_field(col.field)
        if f.many_to_many:
            return list(getattr(obj, col.field).all())
        return getattr(obj, col.field)

    def extra_changed(self, row: Row) -> bool:
        """Whether the spec's own (non-field) columns differ from the object."""
        return False

    def validate(self, row: Row, ctx: RunContext, present: set[str]) -> None:
        """Cross-field and model rules on a transient copy of the object, without touching the database."""
        data = self.field_data(row, present)
        if row.obj is None:
            instance = self.model()
        else:
            instance = copy.copy(row.obj)
        m2m = {f.name for f in self.model._meta.many_to_many}
        fk_names = []
        for name, value in data.items():
            if name in m2m:
                continue
            f = self.model._meta.get_field(name)
            if f.is_relation:
                fk_names.append(name)
            setattr(instance, name, value)
        exclude = fk_names + [f.name for f in self.model._meta.concrete_fields if f.is_relation] + list(m2m)
        try:
            instance.clean_fields(exclude=exclude)
            instance.clean()
        except ValidationError as exc:
            self._add_validation_errors(row, exc)

    def write(self, row: Row, ctx: RunContext, present: set[str]) -> Any:
        """Create or update the object through the app's services; return it."""
        raise NotImplementedError

    def build(self, row: Row, ctx: RunContext, present: set[str]) -> tuple[Any, dict[str, Any]]:
        """An unsaved new object for a checked row, and its many-to-many values (bulk creation)."""
        data = self.field_data(row, present)
        m2m_names = {f.name for f in self.model._meta.many_to_many}
        obj = self.model()
        m2m: dict[str, Any] = {}
        for name, value in data.items():
            if name in m2m_names:
                m2m[name] = value
            else:
                setattr(obj, name, value)
        return obj, m2m

    def bulk_history_extra(self, obj: Any) -> dict[str, Any]:
        """The model's ``history_extra()`` of a just-created object, computed without queries."""
        return {}

    def after_bulk_create(self, objs: list[Any], ctx: RunContext) -> None:
        """What the model's signals would have done for objects inserted in bulk (e.g. index events)."""

    def export_value(self, obj: Any, col: Column, ctx: Any) -> Any:
        return col.parser.export(self.current(obj, col))

    # -- shared helpers --------------------------------------------------------------------------

    def field_data(self, row: Row, present: set[str]) -> dict[str, Any]:
        """{model field: value} for the columns present in the file (empty cells: the column's empty value)."""
        data: dict[str, Any] = {}
        for col in self.columns:
            if col.field is None or col.key not in present:
                continue
            value = row.values.get(col.key)
            data[col.field] = col.empty if value is None else value
        return data

    def classify(self, row: Row, present: set[str]) -> str:
        if row.obj is None:
            return CREATE
        for col in self.columns:
            if col.field is None or col.key not in present:
                continue
            value = row.values.get(col.key)
            new = col.empty if value is None else value
            if not col.parser.same(self.current(row.obj, col), new):
                return UPDATE
        return UPDATE if self.extra_changed(row) else UNCHANGED

    def field_column(self, field_name: str) -> str | None:
        for col in self.columns:
            if col.field == field_name:
                return col.key
        return None

    def _add_validation_errors(self, row: Row, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                key = None if name == NON_FIELD_ERRORS else self.field_column(name)
                for message in errors:
                    row.error(key, message)
        else:
            for message in exc.messages:
                row.error(None, message)

    @staticmethod
    def group(objs: Iterable[Any], key: Any) -> dict[Any, list[Any]]:
        out: dict[Any, list[Any]] = defaultdict(list)
        for obj in objs:
            out[key(obj)].append(obj)
        return out


REGISTRY: dict[str, type[Spec]] = {}


def register(spec: type[Spec]) -> type[Spec]:
    REGISTRY[spec.key] = spec
    return spec


def header_index(spec: type[Spec] | Spec) -> dict[str, str]:
    """Normalised accepted header → column key; two columns accepting the same header is a bug."""
    headers: dict[str, str] = {}
    for col in spec.all_columns():
        for h in col.accepted_headers():
            if h in headers and headers[h] != col.key:
                raise ValueError(f"{spec.key}: header {h!r} is accepted by both {headers[h]} and {col.key}")
            headers[h] = col.key
    return headers


def get_spec(key: str) -> Spec:
    try:
        return REGISTRY[key]()
    except KeyError:
        raise LookupError(key) from None
