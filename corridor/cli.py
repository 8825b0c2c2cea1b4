"""The ``corridor`` console command: Corridor's own subcommands plus every Django management command."""

from __future__ import annotations

import os
import sys

INTRO = """corridor — the collaborative innovation market of the Shanghai–Nanjing corridor

Usage: corridor <subcommand> [options]      (corridor <subcommand> --help for its options)

Corridor's own subcommands:
  setup        migrate the database, collect static files, load the demo region on first start
  serve        serve the platform with gunicorn on http://127.0.0.1:$PORT (default 8000)
  demo         load the demo platform (--reset to wipe and reload it)
  match        print ranked, explained matches (--demand ID, --resource ID or --query TEXT)
  matching     matching indexes: `corridor matching rebuild` (progress bar)
  bench        benchmarks: matching, matching-scale, import (corridor bench NAME --help)
  import       import an Excel/CSV file of resources, demands, cooperation items or organisations
  export       export one of those lists as XLSX or CSV
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
    execute_from_command_line(["corridor", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
