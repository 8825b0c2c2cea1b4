"""The alliance's web pages: who sees and does what, stage moves (also on the htmx board), activities,
documents, assignment with suggestions, KPIs with their CSV, consortia and coverage.

Roles: ``outsider`` acts for an organisation that is not a party of the case; ``member`` acts for the
demand's owner (a party, so may read); ``lead`` leads the case; ``other_manager`` is a manager who is
not on it; ``operator`` runs the platform.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from corridor.brokers import selectors, services
from corridor.brokers.choices import CaseStage, LeadRole, MemberRole, OutputKind
from corridor.brokers.models import Case, CaseActivity, CaseDocument
from corridor.core.history import history_for
from tests import factories as f
from tests.brokers.conftest import manager_profile, open_case

ROLES = ("anonymous", "outsider", "member", "lead", "other_manager", "operator")


@pytest.fixture
def setup(brokers, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    brokers.other_profile = manager_profile("tm_other", city="南京", industries=("3.3",), expertise="聚烯烃 中试")
    brokers.case = services.case_assign(open_case(brokers), user=brokers.operator, lead=brokers.profile)
    brokers.users = {
        "anonymous": None,
        "outsider": brokers.owner,
        "member": brokers.stranger,
        "lead": brokers.manager,
        "other_manager": brokers.other_profile.user,
        "operator": brokers.operator,
    }
    return brokers


def client_for(world: Any, role: str) -> Client:
    client = Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


CASE_VIEWERS = {"member", "lead", "operator"}


def on_case(role: str) -> int:
    """What a refused request about the case answers: 403 to those who may view the case, 404 to
    others (the case's existence is not disclosed)."""
    return 403 if role in CASE_VIEWERS else 404


def expect(response: Any, role: str, allowed: bool, ok: int = 200, denied: int = 403) -> None:
    if allowed:
        assert response.status_code == ok, (role, response.status_code, response.content[:400])
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), role
    else:
        assert response.status_code == denied, (role, response.status_code)


# Pages -------------------------------------------------------------------------------------------

PAGE_ALLOWED = {
    "case_detail": {"member", "lead", "operator"},
    "case_assign": {"operator"},
    "case_board": {"outsider", "member", "lead", "other_manager", "operator"},
    "case_queue": {"lead", "other_manager", "operator"},
    "case_kpis": {"outsider", "member", "lead", "other_manager", "operator"},
    "case_list": {"outsider", "member", "lead", "other_manager", "operator"},
}


@pytest.mark.parametrize("page", sorted(PAGE_ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_case_pages_matrix(setup, page, role):
    args = [setup.case.pk] if page in ("case_detail", "case_assign") else []
    response = client_for(setup, role).get(reverse(f"brokers:{page}", args=args))
    expect(response, role, role in PAGE_ALLOWED[page], denied=on_case(role) if args else 403)


@pytest.mark.parametrize("role", ROLES)
def test_case_appears_only_where_visible(setup, role):
    """The board, the list and the queue show the case to those who may see it (and the queue only to its managers)."""
    client = client_for(setup, role)
    sees = role in {"member", "lead", "operator"}
    title = setup.case.title
    if role == "anonymous":
        return
    for page in ("case_board", "case_list"):
        assert (title in client.get(reverse(f"brokers:{page}")).content.decode()) is sees, page
    queue = client.get(reverse("brokers:case_queue"))
    if queue.status_code == 200:
        assert (title in queue.content.decode()) is (role == "lead")


@pytest.mark.parametrize("name", ["manager_list", "manager_coverage", "consortium_list"])
def test_public_pages_open_to_anonymous(setup, name):
    assert Client().get(reverse(f"brokers:{name}")).status_code == 200


def test_manager_detail_lists_only_visible_cases(setup):
    url = reverse("brokers:manager_detail", args=[setup.profile.pk])
    assert setup.case.title not in Client().get(url).content.decode()
    page = client_for(setup, "member").get(url).content.decode()
    assert setup.case.title in page and 'id="count-open">1<' in page


def test_case_detail_shows_actions_by_role(setup):
    lead_page = client_for(setup, "lead").get(setup.case.get_absolute_url()).content.decode()
    member_page = client_for(setup, "member").get(setup.case.get_absolute_url()).content.decode()
    operator_page = client_for(setup, "operator").get(setup.case.get_absolute_url()).content.decode()
    assert 'id="advance-button"' in lead_page and 'id="activity-form"' in lead_page and 'id="reopen-form"' not in lead_page
    assert 'id="advance-button"' not in member_page and 'id="activity-form"' not in member_page
    assert 'id="reopen-form"' in operator_page and 'id="assign-button"' in operator_page
    assert 'class="current" data-stage="discovery"' in lead_page


# Stage actions --------------------------------------------------------------------------------------

ACTION_ALLOWED = {"lead", "operator"}


@pytest.mark.parametrize("role", ROLES)
def test_advance_matrix(setup, role):
    response = client_for(setup, role).post(reverse("brokers:case_advance", args=[setup.case.pk]), {"to": "matching", "note": "推荐三家"})
    case = Case.objects.get(pk=setup.case.pk)
    if role in ACTION_ALLOWED:
        assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
        assert case.stage == CaseStage.MATCHING
        change = case.stage_changes.last()
        assert (change.to_stage, change.by, change.note) == ("matching", setup.users[role], "推荐三家")
    else:
        expect(response, role, False, denied=on_case(role))
        assert case.stage == CaseStage.DISCOVERY and case.stage_changes.count() == 1


def test_skipping_a_stage_is_a_clear_409(setup):
    client = client_for(setup, "lead")
    response = client.post(reverse("brokers:case_advance", args=[setup.case.pk]), {"to": "negotiation"})
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="action-error"' in page
    with translation.override("zh-hans"):
        assert str(CaseStage.MATCHING.label) in page.split('id="action-error"')[1].split("</div>")[0]
    assert Case.objects.get(pk=setup.case.pk).stage == CaseStage.DISCOVERY


def test_unknown_stage_is_an_inline_400(setup):
    response = client_for(setup, "lead").post(reverse("brokers:case_advance", args=[setup.case.pk]), {"to": "nowhere"})
    assert response.status_code == 400
    assert Case.objects.get(pk=setup.case.pk).stage == CaseStage.DISCOVERY


def test_contract_value_goes_with_the_contract_stage(setup):
    case = setup.case
    for stage in ("matching", "negotiation", "poc", "pilot"):
        case = services.case_advance(case, user=setup.manager, to=stage)
    client = client_for(setup, "lead")
    url = reverse("brokers:case_advance", args=[case.pk])
    bad = client.post(url, {"to": "contract", "contract_value": "-5"})
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode()
    assert client.post(url, {"to": "contract", "contract_value": "1200000.50"}).status_code == 302
    case.refresh_from_db()
    assert case.stage == CaseStage.CONTRACT and str(case.contract_value) == "1200000.50"


def test_close_as_lost_and_operator_reopen(setup):
    url = reverse("brokers:case_close", args=[setup.case.pk])
    lead = client_for(setup, "lead")
    missing_note = lead.post(url, {"reason": "other", "note": ""})
    assert missing_note.status_code == 400 and 'id="panel-close"' in missing_note.content.decode()
    assert 'collapse show mb-3" id="panel-close"' in missing_note.content.decode()
    assert client_for(setup, "member").post(url, {"reason": "terms"}).status_code == 403
    assert lead.post(url, {"reason": "terms", "note": "价格未谈拢"}).status_code == 302
    case = Case.objects.get(pk=setup.case.pk)
    assert (case.stage, case.lost_reason, case.lost_at_stage) == (CaseStage.LOST, "terms", "discovery")
    again = lead.post(url, {"reason": "terms", "note": "x"})
    assert again.status_code == 409
    reopen = reverse("brokers:case_reopen", args=[case.pk])
    assert lead.post(reopen, {"to": "matching", "note": "重新对接"}).status_code == 403
    assert client_for(setup, "operator").post(reopen, {"to": "matching", "note": ""}).status_code == 400
    assert client_for(setup, "operator").post(reopen, {"to": "matching", "note": "重新对接"}).status_code == 302
    assert Case.objects.get(pk=case.pk).stage == CaseStage.MATCHING


def test_lost_case_page_shows_reason(setup):
    services.case_close_lost(setup.case, user=setup.manager, reason="funding", note="资金未落实")
    page = client_for(setup, "member").get(setup.case.get_absolute_url()).content.decode()
    assert 'id="lost-reason"' in page and "资金未落实" in page and 'class="lost" data-stage="discovery"' in page


# Activities, documents, links ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_activity_matrix(setup, role):
    today = timezone.localdate().isoformat()
    data = {"kind": "meeting", "occurred_on": today, "title": "线上对接会", "text": "双方确认中试方案"}
    response = client_for(setup, role).post(reverse("brokers:case_activity", args=[setup.case.pk]), data)
    logged = CaseActivity.objects.filter(case=setup.case)
    if role in ACTION_ALLOWED:
        assert response.status_code == 302
        activity = logged.get()
        assert (activity.kind, activity.title, activity.by) == ("meeting", "线上对接会", setup.users[role])
        assert history_for(setup.case).first().changes["activity"] == [None, "meeting: 线上对接会"]
        page = client_for(setup, "member").get(setup.case.get_absolute_url()).content.decode()
        assert "线上对接会" in page.split('id="activity-list"')[1]
    else:
        expect(response, role, False, denied=on_case(role))
        assert not logged.exists()


def test_activity_errors_are_inline(setup):
    url = reverse("brokers:case_activity", args=[setup.case.pk])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client_for(setup, "lead").post(url, {"kind": "meeting", "occurred_on": future, "title": "未来的会"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'collapse show" id="panel-activity"' in page and "invalid-feedback" in page.split('id="activity-form"')[1]
    assert client_for(setup, "lead").post(url, {"kind": "party", "occurred_on": future, "title": "x"}).status_code == 400
    assert not CaseActivity.objects.exists()


def _upload(client: Client, case: Case, name: str = "纪要.pdf", content: bytes = b"%PDF-1.4 minutes") -> Any:
    return client.post(
        reverse("brokers:case_document", args=[case.pk]),
        {"kind": "minutes", "title": "对接会纪要", "file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize("role", ROLES)
def test_document_download_matrix(setup, role):
    assert _upload(client_for(setup, "lead"), setup.case).status_code == 302
    doc = CaseDocument.objects.get(case=setup.case)
    response = client_for(setup, role).get(reverse("brokers:case_document_download", args=[setup.case.pk, doc.pk]))
    if role in {"member", "lead", "operator"}:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    else:
        expect(response, role, False, denied=on_case(role))


def test_document_upload_rules(setup):
    assert _upload(client_for(setup, "member"), setup.case).status_code == 403
    refused = _upload(client_for(setup, "lead"), setup.case, name="page.html", content=b"<script>x</script>")
    assert refused.status_code == 400 and "invalid-feedback" in refused.content.decode().split('id="document-form"')[1]
    assert not CaseDocument.objects.exists()
    assert _upload(client_for(setup, "lead"), setup.case).status_code == 302
    doc = CaseDocument.objects.get()
    assert client_for(setup, "lead").get(reverse("brokers:case_document_download", args=[setup.case.pk, doc.pk + 99])).status_code == 404
    other = open_case(setup, title="另一个案件")
    # A document is only reachable through its own case.
    assert client_for(setup, "operator").get(reverse("brokers:case_document_download", args=[other.pk, doc.pk])).status_code == 404


def test_links(setup):
    resource = f.resource(setup.org)
    url = reverse("brokers:case_link", args=[setup.case.pk])
    lead = client_for(setup, "lead")
    assert lead.post(url, {"kind": "lists.resource", "object_id": resource.pk, "note": "中试平台"}).status_code == 302
    assert lead.post(url, {"kind": "lists.resource", "object_id": resource.pk}).status_code == 409
    assert lead.post(url, {"kind": "lists.resource", "object_id": 999999}).status_code == 400
    assert client_for(setup, "member").post(url, {"kind": "lists.resource", "object_id": resource.pk}).status_code == 403
    page = lead.get(setup.case.get_absolute_url()).content.decode()
    assert resource.get_absolute_url() in page.split('id="links"')[1]


# Assignment ------------------------------------------------------------------------------------------


def test_assign_page_shows_ranked_suggestions_with_reasons(setup):
    page = client_for(setup, "operator").get(reverse("brokers:case_assign", args=[setup.case.pk])).content.decode()
    with translation.override("zh-hans"):
        suggestions = selectors.suggest_managers(setup.case, limit=10)
    assert [int(pk) for pk in re.findall(r'class="list-group-item[^"]*suggestion" data-manager="(\d+)"', page)] == [
        s.manager.pk for s in suggestions
    ]
    for reason in suggestions[0].reasons:
        assert reason in page


def test_assign_lead_and_helpers(setup):
    url = reverse("brokers:case_assign", args=[setup.case.pk])
    operator = client_for(setup, "operator")
    same = operator.post(url, {"lead": setup.other_profile.pk, "helpers": [setup.other_profile.pk]})
    assert same.status_code == 400
    assert 'id="form-errors"' in same.content.decode() or "invalid-feedback" in same.content.decode()
    assert Case.objects.get(pk=setup.case.pk).lead_manager == setup.profile
    assert client_for(setup, "lead").post(url, {"lead": setup.other_profile.pk}).status_code == 403
    response = operator.post(url, {"lead": setup.other_profile.pk, "helpers": [setup.profile.pk]})
    assert response.status_code == 302
    case = Case.objects.get(pk=setup.case.pk)
    assert case.lead_manager == setup.other_profile and list(case.helpers.all()) == [setup.profile]
    services.case_close_lost(case, user=setup.operator, reason="terms")
    closed = operator.post(url, {"lead": setup.profile.pk})
    assert closed.status_code == 409 and 'id="action-error"' in closed.content.decode()


# Board (htmx) and queue ---------------------------------------------------------------------------


def _column(html: str, stage: str) -> str:
    match = re.search(rf'<section class="kanban-column stage-{stage}" id="col-{stage}"[^>]*>(.*?)</section>', html, re.S)
    assert match, stage
    return match.group(0)


def test_board_moves_a_card_with_htmx(setup):
    client = client_for(setup, "lead")
    board = client.get(reverse("brokers:case_board")).content.decode()
    assert f'id="card-{setup.case.pk}"' in _column(board, "discovery")
    response = client.post(
        reverse("brokers:case_advance", args=[setup.case.pk]),
        {"to": "matching", "board": "1", "board_query": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    left, entered = _column(html, "discovery"), _column(html, "matching")
    assert f'id="card-{setup.case.pk}"' not in left and f'id="card-{setup.case.pk}"' in entered
    assert "hx-swap-oob" not in left.split(">")[0] and 'hx-swap-oob="true"' in entered.split(">")[0]
    assert 'class="badge rounded-pill stage-badge stage-matching column-count">1<' in entered
    assert Case.objects.get(pk=setup.case.pk).stage == CaseStage.MATCHING


def test_board_refusals_come_back_as_messages(setup):
    url = reverse("brokers:case_advance", args=[setup.case.pk])
    skip = client_for(setup, "lead").post(url, {"to": "pilot", "board": "1"}, HTTP_HX_REQUEST="true")
    assert skip.status_code == 409 and skip["HX-Retarget"] == "#board-messages" and 'id="action-message"' in skip.content.decode()
    denied = client_for(setup, "member").post(url, {"to": "matching", "board": "1"}, HTTP_HX_REQUEST="true")
    assert denied.status_code == 403 and denied["HX-Retarget"] == "#board-messages"
    assert Case.objects.get(pk=setup.case.pk).stage == CaseStage.DISCOVERY


def test_board_keeps_its_filters_when_moving(setup):
    other = services.case_assign(open_case(setup, title="另一家的案件"), user=setup.operator, lead=setup.other_profile)
    client = client_for(setup, "operator")
    query = f"manager={setup.other_profile.pk}"
    board = client.get(reverse("brokers:case_board") + "?" + query).content.decode()
    assert other.title in board and setup.case.title not in board
    response = client.post(
        reverse("brokers:case_advance", args=[other.pk]), {"to": "matching", "board": "1", "board_query": query}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert other.title in _column(html, "matching") and setup.case.title not in html


def test_stale_cases_are_flagged_on_queue_and_board(setup):
    Case.objects.filter(pk=setup.case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=selectors.alert_days() + 2))
    queue = client_for(setup, "lead").get(reverse("brokers:case_queue")).content.decode()
    assert 'id="stale-alerts"' in queue and f'class="table-warning" id="queue-{setup.case.pk}"' in queue
    board = client_for(setup, "operator").get(reverse("brokers:case_board")).content.decode()
    assert 'id="stale-alerts"' in board and f'class="kanban-card is-stale" id="card-{setup.case.pk}"' in board
    operator_queue = client_for(setup, "operator").get(reverse("brokers:case_queue")).content.decode()
    assert 'id="operator-alerts"' in operator_queue and setup.case.title in operator_queue
    fresh = open_case(setup, title="新鲜的案件")
    board = client_for(setup, "operator").get(reverse("brokers:case_board")).content.decode()
    assert f'class="kanban-card" id="card-{fresh.pk}"' in board


def test_cross_region_filter(setup):
    """上海研发—江苏制造: an R&D party in Shanghai and the demand (production) side in Suzhou."""
    lab = f.organization("上海测试研究所", city_name="上海", type="institute")
    split = open_case(
        setup, title="上海研发苏州制造的案件",
        parties=[services.CasePartyInput(lab, "rd"), services.CasePartyInput(setup.other_org, "demand")],
    )
    client = client_for(setup, "operator")
    page = client.get(reverse("brokers:case_list") + "?rd_province=上海&production_province=江苏").content.decode()
    assert split.title in page and setup.case.title not in page
    assert split.title in client.get(reverse("brokers:case_list") + "?cross_region=true").content.decode()
    listing = client.get(reverse("brokers:case_list")).content.decode()
    assert 'id="pair-sh-js"' in listing and "rd_city=%E4%B8%8A%E6%B5%B7" in listing


# KPIs ---------------------------------------------------------------------------------------------


def _kpi_world(setup: Any) -> None:
    case = setup.case
    for stage in ("matching", "negotiation"):
        case = services.case_advance(case, user=setup.manager, to=stage)
    services.case_close_lost(open_case(setup, title="丢失的案件"), user=setup.operator, reason="terms")


def test_kpi_page_renders_with_chart_data(setup):
    _kpi_world(setup)
    response = client_for(setup, "operator").get(reverse("brokers:case_kpis"))
    assert response.status_code == 200
    page = response.content.decode()
    data = json.loads(re.search(r'<script id="kpi-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert [r["reached"] for r in data["funnel"]] == [2, 1, 1, 0, 0, 0, 0]
    assert data["funnel"][0]["to_next"] == 0.5
    assert [r["stays"] for r in data["median_days"]][:3] == [2, 1, 0]
    assert {r["name"]: r["cases"] for r in data["by_manager"]}[str(setup.manager)] == 1
    assert 'id="kpi-cases">2<' in page
    for chart in ("chart-funnel", "chart-median", "chart-manager", "chart-city", "chart-industry"):
        assert f'id="{chart}"' in page
    # plotly.js comes from Corridor itself, never from a CDN.
    src = re.search(r'<script src="([^"]*plotly[^"]*)"', page).group(1)
    assert src.startswith("/") and "cdn" not in src
    js = client_for(setup, "operator").get(src)
    assert js.status_code == 200 and "javascript" in js["Content-Type"]


def test_kpis_only_count_visible_cases(setup):
    _kpi_world(setup)
    page = client_for(setup, "outsider").get(reverse("brokers:case_kpis")).content.decode()
    assert 'id="kpi-cases">0<' in page
    page = client_for(setup, "lead").get(reverse("brokers:case_kpis")).content.decode()
    assert 'id="kpi-cases">1<' in page


@pytest.mark.parametrize("table", ["funnel", "median_days", "by_manager", "by_city", "by_industry"])
def test_kpi_csv(setup, table):
    _kpi_world(setup)
    response = client_for(setup, "operator").get(reverse("brokers:case_kpis_csv"), {"table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv") and response["Content-Disposition"] == f'attachment; filename="case-kpis-{table}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    with translation.override("zh-hans"):
        expected = selectors.case_kpis(Case.objects.all())[table]
    assert len(rows) == len(expected) + 1
    if table == "funnel":
        assert [r[2] for r in rows[1:]] == ["2", "1", "1", "0", "0", "0", "0"]


def test_kpi_csv_refuses_unknown_tables(setup):
    response = client_for(setup, "operator").get(reverse("brokers:case_kpis_csv"), {"table": "secrets"})
    assert response.status_code == 400 and 'id="error-message"' in response.content.decode()
    assert Client().get(reverse("brokers:case_kpis_csv"), {"table": "funnel"}).status_code == 302


# Consortia and coverage ------------------------------------------------------------------------------


def test_consortium_detail_with_members_history_and_outputs(setup):
    consortium = services.consortium_create(
        user=setup.operator,
        data={"name": "Chiplet集成技术创新联合体", "lead": setup.org, "lead_role": LeadRole.ALLIANCE_LEADER, "launched_on": dt.date(2024, 5, 1)},
        lead_member_role=MemberRole.ENTERPRISE,
    )
    uni = f.organization("测试复旦大学", type="university")
    services.consortium_member_join(consortium, user=setup.operator, organization=uni, joined_on=dt.date(2024, 6, 1))
    services.consortium_member_join(consortium, user=setup.operator, organization=setup.other_org, joined_on=dt.date(2024, 6, 2))
    services.consortium_member_leave(consortium, user=setup.operator, organization=setup.other_org, left_on=dt.date(2025, 1, 1))
    adopters = [f.organization(f"设计公司{i}") for i in range(3)]
    services.consortium_output_add(
        consortium, user=setup.operator, kind=OutputKind.STANDARD, title="原生Chiplet互连标准", credited=[setup.org, uni],
        achieved_on=dt.date(2024, 9, 1), adopters=adopters,
    )
    page = Client().get(consortium.get_absolute_url()).content.decode()
    assert 'id="member-count">2<' in page
    history = page.split('id="membership-history"')[1].split("</ul>")[0]
    assert history.count("<li class=") == 4 and 'class="left"' in history and setup.other_org.name in history
    outputs = page.split('id="outputs"')[1]
    assert "原生Chiplet互连标准" in outputs and uni.name in outputs and all(a.name in outputs for a in adopters)
    listing = Client().get(reverse("brokers:consortium_list")).content.decode()
    assert consortium.name in listing


def test_coverage_grid_marks_gaps(setup):
    page = Client().get(reverse("brokers:manager_coverage")).content.decode()
    cov = selectors.alliance_coverage()
    assert f'id="gap-count">{len(cov.gaps)}<' in page
    # world.manager (上海) and tm_other (南京) cover 新材料 (SEI 3) in their home cities.
    assert re.search(r'<td class="c1" data-city="上海" data-industry="3"', page)
    assert re.search(r'<td class="gap" data-city="苏州" data-industry="3"', page)


# Query counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["case_board", "case_list", "case_queue", "case_kpis"])
def test_pages_do_not_query_per_case(setup, page):
    """More cases (with parties, helpers and activities) must not mean more queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_cases(n: int) -> None:
        for i in range(n):
            case = services.case_assign(
                open_case(setup, title=f"批量案件{i}"), user=setup.operator, lead=setup.profile, helpers=[setup.other_profile]
            )
            services.activity_log(case, user=setup.manager, kind="call", title="电话沟通")

    client = client_for(setup, "lead")
    url = reverse(f"brokers:{page}")
    add_cases(1)
    client.get(url)  # warm caches (industry tree, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_cases(4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
