"""Backup and restore of the whole database, and a fingerprint of every table to compare them.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot while
the platform keeps running; restoring copies the backup page by page over the live database.
PostgreSQL: ``pg_dump -Fc`` and ``pg_restore --clean --if-exists --single-transaction`` with the
connection parameters of ``DATABASE_URL`` (the password goes through ``PGPASSWORD``, never the
command line or the output).

The matching indexes under ``var/index/`` are derived from the database and are not part of a
backup: ``corridor restore`` rebuilds them (``corridor matching rebuild``) after restoring.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump / pg_restore with a fixed argv, no shell)
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

from corridor.core import dataversion

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"

# progress(done, total) — total is None while unknown
Progress = Callable[[int, int | None], None]


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    kind: str  # "sqlite" or "postgresql"
    size: int


def database_kind(connection: BaseDatabaseWrapper) -> str:
    vendor = connection.vendor
    if vendor == "sqlite":
        return "sqlite"
    if vendor == "postgresql":
        return "postgresql"
    raise BackupError(f"backup supports SQLite and PostgreSQL, not {vendor}")


def file_kind(path: Path) -> str | None:
    """``"sqlite"``, ``"postgresql"`` (a pg_dump custom-format archive) or None for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError:
        return None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    return None


def default_backup_name(kind: str, now: Any) -> str:
    suffix = "sqlite3" if kind == "sqlite" else "dump"
    return f"corridor-{now:%Y%m%d-%H%M%S}.{suffix}"


# ------------------------------------------------------------------------------------- backup


def backup(out: Path, *, using: str = "default", progress: Progress | None = None) -> BackupResult:
    connection = connections[using]
    kind = database_kind(connection)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        if kind == "sqlite":
            _sqlite_backup(connection, tmp, progress)
        else:
            _pg_dump(connection.settings_dict, tmp, progress)
        tmp.replace(out)  # a half-written file never carries the final name
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(path=out, kind=kind, size=out.stat().st_size)


def _sqlite_backup(connection: BaseDatabaseWrapper, out: Path, progress: Progress | None) -> None:
    connection.ensure_connection()
    source: sqlite3.Connection = connection.connection
    target = sqlite3.connect(str(out))
    try:

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        # 256 pages a step: other connections may write between steps; SQLite restarts the copy
        # if they do, so the result is always one consistent snapshot.
        source.backup(target, pages=256, progress=report)
    finally:
        target.close()


def _pg_env(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args: list[str] = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return args, env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client programs "
            f"(Debian: apt-get install postgresql-client) of the server's major version or newer"
        )
    return found


def _run(argv: list[str], env: dict[str, str], what: str, password: str | None) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        message = (done.stderr or done.stdout or "").strip()
        if password:
            message = message.replace(password, "***")
        raise BackupError(f"{what} failed (exit {done.returncode}): {message}")


def _pg_dump(settings_dict: dict[str, Any], out: Path, progress: Progress | None) -> None:
    args, env = _pg_env(settings_dict)
    argv = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args, "--file", str(out), str(settings_dict["NAME"])]
    if progress is not None:
        progress(0, None)
    _run(argv, env, "pg_dump", settings_dict.get("PASSWORD"))
    if progress is not None:
        progress(1, 1)


# ------------------------------------------------------------------------------------ restore


def check_backup_file(path: Path, *, using: str = "default", connection: BaseDatabaseWrapper | None = None) -> str:
    """The backup's kind if it can be restored into database ``using``; BackupError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    expected = database_kind(connection if connection is not None else connections[using])
    found = file_kind(path)
    names = {"sqlite": "an SQLite backup", "postgresql": "a PostgreSQL backup (pg_dump custom format)"}
    if found is None:
        raise BackupError(f"{path} is not a Corridor backup: neither an SQLite database nor a pg_dump custom-format archive")
    if found != expected:
        raise BackupError(f"{path} is {names[found]}, but this database is {expected}: restore needs {names[expected]}")
    if found == "sqlite":
        _check_sqlite_backup(path)
    else:
        _check_pg_backup(path)
    return found


def _check_sqlite_backup(path: Path) -> None:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = db.execute("PRAGMA quick_check").fetchone()
            has_migrations = db.execute("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='django_migrations'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a readable SQLite database: {exc}") from exc
    if not ok or ok[0] != "ok":
        raise BackupError(f"{path} is damaged: {ok[0] if ok else 'no answer from quick_check'}")
    if not has_migrations or not has_migrations[0]:
        raise BackupError(f"{path} is an SQLite database but not a Corridor backup (no django_migrations table)")


def _check_pg_backup(path: Path) -> None:
    done = subprocess.run([_pg_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{path} is not a readable pg_dump archive: {done.stderr.strip()}")
    if " django_migrations " not in done.stdout:
        raise BackupError(f"{path} is a pg_dump archive but not a Corridor backup (no django_migrations table)")


def restore(path: Path, *, using: str = "default", connection: BaseDatabaseWrapper | None = None, progress: Progress | None = None) -> str:
    """Replace the whole content of database ``using`` (or ``connection``) by the backup; all or nothing."""
    connection = connection if connection is not None else connections[using]
    kind = check_backup_file(path, connection=connection)
    if kind == "sqlite":
        _sqlite_restore(connection, Path(path), progress)
    else:
        connection.close()  # our own open connection would block pg_restore's DROP TABLE
        _pg_restore(connection.settings_dict, Path(path), progress)
    dataversion.renew(connection)  # no answer cached since the backup may pass for the restored data
    return kind


def _sqlite_restore(connection: BaseDatabaseWrapper, path: Path, progress: Progress | None) -> None:
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    connection.ensure_connection()
    target: sqlite3.Connection = connection.connection
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        # one step (pages=-1): the destination is replaced in a single write transaction
        source.backup(target, pages=-1, progress=report)
    finally:
        source.close()


def _pg_restore(settings_dict: dict[str, Any], path: Path, progress: Progress | None) -> None:
    args, env = _pg_env(settings_dict)
    argv = [
        _pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-privileges",
        "--exit-on-error", *args, "--dbname", str(settings_dict["NAME"]), str(path),
    ]
    if progress is not None:
        progress(0, None)
    _run(argv, env, "pg_restore", settings_dict.get("PASSWORD"))
    if progress is not None:
        progress(1, 1)


# -------------------------------------------------------------------------------- fingerprints


def tracked_models() -> list[type[Model]]:
    """Every concrete table Django manages, m2m through tables included (once each)."""
    seen: set[str] = set()
    result = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        # the data version is no data: a cache token that restore renews on purpose (core.dataversion)
        if meta.proxy or not meta.managed or meta.db_table in seen or meta.db_table == dataversion.TABLE:
            continue
        seen.add(meta.db_table)
        result.append(model)
    return sorted(result, key=lambda m: m._meta.db_table)


def table_fingerprint(model: type[Model], connection: BaseDatabaseWrapper) -> tuple[int, str]:
    """(row count, sha256 of the rows ordered by primary key) of one model's table."""
    meta = model._meta
    qn = connection.ops.quote_name
    columns = [f.column for f in meta.concrete_fields]
    order = qn(meta.pk.column) if meta.pk is not None else ", ".join(qn(c) for c in columns)
    sql = f"SELECT {', '.join(qn(c) for c in columns)} FROM {qn(meta.db_table)} ORDER BY {order}"  # noqa: S608 (quoted names from the model)
    digest = hashlib.sha256()
    count = 0
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(1000):
            for row in rows:
                digest.update(repr(tuple(_canonical(v) for v in row)).encode())
                digest.update(b"\n")
                count += 1
    return count, digest.hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def fingerprints(models: Iterable[type[Model]] | None = None, *, using: str = "default", connection: BaseDatabaseWrapper | None = None) -> dict[str, tuple[int, str]]:
    """``{db_table: (rows, hash)}`` for the given models (default: every table)."""
    conn = connection if connection is not None else connections[using]
    return {m._meta.db_table: table_fingerprint(m, conn) for m in (tracked_models() if models is None else models)}


def app_models(*labels: str) -> list[type[Model]]:
    """The tables of some apps (auto-created m2m tables included), for failure-injection tests."""
    return [m for m in tracked_models() if m._meta.app_label in labels]
