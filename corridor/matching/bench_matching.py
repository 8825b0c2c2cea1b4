"""Matching benchmark on a BEIR-layout folder: the Corridor engine against BM25 peers.

    python -m corridor.matching.bench_matching --dataset DIR [--json] [--ablation]

A dataset folder holds ``corpus.jsonl`` ({"_id","title","text"} a line),
``queries.jsonl`` ({"_id","text"}) and ``qrels/test.tsv`` (header, then
``query-id<TAB>corpus-id<TAB>score``). Systems evaluated in one run:

* ``corridor`` — :class:`corridor.matching.engine.Engine` with default settings. A
  document's ``text`` that has several non-empty lines is given to the engine as a list
  of evidence entries (one per line), otherwise as its body;
* ``bm25-jieba`` — bm25s defaults (k1=1.5, b=0.75), jieba precise-mode tokens;
* ``bm25-jieba-search`` — the same with jieba search-mode tokens;
* ``bm25-cjk-bigram`` — the same with CJK character bigrams, ASCII words lowercased.

``--ablation`` adds Corridor variants with one component removed (see
:data:`ABLATIONS`). Metrics: nDCG@10, MRR@10, Recall@1/10/100 over queries with at
least one positive judgment; per-query latency p50/p95 in ms (single thread, analysis
included, ranking only: explanations off); index build seconds (analysis included).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ABLATIONS",
    "PEERS",
    "DatasetError",
    "evaluate_run",
    "load_beir",
    "main",
    "mrr_at_k",
    "ndcg_at_k",
    "recall_at_k",
    "run_benchmark",
]

PEERS = ("bm25-jieba", "bm25-jieba-search", "bm25-cjk-bigram")
DEFAULT_SYSTEMS = ("corridor", *PEERS)
METRICS = ("ndcg@10", "mrr@10", "recall@1", "recall@10", "recall@100")
DEPTH = 100


class DatasetError(Exception):
    """The dataset folder is missing or malformed."""


@dataclass
class Dataset:
    name: str
    corpus: list[dict[str, str]]
    queries: list[dict[str, str]]
    qrels: dict[str, dict[str, int]]


# -- loading -------------------------------------------------------------------------
def _read_jsonl(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise DatasetError(f"missing file: {path}")
    rows: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise DatasetError(f"{path}:{n}: not valid JSON ({e.msg})") from None
            if not isinstance(obj, dict):
                raise DatasetError(f"{path}:{n}: expected a JSON object")
            for key in required:
                if key not in obj:
                    raise DatasetError(f"{path}:{n}: missing field {key!r}")
            rows.append({k: "" if v is None else str(v) for k, v in obj.items()})
    if not rows:
        raise DatasetError(f"{path}: no records")
    return rows


def load_beir(dataset_dir: str | Path, split: str = "test") -> Dataset:
    """Read a BEIR-layout folder; raise :class:`DatasetError` with a clear message."""
    d = Path(dataset_dir)
    if not d.is_dir():
        raise DatasetError(f"dataset folder not found: {d}")
    corpus = _read_jsonl(d / "corpus.jsonl", ("_id",))
    queries = _read_jsonl(d / "queries.jsonl", ("_id", "text"))
    qpath = d / "qrels" / f"{split}.tsv"
    if not qpath.is_file():
        raise DatasetError(f"missing file: {qpath}")
    qrels: dict[str, dict[str, int]] = {}
    with qpath.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            parts = line.rstrip("\n").split("\t")
            if n == 1 and not (len(parts) >= 3 and parts[2].strip().lstrip("-").isdigit()):
                continue  # header
            if not line.strip():
                continue
            if len(parts) < 3:
                raise DatasetError(f"{qpath}:{n}: expected query-id, corpus-id, score separated by tabs")
            try:
                score = int(float(parts[2]))
            except ValueError:
                raise DatasetError(f"{qpath}:{n}: score {parts[2]!r} is not a number") from None
            if score > 0:
                qrels.setdefault(parts[0], {})[parts[1]] = score
    if not qrels:
        raise DatasetError(f"{qpath}: no positive judgments")
    qids = {q["_id"] for q in queries}
    if not qids & qrels.keys():
        raise DatasetError(f"{qpath}: no judged query appears in queries.jsonl")
    return Dataset(d.name, corpus, queries, qrels)


# -- metrics -------------------------------------------------------------------------
def ndcg_at_k(ranked: Sequence[str], rel: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with linear gains and log2 discounts (as trec_eval / BEIR)."""
    dcg = sum(rel.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((v for v in rel.values() if v > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def mrr_at_k(ranked: Sequence[str], rel: Mapping[str, int], k: int = 10) -> float:
    for i, d in enumerate(ranked[:k]):
        if rel.get(d, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall_at_k(ranked: Sequence[str], rel: Mapping[str, int], k: int) -> float:
    pos = {d for d, v in rel.items() if v > 0}
    if not pos:
        return 0.0
    return len(pos & set(ranked[:k])) / len(pos)


def evaluate_run(
    run: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> dict[str, float]:
    """Mean metrics over the judged queries (a query missing from ``run`` scores 0)."""
    sums = dict.fromkeys(METRICS, 0.0)
    n = 0
    for qid, rel in qrels.items():
        if not any(v > 0 for v in rel.values()):
            continue
        ranked = run.get(qid, [])
        sums["ndcg@10"] += ndcg_at_k(ranked, rel, 10)
        sums["mrr@10"] += mrr_at_k(ranked, rel, 10)
        sums["recall@1"] += recall_at_k(ranked, rel, 1)
        sums["recall@10"] += recall_at_k(ranked, rel, 10)
        sums["recall@100"] += recall_at_k(ranked, rel, 100)
        n += 1
    return {m: (v / n if n else 0.0) for m, v in sums.items()}


# -- systems -------------------------------------------------------------------------
class System:
    """A retrieval system under test: ``build`` the index, then ``search`` one query."""

    name = ""

    def prepare(self) -> None:
        """One-off start-up work not counted as index time (loading dictionaries)."""

    def build(self, corpus: Sequence[Mapping[str, str]]) -> None:
        raise NotImplementedError

    def search(self, query: str, k: int) -> list[str]:
        raise NotImplementedError


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")


def cjk_bigrams(text: str) -> list[str]:
    """Peer tokenizer: CJK character bigrams, ASCII words lowercased."""
    out: list[str] = []
    for m in _CJK_RUN.finditer(text):
        s = m.group()
        if s[0].isascii():
            out.append(s.lower())
        elif len(s) == 1:
            out.append(s)
        else:
            out.extend(s[i : i + 2] for i in range(len(s) - 1))
    return out


_PEER_TOKENIZERS: dict[str, Any] = {}


def _jieba_tokens(search_mode: bool, cache_dir: str | None = None) -> Callable[[str], list[str]]:
    """Peer tokenizer: plain jieba (bundled dictionary), cache kept out of site-packages."""
    import jieba

    from corridor.matching.engine.analysis import default_cache_dir

    jieba.setLogLevel(60)
    cdir = cache_dir or str(default_cache_dir())
    tk = _PEER_TOKENIZERS.get(cdir)
    if tk is None:
        tk = jieba.Tokenizer()
        tk.tmp_dir = cdir
        tk.cache_file = "jieba.default.cache"
        _PEER_TOKENIZERS[cdir] = tk
    cut = tk.lcut_for_search if search_mode else tk.lcut

    def tok(text: str) -> list[str]:
        return [w.lower() for w in cut(text) if w.strip() and w.isalnum()]

    return tok


class BM25sPeer(System):
    """bm25s with default parameters over a given tokenizer."""

    def __init__(self, name: str, tokenize: Callable[[str], list[str]]) -> None:
        self.name = name
        self.tokenize = tokenize

    def prepare(self) -> None:
        self.tokenize("预热 warm-up")

    def build(self, corpus: Sequence[Mapping[str, str]]) -> None:
        import bm25s

        self.ids = [d["_id"] for d in corpus]
        toks = [self.tokenize(f"{d.get('title', '')} {d.get('text', '')}") for d in corpus]
        self.model = bm25s.BM25()
        self.model.index(toks, show_progress=False)

    def search(self, query: str, k: int) -> list[str]:
        q = self.tokenize(query)
        if not q:
            return []
        k = min(k, len(self.ids))
        res = self.model.retrieve([q], k=k, show_progress=False, n_threads=0)
        docs, scores = res.documents[0], res.scores[0]
        return [self.ids[int(d)] for d, s in zip(docs, scores, strict=True) if s > 0]


def beir_to_document(d: Mapping[str, str]) -> dict[str, Any]:
    """BEIR record -> engine document: multi-line text becomes evidence entries."""
    text = d.get("text", "")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    doc: dict[str, Any] = {"title": d.get("title", "")}
    if len(lines) > 1:
        doc["entries"] = lines
    else:
        doc["body"] = text
    return doc


class CorridorSystem(System):
    def __init__(
        self, name: str = "corridor", variant: str | None = None, cache_dir: str | None = None
    ) -> None:
        self.name = name
        self.variant = variant
        self.cache_dir = cache_dir

    def _engine(self) -> Any:
        from corridor.matching.engine import Engine, EngineConfig
        from corridor.matching.engine.analysis import get_analyzer

        cfg = EngineConfig()
        v = self.variant
        if v == "no-entries":
            cfg = replace(cfg, channels=tuple(c for c in cfg.channels if c.level != "entry"))
        elif v == "no-unigrams":
            cfg = replace(cfg, channels=tuple(c for c in cfg.channels if c.kind != "u"))
        elif v == "no-bigrams":
            cfg = replace(cfg, channels=tuple(c for c in cfg.channels if c.kind != "b"))
        elif v == "words-only":
            cfg = replace(cfg, channels=tuple(c for c in cfg.channels if c.kind == "w"))
        elif v == "no-glossary":
            cfg = replace(cfg, translation_weight=0.0)
        analyzer = get_analyzer(self.cache_dir, domain_dict=(v != "no-domain-dict"))
        return Engine(cfg, analyzer=analyzer)

    def prepare(self) -> None:
        self.engine = self._engine()

    def build(self, corpus: Sequence[Mapping[str, str]]) -> None:
        self.engine = self._engine()
        self.engine.add_many((d["_id"], beir_to_document(d)) for d in corpus)

    def search(self, query: str, k: int) -> list[str]:
        return [h.doc_id for h in self.engine.search(query, k, explain=False)]


#: Corridor variants for ``--ablation``: one component removed each.
ABLATIONS = (
    "corridor:no-entries",
    "corridor:no-unigrams",
    "corridor:no-bigrams",
    "corridor:words-only",
    "corridor:no-glossary",
    "corridor:no-domain-dict",
)


def make_system(name: str, cache_dir: str | None = None) -> System:
    if name == "corridor":
        return CorridorSystem(cache_dir=cache_dir)
    if name.startswith("corridor:"):
        return CorridorSystem(name, name.split(":", 1)[1], cache_dir=cache_dir)
    if name == "bm25-jieba":
        return BM25sPeer(name, _jieba_tokens(False, cache_dir))
    if name == "bm25-jieba-search":
        return BM25sPeer(name, _jieba_tokens(True, cache_dir))
    if name == "bm25-cjk-bigram":
        return BM25sPeer(name, cjk_bigrams)
    raise ValueError(f"unknown system {name!r}; known: {', '.join((*DEFAULT_SYSTEMS, *ABLATIONS))}")


# -- running -------------------------------------------------------------------------
def _percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else 0.0


def run_benchmark(
    dataset_dir: str | Path,
    systems: Iterable[str] | None = None,
    progress: bool = True,
    *,
    cache_dir: str | None = None,
) -> dict[str, Any]:
    """Evaluate ``systems`` (default: corridor and the three peers) on one dataset.

    Returns ``{"dataset": name, "systems": {name: {metric: value, ...}}}`` with the
    metrics of :data:`METRICS` plus ``latency_ms_p50``, ``latency_ms_p95``,
    ``index_s``. Raises :class:`DatasetError` for a missing or malformed dataset.
    """
    ds = load_beir(dataset_dir)
    names = list(systems) if systems is not None else list(DEFAULT_SYSTEMS)
    built = [make_system(n, cache_dir) for n in names]
    queries = [q for q in ds.queries if q["_id"] in ds.qrels]
    out: dict[str, Any] = {"dataset": ds.name, "systems": {}}

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    prog = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=False,
    )
    with prog:
        for sysm in built:
            task = prog.add_task(f"{sysm.name}: indexing {len(ds.corpus)} docs", total=len(queries))
            sysm.prepare()
            t0 = time.perf_counter()
            sysm.build(ds.corpus)
            index_s = time.perf_counter() - t0
            prog.update(task, description=f"{sysm.name}: searching")
            run: dict[str, list[str]] = {}
            lat: list[float] = []
            for q in queries:
                t = time.perf_counter()
                run[q["_id"]] = sysm.search(q["text"], DEPTH)
                lat.append((time.perf_counter() - t) * 1000.0)
                prog.advance(task)
            res: dict[str, float] = evaluate_run(run, ds.qrels)
            res["latency_ms_p50"] = _percentile(lat, 50)
            res["latency_ms_p95"] = _percentile(lat, 95)
            res["index_s"] = index_s
            out["systems"][sysm.name] = {k: round(v, 4) for k, v in res.items()}
    return out


def best_peer(result: Mapping[str, Any], metric: str = "ndcg@10") -> tuple[str, float] | None:
    peers = [(n, r[metric]) for n, r in result["systems"].items() if n in PEERS]
    return max(peers, key=lambda x: x[1]) if peers else None


def print_table(result: Mapping[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    cols = (*METRICS, "latency_ms_p50", "latency_ms_p95", "index_s")
    table = Table(title=f"matching benchmark: {result['dataset']}")
    table.add_column("system")
    for c in cols:
        table.add_column(c, justify="right")
    for name, r in result["systems"].items():
        table.add_row(name, *(f"{r[c]:.4f}" if c in METRICS else f"{r[c]:.2f}" for c in cols))
    console = Console(width=200)
    console.print(table)
    bp = best_peer(result)
    if bp and "corridor" in result["systems"]:
        ours = result["systems"]["corridor"]["ndcg@10"]
        console.print(
            f"corridor nDCG@10 {ours:.4f} vs best peer {bp[0]} {bp[1]:.4f}: "
            f"difference {ours - bp[1]:+.4f}, ratio {ours / bp[1] if bp[1] else float('inf'):.3f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m corridor.matching.bench_matching", description=__doc__.split("\n")[0]
    )
    ap.add_argument(
        "--dataset", required=True, help="BEIR-layout folder (corpus.jsonl, queries.jsonl, qrels/test.tsv)"
    )
    ap.add_argument("--json", action="store_true", help="print exactly one JSON object")
    ap.add_argument("--systems", help=f"comma-separated systems (default: {','.join(DEFAULT_SYSTEMS)})")
    ap.add_argument(
        "--ablation", action="store_true", help="also run Corridor variants with one part removed"
    )
    ap.add_argument("--cache-dir", help="analyzer cache folder (default var/cache/matching)")
    ap.add_argument("--no-progress", action="store_true")
    args = ap.parse_args(argv)
    systems = args.systems.split(",") if args.systems else list(DEFAULT_SYSTEMS)
    if args.ablation:
        systems += [a for a in ABLATIONS if a not in systems]
    try:
        for s in systems:
            if s not in DEFAULT_SYSTEMS and s not in ABLATIONS:
                raise ValueError(f"unknown system {s!r}; known: {', '.join((*DEFAULT_SYSTEMS, *ABLATIONS))}")
        result = run_benchmark(args.dataset, systems, progress=not args.no_progress, cache_dir=args.cache_dir)
    except (DatasetError, ValueError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print_table(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
