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
        title="高新技术企业认定奖励", issuer="上海市科委", level="municipal", type="subsidy", benefits="奖励 20 万元"
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
    consortium = Consortium.objects.create(name="长三角芯片创新联合体", lead=world.org, lead_role="leader", public=True)
    ConsortiumMember.objects.create(consortium=consortium, organization=world.org, role="leader", joined_on=dt.date(2025, 1, 1))
    ConsortiumMember.objects.create(consortium=consortium, organization=third, role="member", joined_on=dt.date(2025, 1, 1))
    instrument = make_instrument(world.owner, world.org)
    start = timezone.now() - dt.timedelta(days=3)
    booking = past_booking(instrument, third_user, third, start, start + dt.timedelta(hours=1))
    import_run = ImportRun.objects.create(
        user=world.owner, organization=world.org, file_name="resources.xlsx", sha256="1" * 64, type="resources",
        errors=[[2, 1, "名称不能为空"]],
    )
    agreement = Agreement.objects.create(
        cooperation=cooperation, version=1, title="沪锡联合研发收益分配", rule=SharingRule.values[0], created_by=world.owner
    )
    barrier = Barrier.objects.create(
        city=f.city("苏州"), category=Barrier.category.field.choices[0][0], title="异地社保转移限制",
        description="跨市社保转移需线下办理", source_name="苏州市人社局通知",
    )
    return Scene(
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
