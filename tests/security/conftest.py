"""Fixtures of the security tests.

- Security tests count requests in the cache: each starts with an empty one.
- The security scene (the authorization matrix and the leak tests): one object of every kind
  around the ``world`` roles, with secrets seeded.

Every object the URL conf or the API can name by id exists once, owned (where ownership means
anything) by ``world.org`` — so ``owner`` acts for the owning organisation, ``stranger`` for
another one, and ``manager`` / ``reviewer`` hold their platform roles:

- a demand of ``world.org`` with confidential details (``SECRETS["demand"]``) and a draft one;
- a challenge call issued by ``world.org`` (a third organisation bids on it, with a secret
  approach, attachment and review) and a call issued by the third organisation on which
  ``world.org`` bids — ``bid`` is the owner's bid, ``foreign_bid`` the one on the owner's call;
- a technology contract, a space, a market profile, a policy;
- a case with a document and an activity (``world.manager`` leads it), a consortium led by
  ``world.org``;
- an instrument of ``world.org`` with a booking, an import run of the owner;
- an agreement on the cooperation item and a barrier (insights).

``SECRETS`` are recognisable strings that only entitled roles may ever read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone

from tests import factories as f


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


# Recognisable strings (ASCII and Chinese) that must reach only the roles entitled to them.
SECRETS = {
    "demand": "机密需求细节QZX7141",  # confidential description of a demand (summary-only)
    "draft": "草稿需求标题QZX7242",  # title of an unpublished demand
    "bid": "投标技术路线QZX7343",  # approach of a bid
    "attachment": "bid-secret-QZX7444.pdf",  # file name of a bid attachment
    "review": "评审意见QZX7545",  # a reviewer's comment
    "private_resource": "未公开资源QZX7646",  # name of a non-public resource
}

ROLES = ("anonymous", "stranger", "owner", "manager", "reviewer", "operator")


@dataclass
class Scene:
    world: Any
    third_org: Any
    third_user: Any
    demand: Any
    draft_demand: Any
    private_resource: Any
    resource: Any
    cooperation: Any
    call: Any  # issued by world.org
    foreign_call: Any  # issued by third_org
    bid: Any  # world.org's bid on foreign_call
    foreign_bid: Any  # third_org's bid on call (carries the secrets)
    milestone: Any
    attachment: Any
    review: Any
    contract: Any
    policy: Any
    profile: Any
    space: Any
    manager_profile: Any
    case: Any
    document: Any
    consortium: Any
    instrument: Any
    booking: Any
    import_run: Any
    ics_token: str
    agreement: Any = None
    barrier: Any = None
    bid_call: Any = None  # issued by third_org, published, deadline in the future: open for world.org's bid
    second_reviewer: Any = None  # a reviewer not (yet) on any panel
    tokens: dict[str, str] | None = None
    clients: dict[str, Any] | None = None  # logged-in web clients per role (sessions made with the scene)


def build_scene(world: Any) -> Scene:
    from corridor.brokers import services as broker_services
    from corridor.brokers.models import Consortium, ConsortiumMember, TechnologyManager
    from corridor.insights.choices import SharingRule
    from corridor.insights.models import Agreement, Barrier
    from corridor.labs.views import ICS_SALT
    from corridor.lists.choices import Confidentiality, DemandStatus, PartyRole
    from corridor.market import services as market_services
    from corridor.market.models import (
        BidAttachment,
        CarrierSpace,
        OrganizationProfile,
        PanelMember,
        Policy,
        Review,
        TechnologyContract,
    )
    from corridor.transfer.models import ImportRun
    from tests.labs.conftest import make_instrument, past_booking
    from tests.market.conftest import AFTER_DEADLINE, T0, call_data, clock, open_call, pdf_bytes, submit_bid

    third = f.organization("无锡安全测试微电子有限公司", city_name="无锡")
    third_user = f.user("thirdparty", org=third)
    demand = f.demand(
        world.org,
        title="车规级芯片封装测试合作",
        summary="公开摘要：寻求封装测试合作",
        description=SECRETS["demand"],
        confidentiality=Confidentiality.SUMMARY,
    )
    draft = f.demand(world.org, title=SECRETS["draft"], status=DemandStatus.DRAFT)
    private_resource = f.resource(world.org, name=SECRETS["private_resource"], public=False)
    resource = f.resource(world.org, name="公开的中试平台")
    cooperation = f.cooperation([(world.org, PartyRole.RD), (third, PartyRole.PRODUCTION)], title="沪锡联合研发")

    call = open_call(world)
    with clock(T0):
        foreign_call = market_services.call_create(user=third_user, data=call_data(third, title="无锡的揭榜项目"))
        foreign_call = market_services.call_submit(foreign_call, user=third_user)
        foreign_call = market_services.call_publish(foreign_call, user=world.operator)
    bid = submit_bid(world, foreign_call, org=world.org, user=world.owner, approach="我方的技术路线")
    foreign_bid = submit_bid(world, call, org=third, user=third_user, approach=SECRETS["bid"])
    milestone = foreign_bid.milestones.first()
    attachment = BidAttachment.objects.create(
        bid=foreign_bid,
        file=ContentFile(pdf_bytes(), name="secret.pdf"),
        original_name=SECRETS["attachment"],
        kind="pdf",
        content_type="application/pdf",
        size=len(pdf_bytes()),
        sha256="0" * 64,
    )
    PanelMember.objects.create(call=call, reviewer=world.reviewer)
    PanelMember.objects.create(call=foreign_call, reviewer=world.reviewer)
    review = Review.objects.create(
        bid=foreign_bid, reviewer=world.reviewer, comment=SECRETS["review"], weighted_score=Decimal("80"), submitted=AFTER_DEADLINE
    )
    contract = TechnologyContract.objects.create(
        registration_number="2025310000000001",
        title="聚烯烃催化剂技术转让合同",
        contract_type="transfer",
        seller=world.org,
        buyer=third,
        amount=Decimal("1200000.00"),
        signed_on=dt.date(2025, 5, 1),
    )
    policy = Policy.objects.create(
        title="高新技术企业认定奖励", issuer="上海市科委", level="city", type="subsidy", benefits="奖励 20 万元",
        city=f.city("上海"),
    )
    profile = OrganizationProfile.objects.create(organization=world.org)
    space = CarrierSpace.objects.create(
        name="张江孵化器", kind="incubator", city=f.city("上海"), address="张江路 1 号", available_area=Decimal("500"),
        operator_org=world.org,
    )
    manager_profile = TechnologyManager.objects.create(user=world.manager, city=f.city("上海"), expertise="聚烯烃")
    case = broker_services.case_open(user=world.operator, title="芯片封装合作撮合", demand=demand)
    broker_services.case_assign(case, user=world.operator, lead=manager_profile)
    document = broker_services.case_document_add(
        case, user=world.operator, title="保密协议", file=ContentFile(pdf_bytes(), name="nda.pdf")
    )
    broker_services.activity_log(case, user=world.operator, kind="meeting", title="首次会谈")
    consortium = Consortium.objects.create(name="长三角芯片创新联合体", lead=world.org, lead_role="chain_leader", public=True)
    ConsortiumMember.objects.create(consortium=consortium, organization=world.org, role="enterprise", joined_on=dt.date(2025, 1, 1))
    ConsortiumMember.objects.create(consortium=consortium, organization=third, role="enterprise", joined_on=dt.date(2025, 1, 1))
    instrument = make_instrument(world.owner, world.org)
    start = timezone.now() - dt.timedelta(days=3)
    booking = past_booking(instrument, third_user, third, start, start + dt.timedelta(hours=1))
    from tests.transfer.test_import import HEAD, resource_row
    from tests.transfer.test_import_views import workbook

    # A dry run of the owner with a stored sheet (so its error report and its commit really run).
    import_run = ImportRun.objects.create(
        user=world.owner, organization=world.org, file_name="resources.xlsx", sha256="1" * 64, type="resources",
        file=ContentFile(workbook([HEAD, resource_row(world, "SEC0", "")]), name="resources.xlsx"),
        errors=[[2, 1, "名称不能为空"]], dry_run=True, status="previewed",
    )
    agreement = Agreement.objects.create(
        cooperation=cooperation, version=1, title="沪锡联合研发收益分配", rule=SharingRule.values[0], created_by=world.owner
    )
    barrier = Barrier.objects.create(
        city=f.city("苏州"), category=Barrier.category.field.choices[0][0], title="异地社保转移限制",
        description="跨市社保转移需线下办理", source_name="苏州市人社局通知",
    )
    bid_call = market_services.call_create(
        user=third_user,
        data=call_data(third, title="无锡的开放揭榜项目", deadline=timezone.now() + dt.timedelta(days=60)),
    )
    bid_call = market_services.call_submit(bid_call, user=third_user)
    bid_call = market_services.call_publish(bid_call, user=world.operator)
    second_reviewer = f.user("reviewer2", is_reviewer=True)
    return Scene(
        bid_call=bid_call, second_reviewer=second_reviewer,
        world=world, third_org=third, third_user=third_user, demand=demand, draft_demand=draft,
        private_resource=private_resource, resource=resource, cooperation=cooperation, call=call,
        foreign_call=foreign_call, bid=bid, foreign_bid=foreign_bid, milestone=milestone, attachment=attachment,
        review=review, contract=contract, policy=policy, profile=profile, space=space,
        manager_profile=manager_profile, case=case, document=document, consortium=consortium,
        instrument=instrument, booking=booking, import_run=import_run,
        ics_token=signing.dumps(world.owner.pk, salt=ICS_SALT), agreement=agreement, barrier=barrier,
    )


# --- one scene per test module -------------------------------------------------------------------
#
# Building the scene takes a second or two; the matrix and the leak tests make a few thousand
# requests against it. The scene is built once per module inside an outer transaction that is
# rolled back at the end; each test runs in its own savepoint (pytest-django's ``db``), and every
# request of the matrix runs in a further savepoint that is rolled back (``isolated``).


@pytest.fixture(scope="module")
def mscene(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction
    from django.test.utils import override_settings

    from corridor.api.models import ApiToken
    from tests.conftest import World

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            org = f.organization("上海测试化工研究院", city_name="上海")
            other = f.organization("苏州测试材料有限公司", city_name="苏州")
            world = World(
                org=org,
                other_org=other,
                owner=f.user("owner", org=org),
                stranger=f.user("stranger", org=other),
                operator=f.operator("operator"),
                manager=f.user("manager", is_technology_manager=True),
                reviewer=f.user("reviewer", is_reviewer=True),
            )
            built = build_scene(world)
            built.tokens = {role: ApiToken.issue(getattr(world, role))[1] for role in ROLES if role != "anonymous"}
            built.clients = {role: ui_client(role, world) for role in ROLES}
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def isolated(request_fn: Any) -> Any:
    """Run one request in a savepoint that is rolled back: what it wrote is gone afterwards."""
    from django.db import transaction

    with transaction.atomic():
        response = request_fn()
        if getattr(response, "streaming", False):
            response.content_bytes = b"".join(response.streaming_content)
        transaction.set_rollback(True)
    return response


def ui_client(role: str, world: Any) -> Any:
    from django.test import Client

    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def api_headers(role: str, scene: Scene) -> dict[str, str]:
    """Bearer-token headers of a role (tokens issued with the module's scene)."""
    return {} if role == "anonymous" or not scene.tokens else {"Authorization": f"Bearer {scene.tokens[role]}"}


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return getattr(response, "content_bytes", b"") or b"".join(response.streaming_content)
    return bytes(response.content)


# --- what the URL conf and the API schema offer ------------------------------------------------

API_PREFIX = "/api/v1/"
# Web pages outside the generator: the Django admin (its own staff-only permission system, tested in
# test_leaks) and the API's operations (taken from the OpenAPI schema instead).
UI_EXCLUDED_NAMESPACES = ("admin",)


@dataclass(frozen=True)
class Page:
    """A named web URL: ``name`` is its reverse() name, ``route`` its pattern, ``params`` its kwargs."""

    name: str
    route: str
    params: tuple[str, ...]


def ui_pages() -> list[Page]:
    """Every named URL pattern of the project (API operations excepted: they come from the schema)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    pages: dict[str, Page] = {}

    def walk(patterns: Any, prefix: str, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                if inner in UI_EXCLUDED_NAMESPACES:
                    continue
                walk(p.url_patterns, prefix + str(p.pattern), inner or "")
            elif isinstance(p, URLPattern):
                if ns == "api" and p.name not in ("api-root", "openapi-json", "openapi-view"):
                    continue  # an API operation, or the API's catch-all 404
                if not p.name:
                    raise AssertionError(f"URL pattern without a name cannot get an authorization rule: {prefix}{p.pattern}")
                name = f"{ns}:{p.name}" if ns else p.name
                params = tuple(p.pattern.regex.groupindex)
                pages.setdefault(name, Page(name, prefix + str(p.pattern), params))

    walk(get_resolver().url_patterns, "/", "")
    return sorted(pages.values(), key=lambda page: page.name)


@dataclass(frozen=True)
class Operation:
    """An API operation: ``key`` is "METHOD path" with the path relative to /api/v1/."""

    method: str
    path: str
    operation_id: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def api_operations() -> list[Operation]:
    from corridor.api.api import api

    schema = api.get_openapi_schema(path_prefix=API_PREFIX)
    return sorted(
        (
            Operation(method.upper(), path.removeprefix(API_PREFIX), op.get("operationId", ""))
            for path, ops in schema["paths"].items()
            for method, op in ops.items()
        ),
        key=lambda o: (o.path, o.method),
    )


def ui_kwargs(page: Page, scene: Scene) -> dict[str, Any]:
    """Path parameters of a web URL: the object by URL name (longest prefix wins), then by parameter name."""
    s, w = scene, scene.world
    by_prefix: dict[str, Any] = {
        "orgs:organization": w.org,
        "lists:resource": s.resource,
        "lists:demand": s.demand,
        "lists:cooperation": s.cooperation,
        "matching:demand": s.demand,
        "matching:resource": s.resource,
        "market:call": s.call,
        "market:bid_add": s.foreign_call,  # world.org may bid on the third organisation's call (and has)
        "market:bid": s.bid,
        "market:bid_review": s.foreign_bid,
        "market:milestone": s.milestone,
        "market:attachment": s.attachment,
        "market:contract": s.contract,
        "market:policy": s.policy,
        "market:space": s.space,
        "brokers:manager": s.manager_profile,
        "brokers:case": s.case,
        "brokers:consortium": s.consortium,
        "labs:instrument": s.instrument,
        "labs:booking": s.booking,
        "labs:booking_create": s.instrument,  # /labs/instruments/<pk>/book/ takes the instrument
        "transfer:error_report": s.import_run,
        "transfer:import": s.import_run,
        "insights:agreement": s.agreement,
        "insights:agreement_calculator": s.cooperation,
        "insights:barrier": s.barrier,
    }
    obj = None
    for prefix in sorted(by_prefix, key=len, reverse=True):
        if page.name.startswith(prefix):
            obj = by_prefix[prefix]
            break
    values: dict[str, Any] = {
        "pk": getattr(obj, "pk", None),
        "org_pk": w.org.pk,
        "doc": s.document.pk,
        "token": s.ics_token,
        "type_key": "resources",
        "fmt": "xlsx",
        "action": {"market:call_action": "close", "market:milestone_action": "submit", "labs:booking_action": "cancel"}.get(
            page.name, ""
        ),
    }
    if "version" in page.params:
        import plotly

        values["version"] = plotly.__version__
    missing = [p for p in page.params if values.get(p) in (None, "")]
    if missing:
        raise AssertionError(f"no value for path parameter(s) {missing} of {page.name}: add one in tests/security/conftest.py")
    return {p: values[p] for p in page.params}


def api_url(op: Operation, scene: Scene) -> str:
    """The operation's URL with the scene's objects in its path parameters."""
    s, w = scene, scene.world
    by_prefix: dict[str, Any] = {
        "cities/": w.org.city,
        "industries/": _an_industry(),
        "organizations/": w.org,
        "resources/": s.resource,
        "demands/": s.demand,
        "cooperations/": s.cooperation,
        "calls/": s.call,
        "bids/": s.bid,
        "milestones/": s.milestone,
        "transactions/": s.contract,
        "policies/": s.policy,
        "spaces/": s.space,
        "managers/": s.manager_profile,
        "cases/": s.case,
        "consortia/": s.consortium,
        "instruments/": s.instrument,
        "bookings/": s.booking,
        "insights/agreements/": s.agreement,
        "insights/cooperation/": s.cooperation,
        "insights/barriers/": s.barrier,
        "imports/": s.import_run,
    }
    obj = next((o for prefix, o in by_prefix.items() if op.path.startswith(prefix)), None)
    if op.key in API_PATH_OBJECTS:
        obj = API_PATH_OBJECTS[op.key](scene)
    values = {"reviewer": w.reviewer.pk, "organization_id": s.third_org.pk, "type_key": "resources"}

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in values:
            return str(values[name])
        if obj is None:
            raise AssertionError(f"no value for path parameter {name} of {op.key}: add one in tests/security/conftest.py")
        return str(obj.pk)

    return API_PREFIX + re.sub(r"\{(\w+)\}", value, op.path)


def _an_industry() -> Any:
    from corridor.regions.models import Industry

    return Industry.objects.order_by("pk").first()


# --- what API writes send ------------------------------------------------------------------------
#
# Every write operation with a request body gets a VALID one built from the scene, so that what
# decides the outcome is who asks, not the shape of the input. Operations whose path object must
# differ from the default one of ``api_url`` (e.g. a call still open for bids) name it here.

API_PATH_OBJECTS: dict[str, Callable[[Scene], Any]] = {
    "POST calls/{id}/bids": lambda s: s.bid_call,  # world.org's call is past its deadline; this one is open
}


def _slot(weeks: int, weekday: int, hour: int) -> str:
    """A time inside the weekday opening hours of the scene's instrument, ``weeks`` weeks ahead."""
    from tests.labs.conftest import local, monday

    return local(monday(weeks) + dt.timedelta(days=weekday), hour).isoformat()


def _import_file(s: Scene) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.transfer.test_import import HEAD, resource_row
    from tests.transfer.test_import_views import workbook

    return SimpleUploadedFile("resources.xlsx", workbook([HEAD, resource_row(s.world, "SEC1", "矩阵测试中试平台")]))


def _pdf_file() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.market.conftest import pdf_bytes

    return SimpleUploadedFile("plan.pdf", pdf_bytes(), content_type="application/pdf")


def _sharing(s: Scene) -> dict[str, Any]:
    return {
        "rule": "fixed",
        "licence_income": "1000000",
        "parties": [{"organization": s.world.org.pk, "ratio": "60"}, {"organization": s.third_org.pk, "ratio": "40"}],
    }


def _milestones() -> list[dict[str, Any]]:
    due = (timezone.localdate() + dt.timedelta(days=120)).isoformat()
    return [{"title": "小试", "due_date": due, "amount": "300000.00", "deliverable": "小试报告"}]


WRITE_BODIES: dict[str, Callable[[Scene], dict[str, Any]]] = {
    "POST auth/token": lambda s: {"username": s.world.owner.username, "password": f.PASSWORD},
    "POST organizations": lambda s: {"name": "矩阵测试新机构", "type": "enterprise", "city": s.world.org.city.pk},
    "PATCH organizations/{id}": lambda s: {"description": "更新的机构简介"},
    "POST resources": lambda s: {"kind": "pilot", "name": "矩阵测试平台", "owner": s.world.org.pk, "description": "中试放大"},
    "PATCH resources/{id}": lambda s: {"description": "更新的能力描述"},
    "POST demands": lambda s: {"owner": s.world.org.pk, "title": "矩阵测试需求", "description": "需求细节"},
    "PATCH demands/{id}": lambda s: {"summary": "更新的摘要"},
    "POST demands/{id}/transition": lambda s: {"to": "negotiating"},
    "POST cooperations": lambda s: {
        "title": "矩阵测试合作",
        "type": "joint_rd",
        "parties": [{"organization": s.world.org.pk, "role": "lead"}, {"organization": s.third_org.pk, "role": "rd"}],
    },
    "PATCH cooperations/{id}": lambda s: {"description": "更新的合作说明"},
    "POST calls": lambda s: {
        "issuer": s.world.org.pk,
        "title": "矩阵测试揭榜项目",
        "problem": "国产化攻关",
        "indicators": "指标",
        "reward": "100000.00",
        "deadline": (timezone.now() + dt.timedelta(days=60)).isoformat(),
    },
    "PATCH calls/{id}": lambda s: {"summary": "更新的摘要"},
    "POST calls/{id}/return": lambda s: {"reason": "材料不全"},
    "POST calls/{id}/cancel": lambda s: {"reason": "需求变化"},
    "POST calls/{id}/fail": lambda s: {"reason": "无人揭榜"},
    "POST calls/{id}/award": lambda s: {"awards": [{"bid": s.foreign_bid.pk, "reason": "技术路线最优"}]},
    "POST calls/{id}/accept": lambda s: {"note": "验收通过"},
    "POST calls/{id}/panel": lambda s: {"reviewer": s.second_reviewer.pk},
    "POST calls/{id}/bids": lambda s: {
        "bidder": s.world.org.pk,
        "approach": "矩阵测试技术路线",
        "budget": "500000.00",
        "milestones": _milestones(),
    },
    "PATCH bids/{id}": lambda s: {"team_name": "更新的团队"},
    "POST bids/{id}/attachments": lambda s: {"file": _pdf_file()},
    "POST bids/{id}/reviews": lambda s: {
        "scores": {str(c.pk): "80" for c in s.foreign_call.criteria.all()},
        "comment": "矩阵测试评审",
    },
    "POST milestones/{id}/submit": lambda s: {"evidence": "交付物说明"},
    "POST milestones/{id}/accept": lambda s: {"note": "通过"},
    "POST milestones/{id}/reject": lambda s: {"reason": "指标未达到"},
    "POST transactions": lambda s: {
        "registration_number": "2025310000000099",
        "title": "矩阵测试技术合同",
        "contract_type": "transfer",
        "seller": s.world.org.pk,
        "buyer": s.third_org.pk,
        "amount": "10000.00",
        "signed_on": "2025-06-01",
    },
    "PATCH transactions/{id}": lambda s: {"notes": "更新的备注"},
    "POST policies": lambda s: {
        "title": "矩阵测试政策", "issuer": "上海市科委", "level": "city", "city": s.world.org.city.pk, "type": "subsidy", "benefits": "奖励",
    },
    "PATCH policies/{id}": lambda s: {"benefits": "更新的奖励"},
    "PUT organizations/{id}/market-profile": lambda s: {"employees": 120, "certifications": []},
    "POST spaces": lambda s: {
        "name": "矩阵测试孵化器",
        "kind": "incubator",
        "city": s.world.org.city.pk,
        "address": "测试路 2 号",
        "available_area": "100",
        "operator_org": s.world.org.pk,
    },
    "PATCH spaces/{id}": lambda s: {"address": "测试路 3 号"},
    "POST managers": lambda s: {"user": s.second_reviewer.pk, "city": s.world.org.city.pk},
    "PATCH managers/{id}": lambda s: {"expertise": "聚烯烃、催化剂"},
    "POST cases": lambda s: {"title": "矩阵测试撮合", "demand": s.demand.pk},
    "POST cases/{id}/assign": lambda s: {"lead": s.manager_profile.pk},
    "POST cases/{id}/advance": lambda s: {"to": "matching", "note": "进入匹配"},
    "POST cases/{id}/close": lambda s: {"reason": "other", "note": "结案"},
    "POST cases/{id}/reopen": lambda s: {"to": "discovery", "note": "重新打开"},
    "POST cases/{id}/activities": lambda s: {"kind": "meeting", "title": "第二次会谈"},
    "POST cases/{id}/links": lambda s: {"kind": "market.technologycontract", "object_id": s.contract.pk},
    "POST consortia": lambda s: {"name": "矩阵测试联合体", "lead": s.world.org.pk, "lead_role": "chain_leader"},
    "PATCH consortia/{id}": lambda s: {"description": "更新的联合体介绍"},
    "POST consortia/{id}/members": lambda s: {"organization": s.world.other_org.pk},
    "POST consortia/{id}/members/{organization_id}/leave": lambda s: {},
    "POST consortia/{id}/goals": lambda s: {"title": "卡脖子攻关目标"},
    "POST consortia/{id}/outputs": lambda s: {"kind": "standard", "title": "团体标准", "credited": [s.world.org.pk]},
    "POST matches/feedback": lambda s: {
        "source_kind": "demand",
        "source_id": s.demand.pk,
        "target_kind": "resources",
        "target_id": s.resource.pk,
        "status": "contacted",
    },
    "POST instruments": lambda s: {
        "organization": s.world.org.pk,
        "name": "矩阵测试电镜",
        "category": "microscopy",
        "capabilities": "形貌观察",
        "price_corridor": "200",
        "price_outside": "300",
        "market_price": "500",
    },
    "PATCH instruments/{id}": lambda s: {"room": "B202"},
    "POST instruments/{id}/blocks": lambda s: {"start": _slot(3, 2, 10), "end": _slot(3, 2, 11), "reason": "维护"},
    "POST bookings": lambda s: {"instrument": s.instrument.pk, "start": _slot(2, 1, 10), "end": _slot(2, 1, 11), "purpose": "测试"},
    "POST bookings/{id}/approve": lambda s: {"note": "同意"},
    "POST bookings/{id}/reject": lambda s: {"note": "不同意"},
    "POST bookings/{id}/cancel": lambda s: {"reason": "计划变更"},
    "POST bookings/{id}/usage": lambda s: {
        "actual_start": s.booking.start.isoformat(),
        "actual_end": s.booking.end.isoformat(),
        "report": "正常使用",
    },
    "POST imports": lambda s: {"type": "resources", "file": _import_file(s), "organization": s.world.org.pk, "dry_run": "true"},
    "POST insights/sharing/compute": _sharing,
    "POST insights/agreements": lambda s: {**_sharing(s), "cooperation": s.cooperation.pk, "title": "矩阵测试协议"},
    "POST insights/barriers": lambda s: {
        "city": s.world.org.city.pk,
        "category": "other",
        "title": "矩阵测试壁垒",
        "description": "说明",
        "source_name": "来源",
    },
    "PATCH insights/barriers/{id}": lambda s: {"title": "更新的壁垒标题"},
}
# Operations whose body is multipart/form-data (an uploaded file) rather than JSON.
MULTIPART_WRITES = frozenset({"POST bids/{id}/attachments", "POST imports"})


# --- what web writes send ------------------------------------------------------------------------
#
# Pages that act on an object POST a VALID form here, so that the permission check (not the form's
# validation) decides; every other page POSTs an empty form (creation and edit forms re-render).


def _local_input(iso: str) -> str:
    return iso[:16]  # "YYYY-MM-DDTHH:MM", as an <input type="datetime-local"> sends it


WEB_FORMS: dict[str, Callable[[Scene], dict[str, Any]]] = {
    "brokers:case_activity": lambda s: {"kind": "meeting", "occurred_on": timezone.localdate().isoformat(), "title": "第二次会谈"},
    "brokers:case_advance": lambda s: {"to": "matching", "note": "进入匹配"},
    "brokers:case_close": lambda s: {"reason": "other", "note": "结案"},
    "brokers:case_reopen": lambda s: {"to": "matching", "note": "重新打开"},
    "brokers:case_link": lambda s: {"kind": "market.technologycontract", "object_id": s.contract.pk},
    "brokers:case_document": lambda s: {"kind": "other", "title": "会议纪要", "file": _pdf_file()},
    "labs:instrument_block": lambda s: {"start": _local_input(_slot(3, 2, 10)), "end": _local_input(_slot(3, 2, 11)), "reason": "维护"},
    "labs:booking_create": lambda s: {"start": _local_input(_slot(2, 1, 10)), "end": _local_input(_slot(2, 1, 11)), "purpose": "测试"},
    "matching:feedback": lambda s: {
        "source_kind": "demand",
        "source_id": s.demand.pk,
        "target_kind": "resources",
        "target_id": s.resource.pk,
        "status": "contacted",
    },
    "market:milestone_action": lambda s: {"evidence": "交付物说明"},  # action "submit"
    "lists:demand_transition": lambda s: {"to": "negotiating"},
}

# Reads with required query parameters get valid ones (otherwise every role would just see a 400).
READ_QUERIES: dict[str, Callable[[Scene], dict[str, Any]]] = {
    "GET insights/barriers/compare": lambda s: {"left": s.world.org.city.pk, "right": s.barrier.city.pk},
    "GET instruments/{id}/availability": lambda s: {"from": _slot(2, 0, 9), "to": _slot(2, 4, 18)},
    "GET policies/match": lambda s: {"organization": s.world.org.pk},
    "GET search": lambda s: {"q": "芯片封装"},
}
