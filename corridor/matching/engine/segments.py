"""Segment-wise building of a :class:`~corridor.matching.engine.index.SparseIndex` that is
too large to build in one :meth:`~SparseIndex.add_many` pass.

``add_many`` holds every posting of the corpus in flat Python arrays and sorts them once:
its peak memory grows with the corpus (2.9 GB at 100k resources). Here the corpus is cut
into segments of bounded size; each segment is built with ``add_many`` and *spilled* to
disk (:func:`spill_segment`, terms sorted so that a range of terms is a contiguous range
in every segment), then :func:`merge_segments` streams the segments, a range of terms at
a time, into one saved index (format 4, as :meth:`SparseIndex.save` writes it: uint16 unit
ids in blocks, with the runs of blocks per term streamed to temporary files and appended
at the end; :meth:`SparseIndex.load` reads it memory-mapped).
Neither step's peak memory grows with the number of segments: a segment is as large as
``segment_size`` documents make it, and the merge holds the ids, the vocabularies, the
per-unit lengths and one bounded range of postings.

The merged index is the same as a single-pass build of the same documents in the same
order (same slots, same postings, same quantised normalised tf computed with the global
average lengths; only the numbering of the terms differs), so scores are identical.
Segments are read with plain file reads, not memory maps, so the merging process's
resident memory does not include the segments' pages.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from itertools import islice
from pathlib import Path
from typing import BinaryIO, cast

import numpy as np

from .index import (
    BLOCK_BITS,
    FORMAT_VERSION,
    ChannelSpec,
    SparseIndex,
    _check_bits,
    _chunk_runs,
    _gather,
    _quantise,
    _rpos_dtype,
    publish,
)

__all__ = ["build_segmented", "merge_segments", "spill_segment"]

SEGMENT_FORMAT = 1
#: postings per merged range of terms (bounds the merge's temporary memory, ~40 B each)
MERGE_CHUNK = 8_000_000

Analysed = Mapping[str, Sequence[str] | Sequence[Sequence[str]]]


def _write(path: Path, arr: np.ndarray) -> None:
    np.ascontiguousarray(arr).tofile(path)


def spill_segment(idx: SparseIndex, directory: str | os.PathLike[str]) -> None:
    """Write a (compacted) index as a segment: ``segment.json`` (ids, sorted terms per
    channel, sizes) and raw arrays per channel (indptr over the sorted terms, unit ids,
    tf, unit lengths)."""
    idx.compact()
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    _write(d / "unit_start.bin", idx.unit_start[: len(idx.ids)].astype(np.int64))
    vocab: dict[str, list[str]] = {}
    nnz: dict[str, int] = {}
    for i, spec in enumerate(idx.specs):
        ch = idx._ch[spec.name]
        order = sorted(range(len(ch.terms)), key=ch.terms.__getitem__)
        tids = np.asarray(order, dtype=np.int64)
        pos, lens = _gather(ch.indptr, tids)
        _write(d / f"c{i}_indptr.bin", np.r_[0, np.cumsum(lens)].astype(np.int64))
        units = ch.blocks.gather(tids, pos) if ch.blocks is not None else ch.indices[pos]
        _write(d / f"c{i}_indices.bin", units.astype(np.int32))
        _write(d / f"c{i}_tf.bin", ch.tf[pos].astype(np.uint8))
        _write(d / f"c{i}_len.bin", ch.unit_len.astype(np.float32))
        vocab[spec.name] = [ch.terms[t] for t in order]
        nnz[spec.name] = len(pos)
        del pos, lens
    meta = {
        "segment_format": SEGMENT_FORMAT,
        "channels": [asdict(s) for s in idx.specs],
        "entry_top": idx.entry_top,
        "candidates": idx.candidates,
        "ids": idx.ids,
        "n_units": idx.n_units,
        "nnz": nnz,
        "vocab": vocab,
    }
    (d / "segment.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _read(fh: BinaryIO, dtype: type, start: int, count: int) -> np.ndarray:
    itemsize = np.dtype(dtype).itemsize
    fh.seek(start * itemsize)
    out: np.ndarray = np.fromfile(fh, dtype=dtype, count=count)
    if len(out) != count:
        raise ValueError(f"segment file {fh.name!r} is truncated")
    return out


class _Seg:
    def __init__(self, d: Path) -> None:
        self.dir = d
        try:
            self.meta = json.loads((d / "segment.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise FileNotFoundError(f"no segment in {d}") from None
        if self.meta.get("segment_format") != SEGMENT_FORMAT:
            raise ValueError(f"unsupported segment format {self.meta.get('segment_format')!r} in {d}")
        self.n_docs = len(self.meta["ids"])
        self.n_units = int(self.meta["n_units"])

    def array(self, name: str, dtype: type) -> np.ndarray:
        return np.fromfile(self.dir / f"{name}.bin", dtype=dtype)


def merge_segments(
    segments: Sequence[str | os.PathLike[str]],
    directory: str | os.PathLike[str],
    *,
    chunk: int = MERGE_CHUNK,
    block_bits: int = BLOCK_BITS,
) -> int:
    """Merge spilled segments, in order, into one saved index in ``directory`` (the files
    :meth:`SparseIndex.save` writes: ``index.json`` + ``postings-<token>.bin``, format 4
    with blocks of ``2 ** block_bits`` units); returns the number of documents. Ids must
    be unique across segments.

    The run arrays of the unit ids (whose sizes are known only at the end) are streamed
    to temporary files next to the output and appended to it last."""
    bits = _check_bits(block_bits)
    segs = [_Seg(Path(s)) for s in segments]
    if not segs:
        raise ValueError("no segments to merge")
    first = segs[0].meta
    for s in segs[1:]:
        if s.meta["channels"] != first["channels"] or s.meta["entry_top"] != first["entry_top"]:
            raise ValueError(f"segment {s.dir} has another channel configuration than {segs[0].dir}")
    specs = [ChannelSpec(**c) for c in first["channels"]]
    ids: list[str] = []
    for s in segs:
        ids.extend(s.meta["ids"])
    if len(set(ids)) != len(ids):
        raise ValueError("document ids repeat across segments")
    doc_base = np.r_[0, np.cumsum([s.n_docs for s in segs])].astype(np.int64)
    unit_base = np.r_[0, np.cumsum([s.n_units for s in segs])].astype(np.int64)
    n_docs, n_units = int(doc_base[-1]), int(unit_base[-1])
    unit_start = (
        np.concatenate([s.array("unit_start", np.int64) + unit_base[k] for k, s in enumerate(segs)])
        if n_docs
        else np.zeros(0, np.int64)
    )

    # per channel: global sorted vocabulary, local -> global term ids, df, indptr
    plans = []
    vocab: dict[str, list[str]] = {}
    for i, spec in enumerate(specs):
        terms = sorted(set().union(*(s.meta["vocab"][spec.name] for s in segs)))
        gid = {t: j for j, t in enumerate(terms)}
        gmaps, iptrs = [], []
        df = np.zeros(len(terms), dtype=np.int64)
        for s in segs:
            local = s.meta["vocab"][spec.name]
            gm = np.fromiter((gid[t] for t in local), dtype=np.int64, count=len(local))
            ip = s.array(f"c{i}_indptr", np.int64)
            df[gm] += np.diff(ip)
            gmaps.append(gm)
            iptrs.append(ip)
        del gid
        indptr = np.r_[0, np.cumsum(df)].astype(np.int64)
        lens = np.concatenate([s.array(f"c{i}_len", np.float32) for s in segs])
        n_rows = n_docs if spec.level == "doc" else n_units
        if len(lens) != n_rows:
            raise ValueError(f"segment lengths of channel {spec.name} do not match its units")
        avg = float(lens.sum(dtype=np.float64)) / n_rows if n_rows else 1.0
        plans.append((spec, indptr, gmaps, iptrs, lens, avg))
        vocab[spec.name] = terms

    # layout of the output file (the arrays of SparseIndex.save): the fixed-size arrays
    # first, the run arrays (c*_rpos, c*_rblk) appended at the end
    sizes: list[tuple[str, np.dtype, int]] = [("unit_start", np.dtype(np.int64), n_docs)]
    for i, (_spec, indptr, _g, _ip, lens, _avg) in enumerate(plans):
        nnz = int(indptr[-1])
        sizes += [
            (f"c{i}_indptr", np.dtype(np.int64), len(indptr)),
            (f"c{i}_lo", np.dtype(np.uint16), nnz),
            (f"c{i}_tf", np.dtype(np.uint8), nnz),
            (f"c{i}_q", np.dtype(np.uint8), nnz),
            (f"c{i}_len", np.dtype(np.float32), len(lens)),
            (f"c{i}_rptr", np.dtype(np.int64), len(indptr)),
        ]
    layout: dict[str, list[object]] = {}
    off = 0
    for name, dt, length in sizes:
        off += -off % 64
        layout[name] = [off, dt.str, length]
        off += dt.itemsize * length

    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    token = os.urandom(6).hex()
    bin_name = f"postings-{token}.bin"

    dtypes = {name: dt for name, dt, _n in sizes}

    def put(fh: BinaryIO, name: str, arr: np.ndarray, at: int = 0) -> None:
        dt = dtypes[name]
        fh.seek(cast(int, layout[name][0]) + at * dt.itemsize)
        fh.write(np.ascontiguousarray(arr, dtype=dt).tobytes())

    mask = (1 << bits) - 1
    run_files: list[tuple[Path, Path, int, np.dtype]] = []  # per channel: rpos, rblk, runs, dtype
    try:
        with (d / bin_name).open("wb") as out:
            out.truncate(off)
            put(out, "unit_start", unit_start)
            for i, (spec, indptr, gmaps, iptrs, lens, avg) in enumerate(plans):
                put(out, f"c{i}_indptr", indptr)
                put(out, f"c{i}_len", lens)
                nnz = int(indptr[-1])
                rdt = _rpos_dtype(nnz)
                rpos_path = d / f".c{i}_rpos-{token}.tmp"
                rblk_path = d / f".c{i}_rblk-{token}.tmp"
                run_files.append((rpos_path, rblk_path, 0, rdt))
                rptr = np.zeros(len(indptr), dtype=np.int64)
                n_runs = 0
                handles = [
                    ((s.dir / f"c{i}_indices.bin").open("rb"), (s.dir / f"c{i}_tf.bin").open("rb"))
                    for s in segs
                ]
                try:
                    with rpos_path.open("wb") as fpos, rblk_path.open("wb") as fblk:
                        n_terms = len(indptr) - 1
                        t0 = 0
                        while t0 < n_terms:
                            # a range of terms with about ``chunk`` postings (at least one term)
                            t1 = int(np.searchsorted(indptr, indptr[t0] + chunk, side="right")) - 1
                            t1 = min(max(t1, t0 + 1), n_terms)
                            us, cs, fs = [], [], []
                            for k, (gm, ip) in enumerate(zip(gmaps, iptrs, strict=True)):
                                lo, hi = np.searchsorted(gm, [t0, t1])
                                a, b = int(ip[lo]), int(ip[hi])
                                if b == a:
                                    continue
                                fi, ft = handles[k]
                                base = doc_base[k] if spec.level == "doc" else unit_base[k]
                                us.append(_read(fi, np.int32, a, b - a).astype(np.int64) + base)
                                fs.append(_read(ft, np.uint8, a, b - a))
                                cs.append(np.repeat(gm[lo:hi], np.diff(ip[lo : hi + 1])))
                            if us:
                                c = np.concatenate(cs)
                                order = np.argsort(c, kind="stable")  # segments in order: units ascending
                                del c
                                u = np.concatenate(us)[order]
                                f = np.concatenate(fs)[order]
                                del us, fs, cs, order
                                at = int(indptr[t0])
                                q = _quantise(spec, SparseIndex._norm_tf(spec, f, lens[u], avg))
                                put(out, f"c{i}_lo", (u & mask).astype(np.uint16), at)
                                put(out, f"c{i}_tf", f, at)
                                put(out, f"c{i}_q", q, at)
                                rs, rb, run0 = _chunk_runs(u, indptr[t0 : t1 + 1], bits)
                                fpos.write(rs.astype(rdt).tobytes())
                                fblk.write(rb.tobytes())
                                rptr[t0:t1] = run0 + n_runs
                                n_runs += len(rs)
                                del u, f, q, rs, rb, run0
                            else:
                                rptr[t0:t1] = n_runs
                            t0 = t1
                        fpos.write(np.asarray([nnz], dtype=rdt).tobytes())  # the last run's end
                finally:
                    for fi, ft in handles:
                        fi.close()
                        ft.close()
                rptr[-1] = n_runs
                put(out, f"c{i}_rptr", rptr)
                run_files[-1] = (rpos_path, rblk_path, n_runs, rdt)
            # the run arrays, appended
            end = off
            for i, (rpos_path, rblk_path, n_runs, rdt) in enumerate(run_files):
                for name, src, dt, length in (
                    (f"c{i}_rpos", rpos_path, rdt, n_runs + 1),
                    (f"c{i}_rblk", rblk_path, np.dtype(np.uint16), n_runs),
                ):
                    end += -end % 64
                    layout[name] = [end, dt.str, length]
                    out.seek(end)
                    with src.open("rb") as fh:
                        shutil.copyfileobj(fh, out, 1 << 22)
                    end += dt.itemsize * length
                    if out.tell() != end:
                        raise RuntimeError(f"run file {src} has an unexpected size")
                    src.unlink()
    finally:
        for rpos_path, rblk_path, _n, _dt in run_files:
            rpos_path.unlink(missing_ok=True)
            rblk_path.unlink(missing_ok=True)
    meta = {
        "format": FORMAT_VERSION,
        "block_bits": bits,
        "entry_top": first["entry_top"],
        "candidates": first["candidates"],
        "channels": first["channels"],
        "ids": ids,
        "n_units": n_units,
        "vocab": vocab,
        "postings": bin_name,
        "layout": layout,
    }
    publish(d, meta)
    return n_docs


def build_segmented(
    specs: Sequence[ChannelSpec],
    docs: Iterable[tuple[str, Analysed]],
    directory: str | os.PathLike[str],
    *,
    segment_size: int = 100_000,
    entry_top: int = 5,
    candidates: int = 1000,
    work_dir: str | os.PathLike[str] | None = None,
) -> int:
    """Build a saved index of already analysed ``docs`` in segments of ``segment_size``
    documents (spilled under ``work_dir``, default ``<directory>/segments``, removed at
    the end) and merge them into ``directory``; returns the number of documents.
    Load the result with :meth:`SparseIndex.load`."""
    if segment_size <= 0:
        raise ValueError("segment_size must be positive")
    work = Path(work_dir) if work_dir else Path(directory) / "segments"
    seg_dirs: list[Path] = []
    try:
        it = iter(docs)
        while True:
            idx = SparseIndex(specs, entry_top=entry_top, candidates=candidates)
            n = idx.add_many(islice(it, segment_size))
            if not n:
                break
            seg = work / f"seg{len(seg_dirs):05d}"
            spill_segment(idx, seg)
            seg_dirs.append(seg)
            del idx
        if not seg_dirs:
            SparseIndex(specs, entry_top=entry_top, candidates=candidates).save(directory)
            return 0
        return merge_segments(seg_dirs, directory)
    finally:
        shutil.rmtree(work, ignore_errors=True)
