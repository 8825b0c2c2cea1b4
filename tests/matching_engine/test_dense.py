from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from corridor.matching.engine import Analyzer, DenseIndex, Encoder, Engine, EngineConfig


class CharHashEncoder:
    """Deterministic toy encoder: hashed character counts, L2-normalised."""

    name = "char-hash-64"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t:
                out[i, zlib.crc32(ch.encode()) % 64] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out


def test_encoder_protocol() -> None:
    assert isinstance(CharHashEncoder(), Encoder)


def test_dense_signal_and_round_trip(analyzer: Analyzer, tmp_path: Path) -> None:
    dense = DenseIndex(CharHashEncoder())
    eng = Engine(EngineConfig(dense_weight=0.5), analyzer=analyzer, dense=dense)
    eng.add("a", {"title": "光伏逆变器", "body": "组串式逆变器"})
    eng.add("b", {"title": "光伏支架", "body": "跟踪支架"})
    hits = eng.search("光伏逆变器", k=2)
    assert hits[0].doc_id == "a"
    assert 0 < hits[0].signals["dense"] <= 0.5 + 1e-6
    assert eng.delete("b")
    assert len(dense) == 1
    dense.save(tmp_path)
    again = DenseIndex.load(tmp_path, CharHashEncoder())
    assert again.scores("光伏") == pytest.approx(dense.scores("光伏"))
