"""The insights demo: sourced barriers in six cities, case links, one saved agreement; deterministic and idempotent."""

from __future__ import annotations

from corridor.brokers.choices import CaseStage, LostReason
from corridor.brokers.models import Case
from corridor.insights.demo import BARRIERS, load_insights_demo
from corridor.insights.models import Agreement, Barrier
from tests import factories as f


def test_demo_loader(db):
    rd = f.organization("演示研究院", city_name="上海", is_demo=True)
    plant = f.organization("演示制造厂", city_name="苏州", is_demo=True)
    item = f.cooperation([(rd, "rd"), (plant, "production")], title="演示合作", contract_value=3_000_000)
    item.rd_production_split = True
    item.save()
    f.operator("operator")
    lost = Case.objects.create(
        title="演示流失", demand=f.demand(plant), city=f.city("苏州"), stage=CaseStage.LOST, lost_at_stage=CaseStage.DISCOVERY,
        lost_reason=LostReason.POLICY, lost_note="人才认定受阻", is_demo=True,
    )
    first = load_insights_demo()
    assert first == {"barriers": len(BARRIERS), "case_links": 1, "agreements": 1}
    assert {b.city.short_name for b in Barrier.objects.all()} >= {"上海", "苏州", "南京", "无锡", "常州", "合肥"}
    assert all(b.source_name.startswith("《") for b in Barrier.objects.all())
    assert lost.barriers.get().city.short_name == "苏州"
    agreement = Agreement.objects.get()
    assert agreement.cooperation == item and agreement.rule == "shapley" and agreement.version == 1
    assert abs(sum(p["share"] for p in agreement.result["parties"]) - 1) < 1e-9
    assert len(agreement.result["tax"]["rows"]) == 5
    titles = list(Barrier.objects.order_by("title").values_list("title", flat=True))
    again = load_insights_demo()
    assert again["agreements"] == 0 and Agreement.objects.count() == 1
    assert list(Barrier.objects.order_by("title").values_list("title", flat=True)) == titles
