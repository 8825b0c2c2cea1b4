"""Benefit-sharing maths against hand-computed values, and properties of the Shapley value."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridor.insights.sharing import (
    MAX_SHAPLEY_PARTIES,
    Party,
    SharingError,
    TaxTerms,
    allocate,
    coalition_value,
    shapley,
    split_money,
    tax_schedule,
)

D = Decimal


def party(name: str, **contributions: int | str) -> Party:
    return Party(name=name, contributions={k: D(str(v)) for k, v in contributions.items()})


def test_two_parties_shapley_and_proportional_by_hand():
    """A brings ¥400 of R&D (T = 400), B ¥100 of market access (M = 100).

    v(A) = 2·√(400·0) = 0, v(B) = 0, v(AB) = 2·√(400·100) = 400.
    Shapley: φ_A = ½[v(A) − v(∅)] + ½[v(AB) − v(B)] = ½·0 + ½·400 = 200; φ_B = 200 → 50% / 50%.
    Proportional: weighted totals 400 and 100 → 80% / 20%.
    """
    a, b = party("A", rd_spend=400), party("B", market_access=100)
    s = allocate([a, b], "shapley", licence_income=D("1000"))
    assert [p["share_pct"] for p in s["parties"]] == [50.0, 50.0]
    assert [p["licence_income"] for p in s["parties"]] == [D("500.00"), D("500.00")]
    assert s["working"]["grand_value"] == pytest.approx(400.0)
    p = allocate([a, b], "proportional", licence_income=D("1000"))
    assert [r["share_pct"] for r in p["parties"]] == [80.0, 20.0]
    assert [r["licence_income"] for r in p["parties"]] == [D("800.00"), D("200.00")]


def test_three_parties_shapley_by_hand():
    """A: R&D ¥900 (T = 900); B: market access ¥100 (M = 100); C: ¥1000 of capital at risk (R = 0.2·1000 = 200).

    v(∅)=0, v(A)=0, v(B)=0, v(C)=200, v(AB)=2·√(900·100)=600, v(AC)=200, v(BC)=200, v(ABC)=800.
    Weights |S|!(n−|S|−1)!/n!: 1/3 for |S| = 0 and 2, 1/6 for |S| = 1.
    φ_A = ⅓·[v(A)−v(∅)] + ⅙·[v(AB)−v(B)] + ⅙·[v(AC)−v(C)] + ⅓·[v(ABC)−v(BC)]
        = ⅓·0 + ⅙·600 + ⅙·0 + ⅓·600 = 300;  φ_B = 300 by the same sums;
    φ_C = ⅓·200 + ⅙·200 + ⅙·200 + ⅓·200 = 200.  Sum 800 = v(ABC): shares 37.5%, 37.5%, 25%.
    Proportional instead: 900 / 100 / 200 of 1200 = 75%, 8.3333%, 16.6667%.
    """
    parties = [party("A", rd_spend=900), party("B", market_access=100), party("C", risk=1000)]
    game = shapley(parties)
    assert dict((tuple(m), v) for m, v in game["coalitions"]) == pytest.approx(
        {(): 0, (0,): 0, (1,): 0, (2,): 200, (0, 1): 600, (0, 2): 200, (1, 2): 200, (0, 1, 2): 800}
    )
    assert game["values"] == pytest.approx([300, 300, 200])
    # Mean marginal contribution of A by coalition size: 0 (∅), (600 + 0)/2 (size 1), 600 (size 2).
    assert game["marginals"][0] == pytest.approx([0, 300, 600])
    result = allocate(parties, "shapley", licence_income=D("1000000"))
    assert [p["share_pct"] for p in result["parties"]] == [37.5, 37.5, 25.0]
    assert [p["licence_income"] for p in result["parties"]] == [D("375000.00"), D("375000.00"), D("250000.00")]
    prop = allocate(parties, "proportional", licence_income=D("1000000"))
    assert [p["share_pct"] for p in prop["parties"]] == [75.0, 8.3333, 16.6667]
    assert sum(p["licence_income"] for p in prop["parties"]) == D("1000000.00")


def test_weights_of_staff_months_and_facilities():
    # 2 staff-months = ¥60,000 weighted; ¥100,000 of facilities counts half = ¥50,000.
    a, b = party("A", staff_months=2), party("B", facilities=100000)
    result = allocate([a, b], "proportional")
    assert [p["weighted_total"] for p in result["parties"]] == [D("60000"), D("50000.0")]
    assert result["parties"][0]["share"] == pytest.approx(60 / 110)


def test_fixed_ratios_must_sum_to_100():
    a, b = party("A"), party("B")
    a.ratio, b.ratio = D("60"), D("40")
    result = allocate([a, b], "fixed", licence_income=D("99.99"))
    assert [p["share_pct"] for p in result["parties"]] == [60.0, 40.0]
    assert [p["licence_income"] for p in result["parties"]] == [D("59.99"), D("40.00")]
    b.ratio = D("30")
    with pytest.raises(SharingError) as exc:
        allocate([a, b], "fixed")
    assert exc.value.code == "ratios_not_100" and "90" in exc.value.message
    b.ratio = None
    with pytest.raises(SharingError) as exc:
        allocate([a, b], "fixed")
    assert exc.value.field == "parties.1.ratio"


def test_errors_are_precise():
    with pytest.raises(SharingError) as exc:
        allocate([party("A", rd_spend=-1), party("B", market_access=1)], "proportional")
    assert exc.value.code == "negative" and exc.value.field == "parties.0.rd_spend"
    many = [party(f"P{i}", rd_spend=1, market_access=1) for i in range(MAX_SHAPLEY_PARTIES + 1)]
    with pytest.raises(SharingError) as exc:
        allocate(many, "shapley")
    assert exc.value.code == "too_many_parties" and str(MAX_SHAPLEY_PARTIES) in exc.value.message
    allocate(many, "proportional")  # the proportional rule has no such limit
    with pytest.raises(SharingError) as exc:
        allocate([party("A")], "proportional")
    assert exc.value.code == "too_few_parties"
    with pytest.raises(SharingError) as exc:
        allocate([party("A"), party("B")], "proportional")
    assert exc.value.code == "no_contributions"
    with pytest.raises(SharingError) as exc:
        allocate([party("A", rd_spend=5), party("B", rd_spend=5)], "shapley")
    assert exc.value.code == "no_value"  # technology alone creates nothing under v(S)
    with pytest.raises(SharingError) as exc:
        allocate([party("A", rd_spend=5), party("B", rd_spend=5)], "majority")
    assert exc.value.field == "rule"


def test_twelve_parties_enumerate_exactly():
    parties = [party(f"P{i}", rd_spend=100 * (i + 1), market_access=50 * (12 - i)) for i in range(MAX_SHAPLEY_PARTIES)]
    game = shapley(parties)
    assert len(game["coalitions"]) == 2**12
    assert sum(game["values"]) == pytest.approx(coalition_value(parties))


def test_tax_schedule_with_growth_cap_and_duration():
    """Base year 2025, ¥1,000,000 new tax in 2026 growing 10% a year, 40% to the R&D city, capped at ¥450,000, 3 years.

    2026: 1,000,000 → 400,000 / 600,000; 2027: 1,100,000 → 440,000 / 660,000;
    2028: 1,210,000 → 484,000 is above the cap → 450,000 / 760,000. Totals 1,290,000 / 2,020,000.
    """
    rows = tax_schedule(
        TaxTerms(base_year=2025, annual_new_tax=D("1000000"), years=3, rd_share_pct=D("40"), growth_pct=D("10"), cap=D("450000"))
    )
    assert [r["year"] for r in rows] == [2026, 2027, 2028]
    assert [r["new_tax"] for r in rows] == [D("1000000.00"), D("1100000.00"), D("1210000.00")]
    assert [r["rd_city"] for r in rows] == [D("400000.00"), D("440000.00"), D("450000")]
    assert [r["production_city"] for r in rows] == [D("600000.00"), D("660000.00"), D("760000.00")]
    assert [r["capped"] for r in rows] == [False, False, True]
    assert rows[-1]["rd_cumulative"] == D("1290000") and rows[-1]["production_cumulative"] == D("2020000")
    with pytest.raises(SharingError) as exc:
        tax_schedule(TaxTerms(base_year=2025, annual_new_tax=D("1"), years=0, rd_share_pct=D("40")))
    assert exc.value.field == "tax.years"
    with pytest.raises(SharingError) as exc:
        tax_schedule(TaxTerms(base_year=2025, annual_new_tax=D("1"), years=5, rd_share_pct=D("140")))
    assert exc.value.field == "tax.rd_share_pct"


def test_split_money_adds_up_to_the_cent():
    assert split_money(D("100"), [1 / 3, 1 / 3, 1 / 3]) == [D("33.34"), D("33.33"), D("33.33")]


# Properties -------------------------------------------------------------------------------------

amounts = st.integers(min_value=0, max_value=10**7)
contribution = st.fixed_dictionaries(
    {"rd_spend": amounts, "ip_value": amounts, "staff_months": st.integers(0, 500), "facilities": amounts, "market_access": amounts, "risk": amounts}
)


def _parties(dicts: list[dict[str, int]]) -> list[Party]:
    return [Party(name=f"P{i}", contributions={k: D(v) for k, v in d.items()}) for i, d in enumerate(dicts)]


@settings(max_examples=60, deadline=None)
@given(st.lists(contribution, min_size=2, max_size=6))
def test_shapley_efficiency(dicts):
    parties = _parties(dicts)
    game = shapley(parties)
    assert sum(game["values"]) == pytest.approx(coalition_value(parties), rel=1e-9, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(contribution, st.lists(contribution, min_size=0, max_size=4))
def test_shapley_symmetry(same, others):
    parties = _parties([same, same, *others])
    values = shapley(parties)["values"]
    assert values[0] == pytest.approx(values[1], rel=1e-9, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.lists(contribution, min_size=1, max_size=5), st.integers(0, 5))
def test_shapley_null_player_gets_nothing(dicts, where):
    parties = _parties(dicts)
    parties.insert(min(where, len(parties)), Party(name="null"))
    index = [p.name for p in parties].index("null")
    assert shapley(parties)["values"][index] == pytest.approx(0, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.lists(contribution, min_size=2, max_size=8), st.integers(0, 10**9))
def test_proportional_shares_sum_to_100_and_income_to_the_cent(dicts, cents):
    parties = _parties(dicts)
    if all(p.weighted(p.contributions) == 0 for p in parties):
        parties[0].contributions["rd_spend"] = D(1)
    income = D(cents) / 100
    result = allocate(parties, "proportional", licence_income=income)
    assert sum(p["share"] for p in result["parties"]) == pytest.approx(1.0)
    assert sum(p["share_pct"] for p in result["parties"]) == pytest.approx(100, abs=0.001 * len(parties))
    assert sum(p["licence_income"] for p in result["parties"]) == income.quantize(D("0.01"))


@settings(max_examples=40, deadline=None)
@given(st.lists(contribution, min_size=1, max_size=6))
def test_incremental_coalition_values_match_the_definition(dicts):
    parties = _parties(dicts)
    fast, slow = shapley(parties), shapley(parties, value=coalition_value)
    assert [v for _m, v in fast["coalitions"]] == pytest.approx([v for _m, v in slow["coalitions"]], rel=1e-9, abs=1e-6)


def test_tax_share_from_the_parties_in_the_rd_city():
    """The 3-party example (37.5% / 37.5% / 25%) with A and C in city 1: the R&D city takes 37.5 + 25 = 62.5% of the new tax."""
    parties = [party("A", rd_spend=900), party("B", market_access=100), party("C", risk=1000)]
    for p, city in zip(parties, (1, 2, 1), strict=True):
        p.city_key = city
    terms = TaxTerms(base_year=2025, annual_new_tax=D("1000"), years=2, rd_share_pct=D("0"), share_rule="shares", rd_city_key=1)
    result = allocate(parties, "shapley", tax=terms)
    assert result["tax"]["rd_share_pct"] == D("62.5") and result["tax"]["share_rule"] == "shares"
    assert [r["rd_city"] for r in result["tax"]["rows"]] == [D("625.00"), D("625.00")]
    with pytest.raises(SharingError) as exc:
        allocate(parties, "shapley", tax=TaxTerms(base_year=2025, annual_new_tax=D("1"), years=1, rd_share_pct=D("1"), share_rule="vote"))
    assert exc.value.field == "tax.share_rule"
