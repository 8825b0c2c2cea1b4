from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.matching import bench_scale


def test_generator_is_deterministic() -> None:
    a = list(bench_scale.generate_corpus(20))
    b = list(bench_scale.generate_corpus(20))
    assert a == b
    assert len({doc_id for doc_id, _ in a}) == 20
    assert all(d["title"] and d["body"] for _, d in a)


def test_scale_main_small(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = bench_scale.main(
        [
            "--sizes",
            "200",
            "--queries",
            "20",
            "--systems",
            "corridor",
            "--segmenter",
            "oracle",
            "--cache-dir",
            str(cache_dir),
            "--json",
        ]
    )
    assert rc == 0
    built, served = json.loads(capsys.readouterr().out)["results"]
    assert (built["system"], served["system"]) == ("corridor", "corridor-mmap")
    for res in (built, served):
        assert res["docs"] == 200 and res["queries"] == 20
        assert res["latency_ms_p95"] >= res["latency_ms_p50"] > 0
        assert res["cpu_ms_p95"] >= res["cpu_ms_p50"] >= 0
        assert res["peak_rss_mb"] > 0
    # the served index is the saved file, memory-mapped
    assert served["postings_mb"] > 0 and served["load_rss_mb"] > 0


def test_scale_bad_sizes(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench_scale.main(["--sizes", "ten"]) == 2
    assert "--sizes" in capsys.readouterr().err
