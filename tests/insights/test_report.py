"""``corridor report --city 苏州 --out report.pdf``: a valid PDF with the city's figures; clear errors."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command

from tests.insights.test_analytics import region  # noqa: F401  (the small made-up region fixture)


def pdf_text(data: bytes) -> str:
    """The text shown by an uncompressed reportlab PDF: its string literals (CID fonts: UTF-16-BE)."""
    out = []
    for match in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
        raw = match.group(1)
        raw = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw)
        raw = re.sub(rb"\\(.)", lambda m: {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1)), raw)
        out.append(raw.decode("utf-16-be", errors="ignore") if len(raw) % 2 == 0 else raw.decode("latin-1"))
    return "".join(out)


def test_report_is_a_pdf_with_the_city_figures(world, region, tmp_path):  # noqa: F811
    out = tmp_path / "report.pdf"
    call_command("report", city="苏州", out=str(out), no_compress=True, user="operator", stdout=open(tmp_path / "log", "w"))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    assert "苏州区域创新报告" in text
    assert "城市数据概览" in text
    assert "上海" in text  # the most similar city, and the cooperation route 上海 → 苏州
    assert "克鲁格曼指数" in text
    assert "¥900,000.00" in text  # the cooperation item's value on the route
    assert "2710" in text  # the gap (卡脖子 candidate)
    assert "26 化学原料和化学制品制造业" in text  # an industry the two cities compete in, as a wrapped cell
    assert "Paragraph(" not in text  # table cells are drawn, not their repr


def test_report_by_code_in_english(world, region, tmp_path):  # noqa: F811
    out = tmp_path / "r.pdf"
    call_command("report", city="320500", out=str(out), no_compress=True, lang="en", stdout=open(tmp_path / "log", "w"))
    assert "Suzhou: regional innovation report" in pdf_text(out.read_bytes())


def test_compressed_report_is_smaller(world, region, tmp_path):  # noqa: F811
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    call_command("report", city="苏州", out=str(a), stdout=open(tmp_path / "log", "w"))
    call_command("report", city="苏州", out=str(b), no_compress=True, stdout=open(tmp_path / "log", "w"))
    assert a.read_bytes().startswith(b"%PDF-")
    assert a.stat().st_size < b.stat().st_size


def test_unknown_city_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="东京"):
        call_command("report", city="东京", out=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_user_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        call_command("report", city="苏州", out=str(tmp_path / "x.pdf"), user="nobody")


def test_insights_bench_prints_figures(world, region, capsys):  # noqa: F811
    import io

    out = io.StringIO()
    call_command("insights_bench", repeat=1, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("user=operator")
    figures = {line.split(" median")[0].strip(): line for line in lines[1:]}
    assert set(figures) == {"dashboard (page, without utilisation)", "competition", "flows", "utilisation by city, cold",
                            "utilisation by city, cached"}
    assert all(re.search(r"median\s+[\d.]+ ms .* \d+ queries", line) for line in figures.values())


def test_insights_bench_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("insights_bench", user="nobody")
