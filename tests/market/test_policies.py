"""The policy matcher: qualifying policies, near misses with met/missing/unknown conditions, expiry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from corridor.market import selectors, services
from corridor.market.choices import ConditionState, MatchOutcome
from corridor.market.services import ConditionInput as C
from tests import factories as f
from tests.market.conftest import clock

TODAY = dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _policy(world, title, conditions, **kw):
    data = {"title": title, "issuer": "苏州市科学技术局", "level": "city", "type": "subsidy", "city": f.city("苏州"),
            "benefits": "研发费用补助", "valid_from": dt.date(2025, 1, 1), "valid_until": dt.date(2025, 12, 31)}
    data.update(kw)
    return services.policy_create(user=world.operator, data=data, conditions=conditions)


@pytest.fixture
def firm(world):
    org = world.other_org  # 苏州 enterprise
    org.size = "small"
    org.founded_year = 2019
    org.save()
    org.industries.set([f.industry("2614")])  # under 26 (chemicals)
    services.profile_set(user=world.stranger, organization=org,
                         data={"rd_spend_ratio": Decimal("6.50"), "certifications": ["high_tech"]})
    return org


def test_matcher_outcomes(world, firm):
    q = _policy(world, "苏州高企补贴", [C("city", ["320500"]), C("certification", ["high_tech"]), C("rd_ratio_min", 5)])
    n = _policy(world, "研发强度补贴", [C("province", ["江苏省"]), C("rd_ratio_min", 8)])
    far = _policy(world, "上海大企业政策", [C("city", ["310000"]), C("size", ["large"])])
    u = _policy(world, "员工规模补贴", [C("org_type", ["enterprise"]), C("employees_max", 300)])
    ind = _policy(world, "化工产业扶持", [C("industry", ["26"]), C("years_min", 5)])
    young = _policy(world, "初创企业扶持", [C("years_max", 3)])
    with clock(TODAY):
        matches = {m.policy: m for m in selectors.policy_match(firm, user=world.stranger)}
    assert matches[q].outcome == MatchOutcome.QUALIFIED
    assert matches[ind].outcome == MatchOutcome.QUALIFIED  # 2614 is under 26; founded 6 years ago
    assert matches[n].outcome == MatchOutcome.NEAR
    states = {c.kind: c.state for c in matches[n].conditions}
    assert states == {"province": ConditionState.MET, "rd_ratio_min": ConditionState.MISSING}
    assert matches[u].outcome == MatchOutcome.POSSIBLE  # employees unknown
    assert {c.kind: c.state for c in matches[u].conditions}["employees_max"] == ConditionState.UNKNOWN
    assert matches[young].outcome == MatchOutcome.NEAR
    assert far not in matches  # two conditions missing
    assert list(matches)[0] in (q, ind)


def test_profile_facts_unknown_to_outsiders(world, firm):
    p = _policy(world, "苏州高企补贴", [C("city", ["320500"]), C("certification", ["high_tech"])])
    with clock(TODAY):
        own = {m.policy: m for m in selectors.policy_match(firm, user=world.stranger)}
        other = {m.policy: m for m in selectors.policy_match(firm, user=world.owner)}
    assert own[p].outcome == MatchOutcome.QUALIFIED
    assert other[p].outcome == MatchOutcome.POSSIBLE  # the certification is the firm's private fact


def test_expired_and_future_policies_hidden(world, firm):
    old = _policy(world, "已过期", [], valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2025, 5, 31))
    edge = _policy(world, "今日截止", [], valid_until=dt.date(2025, 6, 1))
    later = _policy(world, "未生效", [], valid_from=dt.date(2025, 6, 2))
    with clock(TODAY):
        found = {m.policy for m in selectors.policy_match(firm, user=world.stranger)}
    assert edge in found and old not in found and later not in found


def test_policy_library_rules(world):
    with pytest.raises(PermissionDenied):
        services.policy_create(user=world.owner, data={}, conditions=[])
    with pytest.raises(ValidationError):
        _policy(world, "bad", [C("size", ["gigantic"])])
    with pytest.raises(ValidationError):
        _policy(world, "bad", [C("rd_ratio_min", "lots")])
    with pytest.raises(ValidationError):
        _policy(world, "bad", [C("telepathy", 1)])
    with pytest.raises(ValidationError):
        _policy(world, "no city", [], city=None)
    with pytest.raises(PermissionDenied):
        services.profile_set(user=world.owner, organization=world.other_org, data={"rd_spend_ratio": Decimal("3")})
