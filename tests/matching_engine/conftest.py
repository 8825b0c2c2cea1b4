"""Shared fixtures: one analyzer (jieba domain dictionary + glossary) per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.matching.engine import Analyzer, Engine


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("matching-cache")


@pytest.fixture(scope="session")
def analyzer(cache_dir: Path) -> Analyzer:
    return Analyzer(cache_dir)


@pytest.fixture()
def engine(analyzer: Analyzer) -> Engine:
    eng = Engine(analyzer=analyzer)
    eng.add(
        "lab-1",
        {
            "title": "高分子材料中试平台",
            "body": "面向聚烯烃催化剂与环烯烃共聚物的中试放大服务，提供反应釜和挤出设备。",
            "entries": ["专利：一种茂金属催化剂的制备方法", "设备：连续聚合中试装置"],
        },
    )
    eng.add(
        "lab-2",
        {
            "title": "人工智能医疗影像实验室",
            "body": "基于深度学习的医学影像分析，肺结节自动检测与分割。",
            "entries": ["成果：肺部CT辅助诊断软件", "团队：计算机视觉研究组"],
        },
    )
    eng.add(
        "lab-3",
        {
            "title": "Battery testing centre",
            "body": "Lithium battery cell testing, thermal runaway analysis and battery management systems.",
        },
    )
    eng.add(
        "lab-4",
        {
            "title": "芯片封装测试公共服务平台",
            "body": "提供芯粒（Chiplet）先进封装、可靠性测试和失效分析服务。",
        },
    )
    return eng
