"""The data version: one value that changes whenever the database's content changes.

Caches of whole answers (``corridor.api.answers``) key their entries by it, so an answer computed
before a change is never served after it. It is kept by the database connection itself, not by the
code that writes: every statement Django sends goes through :func:`_watch` (an execute wrapper
installed on each new connection), and every statement that is not a read — ORM saves, deletes,
``QuerySet.update``, ``bulk_create``, raw SQL through a Django cursor, migrations — changes the
version, except writes to the tables in :data:`EXEMPT_TABLES` (what reads themselves write:
sessions, login attempts, the audit log) and noting a token's "last used".

Where the value lives and when it changes:

- **SQLite**: one row of ``core_dataversion``, set to a new random value by the same connection
  right after the write, inside the writer's transaction. SQLite has one writer at a time, and a
  reader sees the data and the row of one commit together, so a reader that sees the new value sees
  the new data.
- **PostgreSQL**: the sequence ``corridor_data_version``; ``nextval`` neither takes locks nor waits,
  so writers never queue on it (a row would serialise every writing transaction and could deadlock
  against row locks). Because ``nextval`` is visible before the writer commits, the value is
  advanced once more after the commit (``on_commit``): an answer computed from the old data in
  between is filed under a value that is already gone.

Random values (SQLite) rather than a counter: a transaction rolled back returns the row to an older
value, and a counter would then hand out again values that answers were filed under.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

__all__ = ["EXEMPT_TABLES", "bump", "current", "install", "renew"]

TABLE = "core_dataversion"
SEQUENCE = "corridor_data_version"

#: Tables whose writes leave the version alone: written while reading (sessions, axes' login
#: records, the audit log of denials and downloads) and the version itself. None of them feeds a
#: cached answer.
EXEMPT_TABLES = frozenset(
    {
        TABLE,
        "django_session",
        "security_auditevent",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
    }
)

# Statements that change nothing. Anything else (INSERT, UPDATE, DELETE, REPLACE, DDL, WITH …)
# counts as a write: a statement taken for a write by mistake only costs a cache miss.
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "PRAGMA", "SET ", "SHOW", "EXPLAIN", "VALUES")
_DDL = ("CREATE", "ALTER ", "DROP T", "DROP S", "DROP I", "DROP V")
_TARGET = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


#: Single statements that leave it alone: noting when an API token was last used (at most once a
#: minute per token, ``ApiToken.authenticate``). Every other write to tokens counts: a revocation must
#: end the tokens remembered for the current version.
_EXEMPT_STATEMENTS = re.compile(
    r'\s*UPDATE\s+"api_apitoken"\s+SET\s+"last_used"\s*=\s*%s\s+WHERE\s+"api_apitoken"\."id"\s*=\s*%s\s*$', re.IGNORECASE
)


def _is_write(sql: str) -> bool:
    head = sql.lstrip()[:9].upper()
    if head.startswith(_READS) or _EXEMPT_STATEMENTS.match(sql):
        return False
    m = _TARGET.match(sql)
    return m is None or m.group(1).lower() not in EXEMPT_TABLES


def _new_value() -> int:
    return secrets.randbits(62) + 1


def _ready(connection: BaseDatabaseWrapper, raw: Any) -> bool:
    """Whether the version's table or sequence exists yet (not while ``migrate`` builds a new
    database); remembered per connection until the next DDL statement."""
    ready = getattr(connection, "_corridor_version_ready", None)
    if ready is None:
        if connection.vendor == "postgresql":
            row = _raw(raw, f"SELECT to_regclass('{SEQUENCE}') IS NOT NULL")
        else:
            row = _raw(raw, f"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'")  # noqa: S608
        ready = bool(row and row[0])
        connection._corridor_version_ready = ready  # type: ignore[attr-defined]
    return bool(ready)


def _raw(raw: Any, sql: str) -> Any:
    """Run ``sql`` on a cursor of its own of the raw DB-API connection; its first row, if any."""
    cursor = raw.cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchone() if cursor.description else None
    finally:
        cursor.close()


def bump(connection: BaseDatabaseWrapper) -> None:
    """Give the data a new version on ``connection`` (its raw connection: no wrappers, and the cursor
    that ran the write keeps its ``lastrowid`` and result rows)."""
    raw = connection.connection
    if raw is None or not _ready(connection, raw):
        return
    if connection.vendor == "postgresql":
        _raw(raw, f"SELECT nextval('{SEQUENCE}')")
    else:
        # the literal is an int we made; INSERT OR REPLACE puts the row back after a flush
        _raw(raw, f"INSERT OR REPLACE INTO {TABLE} (id, value) VALUES (1, {_new_value()})")  # noqa: S608


def _after_commit(connection: BaseDatabaseWrapper) -> Callable[[], None]:
    def run() -> None:
        bump(connection)

    return run


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and _is_write(sql):
        connection: BaseDatabaseWrapper = context["connection"]
        if sql.lstrip()[:6].upper() in _DDL:
            connection._corridor_version_ready = None  # type: ignore[attr-defined]  # look again
        bump(connection)
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # once per transaction: Django replaces run_on_commit by a new list at each commit or
            # rollback (of a savepoint too, dropping the hooks registered inside it)
            if getattr(connection, "_corridor_version_hooks", None) is not connection.run_on_commit:
                transaction.on_commit(_after_commit(connection), using=connection.alias)
                connection._corridor_version_hooks = connection.run_on_commit  # type: ignore[attr-defined]
    return result


def install(sender: Any = None, connection: BaseDatabaseWrapper | None = None, **kwargs: Any) -> None:
    """``connection_created`` receiver: watch this connection's statements (once per wrapper). First
    in the list, i.e. outermost: ``connection.execute_wrapper()`` blocks pop the last wrapper when they
    end, and a statement that an inner wrapper fails is no write."""
    if connection is not None and _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def renew(connection: BaseDatabaseWrapper) -> None:
    """After a restore: a value never handed out before. A restored PostgreSQL sequence is back at
    its old value, and counting on from there would repeat values that answers were filed under
    since the backup; jump far beyond them. (SQLite's values are random: a new one will do.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT setval('{SEQUENCE}', (SELECT last_value FROM {SEQUENCE}) + %s)", [(_new_value() >> 20) + 1_000_000])  # noqa: S608 (fixed name)
        else:
            cursor.execute(f"INSERT OR REPLACE INTO {TABLE} (id, value) VALUES (1, %s)", [_new_value()])  # noqa: S608


def current(using: str = DEFAULT_DB_ALIAS) -> int | None:
    """The data version now, or None when there is none yet (a database just emptied by a flush:
    callers must not cache then)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT last_value FROM {SEQUENCE}")  # noqa: S608 (fixed name)
        else:
            cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 (fixed name)
        row = cursor.fetchone()
    return int(row[0]) if row else None
