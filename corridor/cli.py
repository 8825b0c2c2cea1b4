"""The ``corridor`` console command: Corridor's own subcommands plus every Django management command."""

from __future__ import annotations

import os
import sys

from django.db import DatabaseError

INTRO = """corridor — the collaborative innovation market of the Shanghai–Nanjing corridor

Usage: corridor <subcommand> [options]      (corridor <subcommand> --help for its options)

Corridor's own subcommands:
  setup        migrate the database, collect static files, load the demo region on first start
  serve        serve the platform with gunicorn on http://127.0.0.1:$PORT (default 8000)
  demo         load the demo platform (--reset to wipe and reload it)
  match        print ranked, explained matches (--demand ID, --resource ID or --query TEXT)
  matching     matching indexes: `corridor matching rebuild` (progress bar)
  bench        benchmarks: matching, matching-scale, import, load (corridor bench NAME --help)
  import       import an Excel/CSV file of resources, demands, cooperation items, organisations,
               transactions or instruments
  export       export one of those lists as XLSX or CSV
  report       a printable regional report with charts (--city 苏州 --out report.pdf)
  insights_bench  time the regional figures on the current database
  backup       back the database up (SQLite online backup, pg_dump for PostgreSQL)
  restore      restore a backup (asks for confirmation)
  case_alerts  e-mail technology managers and operators about cases without recent activity
  compile_translations   compile the .po translation catalogues into .mo files

Every Django management command runs too (corridor migrate, corridor createsuperuser,
corridor check --deploy, corridor shell, …). The full list follows.
"""


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corridor.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    from django.core.management import execute_from_command_line

    if not args or args[0] in {"-h", "--help", "help"} and len(args) == 1:
        print(INTRO)
        execute_from_command_line(["corridor", "help"])
        return 0
    try:
        execute_from_command_line(["corridor", *args])
    except DatabaseError:
        message = _database_not_ready(args[0])
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1
    return 0


# Commands that create or inspect the schema themselves: their database errors are shown as they are.
SCHEMA_COMMANDS = {"setup", "migrate", "makemigrations", "showmigrations", "sqlmigrate", "dbshell", "flush", "restore"}


def _database_not_ready(command: str) -> str | None:
    """Explain a database error that comes from an unreachable or unmigrated database (None otherwise:
    the error is a real one and keeps its traceback)."""
    if command in SCHEMA_COMMANDS:
        return None
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return f"corridor: cannot use the database ({exc}). Check DATABASE_URL and that the server is running."
    if not pending:
        return None
    return (
        f"corridor: the database is not set up ({len(pending)} migrations not applied). "
        "Run `corridor setup` (or `corridor migrate`) first."
    )


if __name__ == "__main__":
    sys.exit(main())
