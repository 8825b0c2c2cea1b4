"""Sparse multi-field, multi-analysis BM25 index on numpy/scipy.sparse.

A *channel* is one (field, analysis kind) pair, e.g. ``("text", "w")`` = jieba words
of the whole text, ``("text", "u")`` = its CJK characters, ``("entry", "b")`` =
bigrams of single evidence entries. Each channel is an independent BM25 index with its
own statistics; the text score of a document is the weighted sum of its channel
scores (weights and k1/b per channel live in :class:`ChannelSpec`).

Two levels:

* ``doc`` channels score a whole document (all its text);
* ``entry`` channels score each evidence entry (an achievement, a patent, an
  instrument, a team, one line of a profile) on its own; a document's entry score is
  the sum of its ``entry_top`` best entries. One strongly matching entry counts even
  in a long document. For speed the entry aggregation is done for the
  ``candidates`` best documents by doc-level score (exact when the index is
  smaller than that).

Incremental: :meth:`SparseIndex.add` / :meth:`SparseIndex.delete` work on single
documents. New postings go to a small delta that is merged into the compact CSC
arrays lazily (:meth:`maybe_compact`, :meth:`compact`); deleted documents are masked
and dropped at the next compaction. Document frequencies are always current; the BM25
length normalisation of the compact part uses the average length at the last
compaction.

Memory per posting: int32 unit index + uint8 term frequency (capped at 255) + uint8
log-quantised normalised tf (6 bytes; see :func:`_lut`). A query reads the quantised
values through a 256-entry table, so scoring is a gather + ``np.bincount``.
:meth:`SparseIndex.add_many` builds the postings of many documents in one pass (much
faster than :meth:`SparseIndex.add` per document; its memory grows with the corpus: for
corpora that do not fit, :mod:`.segments` builds bounded segments and merges them on disk
into the saved format below). Persistence: one raw binary file of
arrays (memory-mapped on load, so a large index need not fit in RAM) and ``index.json`` (ids, vocabularies, configuration, array offsets).

Saved format 4 (:data:`FORMAT_VERSION`) stores unit ids in 2 bytes: units are cut into
blocks of ``2 ** block_bits`` (``"block_bits"`` in ``index.json``, default
:data:`BLOCK_BITS` = 16), each posting keeps the low bits (``lo``, uint16) and, because a
term's postings are sorted by unit, the high part is stored once per *run* of consecutive
postings in the same block: per channel ``rptr`` (int64, per term: its first run),
``rpos`` (absolute start of each run in the channel's postings, plus the total as a last
entry; int32 or int64) and ``rblk`` (uint16 block of each run). A saved posting costs
2 + 1 + 1 bytes (the run arrays are small); a query reads ``lo`` and ``q`` (3 bytes).
In memory (built, compacted, delta) unit ids stay int32; only :meth:`SparseIndex.save`
(and :func:`.segments.merge_segments`) write blocks, and a loaded index decodes a term's
units when the term is read (:class:`_Blocks`); compaction decodes everything. Format 3
(int32 unit ids) still loads. :meth:`SparseIndex.load` maps the postings file once,
read-only, with the kernel's default read-around. (``madvise(MADV_RANDOM)`` was tried and
left out: measured at 1M resources it cut resident file pages only while the page cache was
cold, by ~0.5 GB, and made those first queries 2–3× slower, one 4 KB read per fault; with a
warm cache it changed nothing, since the kernel maps cached neighbours of a touched page
anyway.)
"""

from __future__ import annotations

import json
import mmap as _mmap
import os
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import cast

import numpy as np

__all__ = ["ChannelSpec", "SparseIndex", "TermContribution"]

FORMAT_VERSION = 4
#: formats :meth:`SparseIndex.load` reads (3: int32 unit ids; 4: uint16 ids in blocks)
READ_FORMATS = (3, 4)
#: default block size of saved unit ids: 2 ** BLOCK_BITS units per block
BLOCK_BITS = 16
#: in a loaded index, a common term is searched run by run for the candidates (no decoding
#: of its units) when it has more than this many postings per run; shorter terms are decoded
#: (at 1M resources, 2,048 cost ~5 ms more CPU per query than 8k-32k; RSS was the same)
_RUN_SEARCH_MIN = 16384
_TF_MAX = 255
#: quantisation of normalised tf: 255 log-spaced levels from (k1 + 1) / _Q_RANGE to
#: k1 + 1 (relative error below 1.1 %; smaller values are clamped to the lowest level)
_Q_RANGE = 300.0


@dataclass(frozen=True)
class ChannelSpec:
    """One BM25 channel: which field, which analysis kind, weight, BM25 parameters.

    ``level`` is ``"doc"`` (the field's whole text) or ``"entry"`` (each evidence
    entry separately, aggregated per document).
    """

    field: str
    kind: str
    weight: float = 1.0
    k1: float = 1.2
    b: float = 0.75
    level: str = "doc"

    @property
    def name(self) -> str:
        return f"{self.level}:{self.field}/{self.kind}"


@dataclass
class TermContribution:
    term: str
    kind: str
    channel: str
    score: float


def _empty(dtype: type) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


def _lut(spec: ChannelSpec) -> np.ndarray:
    """Decoding table of a channel's quantised normalised tf (index 0 unused)."""
    hi = float(spec.k1) + 1.0
    levels = hi * np.exp(np.linspace(-np.log(_Q_RANGE), 0.0, 255))
    return np.r_[0.0, levels].astype(np.float32)


def _quantise(spec: ChannelSpec, tfn: np.ndarray) -> np.ndarray:
    hi = float(spec.k1) + 1.0
    x = np.log(np.maximum(tfn.astype(np.float64), 1e-12) / hi) / np.log(_Q_RANGE) + 1.0
    return (np.clip(np.rint(x * 254.0), 0, 254) + 1).astype(np.uint8)


def _runs(units: np.ndarray, starts: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Runs of postings in the same block: (start of each run, its block). ``units`` are
    the postings of consecutive terms (sorted within each term), ``starts`` the terms'
    start offsets into ``units``: a run never spans two terms."""
    n = len(units)
    if not n:
        return _empty(np.int64), _empty(np.uint16)
    blk = units >> bits
    if len(blk) and int(blk.max()) > 0xFFFF:
        raise ValueError(f"{int(units.max()) + 1} units do not fit 65,536 blocks of 2**{bits}")
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(blk[1:], blk[:-1], out=change[1:])
    change[starts[starts < n]] = True
    rs = np.nonzero(change)[0]
    return rs, blk[rs].astype(np.uint16)


@dataclass
class _Blocks:
    """Unit ids of a loaded format-4 channel (read-only, usually memory-mapped): low bits
    per posting and, per run of postings in the same block, its start and block."""

    lo: np.ndarray  # uint16 per posting: unit & (2 ** bits - 1)
    rptr: np.ndarray  # int64 per term + 1: first run of each term
    rpos: np.ndarray  # per run + 1: absolute start of the run in the postings (last: nnz)
    rblk: np.ndarray  # uint16 per run: unit >> bits
    bits: int

    @property
    def nbytes(self) -> int:
        return int(self.lo.nbytes + self.rptr.nbytes + self.rpos.nbytes + self.rblk.nbytes)

    def term(self, tid: int, a: int, b: int) -> np.ndarray:
        """Units of term ``tid`` (its postings are ``[a, b)``), int32."""
        r0, r1 = int(self.rptr[tid]), int(self.rptr[tid + 1])
        lens = np.diff(self.rpos[r0 : r1 + 1])
        return self.lo[a:b].astype(np.int32) + np.repeat(self.rblk[r0:r1].astype(np.int32) << self.bits, lens)

    def gather(self, tids: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """Units at ``pos`` = the postings of ``tids`` in order (:func:`_gather`), int32."""
        runs, _n = _gather(self.rptr, tids)
        lens = self.rpos[runs + 1] - self.rpos[runs]
        return self.lo[pos].astype(np.int32) + np.repeat(self.rblk[runs].astype(np.int32) << self.bits, lens)

    def span(self, a: int, b: int, dtype: type = np.int32) -> np.ndarray:
        """Units of the postings ``[a, b)`` (any range, across terms)."""
        if b <= a:
            return _empty(dtype)
        r0 = int(np.searchsorted(self.rpos, a, side="right")) - 1
        r1 = int(np.searchsorted(self.rpos, b, side="left"))
        st = np.maximum(self.rpos[r0:r1], a)
        en = np.minimum(self.rpos[r0 + 1 : r1 + 1], b)
        return self.lo[a:b].astype(dtype) + np.repeat(self.rblk[r0:r1].astype(dtype) << self.bits, en - st)

    def find(self, tid: int, target: np.ndarray, target_lo: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Postings of term ``tid`` whose unit is in ``target``
        (sorted; ``target_lo`` its low bits as uint16), found by a binary search in each
        run without decoding the term: (indices into ``target``, absolute positions)."""
        r0, r1 = int(self.rptr[tid]), int(self.rptr[tid + 1])
        blks = self.rblk[r0:r1].astype(np.int64)
        rpos = self.rpos[r0 : r1 + 1].astype(np.int64)
        bounds = np.searchsorted(target, np.stack([blks << self.bits, (blks + 1) << self.bits]))
        ti: list[np.ndarray] = []
        ps: list[np.ndarray] = []
        for j in np.nonzero(bounds[1] > bounds[0])[0].tolist():
            ta, tb = int(bounds[0, j]), int(bounds[1, j])
            s, e = int(rpos[j]), int(rpos[j + 1])
            seg = self.lo[s:e]
            want = target_lo[ta:tb]
            p = np.searchsorted(seg, want)
            p[p >= len(seg)] = len(seg) - 1
            hit = np.nonzero(seg[p] == want)[0]
            ti.append(hit + ta)
            ps.append(p[hit] + s)
        if not ti:
            return _empty(np.int64), _empty(np.int64)
        return np.concatenate(ti), np.concatenate(ps)

    def positions_in(self, u0: int, u1: int) -> np.ndarray:
        """Absolute positions of the postings whose unit is in ``[u0, u1)``."""
        if u1 <= u0 or not len(self.rblk):
            return _empty(np.int64)
        b0, b1 = u0 >> self.bits, (u1 - 1) >> self.bits
        runs = np.nonzero((self.rblk >= b0) & (self.rblk <= b1))[0]
        starts = self.rpos[runs].astype(np.int64)
        lens = self.rpos[runs + 1].astype(np.int64) - starts
        ends = np.cumsum(lens)
        out: list[np.ndarray] = []
        k = 0
        while k < len(runs):  # about 4M postings at a time: bounded temporary memory
            done = int(ends[k - 1]) if k else 0
            k2 = max(k + 1, int(np.searchsorted(ends, done + (1 << 22), side="right")))
            st, ln = starts[k:k2], lens[k:k2]
            pos = np.arange(int(ln.sum()), dtype=np.int64) + np.repeat(st - np.r_[0, np.cumsum(ln)[:-1]], ln)
            u = self.lo[pos].astype(np.int64) + np.repeat(self.rblk[runs[k:k2]].astype(np.int64) << self.bits, ln)
            out.append(pos[(u >= u0) & (u < u1)])
            k = k2
        return np.concatenate(out) if out else _empty(np.int64)


@dataclass
class _Channel:
    """Postings of one channel. Rows are *units*: documents (doc level) or entries."""

    spec: ChannelSpec
    vocab: dict[str, int] = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    # compact part, term-major (CSC): indptr over terms, unit ids, tf, normalised tf;
    # a loaded format-4 channel has its unit ids in ``blocks`` instead (``indices`` empty)
    indptr: np.ndarray = field(default_factory=lambda: np.zeros(1, np.int64))
    indices: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    blocks: _Blocks | None = None
    tf: np.ndarray = field(default_factory=lambda: _empty(np.uint8))
    q: np.ndarray = field(default_factory=lambda: _empty(np.uint8))  # quantised normalised tf
    # delta part: per added unit (unit, term ids, tfs); a term-major cache is built lazily
    delta: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    delta_nnz: int = 0
    _dcache: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    # postings of add_many not yet merged: (units, term ids, tfs)
    bulk: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    # statistics: length per unit, live document frequency per term
    unit_len: np.ndarray = field(default_factory=lambda: _empty(np.float32))
    df: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    total_len: float = 0.0

    _table: np.ndarray | None = None

    @property
    def nnz(self) -> int:
        """Postings in the compact part."""
        return int(self.indptr[-1])

    def units(self, tid: int) -> np.ndarray:
        """Unit ids of term ``tid`` in the compact part (decoded if blocked)."""
        a, b = int(self.indptr[tid]), int(self.indptr[tid + 1])
        if self.blocks is not None:
            return self.blocks.term(tid, a, b)
        return self.indices[a:b]

    def all_units(self) -> np.ndarray:
        """Unit ids of every posting of the compact part, int64 (decodes a blocked channel)."""
        if self.blocks is not None:
            n, step = self.nnz, 1 << 22
            out = np.empty(n, dtype=np.int64)
            for a in range(0, n, step):  # in slices: bounded temporary memory
                out[a : a + step] = self.blocks.span(a, min(n, a + step), np.int64)
            return out
        return self.indices.astype(np.int64)

    @property
    def lut(self) -> np.ndarray:
        if self._table is None:
            self._table = _lut(self.spec)
        return self._table

    def term_ids(self, terms: Iterable[str]) -> np.ndarray:
        vocab, lst = self.vocab, self.terms
        out = []
        for t in terms:
            tid = vocab.get(t)
            if tid is None:
                tid = len(lst)
                vocab[t] = tid
                lst.append(t)
            out.append(tid)
        return np.asarray(out, dtype=np.int64)


def _grow(a: np.ndarray, n: int, fill: float | int = 0) -> np.ndarray:
    if len(a) >= n:
        return a
    new = np.full(max(n, 2 * len(a), 16), fill, dtype=a.dtype)
    new[: len(a)] = a
    return new


def _gather(indptr: np.ndarray, tids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions into a CSC data array for the columns ``tids``: (positions, lengths)."""
    starts = indptr[tids]
    lens = indptr[tids + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, np.int64), lens
    offs = np.repeat(starts - np.r_[0, np.cumsum(lens)[:-1]], lens)
    return np.arange(total, dtype=np.int64) + offs, lens


def _check_bits(block_bits: int) -> int:
    if not 1 <= int(block_bits) <= 16:
        raise ValueError(f"block_bits must be 1..16, got {block_bits!r}")
    return int(block_bits)


def _rpos_dtype(nnz: int) -> np.dtype:
    """Run starts (and the total ``nnz``) in int32 when they fit."""
    return np.dtype(np.int32 if nnz < 2**31 else np.int64)


def _chunk_runs(units: np.ndarray, indptr: np.ndarray, bits: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of the postings ``units`` of consecutive terms whose offsets are ``indptr``
    (absolute, one more than the terms): (absolute run starts, run blocks, per term the
    index of its first run counted from the first run of this chunk)."""
    starts = indptr[:-1] - indptr[0]
    rs, rblk = _runs(units, starts, bits)
    return rs + indptr[0], rblk, np.searchsorted(rs, starts, side="left")


def _postings_chunks(indptr: np.ndarray, step: int = 1 << 22) -> Iterable[tuple[int, int]]:
    """Ranges of whole terms ``[t0, t1)`` with about ``step`` postings (at least one term)."""
    n_terms = len(indptr) - 1
    t0 = 0
    while t0 < n_terms:
        t1 = int(np.searchsorted(indptr, indptr[t0] + step, side="right")) - 1
        t1 = min(max(t1, t0 + 1), n_terms)
        yield t0, t1
        t0 = t1


def _map_readonly(path: Path) -> _mmap.mmap | None:
    """Map ``path`` read-only; None for an empty file."""
    with path.open("rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return None
        return _mmap.mmap(fh.fileno(), 0, access=_mmap.ACCESS_READ)


def publish(directory: Path, meta: dict[str, object]) -> None:
    """Make ``meta`` (naming its postings file, already written) the index in ``directory``:
    ``index.json`` is replaced last, so a reader sees the old or the new index, then the older
    postings files are removed (open memory maps of them stay valid)."""
    tmp_json = directory / "index.json.tmp"
    tmp_json.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp_json, directory / "index.json")
    for old in directory.glob("postings-*.bin"):
        if old.name != meta["postings"]:
            old.unlink(missing_ok=True)


class SparseIndex:
    """Multi-channel BM25 index over documents with string ids.

    Documents are given *already analysed*: ``{f"{field}/{kind}": [tokens]}`` for doc
    channels and ``{f"{field}/{kind}": [[tokens of entry 1], [entry 2], ...]}`` for entry
    channels. (The :class:`~corridor.matching.engine.Engine` does the analysis.)
    """

    def __init__(
        self,
        channels: Sequence[ChannelSpec],
        *,
        entry_top: int = 5,
        candidates: int = 1000,
        budget: int = 200_000,
    ) -> None:
        if not channels:
            raise ValueError("at least one channel is required")
        self.specs = list(channels)
        self.entry_top = entry_top
        self.candidates = candidates
        self.budget = budget
        self._ch: dict[str, _Channel] = {s.name: _Channel(s) for s in self.specs}
        self.ids: list[str] = []  # slot -> external id
        self.slot: dict[str, int] = {}  # external id -> slot (live only)
        self.alive = np.zeros(0, dtype=bool)
        # entry units: doc slot -> [start, end) in unit numbering; unit -> doc slot
        self.unit_start = np.zeros(0, dtype=np.int64)
        self.unit_end = np.zeros(0, dtype=np.int64)
        self.unit_doc = np.zeros(0, dtype=np.int32)
        self.n_units = 0
        self.n_live = 0
        self.n_live_units = 0
        # the memory map of a loaded postings file (its arrays are views of it)
        self._postings_map: _mmap.mmap | None = None

    # -- sizes -------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.n_live

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self.slot

    def nbytes(self) -> int:
        """Approximate memory of the postings arrays."""
        return sum(
            c.indices.nbytes + c.tf.nbytes + c.q.nbytes + c.indptr.nbytes + (c.blocks.nbytes if c.blocks else 0)
            for c in self._ch.values()
        )

    # -- mutation ----------------------------------------------------------------------
    def add(self, doc_id: str, analysed: Mapping[str, Sequence[str] | Sequence[Sequence[str]]]) -> None:
        """Add (or replace) one document."""
        doc_id = str(doc_id)
        if doc_id in self.slot:
            self.delete(doc_id)
        slot = len(self.ids)
        self.ids.append(doc_id)
        self.slot[doc_id] = slot
        self.alive = _grow(self.alive, slot + 1, False)
        self.alive[slot] = True
        self.n_live += 1
        n_entries = 0
        for spec in self.specs:
            if spec.level == "entry":
                n_entries = max(n_entries, len(analysed.get(f"{spec.field}/{spec.kind}", ())))
        u0 = self.n_units
        self.n_units += n_entries
        self.n_live_units += n_entries
        self.unit_start = _grow(self.unit_start, slot + 1, 0)
        self.unit_end = _grow(self.unit_end, slot + 1, 0)
        self.unit_start[slot], self.unit_end[slot] = u0, self.n_units
        if n_entries:
            self.unit_doc = _grow(self.unit_doc, self.n_units, 0)
            self.unit_doc[u0 : self.n_units] = slot
        for spec in self.specs:
            ch = self._ch[spec.name]
            data = analysed.get(f"{spec.field}/{spec.kind}", ())
            if spec.level == "doc":
                self._add_unit(ch, slot, data)  # type: ignore[arg-type]
            else:
                for i in range(n_entries):
                    toks = data[i] if i < len(data) else ()
                    self._add_unit(ch, u0 + i, toks)

    def add_many(
        self, docs: Iterable[tuple[str, Mapping[str, Sequence[str] | Sequence[Sequence[str]]]]]
    ) -> int:
        """Add (or replace) many documents in one pass, then compact; returns how many.

        Same result as :meth:`add` per document followed by :meth:`compact`, without
        the per-document array work: postings are collected in flat arrays and sorted
        into the compact part once.
        """
        acc: dict[str, tuple[array[int], array[int], array[int], array[float]]] = {
            s.name: (array("q"), array("i"), array("B"), array("f")) for s in self.specs
        }
        firsts = {s.name: (len(self.ids) if s.level == "doc" else self.n_units) for s in self.specs}
        entry_keys = [f"{s.field}/{s.kind}" for s in self.specs if s.level == "entry"]
        n = 0
        for doc_id, analysed in docs:
            doc_id = str(doc_id)
            if doc_id in self.slot:
                self.delete(doc_id)
            slot = len(self.ids)
            self.ids.append(doc_id)
            self.slot[doc_id] = slot
            self.alive = _grow(self.alive, slot + 1, False)
            self.alive[slot] = True
            self.n_live += 1
            n_entries = max((len(analysed.get(k, ())) for k in entry_keys), default=0)
            u0 = self.n_units
            self.n_units += n_entries
            self.n_live_units += n_entries
            self.unit_start = _grow(self.unit_start, slot + 1, 0)
            self.unit_end = _grow(self.unit_end, slot + 1, 0)
            self.unit_start[slot], self.unit_end[slot] = u0, self.n_units
            for spec in self.specs:
                ch = self._ch[spec.name]
                units, tids, tfs, lens = acc[spec.name]
                data = analysed.get(f"{spec.field}/{spec.kind}", ())
                pieces: list[tuple[int, Sequence[str]]]
                if spec.level == "doc":
                    pieces = [(slot, cast(Sequence[str], data))]
                else:
                    ents = cast(Sequence[Sequence[str]], data)
                    pieces = [(u0 + i, ents[i] if i < len(ents) else ()) for i in range(n_entries)]
                vocab, terms = ch.vocab, ch.terms
                for unit, toks in pieces:
                    counts = Counter(toks)
                    for t, c in counts.items():
                        tid = vocab.get(t)
                        if tid is None:
                            tid = len(terms)
                            vocab[t] = tid
                            terms.append(t)
                        units.append(unit)
                        tids.append(tid)
                        tfs.append(c if c < _TF_MAX else _TF_MAX)
                    lens.append(float(len(toks)))
            n += 1
        for spec in self.specs:
            ch = self._ch[spec.name]
            units, tids, tfs, lens = acc.pop(spec.name)
            first = firsts[spec.name]
            ln = np.frombuffer(lens, dtype=np.float32) if len(lens) else _empty(np.float32)
            ch.unit_len = _grow(ch.unit_len, first + len(ln), 0.0)
            ch.unit_len[first : first + len(ln)] = ln
            ch.total_len += float(ln.sum(dtype=np.float64))
            tid_arr = np.frombuffer(tids, dtype=np.int32).astype(np.int64) if len(tids) else _empty(np.int64)
            ch.df = _grow(ch.df, len(ch.terms), 0)
            ch.bulk = (
                np.frombuffer(units, dtype=np.int64) if len(units) else _empty(np.int64),
                tid_arr,
                np.frombuffer(tfs, dtype=np.uint8) if len(tfs) else _empty(np.uint8),
            )
            del units, tids, tfs, lens
        self.compact()
        return n

    def _add_unit(self, ch: _Channel, unit: int, tokens: Sequence[str]) -> None:
        counts = Counter(tokens)
        tids = ch.term_ids(counts.keys())
        tfs = np.minimum(np.fromiter(counts.values(), dtype=np.int64, count=len(counts)), _TF_MAX)
        ch.unit_len = _grow(ch.unit_len, unit + 1, 0.0)
        ch.unit_len[unit] = float(len(tokens))
        ch.total_len += float(len(tokens))
        ch.df = _grow(ch.df, len(ch.terms), 0)
        if len(tids):
            ch.df[tids] += 1
            ch.delta[unit] = (tids.astype(np.int32), tfs.astype(np.uint8))
            ch.delta_nnz += len(tids)
            ch._dcache = None

    def delete(self, doc_id: str) -> bool:
        """Delete one document; returns False if it was not there."""
        doc_id = str(doc_id)
        slot = self.slot.pop(doc_id, None)
        if slot is None:
            return False
        self.alive[slot] = False
        self.n_live -= 1
        u0, u1 = int(self.unit_start[slot]), int(self.unit_end[slot])
        self.n_live_units -= u1 - u0
        for spec in self.specs:
            ch = self._ch[spec.name]
            if spec.level == "doc":
                self._drop_units(ch, slot, slot + 1)
            elif u1 > u0:
                self._drop_units(ch, u0, u1)
        return True

    def _drop_units(self, ch: _Channel, u0: int, u1: int) -> None:
        """Update statistics for removed units [u0, u1); postings stay until compaction."""
        ch.total_len -= float(ch.unit_len[u0:u1].sum())
        for u in range(u0, u1):
            d = ch.delta.pop(u, None)
            if d is not None:
                ch.df[d[0]] -= 1
                ch.delta_nnz -= len(d[0])
                ch._dcache = None
        if ch.blocks is not None:
            pos = ch.blocks.positions_in(u0, u1)
        elif len(ch.indices):
            pos = np.nonzero((ch.indices >= u0) & (ch.indices < u1))[0]
        else:
            pos = _empty(np.int64)
        if len(pos):
            tids = np.searchsorted(ch.indptr, pos, side="right") - 1
            np.subtract.at(ch.df, tids, 1)

    def compact(self) -> None:
        """Merge deltas into the compact arrays and drop deleted documents and entries."""
        # Slots are renumbered: whoever keeps results by slot (Engine's result cache) sees the count change.
        self.compactions = getattr(self, "compactions", 0) + 1
        n_slots = len(self.ids)
        alive = self.alive[:n_slots]
        live_slots = np.nonzero(alive)[0]
        doc_map = np.full(n_slots, -1, dtype=np.int64)
        doc_map[live_slots] = np.arange(len(live_slots))
        unit_alive = np.zeros(self.n_units, dtype=bool)
        for s in live_slots.tolist():
            unit_alive[self.unit_start[s] : self.unit_end[s]] = True
        unit_map = np.full(self.n_units, -1, dtype=np.int64)
        live_units = np.nonzero(unit_alive)[0]
        unit_map[live_units] = np.arange(len(live_units))
        for spec in self.specs:
            ch = self._ch[spec.name]
            if spec.level == "doc":
                self._compact_channel(ch, doc_map, len(live_slots))
            else:
                self._compact_channel(ch, unit_map, len(live_units))
        starts = self.unit_start[live_slots]
        ends = self.unit_end[live_slots]
        lens = ends - starts
        self.unit_start = (np.r_[0, np.cumsum(lens)[:-1]] if len(lens) else lens).astype(np.int64)
        self.unit_end = self.unit_start + lens
        self.unit_doc = np.repeat(np.arange(len(live_slots), dtype=np.int32), lens)
        self.ids = [self.ids[i] for i in live_slots.tolist()]
        self.slot = {d: i for i, d in enumerate(self.ids)}
        self.alive = np.ones(len(self.ids), dtype=bool)
        self.n_units = int(lens.sum())
        self.n_live = len(self.ids)
        self.n_live_units = self.n_units
        self._postings_map = None  # no array is a view of the loaded file any more

    def _compact_channel(self, ch: _Channel, remap: np.ndarray, n_rows: int) -> None:
        n_terms = len(ch.terms)
        # main part: rows and columns
        counts = np.diff(ch.indptr)
        r_parts = [ch.all_units()]  # a loaded (blocked) channel is decoded here
        c_parts = [np.repeat(np.arange(len(counts), dtype=np.int64), counts)]
        v_parts = [ch.tf]
        for unit, (tids, tfs) in ch.delta.items():
            r_parts.append(np.full(len(tids), unit, dtype=np.int64))
            c_parts.append(tids.astype(np.int64))
            v_parts.append(tfs)
        if ch.bulk is not None:
            r_parts.append(ch.bulk[0])
            c_parts.append(ch.bulk[1])
            v_parts.append(ch.bulk[2])
            ch.bulk = None
        r = np.concatenate(r_parts)
        c = np.concatenate(c_parts)
        v = np.concatenate(v_parts).astype(np.uint8)
        del r_parts, c_parts, v_parts
        nr = remap[r] if len(r) else r
        keep = nr >= 0
        r, c, v = nr[keep], c[keep], v[keep]
        # drop terms that no longer occur
        used = np.zeros(n_terms, dtype=bool)
        used[c] = True
        term_map = np.cumsum(used) - 1
        ch.terms = [t for t, u in zip(ch.terms, used.tolist(), strict=True) if u]
        ch.vocab = {t: i for i, t in enumerate(ch.terms)}
        c = term_map[c]
        order = np.argsort(c * np.int64(max(n_rows, 1)) + r, kind="stable")
        r, c, v = r[order], c[order], v[order]
        del order
        ch.indptr = np.r_[0, np.cumsum(np.bincount(c, minlength=len(ch.terms)))].astype(np.int64)
        ch.indices = r.astype(np.int32)
        ch.blocks = None
        ch.tf = v
        ch.df = np.diff(ch.indptr).astype(np.int64)
        new_len = np.zeros(n_rows, dtype=np.float32)
        old = np.nonzero(remap >= 0)[0]
        old = old[old < len(ch.unit_len)]
        new_len[remap[old]] = ch.unit_len[old]
        ch.unit_len = new_len
        ch.total_len = float(new_len.sum(dtype=np.float64))
        ch.delta = {}
        ch.delta_nnz = 0
        ch._dcache = None
        self._refresh_tfn(ch, n_rows)

    @staticmethod
    def _norm_tf(spec: ChannelSpec, tf: np.ndarray, dl: np.ndarray, avg: float) -> np.ndarray:
        f = tf.astype(np.float32)
        k1, b = np.float32(spec.k1), np.float32(spec.b)
        return f * (k1 + 1) / (f + k1 * (1 - b + b * dl / np.float32(max(avg, 1e-9))))

    def _avg_len(self, ch: _Channel) -> float:
        n = self.n_live if ch.spec.level == "doc" else self.n_live_units
        return ch.total_len / n if n else 1.0

    def _refresh_tfn(self, ch: _Channel, n_rows: int) -> None:
        avg = ch.total_len / n_rows if n_rows else 1.0
        q = np.empty(len(ch.indices), dtype=np.uint8)
        step = 1 << 22  # in slices: bounded temporary memory
        for a in range(0, len(ch.indices), step):
            dl = ch.unit_len[ch.indices[a : a + step]]
            q[a : a + step] = _quantise(ch.spec, self._norm_tf(ch.spec, ch.tf[a : a + step], dl, avg))
        ch.q = q

    def maybe_compact(self) -> None:
        """Compact when the delta or the deleted share has grown large."""
        nnz = sum(c.nnz for c in self._ch.values())
        delta = sum(c.delta_nnz for c in self._ch.values())
        dead = len(self.ids) - self.n_live
        if delta > max(200_000, nnz // 10) or dead > max(1_000, len(self.ids) // 5):
            self.compact()

    # -- scoring -----------------------------------------------------------------------
    def _delta_cache(self, ch: _Channel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term-major view of the delta: (indptr over terms, units, normalised tf)."""
        if ch._dcache is not None and len(ch._dcache[0]) == len(ch.terms) + 1:
            return ch._dcache
        n_terms = len(ch.terms)
        if not ch.delta:
            ch._dcache = (np.zeros(n_terms + 1, np.int64), _empty(np.int32), _empty(np.float32))
            return ch._dcache
        units = np.concatenate([np.full(len(t), u, np.int64) for u, (t, _f) in ch.delta.items()])
        tids = np.concatenate([t for t, _f in ch.delta.values()]).astype(np.int64)
        tfs = np.concatenate([f for _t, f in ch.delta.values()])
        order = np.argsort(tids, kind="stable")
        units, tids, tfs = units[order], tids[order], tfs[order]
        indptr = np.r_[0, np.cumsum(np.bincount(tids, minlength=n_terms))].astype(np.int64)
        tfn = self._norm_tf(ch.spec, tfs, ch.unit_len[units], self._avg_len(ch))
        ch._dcache = (indptr, units.astype(np.int32), tfn)
        return ch._dcache

    def _idf(self, ch: _Channel, tids: np.ndarray) -> np.ndarray:
        n = self.n_live if ch.spec.level == "doc" else self.n_live_units
        df = ch.df[tids].astype(np.float64)
        idf: np.ndarray = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        return idf

    def _term_postings(self, ch: _Channel, terms: Mapping[str, float]) -> tuple[np.ndarray, np.ndarray]:
        """(units, weighted BM25 contributions) of the query terms in one channel."""
        pairs = [(ch.vocab[t], w) for t, w in terms.items() if w and t in ch.vocab]
        if not pairs:
            return _empty(np.int32), _empty(np.float32)
        tids = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
        coef = self._idf(ch, tids) * np.fromiter((p[1] for p in pairs), dtype=np.float32, count=len(pairs))
        us: list[np.ndarray] = []
        ws: list[np.ndarray] = []
        main = tids < len(ch.indptr) - 1
        if main.any():
            pos, lens = _gather(ch.indptr, tids[main])
            us.append(ch.blocks.gather(tids[main], pos) if ch.blocks is not None else ch.indices[pos])
            ws.append(ch.lut[ch.q[pos]] * np.repeat(coef[main], lens))
        if ch.delta:
            dptr, dunits, dtfn = self._delta_cache(ch)
            pos, lens = _gather(dptr, tids)
            if len(pos):
                us.append(dunits[pos])
                ws.append(dtfn[pos] * np.repeat(coef, lens))
        if not us:
            return _empty(np.int32), _empty(np.float32)
        if len(us) == 1:
            return us[0], ws[0]
        return np.concatenate(us), np.concatenate(ws)

    def channel_scores(self, spec: ChannelSpec, terms: Mapping[str, float]) -> np.ndarray:
        """Unweighted BM25 of one channel over its units (doc slots or entry units);
        postings of deleted units may be non-zero (callers mask them)."""
        ch = self._ch[spec.name]
        n_rows = len(self.ids) if spec.level == "doc" else self.n_units
        u, w = self._term_postings(ch, terms)
        if not len(u):
            return np.zeros(n_rows, dtype=np.float32)
        return np.bincount(u, w, minlength=n_rows).astype(np.float32)

    def score(
        self, terms_by_kind: Mapping[str, Mapping[str, float]]
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray | None]:
        """Weighted BM25 of every channel for one query, with dynamic pruning.

        Returns (doc-channel arrays over doc slots, entry-channel arrays over units,
        candidate slots or None). Query terms are evaluated rarest first over all
        postings until ``budget`` postings have been read; the remaining (common,
        low-idf) terms are evaluated only for the ``candidates`` best documents so far,
        whose scores are then exact (others keep a lower bound). Without pruning
        (None) every score is exact; the dev sets never reach the budget.
        """
        items: list[tuple[int, int, int, float]] = []  # (length, channel no, tid, coef)
        chans: list[tuple[ChannelSpec, _Channel]] = []
        for spec in self.specs:
            terms = terms_by_kind.get(spec.kind)
            if not terms or spec.weight == 0:
                continue
            ch = self._ch[spec.name]
            pairs = [(ch.vocab[t], w) for t, w in terms.items() if w and t in ch.vocab]
            if not pairs:
                continue
            ci = len(chans)
            chans.append((spec, ch))
            tids = np.fromiter((p[0] for p in pairs), dtype=np.int64, count=len(pairs))
            coef = self._idf(ch, tids) * np.fromiter((p[1] for p in pairs), np.float32, len(pairs))
            coef *= np.float32(spec.weight)
            n_main = len(ch.indptr) - 1
            inm = tids < n_main
            ns = np.zeros(len(tids), dtype=np.int64)
            ns[inm] = ch.indptr[tids[inm] + 1] - ch.indptr[tids[inm]]
            if ch.delta:
                dptr = self._delta_cache(ch)[0]
                ns = ns + dptr[tids + 1] - dptr[tids]
            items.extend(
                zip(ns.tolist(), [ci] * len(pairs), tids.tolist(), coef.tolist(), strict=True)
            )
        per_doc: dict[str, np.ndarray] = {}
        per_unit: dict[str, np.ndarray] = {}
        arrays: list[np.ndarray] = []
        for spec, _ch in chans:
            arr = np.zeros(len(self.ids) if spec.level == "doc" else self.n_units, dtype=np.float32)
            arrays.append(arr)
            (per_doc if spec.level == "doc" else per_unit)[spec.name] = arr
        if not items:
            return per_doc, per_unit, None
        items.sort(key=lambda x: x[0])
        lens = np.cumsum([it[0] for it in items])
        n_full = max(1, int(np.searchsorted(lens, self.budget, side="right")))
        self._accumulate_full(items[:n_full], chans, arrays)
        rest = items[n_full:]
        if not rest:
            return per_doc, per_unit, None
        while True:
            cand = self._candidates(per_doc, per_unit)
            if len(cand) >= min(self.candidates, self.n_live) or not rest:
                break
            self._accumulate_full(rest[:1], chans, arrays)  # too few matches yet
            rest = rest[1:]
        if not rest:
            return per_doc, per_unit, None
        cand.sort()
        cand32 = cand.astype(np.int32)  # same dtype as the postings: no conversion per term
        starts, ends = self.unit_start[cand], self.unit_end[cand]
        ulen = ends - starts
        cand_units = np.arange(int(ulen.sum()), dtype=np.int64) + np.repeat(
            starts - np.r_[0, np.cumsum(ulen)[:-1]], ulen
        )
        cand_units32 = cand_units.astype(np.int32)
        lows: dict[str, np.ndarray] = {}  # low bits of the targets, per level (blocked channels)
        for _n, ci, tid, c in rest:
            spec, ch = chans[ci]
            target = cand32 if spec.level == "doc" else cand_units32
            if not len(target):
                continue
            blocks = ch.blocks
            main = True  # the compact part still to be read through _term_slices
            if blocks is not None and tid < len(ch.indptr) - 1:
                a, b = int(ch.indptr[tid]), int(ch.indptr[tid + 1])
                n_runs = int(blocks.rptr[tid + 1] - blocks.rptr[tid])
                if b - a > _RUN_SEARCH_MIN * max(n_runs, 1):
                    # a long term: binary search per run, its units are not decoded
                    low = lows.get(spec.level)
                    if low is None:
                        low = lows[spec.level] = (target & ((1 << blocks.bits) - 1)).astype(np.uint16)
                    ti, ps = blocks.find(tid, target, low)
                    if len(ti):
                        arrays[ci][target[ti]] += ch.lut[ch.q[ps]] * np.float32(c)
                    main = False
            for u, f, lut in self._term_slices(ch, tid, main=main):
                if not len(u):
                    continue
                pos = np.searchsorted(u, target)
                pos[pos >= len(u)] = len(u) - 1
                hit = u[pos] == target
                vals = f[pos[hit]] if lut is None else lut[f[pos[hit]]]
                arrays[ci][target[hit]] += vals * np.float32(c)
        return per_doc, per_unit, cand

    def _term_slices(
        self, ch: _Channel, tid: int, *, main: bool = True
    ) -> list[tuple[np.ndarray, np.ndarray, np.ndarray | None]]:
        """Sorted (units, values, decoding table) runs of one term: compact part
        (quantised values, decoded with the table; not with ``main=False``) and delta
        (float32, table None)."""
        out: list[tuple[np.ndarray, np.ndarray, np.ndarray | None]] = []
        if main and tid < len(ch.indptr) - 1:
            a, b = ch.indptr[tid], ch.indptr[tid + 1]
            out.append((ch.units(tid), ch.q[a:b], ch.lut))
        if ch.delta:
            dptr, du, dtfn = self._delta_cache(ch)
            if tid < len(dptr) - 1:
                out.append((du[dptr[tid] : dptr[tid + 1]], dtfn[dptr[tid] : dptr[tid + 1]], None))
        return out

    def _accumulate_full(
        self,
        items: Sequence[tuple[int, int, int, float]],
        chans: Sequence[tuple[ChannelSpec, _Channel]],
        arrays: list[np.ndarray],
    ) -> None:
        by_chan: dict[int, list[tuple[int, float]]] = {}
        for _n, ci, tid, c in items:
            by_chan.setdefault(ci, []).append((tid, c))
        for ci, lst in by_chan.items():
            _spec, ch = chans[ci]
            us: list[np.ndarray] = []
            fs: list[np.ndarray] = []
            cs: list[float] = []
            ls: list[int] = []
            for tid, c in lst:
                for u, f, lut in self._term_slices(ch, tid):
                    if len(u):
                        us.append(u)
                        fs.append(f if lut is None else lut[f])
                        cs.append(c)
                        ls.append(len(u))
            if not us:
                continue
            w = np.concatenate(fs).astype(np.float32)
            w *= np.repeat(np.asarray(cs, dtype=np.float32), ls)
            arr = arrays[ci]
            arr += np.bincount(np.concatenate(us), w, minlength=len(arr)).astype(np.float32)

    def _candidates(
        self, per_doc: Mapping[str, np.ndarray], per_unit: Mapping[str, np.ndarray]
    ) -> np.ndarray:
        """Best ``candidates`` live documents by their (partial) score."""
        acc = np.zeros(len(self.ids), dtype=np.float32)
        for arr in per_doc.values():
            acc += arr
        if per_unit and self.n_units:
            ut = np.zeros(self.n_units, dtype=np.float32)
            for arr in per_unit.values():
                ut += arr
            acc += np.bincount(self.unit_doc[: self.n_units], ut, minlength=len(acc)).astype(np.float32)
        live = self.alive[: len(self.ids)]
        cand = np.nonzero(live & (acc > 0))[0]
        if len(cand) > self.candidates:
            cand = cand[np.argpartition(-acc[cand], self.candidates - 1)[: self.candidates]]
        return cand

    def aggregate_entries(self, unit_scores: np.ndarray, slots: np.ndarray) -> np.ndarray:
        """Per document slot in ``slots``: sum of its ``entry_top`` best entry scores."""
        out = np.zeros(len(slots), dtype=np.float32)
        if not len(slots) or not self.n_units:
            return out
        starts = self.unit_start[slots]
        lens = self.unit_end[slots] - starts
        has = lens > 0
        if not has.any():
            return out
        owner = np.repeat(np.arange(len(slots)), lens)
        units = np.arange(int(lens.sum()), dtype=np.int64) + np.repeat(
            starts - np.r_[0, np.cumsum(lens)[:-1]], lens
        )
        sc = unit_scores[units]
        if int(lens.max()) <= self.entry_top:
            return np.bincount(owner, sc, minlength=len(slots)).astype(np.float32)
        # only documents with more than entry_top entries need their entries ranked
        many = np.repeat(lens > self.entry_top, lens)
        out += np.bincount(owner[~many], sc[~many], minlength=len(slots)).astype(np.float32)
        owner, sc = owner[many], sc[many]
        mlens = lens[lens > self.entry_top]
        order = np.lexsort((-sc, owner))
        owner, sc = owner[order], sc[order]
        first = np.r_[0, np.cumsum(mlens)[:-1]]
        rank = np.arange(len(owner)) - np.repeat(first, mlens)
        keep = rank < self.entry_top
        out += np.bincount(owner[keep], sc[keep], minlength=len(slots)).astype(np.float32)
        return out

    def explain_doc(self, spec: ChannelSpec, terms: Mapping[str, float], slot: int) -> list[TermContribution]:
        """Per-term unweighted BM25 contributions of one channel to one document (for
        entry channels: within its ``entry_top`` best entries)."""
        return self.explain_docs(spec, terms, [slot]).get(slot, [])

    def explain_docs(
        self, spec: ChannelSpec, terms: Mapping[str, float], slots: Sequence[int]
    ) -> dict[int, list[TermContribution]]:
        """:meth:`explain_doc` for several documents at once: each query term's postings are
        gathered once and shared out to the documents asked for (a results page explains
        ten documents; gathering per document made explanations cost more than the search)."""
        ch = self._ch[spec.name]
        unit_slot: dict[int, int] = {}
        for slot in slots:
            if spec.level == "doc":
                unit_slot[int(slot)] = int(slot)
            else:
                for unit in range(int(self.unit_start[slot]), int(self.unit_end[slot])):
                    unit_slot[unit] = int(slot)
        if not unit_slot:
            return {}
        n_rows = len(self.ids) if spec.level == "doc" else self.n_units
        wanted = np.zeros(max(n_rows, max(unit_slot) + 1), dtype=bool)
        wanted[list(unit_slot)] = True
        per_unit: dict[int, dict[str, float]] = {}
        for term, qw in terms.items():
            if not qw or term not in ch.vocab:
                continue
            u, w = self._term_postings(ch, {term: qw})
            m = wanted[u]
            for uu, ww in zip(u[m].tolist(), w[m].tolist(), strict=True):
                d = per_unit.setdefault(uu, {})
                d[term] = d.get(term, 0.0) + ww
        by_slot: dict[int, list[tuple[int, dict[str, float]]]] = {}
        for unit, d in per_unit.items():
            by_slot.setdefault(unit_slot[unit], []).append((unit, d))
        out: dict[int, list[TermContribution]] = {}
        for slot, units in by_slot.items():
            if spec.level == "entry":
                units = sorted(units, key=lambda kv: -sum(kv[1].values()))[: self.entry_top]
            agg: dict[str, float] = {}
            for _unit, d in units:
                for term, v in d.items():
                    agg[term] = agg.get(term, 0.0) + v
            out[slot] = [TermContribution(t, spec.kind, spec.name, v) for t, v in agg.items()]
        return out

    def live_mask(self) -> np.ndarray:
        return self.alive[: len(self.ids)].copy()

    def slots_for(self, doc_ids: Iterable[object]) -> np.ndarray:
        return np.array([self.slot[s] for s in map(str, doc_ids) if s in self.slot], dtype=np.int64)

    # -- persistence -------------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str], *, block_bits: int = BLOCK_BITS) -> None:
        """Write ``index.json`` and one raw ``postings-<token>.bin`` into ``directory``
        (compacts first; format 4 with blocks of ``2 ** block_bits`` units). ``index.json``
        names the arrays' offsets in the binary file and is replaced last, so a reader sees
        either the old or the new index."""
        bits = _check_bits(block_bits)
        self.compact()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        vocab: dict[str, list[str]] = {}
        token = os.urandom(6).hex()
        bin_name = f"postings-{token}.bin"
        layout: dict[str, list[object]] = {}
        mask = (1 << bits) - 1
        with (d / bin_name).open("wb") as fh:

            def start(name: str, dtype: np.dtype, length: int) -> None:
                fh.write(b"\0" * (-fh.tell() % 64))
                layout[name] = [fh.tell(), dtype.str, int(length)]

            def put(name: str, arr: np.ndarray) -> None:
                arr = np.ascontiguousarray(arr)
                start(name, arr.dtype, len(arr))
                arr.tofile(fh)

            put("unit_start", self.unit_start[: len(self.ids)].astype(np.int64))
            for i, spec in enumerate(self.specs):
                ch = self._ch[spec.name]
                indptr = ch.indptr.astype(np.int64)
                put(f"c{i}_indptr", indptr)
                # unit ids: low bits now, the runs collected on the way (small)
                start(f"c{i}_lo", np.dtype(np.uint16), ch.nnz)
                rptr = np.zeros(len(indptr), dtype=np.int64)
                rpos: list[np.ndarray] = []
                rblk: list[np.ndarray] = []
                n_runs = 0
                for t0, t1 in _postings_chunks(indptr):
                    a, b = int(indptr[t0]), int(indptr[t1])
                    u = ch.indices[a:b]
                    (u & mask).astype(np.uint16).tofile(fh)
                    rs, rb, first = _chunk_runs(u, indptr[t0 : t1 + 1], bits)
                    rptr[t0:t1] = first + n_runs
                    n_runs += len(rs)
                    rpos.append(rs)
                    rblk.append(rb)
                rptr[-1] = n_runs
                put(f"c{i}_tf", ch.tf)
                put(f"c{i}_q", ch.q)
                put(f"c{i}_len", ch.unit_len.astype(np.float32))
                put(f"c{i}_rptr", rptr)
                put(f"c{i}_rpos", np.concatenate([*rpos, [ch.nnz]]).astype(_rpos_dtype(ch.nnz)))
                put(f"c{i}_rblk", np.concatenate(rblk) if rblk else _empty(np.uint16))
                vocab[spec.name] = ch.terms
                del rpos, rblk
        meta = {
            "format": FORMAT_VERSION,
            "block_bits": bits,
            "entry_top": self.entry_top,
            "candidates": self.candidates,
            "channels": [asdict(s) for s in self.specs],
            "ids": self.ids,
            "n_units": self.n_units,
            "vocab": vocab,
            "postings": bin_name,
            "layout": layout,
        }
        publish(d, meta)

    @classmethod
    def load(cls, directory: str | os.PathLike[str], *, mmap: bool = True) -> SparseIndex:
        """Load a saved index (format 4, or 3). With ``mmap`` (default) the postings
        arrays stay in the file, memory-mapped read-only (one mapping): only the pages that
        queries touch are read, and the operating system can drop them again; compaction writes new arrays.
        The small arrays (term offsets, lengths) are read into memory."""
        d = Path(directory)
        try:
            meta = json.loads((d / "index.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"no saved index in {d}") from None
        fmt = meta.get("format")
        if fmt not in READ_FORMATS:
            raise ValueError(f"unsupported index format {fmt!r} in {d}")
        bits = _check_bits(meta.get("block_bits", BLOCK_BITS)) if fmt == 4 else 0
        specs = [ChannelSpec(**c) for c in meta["channels"]]
        idx = cls(
            specs,
            entry_top=int(meta["entry_top"]),
            candidates=int(meta.get("candidates", 1000)),
        )
        idx.ids = list(meta["ids"])
        n = len(idx.ids)
        idx.slot = {s: i for i, s in enumerate(idx.ids)}
        idx.alive = np.ones(n, dtype=bool)
        idx.n_live = n
        idx.n_units = idx.n_live_units = int(meta["n_units"])
        path = d / str(meta["postings"])
        layout = meta["layout"]
        mm = _map_readonly(path) if mmap else None
        idx._postings_map = mm  # the arrays below are views of it

        def arr(name: str, big: bool = False) -> np.ndarray:
            off, dt, length = layout[name]
            dtype, length = np.dtype(dt), int(length)
            if length == 0:
                return np.zeros(0, dtype=dtype)
            if big and mm is not None:
                return np.frombuffer(mm, dtype=dtype, count=length, offset=int(off))
            out: np.ndarray = np.fromfile(path, dtype=dtype, count=length, offset=int(off))
            if len(out) != length:
                raise ValueError(f"postings file {path} is truncated")
            return out

        idx.unit_start = arr("unit_start").astype(np.int64)
        for i, spec in enumerate(specs):
            ch = idx._ch[spec.name]
            ch.indptr = arr(f"c{i}_indptr").astype(np.int64)
            if fmt == 3:
                ch.indices = arr(f"c{i}_indices", True)
            else:
                ch.blocks = _Blocks(
                    lo=arr(f"c{i}_lo", True),
                    rptr=arr(f"c{i}_rptr", True),
                    rpos=arr(f"c{i}_rpos", True),
                    rblk=arr(f"c{i}_rblk", True),
                    bits=bits,
                )
            ch.tf = arr(f"c{i}_tf", True)
            ch.q = arr(f"c{i}_q", True)
            ch.unit_len = arr(f"c{i}_len").astype(np.float32)
            ch.terms = list(meta["vocab"][spec.name])
            ch.vocab = {t: j for j, t in enumerate(ch.terms)}
            ch.df = np.diff(ch.indptr).astype(np.int64)
            ch.total_len = float(ch.unit_len.sum(dtype=np.float64))
        idx.unit_end = np.r_[idx.unit_start[1:], idx.n_units].astype(np.int64) if n else idx.unit_start.copy()
        lens = idx.unit_end - idx.unit_start
        idx.unit_doc = np.repeat(np.arange(n, dtype=np.int32), lens)
        return idx
