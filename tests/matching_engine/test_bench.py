from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.matching import bench_matching
from corridor.matching.bench_matching import DatasetError, load_beir, run_benchmark

DOCS = [
    ("d1", "储能电池热管理", "磷酸铁锂储能电池的液冷热管理系统设计"),
    ("d2", "工业机器人视觉", "基于机器视觉的六轴机器人抓取与装配"),
    ("d3", "抗体中试工艺", "单克隆抗体细胞培养与纯化中试放大"),
    ("d4", "碳纤维复合材料", "碳纤维增强树脂基复合材料的热压成型"),
    ("d5", "智能电网调度", "分布式光伏接入下的配电网优化调度\n需求响应与储能协同"),
    ("d6", "Lidar perception", "Point cloud object detection for autonomous driving"),
]
QUERIES = [
    ("q1", "储能 热管理"),
    ("q2", "机器人 装配 视觉"),
    ("q3", "抗体 纯化"),
    ("q4", "复合材料 成型"),
    ("q5", "光伏 配电网"),
    ("q6", "autonomous driving point cloud"),
]


def write_dataset(root: Path) -> Path:
    d = root / "tiny"
    (d / "qrels").mkdir(parents=True)
    with (d / "corpus.jsonl").open("w", encoding="utf-8") as fh:
        for i, t, x in DOCS:
            fh.write(json.dumps({"_id": i, "title": t, "text": x}, ensure_ascii=False) + "\n")
    with (d / "queries.jsonl").open("w", encoding="utf-8") as fh:
        for i, t in QUERIES:
            fh.write(json.dumps({"_id": i, "text": t}, ensure_ascii=False) + "\n")
    lines = ["query-id\tcorpus-id\tscore"] + [f"q{i}\td{i}\t1" for i in range(1, 7)]
    (d / "qrels" / "test.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return d


def test_run_benchmark_on_tiny_dataset(tmp_path: Path, cache_dir: Path) -> None:
    ds = write_dataset(tmp_path)
    res = run_benchmark(ds, progress=False, cache_dir=str(cache_dir))
    assert res["dataset"] == "tiny"
    assert set(res["systems"]) == {"corridor", "bm25-jieba", "bm25-jieba-search", "bm25-cjk-bigram"}
    keys = {
        "ndcg@10",
        "mrr@10",
        "recall@1",
        "recall@10",
        "recall@100",
        "latency_ms_p50",
        "latency_ms_p95",
        "index_s",
    }
    for metrics in res["systems"].values():
        assert set(metrics) == keys
        assert 0.0 <= metrics["ndcg@10"] <= 1.0
    assert res["systems"]["corridor"]["ndcg@10"] > 0.9


def test_main_json_prints_one_object(
    tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ds = write_dataset(tmp_path)
    rc = bench_matching.main(
        [
            "--dataset",
            str(ds),
            "--json",
            "--no-progress",
            "--systems",
            "corridor,bm25-cjk-bigram",
            "--cache-dir",
            str(cache_dir),
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["dataset"] == "tiny"
    assert set(out["systems"]) == {"corridor", "bm25-cjk-bigram"}


def test_main_table(tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ds = write_dataset(tmp_path)
    rc = bench_matching.main(["--dataset", str(ds), "--no-progress", "--cache-dir", str(cache_dir)])
    assert rc == 0
    out = capsys.readouterr().out
    assert "corridor" in out and "best peer" in out


def test_missing_dataset_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = bench_matching.main(["--dataset", str(tmp_path / "nope"), "--json"])
    err = capsys.readouterr().err
    assert rc == 2
    assert "dataset folder not found" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "queries.jsonl").unlink(), "missing file"),
        (lambda d: (d / "corpus.jsonl").write_text("{not json\n", encoding="utf-8"), "not valid JSON"),
        (
            lambda d: (d / "corpus.jsonl").write_text('{"title": "x"}\n', encoding="utf-8"),
            "missing field '_id'",
        ),
        (
            lambda d: (d / "qrels" / "test.tsv").write_text(
                "query-id\tcorpus-id\tscore\nq1 d1\n", encoding="utf-8"
            ),
            "tabs",
        ),
        (
            lambda d: (d / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\n", encoding="utf-8"),
            "no positive",
        ),
    ],
)
def test_malformed_dataset(tmp_path: Path, damage, message: str, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    ds = write_dataset(tmp_path)
    damage(ds)
    with pytest.raises(DatasetError, match=message):
        load_beir(ds)
    rc = bench_matching.main(["--dataset", str(ds), "--json"])
    captured = capsys.readouterr()
    assert rc == 2
    assert message in captured.err
    assert captured.out == ""


def test_unknown_system(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ds = write_dataset(tmp_path)
    assert bench_matching.main(["--dataset", str(ds), "--systems", "nope"]) == 2
    assert "unknown system" in capsys.readouterr().err
