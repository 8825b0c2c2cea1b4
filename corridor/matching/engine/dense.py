"""Optional dense (embedding) backend: an interface, a brute-force vector store and a
sentence-transformers encoder that is imported only when constructed.

Nothing here downloads anything: :class:`SentenceTransformerEncoder` loads a model
from a local path (or the local Hugging Face cache with ``local_files_only=True``).
The sparse engine does not need this module; pass a :class:`DenseIndex` to
:class:`~corridor.matching.engine.Engine` to add a ``"dense"`` signal::

    enc = SentenceTransformerEncoder("/models/bge-small-zh")   # local folder
    eng = Engine(dense=DenseIndex(enc), config=EngineConfig(dense_weight=0.5))
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

__all__ = ["DenseIndex", "Encoder", "SentenceTransformerEncoder"]


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray:  # shape (len(texts), dim)
        ...


class SentenceTransformerEncoder:
    """sentence-transformers model from a local path; imported lazily, no downloads."""

    def __init__(self, model: str, *, device: str = "cpu", batch_size: int = 32) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:  # pragma: no cover - optional dependency
            raise ImportError("install sentence-transformers to use the dense backend") from e
        self.name = model
        self.batch_size = batch_size
        self._model: Any = SentenceTransformer(model, device=device, local_files_only=True)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vecs, dtype=np.float32)


class DenseIndex:
    """Brute-force cosine index (fine to ~1M x 384 floats on one machine)."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.ids: list[str] = []
        self.slot: dict[str, int] = {}
        self.vecs = np.zeros((0, 0), dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self.slot)

    def add(self, doc_id: str, text: str) -> None:
        v = self.encoder.encode([text])[0].astype(np.float32)
        doc_id = str(doc_id)
        if doc_id in self.slot:
            self.alive[self.slot[doc_id]] = False
        if self.vecs.shape[1] != len(v):
            if len(self.ids):
                raise ValueError("encoder dimension changed")
            self.vecs = np.zeros((0, len(v)), dtype=np.float32)
        self.slot[doc_id] = len(self.ids)
        self.ids.append(doc_id)
        self.vecs = np.vstack([self.vecs, v[None, :]])
        self.alive = np.r_[self.alive, True]

    def delete(self, doc_id: str) -> bool:
        s = self.slot.pop(str(doc_id), None)
        if s is None:
            return False
        self.alive[s] = False
        return True

    def scores(self, query: str) -> dict[str, float]:
        """Cosine similarity per live document id."""
        if not self.slot:
            return {}
        q = self.encoder.encode([query])[0].astype(np.float32)
        sims = self.vecs @ q
        return {d: float(sims[s]) for d, s in self.slot.items()}

    def save(self, directory: str | os.PathLike[str]) -> None:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        live = [(i, s) for i, s in self.slot.items()]
        np.savez(d / "dense.npz", vecs=self.vecs[[s for _, s in live]] if live else self.vecs)
        (d / "dense.json").write_text(
            json.dumps({"encoder": self.encoder.name, "ids": [i for i, _ in live]}), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: str | os.PathLike[str], encoder: Encoder) -> DenseIndex:
        d = Path(directory)
        meta = json.loads((d / "dense.json").read_text(encoding="utf-8"))
        if meta["encoder"] != encoder.name:
            raise ValueError(f"index was built with encoder {meta['encoder']!r}, not {encoder.name!r}")
        idx = cls(encoder)
        with np.load(d / "dense.npz", allow_pickle=False) as z:
            idx.vecs = z["vecs"].astype(np.float32)
        idx.ids = list(meta["ids"])
        idx.slot = {s: i for i, s in enumerate(idx.ids)}
        idx.alive = np.ones(len(idx.ids), dtype=bool)
        return idx
