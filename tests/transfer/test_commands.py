"""The import, export and bench commands."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from corridor.lists.models import Demand, Resource
from corridor.transfer.models import ImportRun
from tests import factories as f
from tests.transfer.helpers import read_xlsx, xlsx


def test_export_then_import_via_commands(world, tmp_path):
    f.demand(world.org, title="命令行需求")
    out = tmp_path / "d.xlsx"
    buf = io.StringIO()
    call_command("export", "--type", "demands", "--out", str(out), stdout=buf)
    assert "1" in buf.getvalue() and read_xlsx(out)[1][2] == "命令行需求"
    csv_out = tmp_path / "d.csv"
    call_command("export", "--type", "demands", "--out", str(csv_out), "--filter", "status=published", stdout=io.StringIO())
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    buf = io.StringIO()
    call_command("import", str(out), "--type", "demands", "--user", "owner", "--no-progress", stdout=buf)
    assert "未变 1" in buf.getvalue() or "1 unchanged" in buf.getvalue()
    assert Demand.objects.count() == 1


def test_import_dry_run_and_error_report(world, tmp_path):
    head = ["资源名称", "资源类型", "所属机构", "能力描述"]
    path = xlsx(tmp_path / "r.xlsx", [head, ["好", "中试平台", world.org.name, "d"], ["坏", "不存在的类型", world.org.name, "d"]])
    with pytest.raises(CommandError):
        call_command("import", str(path), "--type", "resources", "--user", "owner", "--dry-run", "--no-progress", stdout=io.StringIO())
    assert Resource.objects.count() == 0
    assert (tmp_path / "r.errors.xlsx").exists()
    call_command("import", str(path), "--type", "resources", "--user", "owner", "--valid-only", "--no-progress", stdout=io.StringIO())
    assert list(Resource.objects.values_list("name", flat=True)) == ["好"]
    assert ImportRun.objects.filter(source="cli").count() == 2


def test_bench_small(db, tmp_path, settings):
    buf = io.StringIO()
    call_command("bench_import", "--rows", "30", stdout=buf)
    text = buf.getvalue()
    assert "'created': 30" in text and "'unchanged': 30" in text and "export .xlsx" in text
    assert Resource.objects.count() == 0  # rolled back


def test_failed_export_leaves_no_partial_file_and_keeps_the_old_one(world, tmp_path, monkeypatch):
    from corridor.transfer import writers

    f.demand(world.org, title="导出中断测试")
    out = tmp_path / "demands.xlsx"
    out.write_bytes(b"previous export")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writers, "write_xlsx", broken)
    with pytest.raises(OSError, match="disk full"):
        call_command("export", type="demands", out=str(out))
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demands.xlsx"]
