"""Corridor matching engine: Django-independent text matching (Chinese first, English too).

Public API: :class:`Engine`, :class:`EngineConfig`, :class:`Hit`, :class:`ChannelSpec`,
:class:`Analyzer`, :func:`get_analyzer`, and the dense-backend interface in
:mod:`corridor.matching.engine.dense`.
"""

from .analysis import Analyzer, get_analyzer
from .dense import DenseIndex, Encoder, SentenceTransformerEncoder
from .engine import DEFAULT_CHANNELS, Document, Engine, EngineConfig, Hit
from .index import ChannelSpec, SparseIndex

__all__ = [
    "DEFAULT_CHANNELS",
    "Analyzer",
    "ChannelSpec",
    "DenseIndex",
    "Document",
    "Engine",
    "Encoder",
    "EngineConfig",
    "Hit",
    "SentenceTransformerEncoder",
    "SparseIndex",
    "get_analyzer",
]
