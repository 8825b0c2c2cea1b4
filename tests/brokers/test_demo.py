"""The demo loader: ~100 managers, cases in every stage, the two seed consortia with their outputs; idempotent."""

from corridor.brokers.choices import STAGE_CHAIN, CaseStage, OutputKind
from corridor.brokers.demo import load_brokers_demo
from corridor.brokers.models import Case, Consortium, TechnologyManager
from corridor.brokers.selectors import case_kpis


def test_demo_loader(db):
    first = load_brokers_demo()
    assert first["managers"] == 100 and first["consortia"] == 5 and first["cases"] > 0
    assert TechnologyManager.objects.filter(user__is_demo=True, user__is_technology_manager=True).count() == 100
    assert not TechnologyManager.objects.filter(user__username="tm001").first().user.has_usable_password()
    stages = set(Case.objects.values_list("stage", flat=True))
    assert CaseStage.LANDING in stages and CaseStage.LOST in stages
    kpis = case_kpis(Case.objects.all())
    assert kpis["funnel"][0]["reached"] == kpis["cases"]
    chip = Consortium.objects.get(name="Chiplet集成技术创新联合体")
    assert chip.lead.name == "无锡中微高科电子有限公司" and chip.lead_role == "alliance_leader"
    assert {m.organization.name for m in chip.members.all()} == {"无锡中微高科电子有限公司", "复旦大学", "江南大学", "芯光互连研究院"}
    standard = chip.outputs.get(kind=OutputKind.STANDARD)
    assert standard.adopters.count() >= 10
    assert {o.name for o in standard.credited.all()} == {"芯光互连研究院"}
    po = Consortium.objects.get(name="聚烯烃先进材料创新联合体")
    assert po.lead_role == "chain_leader" and po.outputs.filter(kind=OutputKind.PILOT_LINE).exists()
    again = load_brokers_demo()
    assert again["cases"] == 0 and again["consortia"] == 0
    assert TechnologyManager.objects.count() == 100
    assert len(STAGE_CHAIN) == 7
