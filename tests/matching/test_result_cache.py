"""The engine keeps the results of recent searches: a repeated search is not scored again, and no
change of the documents, of the allowed set or of the boosts can be answered from an old entry."""

from __future__ import annotations

import pytest

from corridor.matching.engine import Engine


@pytest.fixture
def engine(tmp_path):
    eng = Engine(cache_dir=tmp_path)
    eng.add_many(
        [
            ("r1", {"title": "环烯烃共聚物催化剂中试平台", "body": "茂金属催化剂设计与放大"}),
            ("r2", {"title": "环烯烃共聚物光学膜实验室", "body": "光学级环烯烃共聚物加工"}),
            ("r3", {"title": "固态电池测试中心", "body": "固态电解质安全性能检测"}),
        ]
    )
    return eng


def counting(engine, monkeypatch):
    calls = []
    real = engine._scores

    def scores(qt):
        calls.append(1)
        return real(qt)

    monkeypatch.setattr(engine, "_scores", scores)
    return calls


def ids(hits):
    return [h.doc_id for h in hits]


def test_a_repeated_search_is_answered_from_the_cache(engine, monkeypatch):
    calls = counting(engine, monkeypatch)
    first = engine.search("环烯烃共聚物 催化剂", k=5)
    again = engine.search("环烯烃共聚物 催化剂", k=5)
    assert calls == [1] and again == first and ids(first)[0] == "r1"
    engine.search("环烯烃共聚物 催化剂", k=5, explain=False)  # another input: scored again
    assert calls == [1, 1]


def test_the_allowed_set_is_part_of_the_key(engine, monkeypatch):
    calls = counting(engine, monkeypatch)
    assert ids(engine.search("环烯烃共聚物", k=5, allowed_ids=["r1"])) == ["r1"]
    assert ids(engine.search("环烯烃共聚物", k=5, allowed_ids=["r2"])) == ["r2"]
    assert ids(engine.search("环烯烃共聚物", k=5, allowed_ids=["r2", "r1"])) == ids(engine.search("环烯烃共聚物", k=5, allowed_ids=["r1", "r2"]))
    assert len(calls) == 3  # the order of the allowed ids does not matter, their set does


def test_boosts_are_part_of_the_key(engine):
    plain = engine.search("环烯烃共聚物", k=5)
    boosted = engine.search("环烯烃共聚物", k=5, boosts={ids(plain)[-1]: {"industry": 5.0}})
    assert ids(boosted)[0] == ids(plain)[-1] != ids(plain)[0]


def test_any_change_of_the_documents_empties_it(engine):
    assert ids(engine.search("钙钛矿", k=5)) == []
    engine.add("r4", {"title": "钙钛矿叠层电池实验室", "body": "钙钛矿光伏"})
    assert ids(engine.search("钙钛矿", k=5)) == ["r4"]
    engine.update("r4", {"title": "氢燃料电池电堆", "body": "电堆设计"})
    assert ids(engine.search("钙钛矿", k=5)) == []
    engine.delete("r1")
    assert "r1" not in ids(engine.search("环烯烃共聚物 催化剂", k=5))


def test_a_caller_changing_its_hits_does_not_change_the_cache(engine):
    first = engine.search("环烯烃共聚物 催化剂", k=5)
    first[0].matched_terms.clear()
    first[0].signals.clear()
    first.clear()
    again = engine.search("环烯烃共聚物 催化剂", k=5)
    assert again and again[0].matched_terms and again[0].signals


def test_it_holds_a_bounded_number_of_searches(engine, monkeypatch):
    from corridor.matching.engine import engine as module

    monkeypatch.setattr(module, "RESULT_CACHE_SIZE", 2)
    for q in ("环烯烃", "催化剂", "固态电池"):
        engine.search(q, k=3)
    assert len(engine._results) == 2
