"""Segment-wise index building: the merged index (saved format 4) equals a single-pass build."""

import json

import numpy as np
import pytest

from corridor.matching.bench_scale import generate_corpus, generate_queries
from corridor.matching.engine import Engine, SparseIndex
from corridor.matching.engine.index import FORMAT_VERSION
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
    meta = json.loads((tmp_path / "idx" / "index.json").read_text(encoding="utf-8"))
    assert (meta["format"], meta["block_bits"]) == (FORMAT_VERSION, 16) == (4, 16)
    _same_postings(single.index, merged.index)
    assert merged.index.ids == single.index.ids


def _same_postings(a_idx, b_idx):
    """Per channel, per term: the same units (decoded), quantised values and tf."""
    for spec in a_idx.specs:
        a, b = a_idx._ch[spec.name], b_idx._ch[spec.name]
        assert sorted(a.terms) == b.terms
        assert np.array_equal(a.unit_len, b.unit_len)
        for term in a.terms:
            i, j = a.vocab[term], b.vocab[term]
            sa, sb = slice(a.indptr[i], a.indptr[i + 1]), slice(b.indptr[j], b.indptr[j + 1])
            assert np.array_equal(a.units(i), b.units(j))
            assert b.units(j).dtype == np.int32
            assert np.array_equal(a.q[sa], b.q[sb])
            assert np.array_equal(a.tf[sa], b.tf[sb])


@pytest.mark.parametrize(("bits", "chunk"), [(4, 3_000), (7, 50_000), (1, 1_000_000)])
def test_merge_with_small_blocks_equals_a_single_build(corpus, single, tmp_path, bits, chunk):
    """Tiny blocks (2, 16 or 128 units) give many runs per term, and small merge chunks
    many ranges of terms: every term decodes to the single build's postings."""
    seg_dirs = []
    for k, a in enumerate(range(0, len(corpus), 250)):
        idx = SparseIndex(single.index.specs)
        idx.add_many((i, single._analyse(d)) for i, d in corpus[a : a + 250])
        spill_segment(idx, tmp_path / f"s{k}")
        seg_dirs.append(tmp_path / f"s{k}")
    assert merge_segments(seg_dirs, tmp_path / "idx", chunk=chunk, block_bits=bits) == len(corpus)
    meta = json.loads((tmp_path / "idx" / "index.json").read_text(encoding="utf-8"))
    assert meta["block_bits"] == bits
    assert not [p.name for p in (tmp_path / "idx").iterdir() if p.name.endswith(".tmp")]  # run files gone
    merged = SparseIndex.load(tmp_path / "idx")
    for spec in merged.specs:
        ch = merged._ch[spec.name]
        assert ch.blocks is not None and ch.blocks.bits == bits and not len(ch.indices)
        assert len(ch.blocks.rblk) > len(ch.terms)  # many terms span several blocks
    _same_postings(single.index, merged)
    # the merged file has the arrays save() writes for the same index, and the same runs
    single.index.save(tmp_path / "saved", block_bits=bits)
    saved = json.loads((tmp_path / "saved" / "index.json").read_text(encoding="utf-8"))
    assert saved["layout"].keys() == meta["layout"].keys()
    for name, (_off, dtype, length) in saved["layout"].items():
        assert meta["layout"][name][1:] == [dtype, length], name
    resaved = SparseIndex.load(tmp_path / "saved")
    for spec in merged.specs:
        sa, sb = resaved._ch[spec.name], merged._ch[spec.name]
        perm = np.asarray([sb.vocab[t] for t in sa.terms])  # the merge sorts the terms
        assert np.array_equal(np.diff(sa.blocks.rptr), np.diff(sb.blocks.rptr)[perm])


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
    assert (served["index_format"], served["block_bits"]) == (4, 16)
    assert served["cpu_ms_p95"] >= served["cpu_ms_p50"] >= 0
    assert bench_scale.main([*args, "--segment-size", "-1"]) == 2
    # not served: still merged (into a temporary folder), nothing loaded afterwards
    assert bench_scale.main([*args, "--segment-size", "100", "--no-serve", "--json"]) == 0
    (only,) = json.loads(capsys.readouterr().out)["results"]
    assert (only["system"], only["segments"]) == ("corridor", 3)


def test_scale_benchmark_segments_large_corpora_by_default(tmp_path, capsys, monkeypatch):
    """Without --segment-size, sizes above the threshold are built segment-wise (one pass over 1M
    would not fit in memory), sizes up to it in one pass."""
    from corridor.matching import bench_scale

    monkeypatch.setattr(bench_scale, "AUTO_SEGMENT_ABOVE", 150)
    monkeypatch.setattr(bench_scale, "AUTO_SEGMENT", 80)
    args = ["--queries", "5", "--systems", "corridor", "--segmenter", "oracle", "--no-serve", "--tmp-dir", str(tmp_path), "--json"]
    assert bench_scale.main(["--sizes", "200,120", *args]) == 0
    big, small = json.loads(capsys.readouterr().out)["results"]
    assert (big["docs"], big["segments"], big["segment_size"]) == (200, 3, 80)
    assert small["docs"] == 120 and "segments" not in small


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
    assert merged["index_format"] == served["index_format"] == 4
    assert served["system"] == "corridor-mmap" and served["queries"] == 10
    assert len(Engine.load(tmp_path / "idx")) == 180
    assert bench_scale.main(["--sizes", "180", "--segments-from", str(tmp_path / "segs")]) == 2
