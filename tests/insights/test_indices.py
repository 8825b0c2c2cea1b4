"""The indices of homogeneous competition against hand-computed values, and their properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridor.insights import indices

# A small made-up region: three cities over three industries (weights).
A = {"26": 3.0, "39": 4.0}  # chemicals 3, electronics 4
B = {"26": 6.0, "39": 8.0}  # the same structure as A, twice the size
C = {"27": 5.0}  # only pharmaceuticals
D = {"26": 1.0, "27": 1.0}


def test_cosine_hand_computed():
    # A·D = 3, ‖A‖ = 5, ‖D‖ = √2 → 3 / (5√2) = 0.424264…
    assert indices.cosine(A, D) == pytest.approx(3 / (5 * math.sqrt(2)))
    assert indices.cosine(A, B) == pytest.approx(1.0)  # proportional profiles
    assert indices.cosine(A, C) == 0.0  # nothing in common
    assert indices.cosine(A, {}) == 0.0  # no profile
    assert indices.cosine({"26": 0.0}, A) == 0.0


def test_krugman_hand_computed():
    # shares A: 26 → 3/7, 39 → 4/7; D: 26 → 1/2, 27 → 1/2
    # K = |3/7 − 1/2| + |4/7 − 0| + |0 − 1/2| = 1/14 + 8/14 + 7/14 = 16/14
    assert indices.krugman(A, D) == pytest.approx(16 / 14)
    assert indices.krugman(A, B) == pytest.approx(0.0)
    assert indices.krugman(A, C) == pytest.approx(2.0)
    assert indices.krugman({}, {}) == 0.0


def test_location_quotients_hand_computed():
    matrix = {"A": A, "C": C, "D": D}
    # Region: 26 → 4, 39 → 4, 27 → 6; E = 14. City A: e = 7.
    lq = indices.location_quotients(matrix)
    assert lq["A"]["26"] == pytest.approx((3 / 7) / (4 / 14))  # 1.5
    assert lq["A"]["39"] == pytest.approx((4 / 7) / (4 / 14))  # 2.0
    assert lq["C"]["27"] == pytest.approx((5 / 5) / (6 / 14))  # 2.333…
    assert lq["D"]["26"] == pytest.approx((1 / 2) / (4 / 14))  # 1.75
    assert lq["D"]["27"] == pytest.approx((1 / 2) / (6 / 14))  # 1.1666…
    assert "27" not in lq["A"]


def test_shares_and_shared_industries():
    assert indices.shares(A) == {"26": pytest.approx(3 / 7), "39": pytest.approx(4 / 7)}
    assert indices.shares({}) == {}
    # A and D compete only in 26: min(3/7, 1/2) = 3/7
    assert indices.shared_industries(A, D) == [("26", pytest.approx(3 / 7))]
    assert indices.shared_industries(A, C) == []


def test_pairs():
    assert indices.pairs(["a", "b", "c"]) == [("a", "b"), ("a", "c"), ("b", "c")]


vectors = st.dictionaries(
    st.sampled_from(["13", "26", "27", "35", "38", "39", "65"]),
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    max_size=7,
)


@given(vectors, vectors)
def test_cosine_symmetric_and_in_unit_interval(a, b):
    value = indices.cosine(a, b)
    assert value == pytest.approx(indices.cosine(b, a))
    assert 0.0 <= value <= 1.0


@given(vectors)
def test_cosine_of_a_profile_with_itself_is_one(a):
    if any(x > 1e-100 for x in a.values()):
        assert indices.cosine(a, a) == pytest.approx(1.0)


@given(vectors, vectors)
def test_krugman_symmetric_and_in_zero_two(a, b):
    value = indices.krugman(a, b)
    assert value == pytest.approx(indices.krugman(b, a))
    assert 0.0 <= value <= 2.0


@given(st.dictionaries(st.sampled_from(["x", "y", "z"]), vectors, min_size=1, max_size=3))
def test_location_quotients_average_to_one_per_city(matrix):
    """Σ_k s_ik · … : weighting each LQ by the region's share of k gives back 1 for every city."""
    lq = indices.location_quotients(matrix)
    region: dict[str, float] = {}
    for row in matrix.values():
        for k, x in row.items():
            region[k] = region.get(k, 0.0) + x
    grand = sum(region.values())
    for city, row in matrix.items():
        if sum(row.values()) > 1e-6 and grand > 0:
            total = sum(lq[city].get(k, 0.0) * region[k] / grand for k in region)
            assert total == pytest.approx(1.0, rel=1e-6)
