from __future__ import annotations

import math

import pytest

from corridor.matching.bench_matching import evaluate_run, mrr_at_k, ndcg_at_k, recall_at_k


def test_ndcg_hand_computed() -> None:
    rel = {"a": 1, "b": 2}
    # ranks: x (0), b (gain 2) at position 2, a (gain 1) at position 3
    dcg = 2 / math.log2(3) + 1 / math.log2(4)
    idcg = 2 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at_k(["x", "b", "a"], rel, 10) == pytest.approx(dcg / idcg)
    assert ndcg_at_k(["b", "a"], rel, 10) == pytest.approx(1.0)
    assert ndcg_at_k(["x"] * 10 + ["a"], rel, 10) == 0.0
    assert ndcg_at_k([], {}, 10) == 0.0


def test_mrr_and_recall() -> None:
    rel = {"a": 1, "b": 1}
    assert mrr_at_k(["x", "y", "b"], rel, 10) == pytest.approx(1 / 3)
    assert mrr_at_k(["x"] * 10 + ["a"], rel, 10) == 0.0
    assert recall_at_k(["a", "x"], rel, 1) == 0.5
    assert recall_at_k(["x", "a", "b"], rel, 1) == 0.0
    assert recall_at_k(["x", "a", "b"], rel, 10) == 1.0


def test_evaluate_run_averages_and_counts_missing_queries() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    run = {"q1": ["a"]}
    res = evaluate_run(run, qrels)
    assert res["ndcg@10"] == pytest.approx(0.5)
    assert res["mrr@10"] == pytest.approx(0.5)
    assert res["recall@1"] == pytest.approx(0.5)
    assert res["recall@100"] == pytest.approx(0.5)
