"""Serve Corridor with gunicorn (a production WSGI server), not Django's development server."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the platform with gunicorn on http://HOST:PORT (PORT from the environment, default 8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args: Any, **options: Any) -> None:
        port = options["port"] if options["port"] is not None else (os.environ.get("PORT") or "8000")
        try:
            port_number = int(port)
        except ValueError as exc:
            raise CommandError(f"PORT must be a number, not {port!r}") from exc
        if not 0 < port_number < 65536:
            raise CommandError(f"PORT must be between 1 and 65535, not {port_number}")
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("gunicorn is not installed; run `make run` (it installs the dependencies).")
        bind = f"{options['host']}:{port_number}"
        self.stdout.write(f"Corridor at http://{bind}/ (gunicorn, {options['workers']} workers × {options['threads']} threads)")
        argv = [
            gunicorn,
            "corridor.wsgi:application",
            "--bind", bind,
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--access-logfile", "-",
            "--timeout", "60",
        ]
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # noqa: S606  (replace this process with the server, fixed argv)
