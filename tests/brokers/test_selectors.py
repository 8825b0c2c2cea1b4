"""Suggestion ordering, cross-region pairs, coverage gaps, alerts with a controlled clock, KPI numbers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from corridor.brokers import selectors, services
from corridor.brokers.choices import CasePartyRole, CaseStage, LostReason
from corridor.brokers.filtersets import CaseFilterSet
from corridor.brokers.models import Case
from corridor.lists.choices import PartyRole
from tests import factories as f
from tests.brokers.conftest import manager_profile, open_case

T0 = dt.datetime(2025, 1, 1, 2, 0, tzinfo=dt.UTC)


def days(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


# Suggestions -----------------------------------------------------------------------------------


def test_haversine_known_distance(db):
    # 上海 → 南京 is about 270 km as the crow flies.
    sh, nj = f.city("上海"), f.city("南京")
    assert 260 < selectors.haversine_km(sh.lon, sh.lat, nj.lon, nj.lat) < 280
    assert selectors.haversine_km(sh.lon, sh.lat, sh.lon, sh.lat) == 0


def test_text_terms():
    assert {"聚烯", "烯烃", "chiplet"} <= selectors.text_terms("聚烯烃 Chiplet 技术")
    assert "技术" not in selectors.text_terms("聚烯烃技术")


def test_suggestion_ordering_and_reasons(brokers):
    brokers.profile.active = False
    brokers.profile.save()
    near_expert = manager_profile("near", city="苏州", industries=("3",), expertise="聚烯烃催化剂 工艺放大")
    far_busy_expert = manager_profile("busy", city="上海", industries=("3.3",), expertise="催化剂")
    local_generalist = manager_profile("local", city="苏州", industries=("8",), expertise="数字创意")
    distant = manager_profile("distant", city="合肥", industries=("4.1",), expertise="生物医药")
    case = open_case(brokers)  # the demand sits in 苏州, industry 3.3
    for i in range(5):
        other = open_case(brokers, title=f"其他案件{i}")
        services.case_assign(other, user=brokers.operator, lead=far_busy_expert)
    with translation.override("en"):
        ranked = selectors.suggest_managers(case)
    assert [s.manager for s in ranked] == [near_expert, far_busy_expert, local_generalist, distant]
    top = ranked[0]
    assert top.industry == 1.0 and top.distance_km == 0 and top.open_cases == 0
    assert "烯烃" in top.shared_terms
    assert any("km" in r for r in top.reasons) and len(top.reasons) == 4
    assert ranked[1].open_cases == 5


def test_load_breaks_ties(brokers):
    brokers.profile.active = False
    brokers.profile.save()
    free = manager_profile("free", city="苏州", industries=("3.3",))
    loaded = manager_profile("loaded", city="苏州", industries=("3.3",))
    case = open_case(brokers)
    helper_case = open_case(brokers, title="协助案件")
    services.case_assign(helper_case, user=brokers.operator, lead=free, helpers=[loaded])
    services.case_assign(open_case(brokers, title="主办案件"), user=brokers.operator, lead=loaded)
    ranked = selectors.suggest_managers(case)
    assert [s.manager for s in ranked[:2]] == [free, loaded]
    assert (ranked[0].open_cases, ranked[1].open_cases) == (1, 1.5)


# Cross-region ----------------------------------------------------------------------------------


def test_rd_production_pair_from_cooperation_roles(brokers):
    item = f.cooperation([(brokers.org, PartyRole.RD), (brokers.other_org, PartyRole.PRODUCTION)])
    case = services.case_open(user=brokers.operator, title="上海研发苏州制造", cooperation=item)
    assert (case.rd_city.short_name, case.production_city.short_name) == ("上海", "苏州")
    assert case.is_cross_region
    plain = open_case(brokers)  # only the demand side: production in 苏州, no R&D city yet
    assert plain.rd_city is None and plain.production_city.short_name == "苏州"
    services.case_set_parties(
        plain,
        user=brokers.operator,
        parties=[
            services.CasePartyInput(brokers.other_org, CasePartyRole.DEMAND),
            services.CasePartyInput(brokers.org, CasePartyRole.RD),
        ],
    )
    plain.refresh_from_db()
    assert plain.rd_city.short_name == "上海"

    def filtered(**params):
        return set(CaseFilterSet(params, queryset=Case.objects.all()).qs)

    assert filtered(rd_province="上海", production_province="江苏") == {case, plain}
    assert filtered(rd_city="苏州") == set()
    assert filtered(cross_region="true") == {case, plain}
    pairs = selectors.cross_region_pairs(Case.objects.all())
    assert pairs == [
        {"rd_city": "上海", "rd_province": "上海市", "production_city": "苏州", "production_province": "江苏省", "cases": 2}
    ]


# Coverage --------------------------------------------------------------------------------------


def test_coverage_and_gaps(db):
    manager_profile("a", city="上海", industries=("3.3", "1.2"))
    b = manager_profile("b", city="南京", industries=("3",))
    b.covered_cities.set([f.city("镇江")])
    manager_profile("c", city="南京", industries=("4.1",), active=False)
    cov = selectors.alliance_coverage()
    names = {c.short_name for c in cov.cities}
    assert names == {"上海", "南京", "无锡", "常州", "苏州", "镇江", "南通", "扬州"}
    assert len(cov.industries) == 9
    ind = {i.code: i for i in cov.industries}
    city = {c.short_name: c for c in cov.cities}
    assert cov.count(city["上海"], ind["3"]) == 1 and cov.count(city["上海"], ind["1"]) == 1
    assert cov.count(city["镇江"], ind["3"]) == 1
    assert cov.count(city["南京"], ind["4"]) == 0  # the inactive manager covers nothing
    assert len(cov.gaps) == 8 * 9 - 4


# Alerts ----------------------------------------------------------------------------------------


def test_stale_detection_with_controlled_clock(brokers, monkeypatch, mailoutbox):
    brokers.manager.email = "manager@example.org"
    brokers.manager.save()
    brokers.operator.email = "ops@example.org"
    brokers.operator.save()
    case = open_case(brokers, at=days(0))
    services.case_assign(case, user=brokers.operator, lead=brokers.profile)
    services.activity_log(case, user=brokers.manager, kind="call", title="电话沟通", at=days(5))
    landed = open_case(brokers, title="已落地", at=days(0))
    Case.objects.filter(pk=landed.pk).update(stage=CaseStage.LANDING)

    assert list(selectors.stale_cases(now=days(18), days=14)) == []
    assert list(selectors.stale_cases(now=days(19.5), days=14)) == [case]
    assert list(selectors.stale_cases(now=days(19.5), days=15)) == []

    monkeypatch.setattr(timezone, "now", lambda: days(20))
    call_command("case_alerts", "--days", "14")
    assert sorted(m.to[0] for m in mailoutbox) == ["manager@example.org", "ops@example.org"]
    body = mailoutbox[0].body
    assert case.title in body and "15" in body
    assert landed.title not in body

    services.activity_log(case, user=brokers.manager, kind="note", title="补充材料")
    mailoutbox.clear()
    call_command("case_alerts")
    assert mailoutbox == []


# KPIs ------------------------------------------------------------------------------------------


@pytest.fixture
def kpi_cases(brokers):
    p = brokers.profile
    q = manager_profile("q", city="南京", industries=("1",))
    op = brokers.operator
    a = open_case(brokers, title="A", at=days(0))
    a.industries.set([f.industry("3.3", scheme="sei2018")])
    services.case_assign(a, user=op, lead=p)
    for stage, at in [("matching", 2), ("negotiation", 6), ("poc", 16), ("pilot", 26), ("contract", 36), ("landing", 46)]:
        value = Decimal("1000000.00") if stage == "contract" else None
        services.case_advance(a, user=brokers.manager, to=stage, at=days(at), contract_value=value)
    b = open_case(brokers, title="B", at=days(0))
    b.industries.set([])
    services.case_assign(b, user=op, lead=p)
    services.case_advance(b, user=brokers.manager, to="matching", at=days(4))
    services.case_close_lost(b, user=brokers.manager, reason=LostReason.TERMS, at=days(10))
    c = open_case(brokers, title="C", at=days(0))
    c.industries.set([f.industry("1.2", scheme="sei2018"), f.industry("3.3", scheme="sei2018")])
    services.case_assign(c, user=op, lead=q)
    services.case_advance(c, user=q.user, to="matching", at=days(10))
    services.case_advance(c, user=q.user, to="negotiation", at=days(13))
    d = open_case(brokers, title="D", at=days(0))
    d.industries.set([])
    return {"p": p, "q": q}


def test_kpis_against_hand_computed_values(kpi_cases):
    k = selectors.case_kpis(Case.objects.all())
    assert (k["cases"], k["open"], k["landed"], k["lost"]) == (4, 2, 1, 1)
    assert k["contract_value"] == Decimal("1000000.00")
    assert [(r["stage"], r["reached"], r["to_next"]) for r in k["funnel"]] == [
        ("discovery", 4, 0.75),
        ("matching", 3, 0.667),
        ("negotiation", 2, 0.5),
        ("poc", 1, 1.0),
        ("pilot", 1, 1.0),
        ("contract", 1, 1.0),
        ("landing", 1, None),
    ]
    # discovery: A 2, B 4, C 10 days; matching: A 4, B 6 (ended by loss), C 3; then A alone, 10 each.
    assert [(r["stage"], r["median_days"], r["stays"]) for r in k["median_days"]] == [
        ("discovery", 4.0, 3),
        ("matching", 4.0, 3),
        ("negotiation", 10.0, 1),
        ("poc", 10.0, 1),
        ("pilot", 10.0, 1),
        ("contract", 10.0, 1),
    ]
    by_manager = {r["id"]: r for r in k["by_manager"]}
    p, q = kpi_cases["p"], kpi_cases["q"]
    assert {key: by_manager[p.pk][key] for key in ("cases", "landed", "signed", "contract_value")} == {
        "cases": 2, "landed": 1, "signed": 1, "contract_value": Decimal("1000000.00")
    }
    assert (by_manager[q.pk]["cases"], by_manager[q.pk]["landed"]) == (1, 0)
    assert by_manager[None]["cases"] == 1
    assert k["by_manager"][0]["id"] == p.pk
    by_industry = {r["name"].split()[0]: r for r in k["by_industry"]}
    assert (by_industry["3"]["cases"], by_industry["3"]["landed"]) == (2, 1)
    assert (by_industry["1"]["cases"], by_industry["1"]["landed"]) == (1, 0)
    assert [(r["name"], r["cases"], r["landed"]) for r in k["by_city"]] == [("苏州", 4, 1)]


def test_kpis_respect_the_queryset(kpi_cases):
    mine = Case.objects.restrict(kpi_cases["q"].user, "view")
    k = selectors.case_kpis(mine)
    assert k["cases"] == 1 and k["funnel"][2]["reached"] == 1
