"""Market fixtures: a controllable server clock and calls at each stage of the 揭榜挂帅 cycle."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from corridor.market import services
from corridor.market.services import MilestoneInput
from tests import factories as f

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)
DEADLINE = dt.datetime(2025, 4, 1, 17, 0, tzinfo=SHANGHAI)


@contextmanager
def clock(when: dt.datetime) -> Iterator[None]:
    """Pin the server clock (django.utils.timezone.now) to ``when``."""
    with mock.patch.object(timezone, "now", return_value=when):
        yield


@pytest.fixture
def at():
    return clock


def call_data(issuer, **kw):
    data = {
        "issuer": issuer,
        "title": "环烯烃共聚物催化剂国产化攻关",
        "problem": "COC 催化剂依赖进口，需开发可工业化的国产茂金属催化剂。",
        "indicators": "催化活性 ≥ 1×10^6 g/(mol·h)；玻璃化温度 130–180 ℃ 可调",
        "reward": Decimal("2000000.00"),
        "deadline": DEADLINE,
    }
    data.update(kw)
    return data


def open_call(world, **kw):
    """A call of ``world.org`` approved by the operator and open for bids at T0."""
    with clock(T0):
        call = services.call_create(user=world.owner, data=call_data(world.org, **kw))
        call = services.call_submit(call, user=world.owner)
        call = services.call_publish(call, user=world.operator)
    return call


def milestones(n=2, amount="300000.00"):
    return [
        MilestoneInput(title=f"阶段{i + 1}", due_date=dt.date(2025, 6 + i, 30), amount=Decimal(amount), deliverable="小试报告")
        for i in range(n)
    ]


def submit_bid(world, call, org=None, user=None, **data):
    org = org or world.other_org
    user = user or world.stranger
    payload = {"approach": "负载型茂金属催化体系，双釜连续聚合。", "budget": Decimal("1000000.00"),
               "team_name": "苏州材料攻关队", "team_members": [{"name": "王工", "role": "负责人"}]}
    payload.update(data)
    with clock(T0 + dt.timedelta(days=1)):
        return services.bid_submit(user=user, call=call, bidder=org, data=payload, milestones=milestones())


AFTER_DEADLINE = DEADLINE + dt.timedelta(minutes=1)


def pdf_bytes() -> bytes:
    return b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def ooxml_bytes(main_part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr(main_part, "<x/>")
    return buf.getvalue()


@pytest.fixture
def bidder_org(db):
    return f.organization("无锡测试微电子有限公司", city_name="无锡")
