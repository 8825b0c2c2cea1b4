"""``corridor bench NAME [options]``: every benchmark of the platform behind one command.

Benchmarks print figures (and compare with the peer the issue names, in the same run); they are
not tests. ``corridor bench NAME --help`` shows a benchmark's options.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

# name → ("module:function" taking argv and returning an exit code) or ("command:NAME" for a management command)
BENCHMARKS: dict[str, tuple[str, str]] = {
    "matching": ("corridor.matching.bench_matching:main", "retrieval quality and latency on a BEIR-layout dataset vs BM25 peers"),
    "matching-scale": ("corridor.matching.bench_scale:main", "index build, memory and latency on 10k/100k/1M generated resources vs bm25s"),
    "import": ("command:bench_import", "import and export of a 10,000-row resources workbook"),
    "load": ("corridor.core.bench_load:main", "throughput and p50/p95/p99 of pages and API under load vs a trivial view (gunicorn on loopback)"),
}


class Command(BaseCommand):
    help = "Run a benchmark: " + "; ".join(f"{name} — {text}" for name, (_t, text) in BENCHMARKS.items())

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(BENCHMARKS), help="which benchmark")
        parser.add_argument("args", nargs="*", help="the benchmark's own options (after --)")

    def run_from_argv(self, argv: list[str]) -> None:
        # Pass everything after the benchmark's name through untouched, so its own --options work.
        if len(argv) > 2 and argv[2] in BENCHMARKS:
            self._run(argv[2], argv[3:])
            return
        super().run_from_argv(argv)

    def handle(self, *args: Any, **options: Any) -> None:
        self._run(options["name"], list(options.get("args") or []))

    def _run(self, name: str, argv: list[str]) -> None:
        target, _text = BENCHMARKS[name]
        if target.startswith("command:"):
            call_command(target.split(":", 1)[1], *argv)
            return
        module_name, func = target.split(":")
        code = getattr(import_module(module_name), func)(argv)
        if code:
            raise CommandError(f"benchmark {name} failed (exit {code})")
        sys.stdout.flush()
