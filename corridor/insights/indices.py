"""Pure index functions of the regional analytics: no database, no Django.

Vectors are mappings from an industry key to a non-negative weight; a key missing from a
mapping weighs 0. Formulas (see docs/insights.md):

- cosine similarity  cos(a, b) = Σ_k a_k b_k / (‖a‖ ‖b‖), 0 when either vector is all zero;
- industry shares     s_ik = e_ik / e_i (the city's weight in industry k over its total);
- Krugman dissimilarity index  K_ij = Σ_k |s_ik − s_jk|, in [0, 2] (0: identical structure,
  2: no industry in common);
- location quotient   LQ_ik = (e_ik / e_i) / (E_k / E), where E_k is the region's weight in
  industry k and E the region's total; LQ > 1 means the city is specialised in k.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

Vector = Mapping[str, float]


def _keys(*vectors: Vector) -> list[str]:
    keys: set[str] = set()
    for v in vectors:
        keys.update(v)
    return sorted(keys)


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two weight vectors; 0.0 when either is empty or all zero."""
    dot = sum(a.get(k, 0.0) * b.get(k, 0.0) for k in _keys(a, b))
    norm_a = math.sqrt(sum(x * x for x in a.values()))
    norm_b = math.sqrt(sum(x * x for x in b.values()))
    if norm_a == 0.0 or norm_b == 0.0:
        return 0.0
    value = dot / (norm_a * norm_b)
    # Rounding can push a vector's similarity with itself a hair above 1.
    return max(-1.0, min(1.0, value))


def shares(v: Vector) -> dict[str, float]:
    """Each key's share of the vector's total (empty when the total is 0)."""
    total = sum(v.values())
    if total <= 0:
        return {}
    return {k: x / total for k, x in v.items()}


def krugman(a: Vector, b: Vector) -> float:
    """Krugman dissimilarity index K = Σ_k |s_ak − s_bk| over the two vectors' industry shares."""
    sa, sb = shares(a), shares(b)
    if not sa or not sb:
        return 0.0 if not sa and not sb else 2.0
    value = sum(abs(sa.get(k, 0.0) - sb.get(k, 0.0)) for k in _keys(sa, sb))
    return max(0.0, min(2.0, value))


def location_quotients(matrix: Mapping[str, Vector]) -> dict[str, dict[str, float]]:
    """LQ_ik = (e_ik / e_i) / (E_k / E) for every city i and every industry k it has weight in."""
    region: dict[str, float] = {}
    for row in matrix.values():
        for k, x in row.items():
            region[k] = region.get(k, 0.0) + x
    grand = sum(region.values())
    out: dict[str, dict[str, float]] = {}
    for city, row in matrix.items():
        total = sum(row.values())
        out[city] = {}
        if total <= 0 or grand <= 0:
            continue
        for k, x in row.items():
            region_share = region.get(k, 0.0) / grand
            if x > 0 and region_share > 0:  # (tiny weights can underflow to a zero share)
                out[city][k] = (x / total) / region_share
    return out


def shared_industries(a: Vector, b: Vector, *, limit: int = 5) -> list[tuple[str, float]]:
    """The industries two cities compete in: both have weight there, ranked by the smaller of
    their two shares (how much of each city's profile the overlap is)."""
    sa, sb = shares(a), shares(b)
    both = [(k, min(sa[k], sb[k])) for k in sa if k in sb and sa[k] > 0 and sb[k] > 0]
    both.sort(key=lambda kv: (-kv[1], kv[0]))
    return both[:limit]


def pairs(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Unordered pairs of distinct keys in a stable order."""
    ordered = list(keys)
    return [(ordered[i], ordered[j]) for i in range(len(ordered)) for j in range(i + 1, len(ordered))]
