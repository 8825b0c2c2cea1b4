from __future__ import annotations

from pathlib import Path

from corridor.matching.engine import Analyzer


def test_chinese_words_drop_function_words(analyzer: Analyzer) -> None:
    words = analyzer.words("人工智能技术在医疗影像中的应用")
    assert "人工智能" in words
    assert "医疗" in words
    assert "的" not in words
    assert "在" not in words


def test_search_mode_adds_sub_words(analyzer: Analyzer) -> None:
    words = analyzer.words("中华人民共和国")
    assert "中华人民共和国" in words
    assert "人民" in words


def test_domain_dictionary_keeps_technical_terms(analyzer: Analyzer) -> None:
    # a term from the THUOCL IT lexicon that jieba's bundled dictionary lacks
    assert "字符串" in analyzer.words("如何比较两个字符串", search_mode=False)


def test_english_lowercased_stemmed_stopwords_removed(analyzer: Analyzer) -> None:
    assert analyzer.words("The Running Networks of sensors") == ["run", "network", "sensor"]


def test_mixed_text(analyzer: Analyzer) -> None:
    words = analyzer.words("基于FPGA的图像处理Systems")
    assert "fpga" in words
    assert "图像处理" in words or "图像" in words
    assert "system" in words


def test_full_width_normalised(analyzer: Analyzer) -> None:
    assert "ai" in analyzer.words("ＡＩ芯片")


def test_bigrams_and_unigrams(analyzer: Analyzer) -> None:
    assert analyzer.bigrams("储能电池 Battery") == ["储能", "能电", "电池", "batteri"]
    assert analyzer.bigrams("光") == ["光"]
    uni = analyzer.unigrams("电池的储能")
    assert uni == ["电", "池", "储", "能"]


def test_chinese_query_reaches_english(analyzer: Analyzer) -> None:
    qt = analyzer.query_terms("神经网络")
    assert qt["w"]["神经网络"] == 1.0
    assert 0 < qt["w"]["neural"] < 1.0
    assert 0 < qt["w"]["network"] < 1.0


def test_english_query_reaches_chinese(analyzer: Analyzer) -> None:
    qt = analyzer.query_terms("neural network")
    assert "神经网络" in qt["w"]
    assert qt["w"]["神经网络"] < 1.0
    assert qt["w"]["neural"] == 1.0


def test_no_translation_when_disabled(analyzer: Analyzer) -> None:
    qt = analyzer.query_terms("神经网络", translation_weight=0.0)
    assert "neural" not in qt["w"]


def test_cache_written_to_cache_dir_and_reused(analyzer: Analyzer, cache_dir: Path) -> None:
    names = [p.name for p in cache_dir.iterdir()]
    assert any(n.startswith("jieba-domain-") for n in names)
    assert any(n.startswith("glossary-") for n in names)
    again = Analyzer(cache_dir)
    assert again.words("人工智能") == analyzer.words("人工智能")
