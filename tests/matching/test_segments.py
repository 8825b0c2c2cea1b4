"""Segment-wise index building: the merged index equals a single-pass build."""

import json

import numpy as np
import pytest

from corridor.matching.bench_scale import generate_corpus, generate_queries
from corridor.matching.engine import Engine, SparseIndex
from corridor.matching.engine.segments import merge_segments, spill_segment


@pytest.fixture(scope="module")
def corpus():
    return list(generate_corpus(700, seed=7))


@pytest.fixture(scope="module")
def single(corpus):
    eng = Engine()
    eng.add_many(corpus)
    return eng


def _top(eng, queries):
    return [[(h.doc_id, round(h.score, 5)) for h in eng.search(q, 10, explain=False)] for q in queries]


def test_segmented_build_gives_the_same_top10_and_scores(corpus, single, tmp_path):
    n = Engine.build_segmented(corpus, tmp_path / "idx", segment_size=150)  # 5 segments, the last short
    assert n == len(corpus)
    assert not (tmp_path / "idx" / "segments").exists()  # spilled segments removed
    merged = Engine.load(tmp_path / "idx")
    queries = generate_queries(40, [d for _, d in corpus[:200]], seed=11)
    top_single = _top(single, queries)
    assert sum(1 for t in top_single if t) >= 30
    assert _top(merged, queries) == top_single
    # the postings themselves: per channel, per term, the same units and quantised values
    for spec in single.index.specs:
        a, b = single.index._ch[spec.name], merged.index._ch[spec.name]
        assert sorted(a.terms) == b.terms
        assert np.array_equal(a.unit_len, b.unit_len)
        for term in a.terms[:: max(1, len(a.terms) // 300)]:
            i, j = a.vocab[term], b.vocab[term]
            sa, sb = slice(a.indptr[i], a.indptr[i + 1]), slice(b.indptr[j], b.indptr[j + 1])
            assert np.array_equal(a.indices[sa], b.indices[sb])
            assert np.array_equal(a.q[sa], b.q[sb])
            assert np.array_equal(a.tf[sa], b.tf[sb])
    assert merged.index.ids == single.index.ids


def test_merged_index_stays_live(corpus, tmp_path):
    Engine.build_segmented(corpus[:300], tmp_path / "idx", segment_size=100)
    eng = Engine.load(tmp_path / "idx")
    eng.add("new", {"title": "钙钛矿叠层电池专家团队", "body": "钙钛矿光伏效率提升"})
    assert eng.search("钙钛矿叠层电池", 3)[0].doc_id == "new"
    victim = corpus[5][0]
    assert victim in eng
    assert eng.delete(victim)
    eng.index.compact()
    assert victim not in eng and "new" in eng
    eng.save(tmp_path / "idx")
    again = Engine.load(tmp_path / "idx")
    assert len(again) == 300 and again.search("钙钛矿叠层电池", 3)[0].doc_id == "new"


def test_merge_refuses_repeated_ids_and_foreign_segments(corpus, single, tmp_path):
    specs = single.index.specs
    for k in (0, 1):
        idx = SparseIndex(specs)
        idx.add_many((i, single._analyse(d)) for i, d in corpus[:20])
        spill_segment(idx, tmp_path / f"s{k}")
    with pytest.raises(ValueError, match="repeat"):
        merge_segments([tmp_path / "s0", tmp_path / "s1"], tmp_path / "out")
    meta = json.loads((tmp_path / "s1" / "segment.json").read_text(encoding="utf-8"))
    meta["segment_format"] = 99
    (tmp_path / "s1" / "segment.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="segment format"):
        merge_segments([tmp_path / "s0", tmp_path / "s1"], tmp_path / "out")
    with pytest.raises(FileNotFoundError):
        merge_segments([tmp_path / "missing"], tmp_path / "out")


def test_scale_benchmark_builds_segment_wise(tmp_path, capsys):
    from corridor.matching import bench_scale

    args = ["--sizes", "250", "--queries", "12", "--systems", "corridor", "--segmenter", "oracle"]
    rc = bench_scale.main([*args, "--segment-size", "100", "--tmp-dir", str(tmp_path), "--json"])
    assert rc == 0
    built, served = json.loads(capsys.readouterr().out)["results"]
    assert (built["system"], built["segments"], built["queries"]) == ("corridor", 3, 0)
    assert built["worker_peak_rss_mb"] > 0 and built["postings_mb"] > 0
    assert served["system"] == "corridor-mmap" and served["queries"] == 12
    assert served["cpu_ms_p95"] >= served["cpu_ms_p50"] >= 0
    assert bench_scale.main([*args, "--segment-size", "-1"]) == 2
    assert bench_scale.main([*args, "--segment-size", "100", "--no-serve"]) == 1  # needs the saved index


def test_scale_benchmark_merges_spilled_segments_and_serves_them(tmp_path, capsys):
    from corridor.matching import bench_scale

    gen = list(bench_scale._generate(180))
    for k in range(3):
        bench_scale._segment_worker(
            gen[60 * k : 60 * (k + 1)], "oracle", None, str(tmp_path / "segs" / f"seg{k:05d}")
        )
    (tmp_path / "segs" / "seg00003").mkdir()  # an unfinished segment (no segment.json) is skipped
    args = ["--sizes", "180", "--queries", "10", "--serve-dir", str(tmp_path / "idx"), "--json"]
    assert bench_scale.main([*args, "--segments-from", str(tmp_path / "segs")]) == 0
    merged, served = json.loads(capsys.readouterr().out)["results"]
    assert (merged["system"], merged["segments"], merged["merged_docs"]) == ("corridor-merge", 3, 180)
    assert served["system"] == "corridor-mmap" and served["queries"] == 10
    assert len(Engine.load(tmp_path / "idx")) == 180
    assert bench_scale.main(["--sizes", "180", "--segments-from", str(tmp_path / "segs")]) == 2
