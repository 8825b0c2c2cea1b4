"""The market's web pages: who may open what, the whole 揭榜挂帅 cycle through the forms, blind review in
the pages, statistics with chart data, the policy matcher, the spaces map, search, errors (400/403/409)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from corridor.core.models import ChangeRecord
from corridor.market import services
from corridor.market.choices import BidStatus, CallStatus, MilestoneStatus
from corridor.market.models import (
    Bid,
    BidAttachment,
    CarrierSpace,
    ChallengeCall,
    PanelMember,
    Review,
    TechnologyContract,
)
from corridor.market.services import ConditionInput
from tests import factories as f
from tests.market.conftest import AFTER_DEADLINE, DEADLINE, T0, clock, open_call, pdf_bytes, submit_bid

pytestmark = pytest.mark.django_db


def formset(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def login(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def as_role(world, role):
    return login(None if role == "anonymous" else getattr(world, role))


def draft_call(world, **kw):
    from tests.market.conftest import call_data

    with clock(T0):
        return services.call_create(user=world.owner, data=call_data(world.org, **kw))


def call_payload(world, **kw):
    data = {
        "issuer": world.org.pk,
        "title": "高端聚烯烃催化剂揭榜",
        "summary": "茂金属催化剂国产化",
        "problem": "需开发可工业化的国产茂金属催化剂。",
        "indicators": "催化活性 ≥ 1×10^6 g/(mol·h)",
        "reward": "2000000",
        "funding": "",
        "deadline": "2025-04-01T17:00",
        "ip_ownership": "shared",
        "ip_exclusive": "on",
        "ip_notes": "",
        **formset("criteria", [
            {"name": "技术路线", "weight": "60", "max_score": "10", "description": ""},
            {"name": "团队能力", "weight": "40", "max_score": "10", "description": ""},
        ]),
    }
    data.update(kw)
    return data


def bid_payload(world, org=None, **kw):
    data = {
        "bidder": (org or world.other_org).pk,
        "team_name": "苏州材料攻关队",
        "approach": "负载型茂金属催化体系，双釜连续聚合。",
        "budget": "1000000",
        **formset("milestones", [
            {"title": "小试", "due_date": "2025-06-30", "amount": "300000", "deliverable": "小试报告"},
            {"title": "中试", "due_date": "2025-09-30", "amount": "500000", "deliverable": "中试报告"},
        ]),
        **formset("team", [{"name": "王工", "role": "负责人", "affiliation": ""}]),
    }
    data.update(kw)
    return data


def pdf(name="方案.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


# The permission matrix --------------------------------------------------------------------------


PUBLIC_PAGES = ["market:home", "market:call_list", "market:contract_list", "market:ledger_stats", "market:policy_list", "market:space_list"]


@pytest.mark.parametrize("role", ["anonymous", "stranger", "owner", "operator", "reviewer"])
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_open_to_everyone(world, role, name):
    response = as_role(world, role).get(reverse(name))
    assert response.status_code == 200
    assert "Innovation market" in response.content.decode() or "创新集市" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("reviewer", 403), ("stranger", 200), ("owner", 200), ("operator", 200)],
)
def test_call_add_page(world, role, expected):
    assert as_role(world, role).get(reverse("market:call_add")).status_code == expected


@pytest.mark.parametrize(
    ("role", "detail", "edit"),
    [("anonymous", 302, 302), ("stranger", 404, 404), ("reviewer", 404, 404), ("owner", 200, 200), ("operator", 200, 200)],
)
def test_draft_call_visible_to_issuer_and_operators_only(world, role, detail, edit):
    call = draft_call(world)
    client = as_role(world, role)
    assert client.get(call.get_absolute_url()).status_code == detail
    assert client.get(reverse("market:call_edit", args=[call.pk])).status_code == edit


def test_buttons_follow_the_workflow(world):
    call = draft_call(world)
    page = login(world.owner).get(call.get_absolute_url()).content.decode()
    assert 'id="submit-button"' in page and 'id="edit-button"' in page
    assert 'id="publish-button"' not in page
    with clock(T0):
        services.call_submit(call, user=world.owner)
    page = login(world.owner).get(call.get_absolute_url()).content.decode()
    assert 'id="submit-button"' not in page and 'id="edit-button"' not in page
    op_page = login(world.operator).get(call.get_absolute_url()).content.decode()
    assert 'id="publish-button"' in op_page and 'id="action-return"' in op_page


@pytest.mark.parametrize(("role", "expected"), [("owner", 403), ("stranger", 404), ("anonymous", 302)])
def test_only_operators_publish(world, role, expected):
    call = draft_call(world)
    with clock(T0):
        services.call_submit(call, user=world.owner)
        response = as_role(world, role).post(reverse("market:call_action", args=[call.pk, "publish"]))
    assert response.status_code == expected
    call.refresh_from_db()
    assert call.status == CallStatus.PENDING


def test_unknown_action_is_404(world):
    call = draft_call(world)
    assert login(world.owner).post(reverse("market:call_action", args=[call.pk, "explode"])).status_code == 404


def test_bid_visibility(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    third_org = f.organization("无锡第三方公司", city_name="无锡")
    third = f.user("third", org=third_org)
    url = bid.get_absolute_url()
    assert login(world.stranger).get(url).status_code == 200  # the bidder
    assert login(world.owner).get(url).status_code == 200  # the issuer
    assert login(world.operator).get(url).status_code == 200
    assert login(third).get(url).status_code == 404
    assert login(world.reviewer).get(url).status_code == 404  # not on the panel
    assert login().get(url).status_code == 302
    PanelMember.objects.create(call=call, reviewer=world.reviewer)
    assert login(world.reviewer).get(url).status_code == 200
    # "My bids" lists the bidder's own bids only
    mine = login(world.stranger).get(reverse("market:bid_list")).content.decode()
    assert call.title in mine
    assert call.title not in login(third).get(reverse("market:bid_list")).content.decode()
    assert login().get(reverse("market:bid_list")).status_code == 302


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("reviewer", 403), ("stranger", 403), ("owner", 200)])
def test_award_page_only_for_the_issuer(world, role, expected):
    call = open_call(world)
    submit_bid(world, call)
    with clock(AFTER_DEADLINE):
        services.call_close_bidding(call, user=world.owner)
        assert as_role(world, role).get(reverse("market:call_award", args=[call.pk])).status_code == expected


def test_panel_only_for_operators(world):
    call = open_call(world)
    url = reverse("market:call_panel", args=[call.pk])
    assert login(world.owner).post(url, {"reviewer": world.reviewer.pk}).status_code == 403
    assert not PanelMember.objects.filter(call=call).exists()
    response = login(world.operator).post(url, {"reviewer": world.reviewer.pk})
    assert response.status_code == 302
    assert PanelMember.objects.filter(call=call, reviewer=world.reviewer).exists()
    # a reviewer acting for the issuer is refused with a clear 409
    insider = f.user("insider", org=world.org, is_reviewer=True)
    response = login(world.operator).post(url, {"reviewer": insider.pk})
    assert response.status_code == 409
    assert "conflict of interest" in response.content.decode() or "利益冲突" in response.content.decode()


@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("stranger", 403), ("reviewer", 403), ("owner", 200), ("operator", 200)])
def test_profile_page(world, role, expected):
    assert as_role(world, role).get(reverse("market:profile_edit", args=[world.org.pk])).status_code == expected


def test_ledger_create_permissions(world):
    assert login().get(reverse("market:contract_add")).status_code == 302
    assert login(world.reviewer).get(reverse("market:contract_add")).status_code == 403
    assert login(world.owner).get(reverse("market:contract_add")).status_code == 200


# The whole cycle through the pages ----------------------------------------------------------------


def test_challenge_cycle_through_the_ui(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    issuer, bidder, operator, reviewer = login(world.owner), login(world.stranger), login(world.operator), login(world.reviewer)
    with clock(T0):
        response = issuer.post(reverse("market:call_add"), call_payload(world))
        assert response.status_code == 302, response.content.decode()[:2000]
        call = ChallengeCall.objects.get(title="高端聚烯烃催化剂揭榜")
        assert call.status == CallStatus.DRAFT
        assert [(c.name, c.weight) for c in call.criteria.all()] == [("技术路线", 60), ("团队能力", 40)]
        assert issuer.post(reverse("market:call_action", args=[call.pk, "submit"])).status_code == 302
        assert operator.post(reverse("market:call_action", args=[call.pk, "publish"])).status_code == 302
        call.refresh_from_db()
        assert call.status == CallStatus.OPEN
        # the bidder bids, with a document
        assert bidder.get(reverse("market:bid_add", args=[call.pk])).status_code == 200
        response = bidder.post(reverse("market:bid_add", args=[call.pk]), {**bid_payload(world), "attachments": [pdf()]})
        assert response.status_code == 302, response.content.decode()[:3000]
        bid = Bid.objects.get(call=call)
        assert bid.bidder == world.other_org and bid.milestones.count() == 2
        assert bid.team_members == [{"name": "王工", "role": "负责人", "affiliation": ""}]
        attachment = BidAttachment.objects.get(bid=bid)
        assert attachment.original_name == "方案.pdf" and attachment.kind == "pdf"
        assert bidder.get(reverse("market:attachment_download", args=[attachment.pk])).status_code == 200
        # the operator forms the panel
        assert operator.post(reverse("market:call_panel", args=[call.pk]), {"reviewer": world.reviewer.pk}).status_code == 302
    with clock(AFTER_DEADLINE):
        assert issuer.post(reverse("market:call_action", args=[call.pk, "close"])).status_code == 302
        call.refresh_from_db()
        assert call.status == CallStatus.REVIEW
        # the reviewer scores against the rubric
        page = reviewer.get(call.get_absolute_url()).content.decode()
        assert reverse("market:bid_review", args=[bid.pk]) in page
        criteria = list(call.criteria.all())
        assert reviewer.get(reverse("market:bid_review", args=[bid.pk])).status_code == 200
        scores = {f"score_{criteria[0].pk}": "8", f"score_{criteria[1].pk}": "9", "comment": "路线可行"}
        assert reviewer.post(reverse("market:bid_review", args=[bid.pk]), scores).status_code == 302
        review = Review.objects.get(bid=bid, reviewer=world.reviewer)
        assert review.weighted_score == Decimal("84.00")  # (0.8×60 + 0.9×40)
        assert "84.00" in issuer.get(call.get_absolute_url()).content.decode()  # the ranking
        # the issuer awards with a reason
        assert issuer.get(reverse("market:call_award", args=[call.pk])).status_code == 200
        response = issuer.post(reverse("market:call_award", args=[call.pk]), {
            f"award_{bid.pk}": "on", f"reason_{bid.pk}": "技术路线最成熟", f"amount_{bid.pk}": "", "note": "",
        })
        assert response.status_code == 302, response.content.decode()[:2000]
        call.refresh_from_db()
        bid.refresh_from_db()
        assert call.status == CallStatus.AWARDED
        assert bid.status == BidStatus.AWARDED and bid.award_reason == "技术路线最成熟" and bid.awarded_amount == call.reward
        # delivery: evidence, acceptance, payments
        assert issuer.post(reverse("market:call_action", args=[call.pk, "start_delivery"])).status_code == 302
        first = bid.milestones.order_by("due_date").first()
        response = bidder.post(reverse("market:milestone_action", args=[first.pk, "submit"]),
                               {"evidence": "小试报告已提交", "file": pdf("小试报告.pdf")})
        assert response.status_code == 302
        assert issuer.post(reverse("market:milestone_action", args=[first.pk, "accept"]), {"note": "通过"}).status_code == 302
        first.refresh_from_db()
        assert first.status == MilestoneStatus.ACCEPTED
        assert BidAttachment.objects.filter(milestone=first).count() == 1
        page = issuer.get(call.get_absolute_url()).content.decode()
        assert 'id="payments"' in page and "¥300,000.00" in page
    # every step is in the change log with the acting user
    records = ChangeRecord.objects.filter(content_type__model="challengecall", object_id=call.pk)
    assert {world.owner.username, world.operator.username} <= set(records.values_list("user_name", flat=True))
    assert records.filter(source="web").count() >= 6  # create, submit, publish, panel, close, award, delivery


def test_blind_review_hides_identity_in_the_pages(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(world, blind_review=True)
    bid = submit_bid(world, call, team_name="苏州材料攻关队")
    with clock(T0 + dt.timedelta(days=2)):
        services.attachment_add(bid, user=world.stranger, upload=pdf("苏州测试材料有限公司-方案.pdf"), filename="苏州测试材料有限公司-方案.pdf")
    PanelMember.objects.create(call=call, reviewer=world.reviewer)
    with clock(AFTER_DEADLINE):
        services.call_close_bidding(call, user=world.owner)
        reviewer = login(world.reviewer)
        pages = [
            reviewer.get(call.get_absolute_url()).content.decode(),
            reviewer.get(bid.get_absolute_url()).content.decode(),
            reviewer.get(reverse("market:bid_review", args=[bid.pk])).content.decode(),
        ]
        for page in pages:
            assert world.other_org.name not in page
            assert "苏州材料攻关队" not in page
            assert "王工" not in page
            assert f"#{bid.pk}" in page  # the neutral label
        issuer_page = login(world.owner).get(bid.get_absolute_url()).content.decode()
        assert world.other_org.name in issuer_page and "苏州材料攻关队" in issuer_page
        download = reviewer.get(reverse("market:attachment_download", args=[bid.attachments.get().pk]))
        assert "苏州测试材料" not in download["Content-Disposition"]


# Errors: 400 inline, 409 clear, nothing changed ----------------------------------------------------


def test_bad_attachment_gives_inline_error_and_no_bid(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(world)
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    with clock(T0 + dt.timedelta(days=1)):
        response = login(world.stranger).post(reverse("market:bid_add", args=[call.pk]), {**bid_payload(world), "attachments": [fake]})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()
    assert not Bid.objects.filter(call=call).exists()
    assert not BidAttachment.objects.exists()


def test_bid_after_deadline_is_409_with_message(world):
    call = open_call(world)
    with clock(AFTER_DEADLINE):
        response = login(world.stranger).post(reverse("market:bid_add", args=[call.pk]), bid_payload(world))
        assert response.status_code == 409
        assert "2025-04-01 17:00" in response.content.decode()
        assert login(world.stranger).get(reverse("market:bid_add", args=[call.pk])).status_code == 409
    assert not Bid.objects.exists()


def test_milestones_over_budget_are_shown_on_the_form(world):
    call = open_call(world)
    with clock(T0 + dt.timedelta(days=1)):
        response = login(world.stranger).post(reverse("market:bid_add", args=[call.pk]), bid_payload(world, budget="100000"))
    assert response.status_code == 400
    assert "budget" in response.content.decode() or "预算" in response.content.decode()
    assert not Bid.objects.exists()


def test_return_needs_a_reason(world):
    call = draft_call(world)
    with clock(T0):
        services.call_submit(call, user=world.owner)
        response = login(world.operator).post(reverse("market:call_action", args=[call.pk, "return"]), {"reason": ""})
        assert response.status_code == 400
        call.refresh_from_db()
        assert call.status == CallStatus.PENDING
        response = login(world.operator).post(reverse("market:call_action", args=[call.pk, "return"]), {"reason": "奖金需说明来源"})
        assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT and call.status_note == "奖金需说明来源"
    assert "奖金需说明来源" in login(world.owner).get(call.get_absolute_url()).content.decode()


def test_closing_before_deadline_is_409(world):
    call = open_call(world)
    with clock(T0 + dt.timedelta(days=1)):
        response = login(world.owner).post(reverse("market:call_action", args=[call.pk, "close"]))
    assert response.status_code == 409
    assert 'id="conflict-message"' in response.content.decode()


def test_invalid_call_form_shows_field_errors(world):
    with clock(T0):
        response = login(world.owner).post(reverse("market:call_add"), call_payload(world, reward="-5", title=""))
    assert response.status_code == 400
    assert response.content.decode().count("invalid-feedback") >= 2
    assert not ChallengeCall.objects.exists()


def test_award_without_reason_is_400(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with clock(AFTER_DEADLINE):
        services.call_close_bidding(call, user=world.owner)
        response = login(world.owner).post(reverse("market:call_award", args=[call.pk]), {f"award_{bid.pk}": "on", f"reason_{bid.pk}": ""})
    assert response.status_code == 400
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW


# The ledger and its statistics ----------------------------------------------------------------


@pytest.fixture
def ledger(world):
    nantong = f.organization("南通海工装备", city_name="南通")
    abroad = f.organization("Munich Optics GmbH", city=None, country="DE")
    rows = [
        ("JS-2025-001", "development", world.org, world.other_org, "1200000.00", dt.date(2025, 1, 15)),
        ("JS-2025-002", "transfer", world.other_org, nantong, "800000.00", dt.date(2025, 1, 28)),
        ("JS-2025-003", "licence", world.org, abroad, "500000.00", dt.date(2025, 3, 2)),
    ]
    for number, kind, seller, buyer, amount, day in rows:
        TechnologyContract.objects.create(registration_number=number, title=f"合同{number}", contract_type=kind, seller=seller,
                                          buyer=buyer, amount=Decimal(amount), signed_on=day)
    return rows


def test_stats_page_renders_charts_with_their_numbers(world, ledger):
    response = login().get(reverse("market:ledger_stats"))
    assert response.status_code == 200
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert [(r["month"], Decimal(r["amount"]), Decimal(r["cumulative"])) for r in data["by_month"]] == [
        ("2025-01", Decimal("2000000.00"), Decimal("2000000.00")),
        ("2025-03", Decimal("500000.00"), Decimal("2500000.00")),
    ]
    assert {r["type"]: Decimal(r["amount"]) for r in data["by_type"]} == {
        "development": Decimal("1200000.00"), "transfer": Decimal("800000.00"), "licence": Decimal("500000.00"),
    }
    assert {r["reach"] for r in data["by_reach"]} == {"corridor", "extended", "international"}
    assert "¥2,500,000.00" in page
    plotly_url = re.search(r'<script src="([^"]*plotly[^"]*)"', page).group(1)
    asset = login().get(plotly_url)
    assert asset.status_code == 200 and "immutable" in asset["Cache-Control"]
    assert b"plotly" in b"".join(asset.streaming_content)[:5000].lower()
    assert login().get(reverse("plotly_js", args=["0.0.0"])).status_code == 404
    # the numbers behind a chart as CSV, and all of them as JSON; filters apply
    csv_text = login().get(reverse("market:ledger_stats_data") + "?table=by_month&format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[:3] == ["month,amount,count,cumulative", "2025-01,2000000.00,2,2000000.00", "2025-03,500000.00,1,2500000.00"]
    every = login().get(reverse("market:ledger_stats_data") + "?contract_type=licence").json()
    assert Decimal(every["total_amount"]) == Decimal("500000.00")
    assert login().get(reverse("market:ledger_stats_data") + "?table=nope").status_code == 400


def test_ledger_list_filters_exports_and_create(world, ledger):
    page = login().get(reverse("market:contract_list") + "?contract_type=transfer").content.decode()
    assert "JS-2025-002" in page and "JS-2025-001" not in page and "¥800,000.00" in page
    csv_response = login().get(reverse("market:ledger_export") + "?format=csv&contract_type=transfer")
    assert csv_response.status_code == 200 and "JS-2025-002" in csv_response.content.decode("utf-8-sig")
    assert "JS-2025-001" not in csv_response.content.decode("utf-8-sig")
    xlsx = login().get(reverse("market:ledger_export") + "?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert login().get(reverse("market:ledger_export") + "?format=pdf").status_code == 400
    payload = {
        "registration_number": "js-2025-009", "title": "催化剂技术许可", "contract_type": "licence", "seller": world.org.pk,
        "buyer": world.other_org.pk, "amount": "300000", "signed_on": "2025-05-01", "industry": "", "demand": "", "call": "",
        "cooperation": "", "notes": "", "public": "on",
    }
    response = login(world.owner).post(reverse("market:contract_add"), payload)
    assert response.status_code == 302
    contract = TechnologyContract.objects.get(registration_number="JS-2025-009")
    assert login().get(contract.get_absolute_url()).status_code == 200
    # a member of neither party may not record it
    outsider = f.user("outsider", org=f.organization("无锡旁观者", city_name="无锡"))
    response = login(outsider).post(reverse("market:contract_add"), {**payload, "registration_number": "JS-2025-010"})
    assert response.status_code == 403
    assert not TechnologyContract.objects.filter(registration_number="JS-2025-010").exists()


# Policies, the matcher and profiles -------------------------------------------------------------------


def test_policy_matcher_page(world):
    today = dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    base = {"issuer": "上海市科委", "level": "city", "type": "subsidy", "city": f.city("上海"), "benefits": "补助",
            "valid_from": dt.date(2025, 1, 1), "valid_until": dt.date(2025, 12, 31)}
    services.policy_create(user=world.operator, data={**base, "title": "企业研发补助"}, conditions=[ConditionInput("org_type", ["enterprise"])])
    services.policy_create(user=world.operator, data={**base, "title": "高研发强度奖励"}, conditions=[ConditionInput("rd_ratio_min", 5)])
    services.policy_create(user=world.operator, data={**base, "title": "苏州企业专项"},
                           conditions=[ConditionInput("org_type", ["enterprise"]), ConditionInput("city", ["320500"])])
    with clock(today):
        response = login(world.owner).get(reverse("market:policy_match") + f"?organization={world.org.pk}")
        assert response.status_code == 200
        page = response.content.decode()
        sections = {o: page.split(f'id="outcome-{o}"')[1].split('id="outcome-')[0] for o in ("qualified", "possible", "near")}
        assert "企业研发补助" in sections["qualified"]
        assert "高研发强度奖励" in sections["possible"]  # R&D ratio unknown
        assert "苏州企业专项" in sections["near"] and "condition-missing" in sections["near"] and "condition-met" in sections["near"]
        # after stating the facts the possible one qualifies
        response = login(world.owner).post(reverse("market:profile_edit", args=[world.org.pk]),
                                           {"rd_spend_ratio": "6.5", "certifications": ["high_tech"], "employees": "120", "annual_revenue": ""})
        assert response.status_code == 302
        page = login(world.owner).get(reverse("market:policy_match") + f"?organization={world.org.pk}").content.decode()
        assert "高研发强度奖励" in page.split('id="outcome-qualified"')[1].split('id="outcome-possible"')[0]
        # members match only their own organisations; operators any
        assert login(world.owner).get(reverse("market:policy_match") + f"?organization={world.other_org.pk}").status_code == 400
        assert login(world.operator).get(reverse("market:policy_match") + f"?organization={world.other_org.pk}").status_code == 200
        assert login(world.reviewer).get(reverse("market:policy_match")).status_code == 403
        assert login().get(reverse("market:policy_match")).status_code == 302


def test_profile_form_rejects_bad_ratio(world):
    response = login(world.owner).post(reverse("market:profile_edit", args=[world.org.pk]), {"rd_spend_ratio": "250", "employees": ""})
    assert response.status_code == 400
    assert "is-invalid" in response.content.decode()


def test_policy_detail_and_list(world):
    policy = services.policy_create(user=world.operator, data={
        "title": "国家高企税收优惠", "issuer": "科技部", "level": "national", "type": "tax", "benefits": "企业所得税减按15%",
    }, conditions=[ConditionInput("certification", ["high_tech"]), ConditionInput("rd_ratio_min", "3")])
    page = login().get(policy.get_absolute_url()).content.decode()
    assert "国家高企税收优惠" in page and "high_tech" in page and ": 3" in page
    assert 'id="edit-button"' not in login(world.owner).get(policy.get_absolute_url()).content.decode()
    assert "国家高企税收优惠" in login().get(reverse("market:policy_list")).content.decode()


# Spaces and their map ----------------------------------------------------------------------------


def test_spaces_directory_and_map(world):
    for name, city in (("张江孵化器", "上海"), ("漕河泾加速器", "上海"), ("苏州纳米城", "苏州")):
        CarrierSpace.objects.create(name=name, kind="incubator", city=f.city(city), address="某路1号", available_area=Decimal("1000"))
    page = login().get(reverse("market:space_list")).content.decode()
    assert '<svg class="delta-map"' in page
    markers = dict(re.findall(r'data-city="([^"]+)" data-count="(\d+)"', page))
    assert markers == {"上海": "2", "苏州": "1"}
    assert "https://" not in page.split('<svg class="delta-map"')[1].split("</svg>")[0]  # no tiles, no outside requests
    filtered = login().get(reverse("market:space_list") + "?city=320500").content.decode()
    assert dict(re.findall(r'data-city="([^"]+)" data-count="(\d+)"', filtered)) == {"苏州": "1"}
    space = CarrierSpace.objects.get(name="苏州纳米城")
    assert login().get(space.get_absolute_url()).status_code == 200


def test_space_create_by_operating_member(world):
    payload = {"name": "临港中试基地", "kind": "pilot_base", "city": f.city("上海").pk, "address": "临港大道1号",
               "operator_org": world.org.pk, "description": "", "total_area": "", "available_area": "5000", "rent_min": "2.5",
               "rent_max": "4", "services": "中试放大\n检测认证", "contact_name": "", "contact_phone": "", "contact_email": "",
               "website": "", "public": "on"}
    assert login(world.owner).post(reverse("market:space_add"), payload).status_code == 302
    space = CarrierSpace.objects.get(name="临港中试基地")
    assert space.services == ["中试放大", "检测认证"]
    response = login(world.stranger).post(reverse("market:space_add"), {**payload, "name": "冒名空间"})
    assert response.status_code == 400  # not an organisation the stranger acts for
    assert not CarrierSpace.objects.filter(name="冒名空间").exists()


# The market home and search ----------------------------------------------------------------------


def test_home_shows_open_calls_and_headlines(world, ledger):
    call = open_call(world)
    with clock(T0 + dt.timedelta(days=1)):
        page = login().get(reverse("market:home")).content.decode()
    assert call.title in page
    assert "¥2,500,000.00" in page  # the ledger's volume
    assert 'data-headline="open-calls"' in page
    assert reverse("market:search") in page
    # the menu links the market
    assert reverse("market:home") in login().get(reverse("home")).content.decode()


def test_search_finds_calls_policies_and_spaces(world):
    open_call(world)
    CarrierSpace.objects.create(name="聚烯烃材料孵化器", kind="incubator", city=f.city("上海"), address="某路", available_area=Decimal("10"))
    f.resource(world.org, name="聚烯烃中试平台")
    with clock(T0 + dt.timedelta(days=1)):
        page = login().get(reverse("market:search") + "?q=聚烯烃").content.decode()
    assert "聚烯烃材料孵化器" in page
    assert "聚烯烃中试平台" in page
    assert "催化剂" in login().get(reverse("market:search") + "?q=催化剂").content.decode()
    assert login().get(reverse("market:search") + "?q=").status_code == 200


def test_deadline_shown(world):
    call = open_call(world)
    with clock(T0):
        page = login().get(call.get_absolute_url()).content.decode()
    assert DEADLINE.strftime("%Y-%m-%d %H:%M") in page
