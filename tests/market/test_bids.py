"""Bids: deadlines on the server clock, eligibility, one live bid per organisation, visibility, attachments."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from corridor.core.errors import ConflictError
from corridor.market import selectors, services
from corridor.market.choices import BidStatus
from corridor.market.files import MAX_ATTACHMENT_BYTES, check_attachment, detect_kind
from corridor.market.models import Bid, BidAttachment
from tests import factories as f
from tests.market.conftest import (
    AFTER_DEADLINE,
    DEADLINE,
    T0,
    clock,
    milestones,
    ooxml_bytes,
    open_call,
    pdf_bytes,
    submit_bid,
)

BID = {"approach": "方案", "budget": Decimal("1000000.00")}


def test_bid_after_deadline_refused(world):
    call = open_call(world)
    with clock(DEADLINE), pytest.raises(ConflictError) as exc:
        services.bid_submit(user=world.stranger, call=call, bidder=world.other_org, data=BID, milestones=milestones())
    assert exc.value.code == "deadline_passed"
    assert "2025-04-01 17:00" in exc.value.message
    assert not Bid.objects.exists()


def test_bid_one_second_before_deadline_accepted(world):
    call = open_call(world)
    with clock(DEADLINE - dt.timedelta(seconds=1)):
        bid = services.bid_submit(user=world.stranger, call=call, bidder=world.other_org, data=BID, milestones=milestones())
    assert bid.status == BidStatus.SUBMITTED and bid.milestones.count() == 2


def test_edit_and_withdraw_only_before_deadline(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with clock(DEADLINE - dt.timedelta(hours=1)):
        services.bid_update(bid, user=world.stranger, data={"approach": "改进方案"})
    with clock(AFTER_DEADLINE):
        with pytest.raises(ConflictError) as exc:
            services.bid_update(bid, user=world.stranger, data={"approach": "截止后修改"})
        assert exc.value.code == "deadline_passed"
        with pytest.raises(ConflictError):
            services.bid_withdraw(bid, user=world.stranger)
    bid.refresh_from_db()
    assert bid.approach == "改进方案" and bid.status == BidStatus.SUBMITTED
    with clock(DEADLINE - dt.timedelta(minutes=5)):
        bid = services.bid_withdraw(bid, user=world.stranger)
    assert bid.status == BidStatus.WITHDRAWN


def test_bid_on_unpublished_call_refused(world):
    from tests.market.conftest import call_data

    with clock(T0):
        call = services.call_create(user=world.owner, data=call_data(world.org))
        with pytest.raises(ConflictError) as exc:
            services.bid_submit(user=world.stranger, call=call, bidder=world.other_org, data=BID, milestones=milestones())
    assert exc.value.code == "call_not_open"


def test_only_members_bid_for_their_org(world):
    call = open_call(world)
    with clock(T0), pytest.raises(PermissionDenied):
        services.bid_submit(user=world.owner, call=call, bidder=world.other_org, data=BID, milestones=milestones())


def test_issuer_cannot_bid(world):
    call = open_call(world)
    with clock(T0), pytest.raises(ConflictError) as exc:
        services.bid_submit(user=world.owner, call=call, bidder=world.org, data=BID, milestones=milestones())
    assert exc.value.code == "not_eligible"


def test_eligibility_by_city_province_and_type(world, bidder_org):
    call = open_call(world, eligible_provinces=["浙江省"], eligible_org_types=["university"])
    problems = services.eligibility_problems(call, bidder_org)
    assert len(problems) == 2
    hz_uni = f.organization("杭州测试大学", city_name="杭州", type="university")
    assert services.eligibility_problems(call, hz_uni) == []
    call.eligible_cities.set([f.city("无锡")])
    call.eligible_provinces = []
    call.eligible_org_types = []
    assert services.eligibility_problems(call, bidder_org) == []
    assert services.eligibility_problems(call, hz_uni)
    with clock(T0), pytest.raises(ConflictError):
        services.bid_submit(user=world.stranger, call=call, bidder=world.other_org, data=BID, milestones=milestones())


def test_unknown_org_type_in_eligibility_refused(world):
    from tests.market.conftest import call_data

    with pytest.raises(ValidationError):
        services.call_create(user=world.owner, data=call_data(world.org, eligible_org_types=["pirate"]))


def test_one_live_bid_per_org_but_rebid_after_withdrawal(world):
    call = open_call(world)
    bid = submit_bid(world, call)
    with pytest.raises(ConflictError):
        submit_bid(world, call)
    with clock(T0 + dt.timedelta(days=2)):
        services.bid_withdraw(bid, user=world.stranger)
    again = submit_bid(world, call)
    assert again.pk != bid.pk


def test_milestones_validated(world):
    call = open_call(world)
    with clock(T0):
        with pytest.raises(ValidationError):
            services.bid_submit(user=world.stranger, call=call, bidder=world.other_org, data=BID, milestones=[])
        with pytest.raises(ValidationError):  # 3 × 400k > 1M budget
            services.bid_submit(user=world.stranger, call=call, bidder=world.other_org, data=BID,
                                milestones=milestones(3, "400000.00"))
    assert not Bid.objects.exists()


def test_bid_visibility(world, bidder_org):
    call = open_call(world)
    wuxi_user = f.user("wuxi", org=bidder_org)
    mine = submit_bid(world, call)
    theirs = submit_bid(world, call, org=bidder_org, user=wuxi_user)
    assert set(selectors.bids_for(world.stranger)) == {mine}
    assert set(selectors.bids_for(wuxi_user)) == {theirs}
    assert set(selectors.bids_for(world.owner, call)) == {mine, theirs}  # the issuer
    assert set(selectors.bids_for(world.operator)) == {mine, theirs}
    assert not selectors.bids_for(world.reviewer).exists()
    assert not selectors.bids_for(world.manager).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.bids_for(AnonymousUser()).exists()
    services.panel_assign(call, user=world.operator, reviewer=world.reviewer)
    assert set(selectors.bids_for(world.reviewer)) == {mine, theirs}
    with clock(T0 + dt.timedelta(days=2)):
        services.bid_withdraw(theirs, user=wuxi_user)
    assert set(selectors.bids_for(world.owner, call)) == {mine}  # withdrawn bids leave the issuer's view
    assert set(selectors.bids_for(wuxi_user)) == {theirs}


# Attachments -----------------------------------------------------------------------------------


def test_detect_kinds_by_content():
    assert detect_kind(io.BytesIO(pdf_bytes())) == "pdf"
    assert detect_kind(io.BytesIO(ooxml_bytes("word/document.xml"))) == "docx"
    assert detect_kind(io.BytesIO(ooxml_bytes("xl/workbook.xml"))) == "xlsx"
    assert detect_kind(io.BytesIO(ooxml_bytes("ppt/presentation.xml"))) is None
    assert detect_kind(io.BytesIO(b"PK\x03\x04 not really a zip")) is None
    assert detect_kind(io.BytesIO(b"MZ\x90\x00 an exe")) is None


def test_renamed_executable_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(world)
    bid = submit_bid(world, call)
    upload = SimpleUploadedFile("proposal.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    with clock(T0), pytest.raises(ValidationError) as exc:
        services.attachment_add(bid, user=world.stranger, upload=upload, filename="proposal.pdf")
    assert "file" in exc.value.message_dict
    assert not BidAttachment.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_size_limit(world):
    big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (MAX_ATTACHMENT_BYTES - 9))
    assert check_attachment(big).size == MAX_ATTACHMENT_BYTES
    too_big = io.BytesIO(b"%PDF-1.7\n" + b"0" * (MAX_ATTACHMENT_BYTES - 8))
    with pytest.raises(ValidationError) as exc:
        check_attachment(too_big)
    assert exc.value.error_dict["file"][0].code == "too_large"
    with pytest.raises(ValidationError):
        check_attachment(io.BytesIO(b""))


def test_attachment_stored_outside_web_root_with_random_name(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call = open_call(world)
    bid = submit_bid(world, call)
    upload = SimpleUploadedFile("技术方案.docx", ooxml_bytes("word/document.xml"))
    with clock(T0):
        att = services.attachment_add(bid, user=world.stranger, upload=upload, filename="../../技术方案.docx")
    assert att.kind == "docx" and att.original_name == "技术方案.docx"
    assert att.file.path.startswith(str(tmp_path))
    assert "技术方案" not in att.file.name
    with clock(AFTER_DEADLINE), pytest.raises(ConflictError):
        services.attachment_add(bid, user=world.stranger, upload=SimpleUploadedFile("a.pdf", pdf_bytes()), filename="a.pdf")
    with clock(T0), pytest.raises(PermissionDenied):
        services.attachment_add(bid, user=world.owner, upload=SimpleUploadedFile("a.pdf", pdf_bytes()), filename="a.pdf")
