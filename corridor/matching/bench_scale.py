"""Scale benchmark: synthetic resource corpora of 10k / 100k / 1M documents.

    python -m corridor.matching.bench_scale [--sizes 10000,100000] [--queries 200] [--json]

Documents imitate resources: a title (3–8 words), a description (20–120 words) and
0–6 evidence entries (4–16 words each), with Chinese technical vocabulary drawn from
the IK / THUOCL lexicons (Zipf-like word frequencies; a few English words mixed in) and
a deterministic seed. Queries are 4–14 words, half of them taken from a random
document. For each size and system (``corridor`` engine, ``bm25s`` with jieba
search-mode tokens over the same text) a fresh subprocess reports index build time,
peak resident memory (``resource.getrusage`` of that process) and single-thread query
latency p50/p95 (analysis included).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["generate_corpus", "generate_queries", "main", "run_scale"]

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
#: without ``--segment-size``, corpora larger than this are built segment-wise in segments of
#: ``AUTO_SEGMENT`` documents (one ``add_many`` pass over 1M would need tens of GB)
AUTO_SEGMENT_ABOVE = 100_000
AUTO_SEGMENT = 50_000
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")
SEED = 20240601
_ENGLISH = (
    "AI IoT 5G MEMS GPU FPGA PLC CNC SiC GaN LiDAR PCB OLED CAD CAE BIM API SaaS "
    "battery sensor laser chip robot polymer catalyst vaccine"
).split()


def _vocabulary(max_words: int = 60_000) -> list[str]:
    from corridor.matching.engine.analysis import DATA_DIR

    words: list[str] = []
    seen: set[str] = set()
    for name in ("THUOCL_IT.txt", "THUOCL_medical.txt", "ik_main.dic"):
        path = DATA_DIR / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig") as fh:
            for line in fh:
                w = line.split("\t")[0].strip()
                if 2 <= len(w) <= 6 and w not in seen:
                    seen.add(w)
                    words.append(w)
                if len(words) >= max_words:
                    return words
    return words or ["技术", "平台", "研发"]


def _sampler(vocab: Sequence[str], seed: int) -> tuple[np.random.Generator, np.ndarray]:
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, len(vocab) + 1, dtype=np.float64)
    p = 1.0 / ranks**1.05
    return rng, p / p.sum()


def _generate(n: int, seed: int = SEED) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(id, document, the generator's own segmentation of each field)."""
    vocab = _vocabulary()
    rng, p = _sampler(vocab, seed)
    cdf = np.cumsum(p)
    fillers = ["的", "和", "与", "，", "。", "及", "在", "对"]

    def parts(k: int) -> list[str]:
        idx = np.searchsorted(cdf, rng.random(k))
        idx = np.minimum(idx, len(vocab) - 1)
        out: list[str] = []
        for i in idx.tolist():
            out.append(vocab[i])
            r = rng.random()
            if r < 0.25:
                out.append(fillers[int(rng.integers(len(fillers)))])
            elif r < 0.27:
                out.append(f" {_ENGLISH[int(rng.integers(len(_ENGLISH)))]} ")
        return out

    for i in range(n):
        title = parts(int(rng.integers(3, 9)))
        body = parts(int(rng.integers(20, 121)))
        entries = [parts(int(rng.integers(4, 17))) for _ in range(int(rng.integers(0, 7)))]
        doc = {"title": "".join(title), "body": "".join(body), "entries": ["".join(e) for e in entries]}
        yield f"r{i:07d}", doc, {"title": title, "body": body, "entries": entries}


def generate_corpus(n: int, seed: int = SEED) -> Iterator[tuple[str, dict[str, Any]]]:
    """Deterministic synthetic resources ``(id, {"title", "body", "entries"})``."""
    for doc_id, doc, _seg in _generate(n, seed):
        yield doc_id, doc


def _presegmented(eng: Any, doc: dict[str, Any], seg: dict[str, Any]) -> dict[str, Any]:
    """Analyse a document using the generator's word boundaries instead of jieba (the
    "oracle" segmenter: measures the index, not jieba's speed)."""
    from corridor.matching.engine.analysis import normalize

    an = eng.analyzer
    kinds = ("w", "b", "u")

    def one(text: str, toks: list[str]) -> dict[str, list[str]]:
        return dict(an.analyze(text, kinds, segmented=[normalize(t).strip() for t in toks]))

    text_an = [one(doc["title"], seg["title"]), one(doc["body"], seg["body"])]
    entry_an = [one(t, s) for t, s in zip(doc["entries"], seg["entries"], strict=True)]
    analysed: dict[str, Any] = {}
    for k in kinds:
        analysed[f"text/{k}"] = [t for a in (*text_an, *entry_an) for t in a[k]]
        analysed[f"entry/{k}"] = [a[k] for a in entry_an]
    return analysed


def generate_queries(n: int, docs: Sequence[dict[str, Any]], seed: int = SEED + 1) -> list[str]:
    vocab = _vocabulary()
    rng, p = _sampler(vocab, seed)
    out: list[str] = []
    for i in range(n):
        k = int(rng.integers(4, 15))
        if i % 2 == 0 and docs:
            d = docs[int(rng.integers(len(docs)))]
            text = d["body"]
            start = int(rng.integers(max(1, len(text) - 40)))
            out.append(text[start : start + 3 * k])
        else:
            idx = rng.choice(len(vocab), size=k, p=p)
            out.append("".join(vocab[j] for j in idx.tolist()))
    return out


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _rss_mb() -> float:
    """Current resident memory (Linux ``/proc``; the peak where unavailable)."""
    return _status_mb().get("VmRSS", _peak_rss_mb())


def _status_mb() -> dict[str, float]:
    """VmRSS / RssAnon (process memory) / RssFile (mapped file pages) in MB (Linux)."""
    out: dict[str, float] = {}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "RssAnon", "RssFile"):
                    out[key] = int(rest.split()[0]) / 1024.0
    except OSError:
        pass
    return out


def _index_format(index_dir: str) -> dict[str, Any]:
    """Saved format and block size of the index in ``index_dir`` (format 3 has no blocks)."""
    meta = json.loads((Path(index_dir) / "index.json").read_text(encoding="utf-8"))
    return {"index_format": meta.get("format"), "block_bits": meta.get("block_bits")}


_WORKER: dict[str, Any] = {}


def _segment_worker(
    items: list[tuple[str, dict[str, Any], dict[str, Any]]], segmenter: str, cache_dir: str | None, path: str
) -> tuple[float, float]:
    """Analyse and index one segment of the corpus, spill it to ``path``; returns (this
    process's peak RSS MB, its CPU seconds so far)."""
    from corridor.matching.engine import Engine, SparseIndex
    from corridor.matching.engine.analysis import get_analyzer
    from corridor.matching.engine.segments import spill_segment

    for var in _THREAD_VARS:
        os.environ[var] = "1"
    eng = _WORKER.get("engine")
    if eng is None:
        eng = _WORKER["engine"] = Engine(analyzer=get_analyzer(cache_dir))
    idx = SparseIndex(eng.config.channels, entry_top=eng.config.entry_top)
    if segmenter == "oracle":
        idx.add_many((doc_id, _presegmented(eng, doc, seg)) for doc_id, doc, seg in items)
    else:
        idx.add_many((doc_id, eng._analyse(doc)) for doc_id, doc, _seg in items)
    del items
    spill_segment(idx, path)
    del idx
    return _peak_rss_mb(), time.process_time()


def _build_segmented(
    size: int, segment_size: int, workers: int, segmenter: str, cache_dir: str | None, index_dir: str
) -> dict[str, Any]:
    """Segment-wise build of the corridor index into ``index_dir``: this process generates
    the corpus a segment at a time, ``workers`` processes analyse, index and spill the
    segments (at most ``workers`` segments in flight), then this process merges them."""
    from corridor.matching.engine import EngineConfig
    from corridor.matching.engine.segments import merge_segments

    seg_root = Path(index_dir) / "segments"
    seg_dirs: list[str] = []
    gen = _generate(size)
    worker_peaks: list[float] = []
    worker_cpu = 0.0
    if workers <= 1:
        while batch := list(islice(gen, segment_size)):
            seg_dirs.append(str(seg_root / f"seg{len(seg_dirs):05d}"))
            peak, _cpu = _segment_worker(batch, segmenter, cache_dir, seg_dirs[-1])
            del batch
            worker_peaks.append(peak)
    else:
        ctx = mp.get_context("spawn")
        with ctx.Pool(workers, maxtasksperchild=1) as pool:
            pending: deque[Any] = deque()
            while batch := list(islice(gen, segment_size)):
                seg_dirs.append(str(seg_root / f"seg{len(seg_dirs):05d}"))
                pending.append(pool.apply_async(_segment_worker, (batch, segmenter, cache_dir, seg_dirs[-1])))
                del batch
                while len(pending) >= workers:
                    peak, cpu = pending.popleft().get()
                    worker_peaks.append(peak)
                    worker_cpu += cpu
            while pending:
                peak, cpu = pending.popleft().get()
                worker_peaks.append(peak)
                worker_cpu += cpu
    built_rss = _peak_rss_mb()
    merge_c = time.process_time()
    merge_segments(seg_dirs, index_dir)
    merge_cpu = time.process_time() - merge_c
    shutil.rmtree(seg_root, ignore_errors=True)
    (Path(index_dir) / "engine.json").write_text(json.dumps(EngineConfig().to_json()), encoding="utf-8")
    return {
        "segments": len(seg_dirs),
        "segment_size": segment_size,
        "workers": workers,
        "worker_peak_rss_mb": round(max(worker_peaks, default=0.0), 1),
        "worker_cpu_s": round(worker_cpu, 2),
        "generate_peak_rss_mb": round(built_rss, 1),
        "merge_cpu_s": round(merge_cpu, 2),
    }


def _run_one(
    system: str,
    size: int,
    n_queries: int,
    cache_dir: str | None,
    segmenter: str,
    conn: Any,
    index_dir: str | None = None,
    segment_size: int = 0,
    workers: int = 1,
    segments_from: str | None = None,
) -> None:
    for var in _THREAD_VARS:  # one core: no BLAS/OpenMP thread pools
        os.environ[var] = "1"
    try:
        # the queries sample the first documents (the same ones as in the full corpus);
        # the corpus itself is streamed, never held as a whole
        sample = [d for _i, d, _s in _generate(min(size, 5000))]
        queries = generate_queries(n_queries, sample)
        del sample
        base_rss = _peak_rss_mb()
        extra: dict[str, Any] = {}
        search: Any = None
        if system == "corridor-mmap":  # serve the index saved by the "corridor" run
            from corridor.matching.engine import Engine
            from corridor.matching.engine.analysis import get_analyzer

            if index_dir is None:
                raise ValueError("corridor-mmap needs the index saved by a corridor run")
            t0, c0 = time.perf_counter(), time.process_time()
            eng = Engine.load(index_dir, analyzer=get_analyzer(cache_dir), mmap=True)
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            index_mb = sum(p.stat().st_size for p in Path(index_dir).iterdir() if p.is_file()) / 2**20
            extra["load_rss_mb"] = round(_rss_mb(), 1)
            extra.update(_index_format(index_dir))

            def search(q: str) -> object:
                return eng.search(q, 10, explain=False)
        elif system == "corridor-merge":  # merge segments spilled by an earlier (interrupted) run
            from corridor.matching.engine import EngineConfig
            from corridor.matching.engine.segments import merge_segments

            if index_dir is None or segments_from is None:
                raise ValueError("corridor-merge needs --segments-from and --serve-dir")
            seg_dirs = sorted(
                str(p) for p in Path(segments_from).glob("seg*") if (p / "segment.json").exists()
            )
            t0, c0 = time.perf_counter(), time.process_time()
            n_docs = merge_segments(seg_dirs, index_dir)
            (Path(index_dir) / "engine.json").write_text(
                json.dumps(EngineConfig().to_json()), encoding="utf-8"
            )
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            index_mb = sum(p.stat().st_size for p in Path(index_dir).iterdir() if p.is_file()) / 2**20
            extra.update({"segments": len(seg_dirs), "merged_docs": n_docs, **_index_format(index_dir)})
        elif system == "corridor" and segment_size:
            if index_dir is None:
                raise ValueError("a segment-wise build needs an index directory (do not pass --no-serve)")
            t0, c0 = time.perf_counter(), time.process_time()
            extra.update(_build_segmented(size, segment_size, workers, segmenter, cache_dir, index_dir))
            index_s = time.perf_counter() - t0
            index_cpu = time.process_time() - c0 + extra["worker_cpu_s"]
            index_mb = sum(p.stat().st_size for p in Path(index_dir).iterdir() if p.is_file()) / 2**20
            if workers > 1:  # largest peak among the (reaped) worker processes
                extra["children_peak_rss_mb"] = round(
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0, 1
                )
        elif system == "corridor":
            from corridor.matching.engine import Engine
            from corridor.matching.engine.analysis import get_analyzer

            eng = Engine(analyzer=get_analyzer(cache_dir))
            t0, c0 = time.perf_counter(), time.process_time()
            if segmenter == "oracle":
                eng.index.add_many(
                    (doc_id, _presegmented(eng, doc, seg)) for doc_id, doc, seg in _generate(size)
                )
            else:
                eng.add_many((doc_id, doc) for doc_id, doc, _seg in _generate(size))
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            index_mb = eng.index.nbytes() / 2**20
            if index_dir:
                eng.save(index_dir)

            def search(q: str) -> object:
                return eng.search(q, 10, explain=False)
        else:
            import bm25s
            import jieba

            jieba.setLogLevel(60)
            jieba.initialize()
            index_mb = 0.0
            t0, c0 = time.perf_counter(), time.process_time()
            if segmenter == "oracle":  # the same word boundaries as the engine gets
                toks = [
                    [
                        w.strip()
                        for part in (sg["title"], sg["body"], *sg["entries"])
                        for w in part
                        if w.strip()
                    ]
                    for _i, _d, sg in _generate(size)
                ]
            else:
                toks = [
                    [
                        w
                        for w in jieba.lcut_for_search(" ".join([d["title"], d["body"], *d["entries"]]))
                        if w.strip()
                    ]
                    for _i, d, _sg in _generate(size)
                ]
            model = bm25s.BM25()
            model.index(toks, show_progress=False)
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            del toks

            def search(q: str) -> object:
                qt = [w for w in jieba.lcut_for_search(q) if w.strip()]
                return model.retrieve([qt], k=10, show_progress=False, n_threads=0) if qt else None

        lat: list[float] = []
        cpu: list[float] = []
        serve_rss = _rss_mb()
        if search is not None:  # a segment-wise build is served by the corridor-mmap run
            for q in queries[:5]:  # warm-up
                search(q)
            serve_rss = _rss_mb()
            for q in queries:
                t, c = time.perf_counter(), time.process_time()
                search(q)
                lat.append((time.perf_counter() - t) * 1000.0)
                cpu.append((time.process_time() - c) * 1000.0)

        def pct(xs: list[float], p: float) -> float | None:
            return round(float(np.percentile(xs, p)), 2) if xs else None

        conn.send(
            {
                "system": system,
                "docs": size,
                "index_s": round(index_s, 2),
                "index_cpu_s": round(index_cpu, 2),
                "segmenter": segmenter,
                "postings_mb": round(index_mb, 1),
                "peak_rss_mb": round(_peak_rss_mb(), 1),
                "corpus_rss_mb": round(base_rss, 1),
                "serve_rss_mb": round(serve_rss, 1),
                "latency_ms_p50": pct(lat, 50),
                "latency_ms_p95": pct(lat, 95),
                "cpu_ms_p50": pct(cpu, 50),
                "cpu_ms_p95": pct(cpu, 95),
                "queries": len(lat),
                **{f"{k.lower()}_mb": round(v, 1) for k, v in _status_mb().items() if k != "VmRSS"},
                **extra,
            }
        )
    except Exception as e:  # reported to the parent, which prints it
        conn.send({"system": system, "docs": size, "error": f"{type(e).__name__}: {e}"})
    finally:
        conn.close()


def run_scale(
    sizes: Sequence[int] = DEFAULT_SIZES,
    systems: Sequence[str] = ("corridor", "bm25s"),
    n_queries: int = 200,
    cache_dir: str | None = None,
    progress: bool = True,
    segmenter: str = "jieba",
    serve: bool = True,
    segment_size: int | None = None,
    workers: int = 1,
    tmp_dir: str | None = None,
    serve_dir: str | None = None,
    segments_from: str | None = None,
) -> list[dict[str, Any]]:
    """Run each (size, system) in a fresh process; returns one result dict per pair.

    With ``serve``, the ``corridor`` run saves its index and a ``corridor-mmap`` run
    loads it memory-mapped in a fresh process and measures serving memory and latency.
    With ``serve_dir`` only that run is made, on the index saved there (after merging the
    segments spilled under ``segments_from`` into it, if given). ``segment_size`` None: one
    pass up to ``AUTO_SEGMENT_ABOVE`` documents, segments of ``AUTO_SEGMENT`` above; 0: one pass.
    """
    ctx = mp.get_context("spawn")
    results: list[dict[str, Any]] = []
    for size in sizes:
        plan = list(systems)
        if "corridor" in plan and serve:
            plan.insert(plan.index("corridor") + 1, "corridor-mmap")
        seg = segment_size if segment_size is not None else (AUTO_SEGMENT if size > AUTO_SEGMENT_ABOVE else 0)
        # a segment-wise build merges into a folder even when the result is not served afterwards
        tmp = tempfile.mkdtemp(prefix="corridor-scale-", dir=tmp_dir) if (serve or seg) and not serve_dir else None
        if serve_dir:
            plan = ["corridor-merge", "corridor-mmap"] if segments_from else ["corridor-mmap"]
        for system in plan:
            if progress:
                print(f"[bench_scale] {system} on {size} docs ...", file=sys.stderr, flush=True)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_run_one,
                args=(
                    system,
                    size,
                    n_queries,
                    cache_dir,
                    segmenter,
                    child,
                    serve_dir or tmp,
                    seg,
                    workers,
                    segments_from,
                ),
            )
            proc.start()
            child.close()
            try:
                res = parent.recv()
            except EOFError:
                res = {"system": system, "docs": size, "error": f"worker died (exit code {proc.exitcode})"}
            proc.join()
            results.append(res)
            if progress:
                print(f"[bench_scale] {res}", file=sys.stderr, flush=True)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m corridor.matching.bench_scale", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated corpus sizes")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--systems", default="corridor,bm25s")
    ap.add_argument("--cache-dir")
    ap.add_argument(
        "--segmenter",
        choices=("jieba", "oracle"),
        default="jieba",
        help="corridor indexing: jieba (real) or the generator's word boundaries (index cost only)",
    )
    ap.add_argument(
        "--no-serve", action="store_true", help="skip the corridor-mmap run (saved, memory-mapped index)"
    )
    ap.add_argument(
        "--segment-size",
        type=int,
        default=None,
        help=f"build the corridor index segment-wise (segments of this many documents, merged on disk); "
        f"default: one pass up to {AUTO_SEGMENT_ABOVE:,} documents, segments of {AUTO_SEGMENT:,} above; 0: always one pass",
    )
    ap.add_argument(
        "--workers", type=int, default=1, help="processes building segments (with --segment-size)"
    )
    ap.add_argument(
        "--tmp-dir", help="where the saved index goes (default: the system's temporary directory)"
    )
    ap.add_argument(
        "--serve-dir",
        help="only serve (memory-mapped) the index saved in this directory; --sizes is its size",
    )
    ap.add_argument(
        "--segments-from",
        help="with --serve-dir: first merge the segments spilled in this directory (seg*) into it",
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        print(f"error: --sizes must be comma-separated integers, got {args.sizes!r}", file=sys.stderr)
        return 2
    systems = [s for s in args.systems.split(",") if s]
    bad = [s for s in systems if s not in ("corridor", "bm25s")]
    if bad or not sizes or min(sizes) <= 0:
        print("error: systems are corridor,bm25s and sizes must be positive", file=sys.stderr)
        return 2
    if args.cache_dir:
        Path(args.cache_dir).mkdir(parents=True, exist_ok=True)
    if args.segments_from and not args.serve_dir:
        print("error: --segments-from needs --serve-dir", file=sys.stderr)
        return 2
    if (args.segment_size is not None and args.segment_size < 0) or args.workers < 1:
        print("error: --segment-size must be >= 0 and --workers >= 1", file=sys.stderr)
        return 2
    results = run_scale(
        sizes,
        systems,
        args.queries,
        args.cache_dir,
        segmenter=args.segmenter,
        serve=not args.no_serve,
        segment_size=args.segment_size,
        workers=args.workers,
        tmp_dir=args.tmp_dir,
        serve_dir=args.serve_dir,
        segments_from=args.segments_from,
    )
    if args.json:
        print(json.dumps({"results": results}, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.table import Table

        cols = (
            "docs",
            "system",
            "segmenter",
            "index_s",
            "index_cpu_s",
            "postings_mb",
            "peak_rss_mb",
            "serve_rss_mb",
            "rssanon_mb",
            "rssfile_mb",
            "latency_ms_p50",
            "latency_ms_p95",
            "cpu_ms_p50",
            "cpu_ms_p95",
            "worker_peak_rss_mb",
            "error",
        )
        table = Table(title="matching scale benchmark")
        for c in cols:
            table.add_column(c)
        for r in results:
            table.add_row(*(str(r.get(c, "")) for c in cols))
        Console(width=160).print(table)
    return 0 if all("error" not in r for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
