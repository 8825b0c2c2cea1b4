"""The demo region: exact counts, determinism, the two-cities rule, the seed consortia, accounts, reset."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from corridor.core.models import ChangeRecord
from corridor.demo import seed
from corridor.demo.generator import build_plan
from corridor.demo.loader import DEMO_PASSWORD, database_is_empty, demo_is_loaded, load_demo, reset_demo
from corridor.lists.models import CooperationItem, Demand, Resource, ResourceEvidence
from corridor.lists.services import PartyInput, rd_production_split
from corridor.orgs.creditcode import is_valid
from corridor.orgs.models import Organization, User
from tests import factories as f

TODAY = date(2026, 3, 1)
REAL = (seed.SRICI, seed.SJTU, seed.HUAYI, seed.ZWGK, seed.FUDAN, seed.JIANGNAN, seed.XGHL)
JIANGSU = "320000"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (committed), and take it all out again afterwards."""
    with django_db_blocker.unblock():
        counts = load_demo(progress=False, today=TODAY)
    yield counts
    with django_db_blocker.unblock():
        reset_demo()
        Organization.objects.filter(name__in=REAL).delete()
        ChangeRecord.objects.all().delete()


def content_hash() -> str:
    """Everything a reader sees, independent of ids and row order."""
    rows = sorted(
        [f"O|{o.name}|{o.type}|{o.credit_code}|{o.description}" for o in Organization.objects.all()]
        + [f"R|{r.kind}|{r.name}|{r.owner.name}|{r.description}" for r in Resource.objects.select_related("owner")]
        + [f"E|{e.resource.name}|{e.kind}|{e.title}|{e.reference}" for e in ResourceEvidence.objects.select_related("resource")]
        + [f"D|{d.title}|{d.summary}|{d.description}|{d.status}|{d.budget_max}|{d.deadline}" for d in Demand.objects.all()]
        + [
            f"C|{c.title}|{c.description}|{c.stage}|{c.contract_value}|"
            + ",".join(sorted(f"{p.organization.name}:{p.role}" for p in c.parties.all()))
            for c in CooperationItem.objects.prefetch_related("parties__organization")
        ]
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def test_exact_counts_and_spread(demo, db):
    assert demo["resources"] == Resource.objects.count() == 311
    assert demo["demands"] == Demand.objects.count() == 298
    assert demo["cooperation_items"] == CooperationItem.objects.count() == 196
    assert set(Resource.objects.values_list("kind", flat=True)) == {
        "key_lab", "tech_centre", "pilot", "poc", "instrument", "expert_team", "achievement"
    }
    assert set(ResourceEvidence.objects.values_list("kind", flat=True)) == {"achievement", "patent", "equipment", "team"}
    assert set(Demand.objects.values_list("status", flat=True)) == {"draft", "published", "negotiating", "cooperating", "solved", "closed"}
    assert len(set(CooperationItem.objects.values_list("stage", flat=True))) == 5
    assert len(set(CooperationItem.objects.values_list("type", flat=True))) == 6
    cities = Counter(Resource.objects.values_list("city__short_name", flat=True))
    for city in ("上海", "苏州", "无锡", "常州", "镇江", "南京", "南通", "扬州"):
        assert cities[city] >= 5, city
    assert sum(n for c, n in cities.items() if c not in ("上海", "苏州", "无锡", "常州", "镇江", "南京", "南通", "扬州")) >= 3


def test_demands_have_budgets_deadlines_and_confidential_summaries(demo, db):
    with_budget = Demand.objects.exclude(budget_max=None)
    assert with_budget.count() > 250
    assert all(isinstance(d.budget_max, Decimal) and d.budget_max > 0 for d in with_budget)
    assert all(d.budget_min <= d.budget_max for d in with_budget.exclude(budget_min=None))
    confidential = Demand.objects.filter(confidentiality="summary")
    assert confidential.count() >= 20
    assert all(d.summary for d in confidential)
    assert Demand.objects.exclude(status="draft").filter(published_at=None).count() == 0
    assert Demand.objects.filter(status="draft").exclude(published_at=None).count() == 0
    assert Demand.objects.filter(status="published", deadline__gt=TODAY).count() == Demand.objects.filter(status="published").count()
    assert Demand.objects.exclude(trl_desired=None).count() > 200
    assert Demand.objects.filter(assigned_managers__username="manager").count() >= 20


def is_english(text: str) -> bool:
    return not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_some_texts_are_english(demo, db):
    assert 0.05 * 311 <= sum(is_english(r.name + r.description) for r in Resource.objects.all()) <= 0.2 * 311
    assert 0.05 * 298 <= sum(is_english(d.title + d.description) for d in Demand.objects.all()) <= 0.2 * 298
    assert 0.05 * 196 <= sum(is_english(c.description) for c in CooperationItem.objects.all()) <= 0.2 * 196


def test_every_cooperation_item_spans_two_cities(demo, db):
    split = shanghai_jiangsu = 0
    for item in CooperationItem.objects.prefetch_related("parties__organization__city"):
        parties = list(item.parties.all())
        assert 2 <= len(parties) <= 4, item.title
        cities = {p.organization.city_id for p in parties if p.organization.city_id is not None}
        assert len(cities) >= 2, item.title
        inputs = [PartyInput(organization=p.organization, role=p.role) for p in parties]
        assert item.rd_production_split == rd_production_split(inputs)
        split += item.rd_production_split
        rd = {p.organization.city.short_name for p in parties if p.role in ("rd", "lead") and p.organization.city}
        production = [p.organization.city for p in parties if p.role == "production" and p.organization.city]
        shanghai_jiangsu += "上海" in rd and any(c.province_code == JIANGSU for c in production)
    assert split >= 60
    assert shanghai_jiangsu >= 40


def test_change_records_one_per_object(demo, db):
    records = ChangeRecord.objects.filter(source="demo", action="create")
    assert records.count() == demo["change_records"] == demo["organizations"] + 311 + 298 + 196
    per_object = Counter(records.values_list("content_type_id", "object_id"))
    assert max(per_object.values()) == 1
    resource = Resource.objects.filter(evidence__isnull=False).first()
    record = records.get(object_id=resource.pk, content_type__model="resource")
    assert record.changes["name"] == resource.name
    assert record.changes["evidence"] == [f"{e.kind}: {e.title}" for e in resource.evidence.all()]
    assert record.changes["industries"] == sorted(resource.industries.values_list("pk", flat=True))
    assert record.time == resource.created


def test_matching_indexes_hear_of_the_bulk_load(demo, db):
    from django.apps import apps

    if not apps.is_installed("corridor.matching"):
        pytest.skip("matching app not installed")
    from corridor.matching.models import IndexEvent

    announced = set(IndexEvent.objects.filter(kind="resources").values_list("object_id", flat=True))
    assert set(Resource.objects.values_list("pk", flat=True)) <= announced


def test_credit_codes_and_demo_flags(demo, db):
    demo_orgs = Organization.objects.filter(is_demo=True).select_related("city")
    assert demo_orgs.count() >= 150
    codes = [o.credit_code for o in demo_orgs if o.country == "CN"]
    assert all(is_valid(c) for c in codes)
    assert len(set(codes)) == len(codes)
    assert all(o.credit_code[2:8] == o.city.code for o in demo_orgs if o.country == "CN")
    assert all("演示数据" in o.description or "Demo data" in o.description for o in demo_orgs)
    foreign = demo_orgs.exclude(country="CN")
    assert foreign.exists() and all(o.credit_code == "" and o.city is None for o in foreign)
    for r in Resource.objects.filter(owner__is_demo=True):
        assert "演示数据" in r.description or "Demo data" in r.description


def test_seed_consortia_and_coc_line(demo, db):
    real = {o.name: o for o in Organization.objects.filter(name__in=REAL).select_related("city")}
    assert set(real) == set(REAL)
    assert all(not o.is_demo and o.credit_code == "" for o in real.values())
    assert real[seed.SRICI].city.short_name == "上海" and real[seed.ZWGK].city.short_name == "无锡"
    assert real[seed.XGHL].type == "new_rd" and real[seed.XGHL].city.short_name == "无锡"
    lab = Resource.objects.get(name="聚烯烃催化技术与高性能材料国家重点实验室")
    assert lab.owner == real[seed.SRICI] and lab.kind == "key_lab"
    assert lab.industries.filter(scheme="gbt4754", code="2651").exists()
    assert lab.evidence.filter(kind="patent").count() >= 2
    line = Resource.objects.select_related("owner__city").get(name=seed.COC_LINE)
    assert line.owner.is_demo and line.owner.city.short_name == "南通"
    industrialisation = CooperationItem.objects.get(title=seed.COC_INDUSTRIALISATION)
    assert industrialisation.type == "industrialisation" and industrialisation.stage == "completed"
    roles = {p.organization.name: p.role for p in industrialisation.parties.all()}
    assert roles == {seed.SRICI: "rd", seed.COC_FIRM: "production"} and industrialisation.rd_production_split
    po = CooperationItem.objects.get(title=seed.POLYOLEFIN_CONSORTIUM)
    assert {p.organization.name for p in po.parties.all()} == {seed.SRICI, seed.SJTU, seed.HUAYI, seed.COC_FIRM}
    assert po.parties.get(role="lead").organization.name == seed.SRICI
    chiplet = CooperationItem.objects.get(title=seed.CHIPLET_CONSORTIUM)
    assert {p.organization.name for p in chiplet.parties.all()} == {seed.ZWGK, seed.FUDAN, seed.JIANGNAN, seed.XGHL}
    assert chiplet.parties.get(role="lead").organization.name == seed.ZWGK
    assert chiplet.industries.filter(scheme="gbt4754", code="3973").exists()
    assert Demand.objects.filter(owner=real[seed.ZWGK]).count() >= 2


def test_everything_is_tagged_with_both_taxonomies(demo, db):
    for model in (Resource, Demand, CooperationItem):
        for obj in model.objects.prefetch_related("industries"):
            schemes = {i.scheme for i in obj.industries.all()}
            assert schemes == {"gbt4754", "sei2018"}, obj


@pytest.mark.parametrize(
    ("username", "attribute"),
    [("operator", "is_staff"), ("member", None), ("manager", "is_technology_manager"), ("reviewer", "is_reviewer")],
)
def test_demo_accounts_log_in(demo, db, client, username, attribute):
    assert client.login(username=username, password=DEMO_PASSWORD)
    user = User.objects.get(username=username)
    assert user.is_demo and not user.is_superuser
    if attribute:
        assert getattr(user, attribute)
    if username == "member":
        assert list(user.memberships.values_list("organization__name", flat=True)) == [seed.SRICI]
    if username == "operator":
        assert user.is_operator
        assert client.get("/admin/").status_code == 200


def test_loading_twice_does_not_duplicate(demo, db, capsys):
    before = (Organization.objects.count(), Resource.objects.count(), ChangeRecord.objects.count())
    assert demo_is_loaded()
    assert load_demo(progress=False, today=TODAY) == {}
    call_command("demo", "--no-progress")
    assert "--reset" in capsys.readouterr().out  # "already loaded", in the active language
    assert (Organization.objects.count(), Resource.objects.count(), ChangeRecord.objects.count()) == before


def test_reset_reloads_the_same_region_and_keeps_other_data(demo, db):
    original = content_hash()
    records = ChangeRecord.objects.count()
    mine = f.organization("真实注册企业有限公司", city_name="苏州")
    f.resource(mine, name="真实企业的中试平台")
    counts = load_demo(reset=True, progress=False, today=TODAY)
    assert counts["resources"] == 311 and counts["organizations_reused"] == len(REAL)
    assert Resource.objects.filter(name="真实企业的中试平台").exists()
    assert Resource.objects.count() == 312 and Demand.objects.count() == 298 and CooperationItem.objects.count() == 196
    assert Organization.objects.filter(name__in=REAL).count() == len(REAL)
    assert User.objects.filter(is_demo=True).count() == 4
    assert ChangeRecord.objects.count() == records
    Resource.objects.filter(name="真实企业的中试平台").delete()
    mine.delete()
    assert content_hash() == original


def test_command_reset(demo, db, capsys):
    call_command("demo", "--reset", "--no-progress")
    out = capsys.readouterr().out
    assert "311" in out and "corridor-demo" in out
    # The command loads the whole platform: the region plus the labs, market and alliance demos.
    assert Resource.objects.count() == 311
    assert set(User.objects.filter(username__in=["operator", "member", "manager", "reviewer"], is_demo=True).values_list("username", flat=True)) == {
        "operator", "member", "manager", "reviewer"}


def test_reset_removes_only_demo_data(demo, db):
    reset_demo()
    assert not demo_is_loaded()
    assert Resource.objects.count() == Demand.objects.count() == CooperationItem.objects.count() == 0
    assert set(Organization.objects.values_list("name", flat=True)) == set(REAL)
    assert not ChangeRecord.objects.filter(source="demo").exclude(content_type__model="organization").exists()
    assert not database_is_empty()
    Organization.objects.all().delete()
    assert database_is_empty()


def test_plan_is_the_same_in_another_process():
    """Same texts whatever the hash seed of the interpreter (no set-order dependence)."""
    here = build_plan(TODAY).fingerprint()
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'corridor.settings'); django.setup();"
        "from datetime import date; from corridor.demo.generator import build_plan;"
        f"print(build_plan(date({TODAY.year}, {TODAY.month}, {TODAY.day})).fingerprint())"
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": "4242", "PYTHONPATH": str(root)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root, check=True, timeout=120)  # noqa: S603
    assert out.stdout.strip().splitlines()[-1] == here
    plan = build_plan(TODAY)
    assert len(plan.resources) == 311 and len(plan.demands) == 298 and len(plan.items) == 196
