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
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["generate_corpus", "generate_queries", "main", "run_scale"]

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
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


def _run_one(
    system: str,
    size: int,
    n_queries: int,
    cache_dir: str | None,
    segmenter: str,
    conn: Any,
    index_dir: str | None = None,
) -> None:
    for var in _THREAD_VARS:  # one core: no BLAS/OpenMP thread pools
        os.environ[var] = "1"
    try:
        gen = list(_generate(size))
        docs = [(i, d) for i, d, _s in gen]
        segs = [s for _i, _d, s in gen] if segmenter == "oracle" else []
        del gen
        sample = [d for _, d in docs[: min(len(docs), 5000)]]
        queries = generate_queries(n_queries, sample)
        base_rss = _peak_rss_mb()
        extra: dict[str, Any] = {}
        if system == "corridor-mmap":  # serve the index saved by the "corridor" run
            from corridor.matching.engine import Engine
            from corridor.matching.engine.analysis import get_analyzer

            del docs, segs
            if index_dir is None:
                raise ValueError("corridor-mmap needs the index saved by a corridor run")
            t0, c0 = time.perf_counter(), time.process_time()
            eng = Engine.load(index_dir, analyzer=get_analyzer(cache_dir), mmap=True)
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            index_mb = sum(p.stat().st_size for p in Path(index_dir).iterdir()) / 2**20
            extra["load_rss_mb"] = round(_rss_mb(), 1)

            def search(q: str) -> object:
                return eng.search(q, 10, explain=False)
        elif system == "corridor":
            from corridor.matching.engine import Engine
            from corridor.matching.engine.analysis import get_analyzer

            eng = Engine(analyzer=get_analyzer(cache_dir))
            t0, c0 = time.perf_counter(), time.process_time()
            if segmenter == "oracle":
                eng.index.add_many(
                    (doc_id, _presegmented(eng, doc, seg)) for (doc_id, doc), seg in zip(docs, segs, strict=True)
                )
            else:
                eng.add_many(docs)
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            index_mb = eng.index.nbytes() / 2**20
            del docs, segs
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
                    [w.strip() for part in (sg["title"], sg["body"], *sg["entries"]) for w in part if w.strip()]
                    for sg in segs
                ]
            else:
                toks = [
                    [
                        w
                        for w in jieba.lcut_for_search(" ".join([d["title"], d["body"], *d["entries"]]))
                        if w.strip()
                    ]
                    for _, d in docs
                ]
            model = bm25s.BM25()
            model.index(toks, show_progress=False)
            index_s, index_cpu = time.perf_counter() - t0, time.process_time() - c0
            del docs, toks, segs

            def search(q: str) -> object:
                qt = [w for w in jieba.lcut_for_search(q) if w.strip()]
                return model.retrieve([qt], k=10, show_progress=False, n_threads=0) if qt else None

        for q in queries[:5]:  # warm-up
            search(q)
        serve_rss = _rss_mb()
        lat: list[float] = []
        cpu: list[float] = []
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            search(q)
            lat.append((time.perf_counter() - t) * 1000.0)
            cpu.append((time.process_time() - c) * 1000.0)
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
                "latency_ms_p50": round(float(np.percentile(lat, 50)), 2),
                "latency_ms_p95": round(float(np.percentile(lat, 95)), 2),
                "cpu_ms_p50": round(float(np.percentile(cpu, 50)), 2),
                "cpu_ms_p95": round(float(np.percentile(cpu, 95)), 2),
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
) -> list[dict[str, Any]]:
    """Run each (size, system) in a fresh process; returns one result dict per pair.

    With ``serve``, the ``corridor`` run saves its index and a ``corridor-mmap`` run
    loads it memory-mapped in a fresh process and measures serving memory and latency.
    """
    ctx = mp.get_context("spawn")
    results: list[dict[str, Any]] = []
    for size in sizes:
        plan = list(systems)
        if "corridor" in plan and serve:
            plan.insert(plan.index("corridor") + 1, "corridor-mmap")
        tmp = tempfile.mkdtemp(prefix="corridor-scale-") if serve else None
        for system in plan:
            if progress:
                print(f"[bench_scale] {system} on {size} docs ...", file=sys.stderr, flush=True)
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_run_one, args=(system, size, n_queries, cache_dir, segmenter, child, tmp)
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
    results = run_scale(
        sizes, systems, args.queries, args.cache_dir, segmenter=args.segmenter, serve=not args.no_serve
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
