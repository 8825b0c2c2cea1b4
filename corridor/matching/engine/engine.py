"""The matching engine: analysis + multi-channel BM25 + score combination + explanations.

Usage::

    from corridor.matching.engine import Engine

    eng = Engine()                       # default analyzer and channels
    eng.add("r1", {"title": "聚烯烃催化剂中试平台",
                   "body": "环烯烃共聚物 ...",
                   "entries": ["专利: 一种...", "设备: 中试反应釜 ..."]})
    hits = eng.search("环烯烃共聚物催化剂", k=10, allowed_ids={"r1", "r2"},
                      boosts={"r1": {"industry": 0.5}})
    hits[0].doc_id, hits[0].score, hits[0].matched_terms, hits[0].signals
    eng.save("var/index/resources"); eng = Engine.load("var/index/resources")

Documents are mappings ``field -> str | list[str]``. String fields are text; list
fields are *evidence entries* (achievements, patents, equipment, team members, …).
Every document is scored on all its text (channel field ``"text"``) and, entry by
entry, on its evidence entries (channel field ``"entry"``); any other field name in a
:class:`ChannelSpec` scores just that field.

Scoring (defaults in :data:`DEFAULT_CHANNELS`)::

    text_score = sum over channels  weight_c * BM25_c(query terms of the channel's kind)

The final score adds structured signals from the caller (``boosts``) to the text
score normalised by the best text score of the query (so it is in [0, 1])::

    score = text_score / max_text_score + sum_s signal_weights.get(s, 1) * boosts[id][s]

With no boosts the order is the text order.

Global hyper-parameters tuned on the CSL development sets (nothing else was taken
from them): the channel weights and BM25 k1/b in :data:`DEFAULT_CHANNELS`, the entry
channel weight (0.2) and ``entry_top`` (5), the glossary translation weight
(``analysis.TRANSLATION_WEIGHT`` = 0.3) and the frequency given to domain-dictionary
words (``analysis.DOMAIN_WORD_FREQ`` = 20). Speed settings that do not change results
on indexes below a few thousand documents: ``SparseIndex.budget`` (postings read
exhaustively per query, rarest terms first) and ``SparseIndex.candidates`` (documents
that get exact scores for the remaining common terms and entry aggregation); defaults
200k postings and 1,000 documents (on a 10k synthetic corpus the top 10 are the same as with
400k and 2,000).

Not thread-safe: ``search`` may compact the index lazily, so serialise all calls on
one engine with a lock (or give each worker process its own engine).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .analysis import KINDS, TRANSLATION_WEIGHT, Analyzer, get_analyzer
from .dense import DenseIndex
from .index import ChannelSpec, SparseIndex

# How many recent searches an engine keeps the results of (Engine.search).
RESULT_CACHE_SIZE = 256

__all__ = ["DEFAULT_CHANNELS", "Document", "Engine", "EngineConfig", "Hit"]

Document = Mapping[str, "str | Sequence[str]"]

#: Default channels. Global hyper-parameters tuned on the two CSL development sets
#: (grid over k1 in {0.6..1.8}, b in {0.6..1.0}, weights; see the report of
#: ``bench_matching.py --ablation``): words and bigrams k1=1.2, characters k1=1.8,
#: b=1.0 (full length normalisation) everywhere; the character channel weighs 3x
#: (partial overlap matters when a demand is worded differently from the resource);
#: evidence-entry channels weigh 0.2x their document-level counterparts.
DEFAULT_CHANNELS: tuple[ChannelSpec, ...] = (
    ChannelSpec("text", "w", weight=1.0, k1=1.2, b=1.0),
    ChannelSpec("text", "b", weight=1.0, k1=1.2, b=1.0),
    ChannelSpec("text", "u", weight=3.0, k1=1.8, b=1.0),
    ChannelSpec("entry", "w", weight=0.2, k1=1.2, b=1.0, level="entry"),
    ChannelSpec("entry", "b", weight=0.2, k1=1.2, b=1.0, level="entry"),
    ChannelSpec("entry", "u", weight=0.6, k1=1.8, b=1.0, level="entry"),
)


@dataclass
class EngineConfig:
    channels: tuple[ChannelSpec, ...] = DEFAULT_CHANNELS
    entry_top: int = 5
    translation_weight: float = TRANSLATION_WEIGHT
    signal_weights: dict[str, float] = field(default_factory=dict)
    #: weight of the optional dense cosine similarity (needs ``Engine(dense=...)``)
    dense_weight: float = 0.0

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["channels"] = [asdict(c) for c in self.channels]
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> EngineConfig:
        chans = tuple(ChannelSpec(**c) for c in d["channels"])  # type: ignore[attr-defined]
        return cls(
            channels=chans,
            entry_top=int(d.get("entry_top", 5)),  # type: ignore[call-overload]
            translation_weight=float(d.get("translation_weight", TRANSLATION_WEIGHT)),  # type: ignore[arg-type]
            signal_weights=dict(d.get("signal_weights", {})),  # type: ignore[call-overload]
            dense_weight=float(d.get("dense_weight", 0.0)),  # type: ignore[arg-type]
        )


@dataclass
class Hit:
    """One search result.

    ``score`` orders the results; ``text_score`` is the raw BM25 fusion;
    ``signals`` has one entry per channel (``"doc:text/w"`` …, weighted contribution
    to ``text_score``) and one per boost signal (``"boost:industry"`` …, weighted
    contribution to ``score``); ``matched_terms`` lists query terms found in the
    document with their weighted contribution, largest first.
    """

    doc_id: str
    score: float
    text_score: float
    signals: dict[str, float] = field(default_factory=dict)
    matched_terms: list[tuple[str, float]] = field(default_factory=list)


class Engine:
    """Text matching engine over documents with string ids (not thread-safe; see the
    module docstring)."""

    def __init__(
        self,
        config: EngineConfig | None = None,
        *,
        analyzer: Analyzer | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        dense: DenseIndex | None = None,
    ) -> None:
        self.config = config or EngineConfig()
        self.analyzer = analyzer or get_analyzer(cache_dir)
        self.dense = dense
        self.index = SparseIndex(self.config.channels, entry_top=self.config.entry_top)
        self._kinds = tuple(k for k in KINDS if any(c.kind == k for c in self.config.channels))
        # Results of recent searches, keyed by every input of the search and the index's state: a
        # repeated search (the same demand's matches page, again and again) is answered without
        # scoring. Any change of the documents empties it; a compaction changes the key.
        self._results: OrderedDict[tuple[Any, ...], tuple[Hit, ...]] = OrderedDict()

    # -- documents -----------------------------------------------------------------
    def _analyse(self, doc: Document) -> dict[str, list[str] | list[list[str]]]:
        texts: list[str] = []
        entries: list[str] = []
        for value in doc.values():
            if isinstance(value, str):
                texts.append(value)
            elif value is not None:
                entries.extend(str(v) for v in value if v)
        need: dict[str, set[str]] = {}
        for c in self.config.channels:
            need.setdefault(c.field, set()).add(c.kind)
        kinds = set().union(*need.values())
        # analyse every piece once; "text" is the concatenation of all pieces
        text_an = [self.analyzer.analyze(t, kinds) for t in texts]
        entry_an = [self.analyzer.analyze(e, kinds) for e in entries]
        out: dict[str, list[str] | list[list[str]]] = {}
        for fname, fkinds in need.items():
            for k in fkinds:
                if fname == "entry":
                    out[f"entry/{k}"] = [a[k] for a in entry_an]
                elif fname == "text":
                    toks: list[str] = []
                    for a in (*text_an, *entry_an):
                        toks.extend(a[k])
                    out[f"text/{k}"] = toks
                else:
                    v = doc.get(fname, "")
                    text = v if isinstance(v, str) else "\n".join(map(str, v or ()))
                    out[f"{fname}/{k}"] = self.analyzer.analyze(text, (k,))[k]
        return out

    def add(self, doc_id: str, doc: Document) -> None:
        """Add or replace one document."""
        self._results.clear()
        self.index.add(str(doc_id), self._analyse(doc))
        if self.dense is not None:
            parts: list[str] = []
            for v in doc.values():
                if isinstance(v, str):
                    parts.append(v)
                elif v is not None:
                    parts.extend(map(str, v))
            self.dense.add(str(doc_id), "\n".join(parts))

    def update(self, doc_id: str, doc: Document) -> None:
        """Same as :meth:`add` (replaces the document)."""
        self.add(doc_id, doc)

    def delete(self, doc_id: str) -> bool:
        """Remove one document; False if unknown."""
        self._results.clear()
        if self.dense is not None:
            self.dense.delete(str(doc_id))
        return self.index.delete(str(doc_id))

    def add_many(self, docs: Iterable[tuple[str, Document]]) -> None:
        """Add or replace many documents (one pass; the index is compacted at the end)."""
        self._results.clear()

        def analysed() -> Iterable[tuple[str, dict[str, list[str] | list[list[str]]]]]:
            for doc_id, doc in docs:
                if self.dense is not None:
                    parts: list[str] = []
                    for v in doc.values():
                        if isinstance(v, str):
                            parts.append(v)
                        elif v is not None:
                            parts.extend(map(str, v))
                    self.dense.add(str(doc_id), "\n".join(parts))
                yield str(doc_id), self._analyse(doc)

        self.index.add_many(analysed())

    def __len__(self) -> int:
        return len(self.index)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.index

    # -- search --------------------------------------------------------------------
    def query_terms(self, query: str) -> dict[str, dict[str, float]]:
        return self.analyzer.query_terms(
            query, self._kinds, translation_weight=self.config.translation_weight
        )

    def _scores(
        self, qt: Mapping[str, Mapping[str, float]]
    ) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray | None, dict[str, np.ndarray]]:
        """(fused doc scores, weighted doc-channel arrays, fused unit scores or None,
        weighted entry-channel unit arrays)."""
        idx = self.index
        per, per_unit, cand = idx.score(qt)
        total = np.zeros(len(idx.ids), dtype=np.float32)
        for arr in per.values():
            total += arr
        unit_total: np.ndarray | None = None
        for arr in per_unit.values():
            unit_total = arr.copy() if unit_total is None else unit_total + arr
        if unit_total is not None and idx.n_units:  # entries: aggregate for top docs
            if cand is None:
                live = idx.live_mask()
                cand = np.nonzero(live & (total > 0))[0] if per else np.nonzero(live)[0]
                if len(cand) > idx.candidates:
                    part = np.argpartition(-total[cand], idx.candidates - 1)[: idx.candidates]
                    cand = cand[part]
            total[cand] += idx.aggregate_entries(unit_total, cand)
        return total, per, unit_total, per_unit

    def text_scores(self, query: str) -> np.ndarray:
        """Fused text score per document slot (index order, deleted slots included)."""
        self.index.maybe_compact()
        return self._scores(self.query_terms(query))[0]

    def search(
        self,
        query: str,
        k: int = 10,
        *,
        allowed_ids: Iterable[object] | None = None,
        boosts: Mapping[str, Mapping[str, float]] | None = None,
        explain: bool = True,
    ) -> list[Hit]:
        """Top-``k`` documents for ``query``.

        ``allowed_ids`` restricts results to these ids (permissions); ``boosts`` maps
        a doc id to structured signal values added to the normalised text score (see
        module docstring); only documents with a textual match are returned. With
        ``explain=False`` hits carry only boost signals and no matched terms (faster).
        """
        if k <= 0 or not len(self.index):
            return []
        self.index.maybe_compact()
        # the allowed documents as sorted slots, keyed by a digest (a large set is not kept per entry)
        slots = None if allowed_ids is None else np.unique(self.index.slots_for(allowed_ids))
        key = (
            query,
            k,
            explain,
            None if slots is None else hashlib.blake2b(slots.tobytes(), digest_size=20).digest(),
            None if not boosts else tuple(sorted((str(d), tuple(sorted(v.items()))) for d, v in boosts.items())),
            getattr(self.index, "compactions", 0),
        )
        cached = self._results.get(key)
        if cached is None:
            cached = tuple(self._search(query, k, slots, boosts, explain))
            self._results[key] = cached
            if len(self._results) > RESULT_CACHE_SIZE:
                self._results.popitem(last=False)
        else:
            self._results.move_to_end(key)
        # copies: a caller may change what it was given without changing the cache
        return [replace(h, signals=dict(h.signals), matched_terms=list(h.matched_terms)) for h in cached]

    def _search(
        self,
        query: str,
        k: int,
        allowed_slots: np.ndarray | None,
        boosts: Mapping[str, Mapping[str, float]] | None,
        explain: bool,
    ) -> list[Hit]:
        qt = self.query_terms(query)
        total, per, unit_total, per_unit = self._scores(qt)
        mask = self.index.live_mask() & (total > 0)
        if allowed_slots is not None:
            allow = np.zeros_like(mask)
            allow[allowed_slots] = True
            mask &= allow
        cand = np.nonzero(mask)[0]
        if not len(cand):
            return []
        top_text = float(total[cand].max())
        final = total[cand] / np.float32(top_text) if top_text > 0 else total[cand].copy()
        boost_parts: dict[int, dict[str, float]] = {}
        if self.dense is not None and self.config.dense_weight:
            sims = self.dense.scores(query)
            dw = float(self.config.dense_weight)
            for i, cslot in enumerate(cand.tolist()):
                v = dw * sims.get(self.index.ids[cslot], 0.0)
                boost_parts[cslot] = {"dense": v}
                final[i] += np.float32(v)
        if boosts:
            pos = {int(s): i for i, s in enumerate(cand.tolist())}
            sw = self.config.signal_weights
            for doc_id, sig in boosts.items():
                slot = self.index.slot.get(str(doc_id))
                if slot is None or slot not in pos:
                    continue
                parts = {f"boost:{name}": float(sw.get(name, 1.0)) * float(v) for name, v in sig.items()}
                boost_parts.setdefault(slot, {}).update(parts)
                final[pos[slot]] += np.float32(sum(parts.values()))
        kk = min(k, len(cand))
        part = np.argpartition(-final, kk - 1)[:kk] if kk < len(cand) else np.arange(len(cand))
        order = part[np.lexsort((cand[part], -final[part]))]
        hidden = self._boundary_bigrams(query, qt) if explain else set()
        explained = self._explain_many(qt, [int(cand[i]) for i in order.tolist()], hidden) if explain else {}
        hits: list[Hit] = []
        for i in order.tolist():
            slot = int(cand[i])
            signals: dict[str, float] = {}
            if explain:
                signals = {name: float(arr[slot]) for name, arr in per.items() if arr[slot] != 0}
                if unit_total is not None:
                    signals.update(self._entry_signals(slot, unit_total, per_unit))
            signals.update(boost_parts.get(slot, {}))
            hit = Hit(self.index.ids[slot], float(final[i]), float(total[slot]), signals)
            if explain:
                hit.matched_terms = explained.get(slot, [])
            hits.append(hit)
        return hits

    def _entry_signals(
        self, slot: int, unit_total: np.ndarray, per_unit: Mapping[str, np.ndarray]
    ) -> dict[str, float]:
        u0, u1 = int(self.index.unit_start[slot]), int(self.index.unit_end[slot])
        if u1 <= u0:
            return {}
        units = np.arange(u0, u1)
        best = units[np.argsort(-unit_total[units], kind="stable")[: self.index.entry_top]]
        best = best[unit_total[best] > 0]
        return {name: float(arr[best].sum()) for name, arr in per_unit.items() if arr[best].sum() != 0}

    def _boundary_bigrams(self, query: str, qt: Mapping[str, Mapping[str, float]]) -> set[str]:
        """Query character bigrams that straddle a word boundary of the jieba
        segmentation of the query (or of its glossary translations), e.g. 粒互 from
        颗粒|互连. They still score; explanations leave them out."""
        b_terms = qt.get("b", {})
        if not b_terms:
            return set()
        inside: set[str] = set()
        an = self.analyzer
        for text in (query, *an.translations(query)):
            for word in an.segment(text):
                inside.update(an.bigrams(word))
        return {t for t in b_terms if t not in inside}

    def _explain_many(
        self, qt: Mapping[str, Mapping[str, float]], slots: Sequence[int], hidden: set[str] | frozenset[str] = frozenset()
    ) -> dict[int, list[tuple[str, float]]]:
        """Matched query terms of each document with their weighted contribution, reading
        each term's postings once; ``hidden`` bigrams (word-boundary artefacts) are left out."""
        agg: dict[int, dict[str, float]] = {slot: {} for slot in slots}
        for spec in self.config.channels:
            terms = qt.get(spec.kind, {})
            if spec.kind == "b" and hidden:
                terms = {t: w for t, w in terms.items() if t not in hidden}
            if not terms or spec.weight == 0:
                continue
            for slot, contributions in self.index.explain_docs(spec, terms, slots).items():
                into = agg[slot]
                for tc in contributions:
                    into[tc.term] = into.get(tc.term, 0.0) + tc.score * spec.weight
        return {
            slot: sorted(((t, round(v, 6)) for t, v in terms_.items()), key=lambda x: (-x[1], x[0]))
            for slot, terms_ in agg.items()
        }

    # -- persistence ---------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str]) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.index.save(d)
        (d / "engine.json").write_text(
            json.dumps(self.config.to_json(), ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def build_segmented(
        cls,
        docs: Iterable[tuple[str, Document]],
        directory: str | os.PathLike[str],
        *,
        config: EngineConfig | None = None,
        analyzer: Analyzer | None = None,
        segment_size: int = 100_000,
    ) -> int:
        """Build and save an engine over ``docs`` segment by segment (bounded memory for
        corpora too large for :meth:`add_many`; see :mod:`.segments`); returns the number
        of documents. Serve it with :meth:`load`."""
        from .segments import build_segmented

        eng = cls(config, analyzer=analyzer)
        d = Path(directory)
        n = build_segmented(
            eng.config.channels,
            ((str(i), eng._analyse(doc)) for i, doc in docs),
            d,
            segment_size=segment_size,
            entry_top=eng.config.entry_top,
        )
        (d / "engine.json").write_text(json.dumps(eng.config.to_json(), ensure_ascii=False), encoding="utf-8")
        return n

    @classmethod
    def load(
        cls,
        directory: str | os.PathLike[str],
        *,
        analyzer: Analyzer | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        dense: DenseIndex | None = None,
        mmap: bool = True,
    ) -> Engine:
        """Load a saved engine (the dense index, if any, is saved and loaded separately);
        ``mmap``: keep the postings memory-mapped (see :meth:`SparseIndex.load`)."""
        d = Path(directory)
        config = EngineConfig.from_json(json.loads((d / "engine.json").read_text(encoding="utf-8")))
        eng = cls(config, analyzer=analyzer, cache_dir=cache_dir, dense=dense)
        eng.index = SparseIndex.load(d, mmap=mmap)
        return eng
