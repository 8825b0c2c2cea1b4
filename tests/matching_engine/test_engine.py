from __future__ import annotations

from pathlib import Path

import pytest

from corridor.matching.engine import Analyzer, Engine, EngineConfig, Hit


def _ids(hits: list[Hit]) -> list[str]:
    return [h.doc_id for h in hits]


def test_search_ranks_matching_resource_first(engine: Engine) -> None:
    hits = engine.search("环烯烃共聚物催化剂", k=3)
    assert hits[0].doc_id == "lab-1"
    assert hits[0].score == pytest.approx(1.0)
    assert hits[0].text_score > 0
    assert all(h.text_score > 0 for h in hits)


def test_explanation_names_matched_terms(engine: Engine) -> None:
    hit = engine.search("肺结节检测", k=1)[0]
    assert hit.doc_id == "lab-2"
    terms = dict(hit.matched_terms)
    assert "肺结节" in terms or "结节" in terms
    assert all(v > 0 for v in terms.values())
    contributions = [v for _, v in hit.matched_terms]
    assert contributions == sorted(contributions, reverse=True)
    assert "doc:text/w" in hit.signals
    assert sum(v for k, v in hit.signals.items() if k.startswith(("doc:", "entry:"))) == pytest.approx(
        hit.text_score, rel=1e-4
    )


def test_entries_are_searchable_and_explained(engine: Engine) -> None:
    hit = engine.search("茂金属", k=1)[0]
    assert hit.doc_id == "lab-1"
    assert any(k.startswith("entry:") for k in hit.signals)


def test_cross_language_search(engine: Engine) -> None:
    hits = engine.search("电池", k=5)
    assert "lab-3" in _ids(hits)


def test_allowed_ids_filter(engine: Engine) -> None:
    hits = engine.search("测试 平台", k=10, allowed_ids={"lab-1", "lab-3"})
    assert hits
    assert set(_ids(hits)) <= {"lab-1", "lab-3"}
    assert engine.search("测试", k=10, allowed_ids=[]) == []


def test_boosts_change_order_and_are_reported(engine: Engine) -> None:
    plain = engine.search("测试 服务", k=4)
    assert len(plain) >= 2
    second = plain[1].doc_id
    boosted = engine.search("测试 服务", k=4, boosts={second: {"industry": 5.0}})
    assert boosted[0].doc_id == second
    assert boosted[0].signals["boost:industry"] == pytest.approx(5.0)


def test_update_and_delete(engine: Engine) -> None:
    assert engine.search("区块链", k=5) == []
    engine.update("lab-4", {"title": "区块链溯源平台", "body": "面向供应链的区块链溯源服务"})
    assert _ids(engine.search("区块链", k=5)) == ["lab-4"]
    assert "芯片" not in dict(engine.search("区块链 芯片", k=5)[0].matched_terms)
    assert engine.delete("lab-4")
    assert not engine.delete("lab-4")
    assert "lab-4" not in engine
    assert engine.search("区块链", k=5) == []
    assert len(engine) == 3


def test_save_and_load_round_trip(engine: Engine, analyzer: Analyzer, tmp_path: Path) -> None:
    engine.delete("lab-2")
    engine.add(
        "lab-5", {"title": "激光雷达标定实验室", "entries": ["设备：多线激光雷达", "团队：自动驾驶感知组"]}
    )
    before = engine.search("激光雷达 自动驾驶", k=5)
    engine.save(tmp_path / "idx")
    engine.save(tmp_path / "idx")  # a second save replaces the postings file
    names = {p.name for p in (tmp_path / "idx").iterdir()}
    bins = {n for n in names if n.startswith("postings-") and n.endswith(".bin")}
    assert len(bins) == 1 and names - bins == {"index.json", "engine.json"}
    loaded = Engine.load(tmp_path / "idx", analyzer=analyzer)
    after = loaded.search("激光雷达 自动驾驶", k=5)
    assert _ids(after) == _ids(before)
    # lab-5 was scored from the (unquantised) delta before the save
    assert [h.score for h in after] == pytest.approx([h.score for h in before], rel=1.2e-2)
    # postings stay memory-mapped in the file; mmap=False reads them into memory
    ch = next(iter(loaded.index._ch.values()))
    assert ch.blocks is not None and isinstance(ch.blocks.lo.base, memoryview) and not ch.blocks.lo.flags.writeable
    in_ram = Engine.load(tmp_path / "idx", analyzer=analyzer, mmap=False)
    assert in_ram.index._postings_map is None and next(iter(in_ram.index._ch.values())).blocks.lo.flags.writeable
    assert [(h.doc_id, h.score) for h in in_ram.search("激光雷达 自动驾驶", k=5)] == [
        (h.doc_id, h.score) for h in after
    ]
    assert "lab-2" not in loaded
    loaded.add("lab-6", {"title": "激光雷达测试场"})
    assert "lab-6" in _ids(loaded.search("激光雷达", k=10))


def test_incremental_equals_bulk(analyzer: Analyzer) -> None:
    docs = {
        f"d{i}": {"title": t, "body": b}
        for i, (t, b) in enumerate(
            [
                ("储能电池", "磷酸铁锂储能电池的热管理"),
                ("工业机器人", "六轴工业机器人的视觉引导装配"),
                ("生物医药", "单克隆抗体的中试生产工艺"),
                ("新材料", "碳纤维复合材料的成型工艺"),
            ]
        )
    }
    bulk = Engine(analyzer=analyzer)
    bulk.add_many(docs.items())
    inc = Engine(analyzer=analyzer)
    inc.add("tmp", {"title": "临时文档 工艺"})
    for k, v in docs.items():
        inc.add(k, v)
    inc.delete("tmp")
    for q in ("工艺", "电池 热管理", "机器人"):
        a = bulk.search(q, k=4)
        b = inc.search(q, k=4)
        assert [h.doc_id for h in a] == [h.doc_id for h in b]
        # compact postings keep normalised tf log-quantised in uint8 (relative error < 1.1 %)
        assert [h.text_score for h in a] == pytest.approx([h.text_score for h in b], rel=1.2e-2)
        inc.index.compact()


def test_empty_and_unknown_queries(engine: Engine, analyzer: Analyzer) -> None:
    assert engine.search("", k=5) == []
    assert engine.search("的 了", k=5) == []
    assert engine.search("测试", k=0) == []
    assert Engine(analyzer=analyzer).search("测试") == []


def test_custom_channels(analyzer: Analyzer) -> None:
    from corridor.matching.engine import ChannelSpec

    cfg = EngineConfig(channels=(ChannelSpec("title", "w", weight=2.0), ChannelSpec("text", "b")))
    eng = Engine(cfg, analyzer=analyzer)
    eng.add("a", {"title": "光伏组件", "body": "逆变器"})
    eng.add("b", {"title": "逆变器", "body": "光伏组件"})
    assert eng.search("光伏组件", k=2)[0].doc_id == "a"


def test_pruned_search_agrees_with_exact(analyzer: Analyzer) -> None:
    topics = [
        "储能电池",
        "工业机器人",
        "抗体药物",
        "碳纤维",
        "光伏组件",
        "芯片封装",
        "激光雷达",
        "氢燃料电池",
    ]
    eng = Engine(analyzer=analyzer)
    for i in range(80):
        a, b = topics[i % len(topics)], topics[(i * 3 + 1) % len(topics)]
        eng.add(
            f"d{i}",
            {
                "title": f"{a}技术平台{i}",
                "body": f"{a}的研发与测试，兼顾{b}的应用",
                "entries": [f"成果：{b}"],
            },
        )
    eng.index.compact()
    query = "储能电池 技术 平台 测试 应用"
    exact = [h.doc_id for h in eng.search(query, k=5, explain=False)]
    eng.index.budget = 50  # force the common terms onto the candidate path
    eng.index.candidates = 20
    pruned = eng.search(query, k=5, explain=False)
    assert [h.doc_id for h in pruned] == exact


def test_explanations_skip_bigrams_across_word_boundaries(analyzer: Analyzer) -> None:
    eng = Engine(analyzer=analyzer)
    eng.add("m1", {"title": "纳米颗粒互连材料", "body": "用于芯片封装的纳米颗粒互连材料与低温烧结工艺"})
    eng.add("m2", {"title": "动力电池回收", "body": "废旧动力电池的拆解与正极材料再生"})
    query = "纳米颗粒互连"
    hit = eng.search(query, k=2)[0]
    assert hit.doc_id == "m1"
    terms = {t for t, _ in hit.matched_terms}
    # 粒互 spans 颗粒|互连: not shown; the words and in-word bigrams are
    assert "粒互" not in terms and "米颗" not in terms
    assert {"纳米", "颗粒", "互连"} <= terms
    # ... but the straddling bigrams still count in the score
    spec = next(c for c in eng.config.channels if c.kind == "b" and c.level == "doc")
    scored = {tc.term for tc in eng.index.explain_doc(spec, eng.query_terms(query)["b"], eng.index.slot["m1"])}
    assert {"粒互", "米颗"} <= scored
    assert hit.signals["doc:text/b"] == pytest.approx(
        spec.weight * sum(tc.score for tc in eng.index.explain_doc(spec, eng.query_terms(query)["b"], eng.index.slot["m1"]))
    )


def test_explaining_many_documents_at_once_equals_one_by_one(analyzer: Analyzer) -> None:
    eng = Engine(analyzer=analyzer)
    eng.add("a", {"title": "锂电池正极材料", "body": "高镍正极材料的烧结工艺", "entries": ["专利：正极材料包覆方法", "设备：烧结炉"]})
    eng.add("b", {"title": "动力电池回收", "body": "废旧动力电池的拆解与正极材料再生", "entries": ["成果：湿法回收锂"]})
    eng.add("c", {"title": "芯片封装", "body": "低温烧结银浆"})
    qt = eng.query_terms("正极材料烧结与电池回收")
    slots = [eng.index.slot[d] for d in ("a", "b", "c")]
    for spec in eng.config.channels:
        terms = qt.get(spec.kind, {})
        batch = eng.index.explain_docs(spec, terms, slots)
        for slot in slots:
            one = {tc.term: tc.score for tc in eng.index.explain_doc(spec, terms, slot)}
            assert {tc.term: tc.score for tc in batch.get(slot, [])} == pytest.approx(one)
    hits = {h.doc_id: h.matched_terms for h in eng.search("正极材料烧结与电池回收", k=3)}
    assert set(hits) == {"a", "b", "c"} and all(hits.values())
