"""Saved index format 4 (uint16 unit ids in blocks, runs of the high part per term), the
format 3 files that still load, and the random-access advice on the postings mapping."""

import json
import mmap
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from corridor.matching.bench_scale import generate_corpus, generate_queries
from corridor.matching.engine import Engine, SparseIndex
from corridor.matching.engine import index as index_mod
from corridor.matching.engine.segments import merge_segments, spill_segment

BITS = 4  # 16 units per block: the test corpus spans dozens of blocks at both levels


@pytest.fixture(scope="module")
def corpus():
    return list(generate_corpus(500, seed=5))


@pytest.fixture(scope="module")
def queries(corpus):
    return generate_queries(30, [d for _, d in corpus[:200]], seed=9)


def _build(corpus):
    eng = Engine()
    eng.add_many(corpus)
    return eng


@pytest.fixture(scope="module")
def built(corpus):
    return _build(corpus)


def _save(eng, directory, bits=BITS):
    eng.index.save(directory, block_bits=bits)
    Path(directory, "engine.json").write_text(json.dumps(eng.config.to_json()), encoding="utf-8")


def _results(eng, queries, *, explain=False, k=10):
    eng._results.clear()  # the engine's result cache: every call below really searches
    out = []
    for q in queries:
        out.append([(h.doc_id, h.score, h.text_score, h.signals, h.matched_terms) for h in eng.search(q, k, explain=explain)])
    return out


def _prune(eng, budget=3_000, candidates=40):
    """Settings that send most query terms through the candidate path of ``score``."""
    eng.index.budget, eng.index.candidates = budget, candidates


def _same_postings(mem, loaded):
    for spec in mem.specs:
        a, b = mem._ch[spec.name], loaded._ch[spec.name]
        assert a.terms == b.terms and np.array_equal(a.indptr, b.indptr)
        for t in range(len(a.terms)):
            assert np.array_equal(a.units(t), b.units(t))
        assert np.array_equal(a.indices, b.all_units())
        assert np.array_equal(a.q, b.q) and np.array_equal(a.tf, b.tf)


def test_round_trip_with_small_blocks_is_exact(built, queries, tmp_path, monkeypatch):
    _save(built, tmp_path / "idx")
    meta = json.loads((tmp_path / "idx" / "index.json").read_text(encoding="utf-8"))
    assert (meta["format"], meta["block_bits"]) == (4, BITS)
    assert not any(name.endswith("_indices") for name in meta["layout"])
    loaded = Engine.load(tmp_path / "idx")
    for spec in loaded.index.specs:
        ch = loaded.index._ch[spec.name]
        blocks = ch.blocks
        assert blocks is not None and blocks.bits == BITS and not len(ch.indices)
        assert blocks.lo.dtype == np.uint16 and blocks.rblk.dtype == np.uint16
        assert not blocks.lo.flags.writeable  # a view of the read-only mapping, not a copy
        n_rows = len(loaded.index.ids) if spec.level == "doc" else loaded.index.n_units
        assert n_rows > 20 << BITS  # dozens of blocks
        assert len(blocks.rblk) > 2 * len(ch.terms)  # many terms have several runs
    assert loaded.index.n_units > len(loaded.index.ids)
    _same_postings(built.index, loaded.index)

    # exhaustive scoring, then pruned scoring through both candidate paths
    # (units decoded per term, and the binary search per run)
    assert sum(map(len, _results(built, queries))) >= 250
    assert _results(loaded, queries) == _results(built, queries)
    assert _results(loaded, queries, explain=True) == _results(built, queries, explain=True)
    _prune(built)
    _prune(loaded)
    pruned = _results(built, queries)
    assert pruned != _results(_build_exhaustive(built), queries)  # pruning is in effect
    for threshold in (0, 10**9):
        monkeypatch.setattr(index_mod, "_RUN_SEARCH_MIN", threshold)
        assert _results(loaded, queries) == pruned
        assert _results(loaded, queries, explain=True) == _results(built, queries, explain=True)
    for spec in built.index.specs:  # unweighted channel scores and explanations
        terms = {t: 1.0 for t in built.index._ch[spec.name].terms[::7]}
        assert np.array_equal(built.index.channel_scores(spec, terms), loaded.index.channel_scores(spec, terms))
        slots = list(range(0, len(built.index.ids), 13))
        assert built.index.explain_docs(spec, terms, slots) == loaded.index.explain_docs(spec, terms, slots)
    _prune(built, 200_000, 1000)
    parts = [
        (c.blocks.lo, c.blocks.rptr, c.blocks.rpos, c.blocks.rblk, c.tf, c.q, c.indptr)
        for c in loaded.index._ch.values()
    ]
    assert loaded.index.nbytes() == sum(a.nbytes for arrays in parts for a in arrays)


def _build_exhaustive(eng):
    """The same engine with pruning off (budget above every query's postings)."""
    other = Engine(eng.config, analyzer=eng.analyzer)
    other.index = eng.index
    saved = (eng.index.budget, eng.index.candidates)
    other.search = _exhaustive_search(other, saved)  # type: ignore[method-assign]
    return other


def _exhaustive_search(eng, saved):
    search = type(eng).search

    def run(q, k=10, **kw):
        eng.index.budget, eng.index.candidates = 10**12, 10**9
        try:
            return search(eng, q, k, **kw)
        finally:
            eng.index.budget, eng.index.candidates = saved

    return run


def test_block_arrays_decode_any_range(built, tmp_path):
    _save(built, tmp_path / "idx", bits=3)
    loaded = SparseIndex.load(tmp_path / "idx")
    rng = np.random.default_rng(1)
    for spec in built.index.specs:
        a, b = built.index._ch[spec.name], loaded._ch[spec.name]
        blocks = b.blocks
        assert blocks is not None and blocks.rpos[-1] == b.nnz and blocks.rptr[-1] == len(blocks.rblk)
        assert np.all(np.diff(blocks.rpos) > 0)  # runs are never empty
        for lo_, hi_ in rng.integers(0, b.nnz, size=(20, 2)).tolist():
            lo_, hi_ = min(lo_, hi_), max(lo_, hi_)
            assert np.array_equal(blocks.span(lo_, hi_), a.indices[lo_:hi_])
        tids = rng.choice(len(b.terms), size=50, replace=False)
        pos, _lens = index_mod._gather(b.indptr, tids)
        assert np.array_equal(blocks.gather(tids, pos), a.indices[pos])
        n_rows = int(a.indices.max()) + 1
        for u0 in rng.integers(0, n_rows, size=10).tolist():
            u1 = min(n_rows, u0 + int(rng.integers(1, 40)))
            want = np.nonzero((a.indices >= u0) & (a.indices < u1))[0]
            assert np.array_equal(blocks.positions_in(u0, u1), want)


def test_loaded_format4_index_stays_live(corpus, queries, tmp_path):
    mem = _build(corpus)
    _save(mem, tmp_path / "idx")
    eng = Engine.load(tmp_path / "idx")
    new_doc = {"title": "钙钛矿叠层电池专家团队", "body": "钙钛矿光伏效率提升", "entries": ["设备：钙钛矿镀膜线"]}
    victims = [corpus[3][0], corpus[250][0], corpus[-1][0]]
    for e in (mem, eng):
        e.add("new", new_doc)
        for v in victims:
            assert e.delete(v)
    for spec in mem.index.specs:  # document frequencies after the deletes (runs searched per block)
        assert np.array_equal(mem.index._ch[spec.name].df, eng.index._ch[spec.name].df)
    assert eng.search("钙钛矿叠层电池", 3)[0].doc_id == "new"
    assert _results(eng, queries) == _results(mem, queries)
    eng.index.compact()  # decodes the loaded channels
    mem.index.compact()
    assert all(ch.blocks is None for ch in eng.index._ch.values())
    assert eng.index._postings_map is None
    _same_postings(mem.index, eng.index)
    assert _results(eng, queries) == _results(mem, queries)
    eng.add("newer", {"title": "固态电池电解质中试线"})
    eng.delete(corpus[10][0])
    _save(eng, tmp_path / "idx")  # save after load: compacts, writes format 4 again
    assert len([p for p in (tmp_path / "idx").iterdir() if p.name.startswith("postings-")]) == 1
    again = Engine.load(tmp_path / "idx")
    assert len(again) == len(corpus) + 2 - 4
    assert again.search("钙钛矿叠层电池", 3)[0].doc_id == "new"
    assert again.search("固态电池电解质", 3)[0].doc_id == "newer"
    for v in (*victims, corpus[10][0]):
        assert v not in again
    _same_postings(eng.index, again.index)


def test_loaded_index_spills_and_merges(built, tmp_path):
    _save(built, tmp_path / "idx", bits=5)
    loaded = SparseIndex.load(tmp_path / "idx")
    ch = next(iter(loaded._ch.values()))
    assert np.array_equal(ch.all_units(), built.index._ch[ch.spec.name].indices)
    spill_segment(loaded, tmp_path / "seg")  # compacts (decodes) the loaded channels first
    merge_segments([tmp_path / "seg"], tmp_path / "out", block_bits=6, chunk=5_000)
    again = SparseIndex.load(tmp_path / "out")
    for spec in built.index.specs:
        a, b = built.index._ch[spec.name], again._ch[spec.name]
        assert sorted(a.terms) == b.terms
        for t, term in enumerate(a.terms):
            assert np.array_equal(a.units(t), b.units(b.vocab[term]))


def _save_format3(idx, directory):
    """The format 3 writer of before format 4 (int32 unit ids), for the compatibility test."""
    idx.compact()
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    arrays = {"unit_start": idx.unit_start[: len(idx.ids)]}
    vocab = {}
    for i, spec in enumerate(idx.specs):
        ch = idx._ch[spec.name]
        arrays.update({f"c{i}_indptr": ch.indptr, f"c{i}_indices": ch.indices, f"c{i}_tf": ch.tf})
        arrays.update({f"c{i}_q": ch.q, f"c{i}_len": ch.unit_len})
        vocab[spec.name] = ch.terms
    layout = {}
    with (d / "postings-f3.bin").open("wb") as fh:
        for name, arr in arrays.items():
            arr = np.ascontiguousarray(arr)
            fh.write(b"\0" * (-fh.tell() % 64))
            layout[name] = [fh.tell(), arr.dtype.str, len(arr)]
            arr.tofile(fh)
    meta = {
        "format": 3,
        "entry_top": idx.entry_top,
        "candidates": idx.candidates,
        "channels": [asdict(s) for s in idx.specs],
        "ids": idx.ids,
        "n_units": idx.n_units,
        "vocab": vocab,
        "postings": "postings-f3.bin",
        "layout": layout,
    }
    (d / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def test_format3_files_still_load(built, queries, tmp_path):
    _save_format3(built.index, tmp_path / "idx")
    (tmp_path / "idx" / "engine.json").write_text(json.dumps(built.config.to_json()), encoding="utf-8")
    old = Engine.load(tmp_path / "idx")
    ch = next(iter(old.index._ch.values()))
    assert ch.blocks is None and ch.indices.dtype == np.int32 and not ch.indices.flags.writeable
    _same_postings(built.index, old.index)
    assert _results(old, queries, explain=True) == _results(built, queries, explain=True)
    old.add("x", {"title": "钙钛矿叠层电池专家团队"})
    assert old.delete(built.index.ids[0])
    _save(old, tmp_path / "idx")  # rewritten as format 4
    meta = json.loads((tmp_path / "idx" / "index.json").read_text(encoding="utf-8"))
    assert meta["format"] == 4 and not (tmp_path / "idx" / "postings-f3.bin").exists()
    assert Engine.load(tmp_path / "idx").search("钙钛矿叠层电池", 1)[0].doc_id == "x"


def test_unknown_formats_and_block_sizes_are_refused(built, tmp_path):
    with pytest.raises(ValueError, match="block_bits"):
        built.index.save(tmp_path / "bad", block_bits=0)
    with pytest.raises(ValueError, match="block_bits"):
        built.index.save(tmp_path / "bad", block_bits=17)
    _save(built, tmp_path / "idx")
    path = tmp_path / "idx" / "index.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for fmt in (2, 5):  # the registry rebuilds on ValueError
        path.write_text(json.dumps({**meta, "format": fmt}), encoding="utf-8")
        with pytest.raises(ValueError, match="format"):
            SparseIndex.load(tmp_path / "idx")
    with pytest.raises(ValueError, match="units do not fit"):  # more than 65,536 blocks
        index_mod._runs(np.asarray([0, 1 << 17], dtype=np.int64), np.asarray([0]), 1)


def test_postings_are_one_read_only_mapping(built, tmp_path):
    """Loaded with ``mmap`` (default), the channels' arrays are views of one read-only mapping of the
    postings file; with ``mmap=False`` nothing is mapped and the arrays are in memory."""
    _save(built, tmp_path / "idx")
    loaded = SparseIndex.load(tmp_path / "idx")
    assert isinstance(loaded._postings_map, mmap.mmap)
    lo = next(iter(loaded._ch.values())).blocks.lo
    assert isinstance(lo.base, memoryview) and lo.base.obj is loaded._postings_map and not lo.flags.writeable
    in_ram = SparseIndex.load(tmp_path / "idx", mmap=False)
    assert in_ram._postings_map is None
    assert next(iter(in_ram._ch.values())).blocks.lo.flags.writeable
