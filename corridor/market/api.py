"""JSON API of the innovation market: challenge calls and their whole 揭榜挂帅 cycle, bids, reviews and
milestones; the technology-contract ledger (with statistics and CSV/XLSX export); the policy library
and matcher; carrier spaces.

Every write goes through ``corridor.market.services``; reads through ``corridor.market.selectors``.
Bids are always shown through ``selectors.bid_presentation``, so blind review hides the bidder in
the API exactly as on the web pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from corridor.api.auth import ApiRequest
from corridor.api.crud import (
    ERRORS_READ,
    ERRORS_WRITE,
    HistoryPage,
    HistoryParams,
    Id,
    InSchema,
    Money,
    filtered_page,
    get_visible,
    history_page,
    list_params,
    page_schema,
    patch_schema,
    resolve_refs,
    sent,
)
from corridor.api.errors import ApiError
from corridor.core.permissions import VIEW, can
from corridor.lists.models import CooperationItem, Demand
from corridor.market import exports, selectors, services
from corridor.market.choices import (
    ConditionKind,
    ContractType,
    IpOwnership,
    PolicyLevel,
    PolicyType,
    SpaceKind,
)
from corridor.market.filtersets import CallFilterSet, ContractFilterSet, PolicyFilterSet, SpaceFilterSet
from corridor.market.models import Bid, BidMilestone, CarrierSpace, ChallengeCall, Policy, TechnologyContract
from corridor.orgs.api import OrganizationRef
from corridor.orgs.models import Organization, User
from corridor.regions.api import CityRef, IndustryRef
from corridor.regions.models import City, Industry

router = Router(tags=["market"])

Text = Annotated[str, Field(max_length=20000)]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Reason = Annotated[str, Field(min_length=1, max_length=5000)]


# Challenge calls -------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int
    max_score: int


class CriterionIn(InSchema):
    name: Title
    weight: Annotated[int, Field(ge=1, le=100)]
    max_score: Annotated[int, Field(ge=1, le=100)] = 10
    description: Annotated[str, Field(max_length=300)] = ""


class CallOut(Schema):
    id: int
    title: str
    summary: str
    issuer: OrganizationRef
    problem: str
    indicators: str
    reward: Decimal
    funding: Decimal | None
    deadline: dt.datetime
    accepting_bids: bool
    industries: list[IndustryRef]
    demands: list[int]
    eligible_cities: list[CityRef]
    eligible_provinces: list[str]
    eligible_org_types: list[str]
    ip_ownership: str
    ip_exclusive: bool
    ip_notes: str
    blind_review: bool
    status: str
    status_note: str
    criteria: list[CriterionOut]
    submitted_at: dt.datetime | None
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    awarded_at: dt.datetime | None
    finished_at: dt.datetime | None
    history_url: str

    @staticmethod
    def resolve_demands(obj: ChallengeCall) -> list[int]:
        return [d.pk for d in obj.demands.all()]

    @staticmethod
    def resolve_history_url(obj: ChallengeCall) -> str:
        return reverse("api:call_history", args=[obj.pk])


class CallIn(InSchema):
    issuer: Id = Field(..., description="Id of the issuing organisation (one you act for).")
    title: Title
    summary: Annotated[str, Field(max_length=300)] = ""
    problem: Text
    indicators: Text
    reward: Money
    funding: Money | None = None
    deadline: dt.datetime
    industries: list[Id] = []
    demands: list[Id] = []
    eligible_cities: list[Id] = []
    eligible_provinces: list[Annotated[str, Field(max_length=20)]] = []
    eligible_org_types: list[Annotated[str, Field(max_length=20)]] = []
    ip_ownership: IpOwnership = IpOwnership.SHARED
    ip_exclusive: bool = True
    ip_notes: Text = ""
    blind_review: bool = False
    criteria: list[CriterionIn] | None = Field(None, description="The review rubric; default rubric when left out.")


CallPatch = patch_schema(CallIn, "CallPatch")
CallParams = list_params(CallFilterSet, "CallListParams")


def _calls() -> Any:
    return ChallengeCall.objects.select_related("issuer").prefetch_related(
        "industries", "demands", "eligible_cities", "criteria"
    )


def _call_write(request: ApiRequest, data: dict[str, Any]) -> tuple[dict[str, Any], list[services.CriterionInput] | None]:
    criteria = data.pop("criteria", None)
    resolve_refs(
        data,
        {
            "issuer": Organization.objects.all(),
            "industries": Industry.objects.all(),
            "eligible_cities": City.objects.all(),
            "demands": Demand.objects.restrict(request.auth, VIEW),
        },
    )
    rubric = None if criteria is None else [services.CriterionInput(**c) for c in criteria]
    return data, rubric


@router.get("/calls", response={200: page_schema(CallOut), **ERRORS_READ}, url_name="call_list", tags=["calls"])
def list_calls(request: ApiRequest, params: Query[CallParams]) -> Any:  # type: ignore[valid-type]
    """Challenge calls (揭榜挂帅) you may see: published ones, and your organisation's drafts."""
    return filtered_page(request, _calls().restrict(request.auth, VIEW), params)


@router.post("/calls", response={201: CallOut, **ERRORS_WRITE}, url_name="call_list", tags=["calls"])
def create_call(request: ApiRequest, payload: CallIn) -> Any:
    data, rubric = _call_write(request, sent(payload))
    call = services.call_create(user=request.auth, data=data, criteria=rubric, source="api")
    return 201, _calls().get(pk=call.pk)


@router.get("/calls/{id}", response={200: CallOut, **ERRORS_READ}, url_name="call_detail", tags=["calls"])
def get_call(request: ApiRequest, id: Id) -> Any:
    return get_visible(_calls(), id, request.auth)


@router.patch("/calls/{id}", response={200: CallOut, **ERRORS_WRITE}, url_name="call_detail", tags=["calls"])
def update_call(request: ApiRequest, id: Id, payload: CallPatch) -> Any:  # type: ignore[valid-type]
    call = get_visible(_calls(), id, request.auth)
    data, rubric = _call_write(request, sent(payload))
    services.call_update(call, user=request.auth, data=data, criteria=rubric, source="api")
    return _calls().get(pk=call.pk)


@router.get("/calls/{id}/history", response={200: HistoryPage, **ERRORS_READ}, url_name="call_history", tags=["calls"])
def call_history(request: ApiRequest, id: Id, params: Query[HistoryParams]) -> Any:
    return history_page(get_visible(ChallengeCall.objects.all(), id, request.auth), params)


class ReasonIn(InSchema):
    reason: Reason


class NoteIn(InSchema):
    note: Annotated[str, Field(max_length=5000)] = ""


class AwardItemIn(InSchema):
    bid: Id
    reason: Reason
    amount: Money | None = None


class AwardIn(InSchema):
    awards: Annotated[list[AwardItemIn], Field(min_length=1, max_length=50)]
    note: Annotated[str, Field(max_length=5000)] = ""


def _action(request: ApiRequest, id: Id, fn: Any, **kw: Any) -> Any:
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    fn(call, user=request.auth, source="api", **kw)
    return _calls().get(pk=call.pk)


@router.post("/calls/{id}/submit", response={200: CallOut, **ERRORS_WRITE}, url_name="call_submit", tags=["calls"])
def submit_call(request: ApiRequest, id: Id) -> Any:
    """Draft → under approval (the issuer)."""
    return _action(request, id, services.call_submit)


@router.post("/calls/{id}/publish", response={200: CallOut, **ERRORS_WRITE}, url_name="call_publish", tags=["calls"])
def publish_call(request: ApiRequest, id: Id) -> Any:
    """Under approval → open for bids (operators)."""
    return _action(request, id, services.call_publish)


@router.post("/calls/{id}/return", response={200: CallOut, **ERRORS_WRITE}, url_name="call_return", tags=["calls"])
def return_call(request: ApiRequest, id: Id, payload: ReasonIn) -> Any:
    """Under approval → draft, with the operators' reason."""
    return _action(request, id, services.call_return, reason=payload.reason)


@router.post("/calls/{id}/close", response={200: CallOut, **ERRORS_WRITE}, url_name="call_close", tags=["calls"])
def close_call(request: ApiRequest, id: Id) -> Any:
    """Open → under review, once the deadline has passed (issuer or operators)."""
    return _action(request, id, services.call_close_bidding)


@router.post("/calls/{id}/cancel", response={200: CallOut, **ERRORS_WRITE}, url_name="call_cancel", tags=["calls"])
def cancel_call(request: ApiRequest, id: Id, payload: ReasonIn) -> Any:
    return _action(request, id, services.call_cancel, reason=payload.reason)


@router.post("/calls/{id}/award", response={200: CallOut, **ERRORS_WRITE}, url_name="call_award", tags=["calls"])
def award_call(request: ApiRequest, id: Id, payload: AwardIn) -> Any:
    """Under review → awarded: the issuer names the winning bids, each with its reason."""
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    services.ensure_may_award(call, request.auth)  # 403 before the bid ids are resolved (no 400 to outsiders)
    bids = Bid.objects.restrict(request.auth, VIEW).filter(call=call).in_bulk([a.bid for a in payload.awards])
    awards = []
    for a in payload.awards:
        if a.bid not in bids:
            raise ApiError.field("awards", _("Unknown id: {id}.").format(id=a.bid), "unknown_id")
        awards.append(services.AwardInput(bid=bids[a.bid], reason=a.reason, amount=a.amount))
    services.call_award(call, user=request.auth, awards=awards, note=payload.note, source="api")
    return _calls().get(pk=call.pk)


@router.post("/calls/{id}/start-delivery", response={200: CallOut, **ERRORS_WRITE}, url_name="call_start_delivery", tags=["calls"])
def start_delivery(request: ApiRequest, id: Id) -> Any:
    return _action(request, id, services.call_start_delivery)


@router.post("/calls/{id}/accept", response={200: CallOut, **ERRORS_WRITE}, url_name="call_accept", tags=["calls"])
def accept_call(request: ApiRequest, id: Id, payload: NoteIn) -> Any:
    """In delivery → accepted (验收), once every milestone is accepted."""
    return _action(request, id, services.call_accept, note=payload.note)


@router.post("/calls/{id}/fail", response={200: CallOut, **ERRORS_WRITE}, url_name="call_fail", tags=["calls"])
def fail_call(request: ApiRequest, id: Id, payload: ReasonIn) -> Any:
    return _action(request, id, services.call_fail, reason=payload.reason)


class PanelMemberOut(Schema):
    id: int
    username: str
    name: str


class PanelIn(InSchema):
    reviewer: Id


def _panel(call: ChallengeCall) -> list[dict[str, Any]]:
    return [{"id": m.reviewer.pk, "username": m.reviewer.username, "name": str(m.reviewer)} for m in call.panel.select_related("reviewer")]


def _panel_visible(request: ApiRequest, id: int) -> ChallengeCall:
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    if not selectors.can_see_ranking(request.auth, call):
        # PermissionDenied: 401 to anonymous callers (as everywhere else), 403 to the signed-in.
        raise PermissionDenied(_("Only the issuer, the panel and operators see the panel and the ranking."))
    return call


@router.get("/calls/{id}/panel", response={200: list[PanelMemberOut], **ERRORS_WRITE}, url_name="call_panel", tags=["calls"])
def get_panel(request: ApiRequest, id: Id) -> Any:
    return _panel(_panel_visible(request, id))


@router.post("/calls/{id}/panel", response={201: list[PanelMemberOut], **ERRORS_WRITE}, url_name="call_panel", tags=["calls"])
def add_panel_member(request: ApiRequest, id: Id, payload: PanelIn) -> Any:
    """Operators add a reviewer; reviewers acting for the issuer are refused (409, conflict of interest)."""
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    reviewer = User.objects.filter(pk=payload.reviewer, is_active=True).first()
    if reviewer is None:
        raise ApiError.field("reviewer", _("Unknown id: {id}.").format(id=payload.reviewer), "unknown_id")
    services.panel_assign(call, user=request.auth, reviewer=reviewer, source="api")
    return 201, _panel(call)


@router.delete("/calls/{id}/panel/{reviewer}", response={204: None, **ERRORS_WRITE}, url_name="call_panel_member", tags=["calls"])
def remove_panel_member(request: ApiRequest, id: Id, reviewer: Id) -> Any:
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    user = User.objects.filter(pk=reviewer).first()
    if user is None:
        raise Http404
    services.panel_remove(call, user=request.auth, reviewer=user, source="api")
    return 204, None


class RankedOut(Schema):
    rank: int
    bid: int
    label: str
    identity_hidden: bool
    score: Decimal | None
    reviews: int
    status: str


@router.get("/calls/{id}/ranking", response={200: list[RankedOut], **ERRORS_WRITE}, url_name="call_ranking", tags=["calls"])
def call_ranking(request: ApiRequest, id: Id) -> Any:
    """Bids by mean weighted score (0–100); bidder names hidden from reviewers under blind review."""
    call = _panel_visible(request, id)
    out = []
    for r in selectors.call_ranking(call):
        hidden = not selectors.bidder_identity_visible(request.auth, r.bid)
        out.append({
            "rank": r.rank, "bid": r.bid.pk, "identity_hidden": hidden, "score": r.score, "reviews": r.reviews,
            "label": selectors.blind_label(r.bid) if hidden else (r.bid.team_name or r.bid.bidder.name), "status": r.bid.status,
        })
    return out


class PaymentLineOut(Schema):
    bid: int
    milestone: int
    title: str
    due_date: dt.date
    amount: Decimal
    status: str
    payable: Decimal
    cumulative: Decimal


class PaymentsOut(Schema):
    planned: Decimal
    payable: Decimal
    outstanding: Decimal
    lines: list[PaymentLineOut]


@router.get("/calls/{id}/payments", response={200: PaymentsOut, **ERRORS_READ}, url_name="call_payments", tags=["calls"])
def call_payments(request: ApiRequest, id: Id) -> Any:
    """The payment schedule: the awarded bids' milestones; accepted ones are payable."""
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    schedule = selectors.payment_schedule(call)
    return {
        **{k: schedule[k] for k in ("planned", "payable", "outstanding")},
        "lines": [
            {"bid": line.bid.pk, "milestone": line.milestone.pk, "title": line.milestone.title, "due_date": line.milestone.due_date,
             "amount": line.milestone.amount, "status": line.milestone.status, "payable": line.payable, "cumulative": line.cumulative}
            for line in schedule["lines"]
        ],
    }


# Bids ------------------------------------------------------------------------------------------


class TeamMemberIO(InSchema):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    role: Annotated[str, Field(max_length=200)] = ""
    affiliation: Annotated[str, Field(max_length=200)] = ""


class MilestoneOut(Schema):
    id: int
    title: str
    due_date: dt.date
    amount: Decimal
    status: str
    deliverable: str
    evidence: str
    decision_note: str


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    milestone_id: int | None
    download_url: str


class BidOut(Schema):
    id: int
    call_id: int
    identity_hidden: bool = Field(description="True when blind review hides the bidder from you.")
    label: str
    bidder_id: int | None
    bidder_name: str | None
    team_name: str
    team_members: list[dict[str, str]]
    approach: str
    budget: Decimal
    status: str
    submitted_at: dt.datetime
    award_reason: str
    awarded_amount: Decimal | None
    milestones: list[MilestoneOut]
    attachments: list[AttachmentOut]


class MilestoneIn(InSchema):
    title: Title
    due_date: dt.date
    amount: Money
    deliverable: Annotated[str, Field(max_length=5000)] = ""


class BidIn(InSchema):
    bidder: Id = Field(..., description="Id of the bidding organisation (one you act for).")
    team_name: Annotated[str, Field(max_length=200)] = ""
    approach: Text
    budget: Money
    team_members: Annotated[list[TeamMemberIO], Field(max_length=100)] = []
    milestones: Annotated[list[MilestoneIn], Field(min_length=1, max_length=50)]


class BidPatch(InSchema):
    team_name: Annotated[str, Field(max_length=200)] | None = None
    approach: Text | None = None
    budget: Money | None = None
    team_members: Annotated[list[TeamMemberIO], Field(max_length=100)] | None = None
    milestones: Annotated[list[MilestoneIn], Field(min_length=1, max_length=50)] | None = None


def _bids() -> Any:
    return Bid.objects.select_related("call", "bidder").prefetch_related("milestones", "attachments")


def _present(bid: Bid, user: Any) -> dict[str, Any]:
    data = selectors.bid_presentation(bid, user)
    for a in data["attachments"]:
        a["download_url"] = reverse("market:attachment_download", args=[a["id"]])
    return data


def _visible_bid(request: ApiRequest, id: int) -> Bid:
    bid = _bids().restrict(request.auth, VIEW).filter(pk=id).first()
    if bid is None:
        raise Http404
    return bid


def _milestone_inputs(rows: list[dict[str, Any]] | None) -> list[services.MilestoneInput] | None:
    return None if rows is None else [services.MilestoneInput(**m) for m in rows]


@router.get("/bids", response={200: page_schema(BidOut), **ERRORS_READ}, url_name="bid_list", tags=["bids"])
def list_bids(
    request: ApiRequest,
    call: Id | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 25,
    offset: Annotated[int, Field(ge=0, le=10**9)] = 0,
) -> Any:
    """Bids you may see: your organisation's own; all bids of calls you issued or review; all for operators."""
    qs = _bids().restrict(request.auth, VIEW).order_by("call_id", "submitted_at", "id")
    if call is not None:
        qs = qs.filter(call_id=call)
    items = [_present(b, request.auth) for b in qs[offset : offset + limit]]
    return {"items": items, "count": qs.count()}


@router.post("/calls/{id}/bids", response={201: BidOut, **ERRORS_WRITE}, url_name="call_bids", tags=["bids"])
def submit_bid(request: ApiRequest, id: Id, payload: BidIn) -> Any:
    """Bid on an open call before its deadline (409 after it, or when not eligible)."""
    call = get_visible(ChallengeCall.objects.all(), id, request.auth)
    data = sent(payload)
    milestones = _milestone_inputs(data.pop("milestones"))
    resolve_refs(data, {"bidder": Organization.objects.all()})
    bidder = data.pop("bidder")
    bid = services.bid_submit(user=request.auth, call=call, bidder=bidder, data=data, milestones=milestones or [], source="api")
    return 201, _present(_bids().get(pk=bid.pk), request.auth)


@router.get("/bids/{id}", response={200: BidOut, **ERRORS_READ}, url_name="bid_detail", tags=["bids"])
def get_bid(request: ApiRequest, id: Id) -> Any:
    return _present(_visible_bid(request, id), request.auth)


@router.patch("/bids/{id}", response={200: BidOut, **ERRORS_WRITE}, url_name="bid_detail", tags=["bids"])
def update_bid(request: ApiRequest, id: Id, payload: BidPatch) -> Any:
    bid = _visible_bid(request, id)
    data = sent(payload)
    milestones = _milestone_inputs(data.pop("milestones", None))
    services.bid_update(bid, user=request.auth, data=data, milestones=milestones, source="api")
    return _present(_bids().get(pk=bid.pk), request.auth)


@router.post("/bids/{id}/withdraw", response={200: BidOut, **ERRORS_WRITE}, url_name="bid_withdraw", tags=["bids"])
def withdraw_bid(request: ApiRequest, id: Id) -> Any:
    bid = _visible_bid(request, id)
    services.bid_withdraw(bid, user=request.auth, source="api")
    return _present(_bids().get(pk=bid.pk), request.auth)


@router.post("/bids/{id}/attachments", response={201: AttachmentOut, **ERRORS_WRITE}, url_name="bid_attachments", tags=["bids"])
def add_attachment(request: ApiRequest, id: Id, file: File[UploadedFile], milestone: Id | None = None) -> Any:
    """Upload a PDF, DOCX or XLSX (≤ 20 MB, checked by content); as milestone evidence with ``?milestone=``."""
    bid = _visible_bid(request, id)
    ms = None
    if milestone is not None:
        ms = BidMilestone.objects.filter(pk=milestone, bid=bid).first()
        if ms is None:
            raise ApiError.field("milestone", _("Unknown id: {id}.").format(id=milestone), "unknown_id")
    att = services.attachment_add(bid, user=request.auth, upload=file, filename=file.name or "", milestone=ms, source="api")
    return 201, {"id": att.pk, "name": att.original_name, "kind": att.kind, "size": att.size, "milestone_id": att.milestone_id,
                 "download_url": reverse("market:attachment_download", args=[att.pk])}


class ReviewIn(InSchema):
    scores: dict[str, Annotated[Decimal, Field(ge=0, le=100, max_digits=6, decimal_places=2)]] = Field(
        ..., description="Criterion id → score (0 … the criterion's maximum)."
    )
    comment: Annotated[str, Field(max_length=5000)] = ""


class ReviewOut(Schema):
    id: int
    bid: int
    weighted_score: Decimal
    comment: str
    submitted: dt.datetime


@router.post("/bids/{id}/reviews", response={200: ReviewOut, **ERRORS_WRITE}, url_name="bid_reviews", tags=["bids"])
def review_bid(request: ApiRequest, id: Id, payload: ReviewIn) -> Any:
    """A panel member scores a bid (409 on conflict of interest or outside the review phase)."""
    bid = _visible_bid(request, id)
    review = services.review_submit(bid, user=request.auth, scores=payload.scores, comment=payload.comment, source="api")
    return {"id": review.pk, "bid": bid.pk, "weighted_score": review.weighted_score, "comment": review.comment,
            "submitted": review.submitted}


class MilestoneEvidenceIn(InSchema):
    evidence: Reason


def _visible_milestone(request: ApiRequest, id: int) -> BidMilestone:
    ms = BidMilestone.objects.filter(pk=id, bid__in=Bid.objects.restrict(request.auth, VIEW)).select_related("bid", "bid__bidder").first()
    if ms is None:
        raise Http404
    return ms


@router.post("/milestones/{id}/submit", response={200: MilestoneOut, **ERRORS_WRITE}, url_name="milestone_submit", tags=["bids"])
def submit_milestone(request: ApiRequest, id: Id, payload: MilestoneEvidenceIn) -> Any:
    return services.milestone_submit(_visible_milestone(request, id), user=request.auth, evidence=payload.evidence, source="api")


@router.post("/milestones/{id}/accept", response={200: MilestoneOut, **ERRORS_WRITE}, url_name="milestone_accept", tags=["bids"])
def accept_milestone(request: ApiRequest, id: Id, payload: NoteIn) -> Any:
    return services.milestone_accept(_visible_milestone(request, id), user=request.auth, note=payload.note, source="api")


@router.post("/milestones/{id}/reject", response={200: MilestoneOut, **ERRORS_WRITE}, url_name="milestone_reject", tags=["bids"])
def reject_milestone(request: ApiRequest, id: Id, payload: ReasonIn) -> Any:
    return services.milestone_reject(_visible_milestone(request, id), user=request.auth, note=payload.reason, source="api")


# The ledger ------------------------------------------------------------------------------------


class ContractOut(Schema):
    id: int
    registration_number: str
    title: str
    contract_type: str
    seller: OrganizationRef
    buyer: OrganizationRef
    seller_reach: str
    buyer_reach: str
    amount: Decimal
    signed_on: dt.date
    industry: IndustryRef | None
    demand: int | None = Field(None, alias="demand_id")
    call: int | None = Field(None, alias="call_id")
    cooperation: int | None = Field(None, alias="cooperation_id")
    notes: str
    public: bool

    @staticmethod
    def resolve_seller_reach(obj: TechnologyContract) -> str:
        return selectors.organization_reach(obj.seller)

    @staticmethod
    def resolve_buyer_reach(obj: TechnologyContract) -> str:
        return selectors.organization_reach(obj.buyer)


class ContractIn(InSchema):
    registration_number: Annotated[str, Field(min_length=1, max_length=40)]
    title: Title
    contract_type: ContractType
    seller: Id
    buyer: Id
    amount: Money
    signed_on: dt.date
    industry: Id | None = None
    demand: Id | None = None
    call: Id | None = None
    cooperation: Id | None = None
    notes: Text = ""
    public: bool = True


ContractPatch = patch_schema(ContractIn, "ContractPatch")
ContractParams = list_params(ContractFilterSet, "ContractListParams")


def _contract_write(request: ApiRequest, data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(data, {
        "seller": Organization.objects.all(), "buyer": Organization.objects.all(), "industry": Industry.objects.all(),
        "demand": Demand.objects.restrict(request.auth, VIEW), "call": ChallengeCall.objects.restrict(request.auth, VIEW),
        "cooperation": CooperationItem.objects.restrict(request.auth, VIEW),
    })


def _contracts() -> Any:
    return TechnologyContract.objects.select_related("seller", "seller__city", "buyer", "buyer__city", "industry")


@router.get("/transactions", response={200: page_schema(ContractOut), **ERRORS_READ}, url_name="contract_list", tags=["transactions"])
def list_contracts(request: ApiRequest, params: Query[ContractParams]) -> Any:  # type: ignore[valid-type]
    """The ledger of technology contracts (技术合同) you may see."""
    return filtered_page(request, _contracts().restrict(request.auth, VIEW), params)


class AmountRow(Schema):
    amount: Decimal
    count: int


class MonthRow(AmountRow):
    month: str
    cumulative: Decimal


class TypeRow(AmountRow):
    type: str
    label: str


class IndustryRow(AmountRow):
    code: str
    name: str


class PairRow(AmountRow):
    seller_place: str
    buyer_place: str


class ReachRow(Schema):
    reach: str
    label: str
    amount: Decimal


class PlaceRow(AmountRow):
    place: str
    reach: str


class RadiationOut(AmountRow):
    places: list[PlaceRow]


class StatsOut(Schema):
    total_amount: Decimal
    count: int
    places_reached: list[str]
    by_month: list[MonthRow]
    by_type: list[TypeRow]
    by_industry: list[IndustryRow]
    by_city_pair: list[PairRow]
    by_reach: list[ReachRow]
    radiation: RadiationOut


@router.get("/transactions/stats", response={200: StatsOut, **ERRORS_READ}, url_name="contract_stats", tags=["transactions"])
def contract_stats(request: ApiRequest, params: Query[ContractParams]) -> Any:  # type: ignore[valid-type]
    """Cumulative volume, by month, type, industry and city pair; radiation beyond the corridor (places are
    city names, or ISO country codes abroad). Takes the same filters as the list."""
    # list_params builds the schema at run time, so mypy cannot see its type (hence the ignore above).
    values = cast(Schema, params).model_dump()
    values.pop("limit"), values.pop("offset")
    data = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items() if v is not None}
    fs = ContractFilterSet(data=data, queryset=_contracts().restrict(request.auth, VIEW), request=request)
    if not fs.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(fs.errors.as_data())
    return selectors.contract_stats(fs.qs)


@router.get("/transactions/export", response={200: None, **ERRORS_READ}, url_name="contract_export", tags=["transactions"])
def export_contracts(request: ApiRequest, format: exports.ExportFormat = "csv") -> HttpResponse:  # noqa: A002 - the API's own word
    """The ledger as CSV (UTF-8 with BOM, opens in Excel) or XLSX."""
    return exports.ledger_response(_contracts().restrict(request.auth, VIEW).order_by("signed_on", "id"), format)


@router.post("/transactions", response={201: ContractOut, **ERRORS_WRITE}, url_name="contract_list", tags=["transactions"])
def create_contract(request: ApiRequest, payload: ContractIn) -> Any:
    contract = services.contract_create(user=request.auth, data=_contract_write(request, sent(payload)), source="api")
    return 201, _contracts().get(pk=contract.pk)


@router.get("/transactions/{id}", response={200: ContractOut, **ERRORS_READ}, url_name="contract_detail", tags=["transactions"])
def get_contract(request: ApiRequest, id: Id) -> Any:
    return get_visible(_contracts(), id, request.auth)


@router.patch("/transactions/{id}", response={200: ContractOut, **ERRORS_WRITE}, url_name="contract_detail", tags=["transactions"])
def update_contract(request: ApiRequest, id: Id, payload: ContractPatch) -> Any:  # type: ignore[valid-type]
    contract = get_visible(_contracts(), id, request.auth)
    services.contract_update(contract, user=request.auth, data=_contract_write(request, sent(payload)), source="api")
    return _contracts().get(pk=contract.pk)


@router.delete("/transactions/{id}", response={204: None, **ERRORS_WRITE}, url_name="contract_detail", tags=["transactions"])
def delete_contract(request: ApiRequest, id: Id) -> Any:
    services.contract_delete(get_visible(TechnologyContract.objects.all(), id, request.auth), user=request.auth, source="api")
    return 204, None


# Policies --------------------------------------------------------------------------------------


class ConditionIO(InSchema):
    kind: ConditionKind
    value: Any = Field(..., description="A list of codes, or a number, depending on the kind.")
    note: Annotated[str, Field(max_length=200)] = ""


class PolicyOut(Schema):
    id: int
    title: str
    issuer: str
    level: str
    type: str
    city: CityRef | None
    province: str
    document_number: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    benefits: str
    max_amount: Decimal | None
    full_text: str
    url: str
    is_demo: bool
    conditions: list[ConditionIO]


class PolicyIn(InSchema):
    title: Title
    issuer: Title
    level: PolicyLevel
    type: PolicyType
    city: Id | None = None
    province: Annotated[str, Field(max_length=20)] = ""
    document_number: Annotated[str, Field(max_length=80)] = ""
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    benefits: Text
    max_amount: Money | None = None
    full_text: Annotated[str, Field(max_length=200000)] = ""
    url: Annotated[str, Field(max_length=200)] = ""
    public: bool = True
    conditions: Annotated[list[ConditionIO], Field(max_length=50)] | None = None


PolicyPatch = patch_schema(PolicyIn, "PolicyPatch")
PolicyParams = list_params(PolicyFilterSet, "PolicyListParams")


def _policies() -> Any:
    return Policy.objects.select_related("city").prefetch_related("conditions")


def _policy_write(data: dict[str, Any]) -> tuple[dict[str, Any], list[services.ConditionInput] | None]:
    conditions = data.pop("conditions", None)
    resolve_refs(data, {"city": City.objects.all()})
    return data, None if conditions is None else [services.ConditionInput(**c) for c in conditions]


@router.get("/policies", response={200: page_schema(PolicyOut), **ERRORS_READ}, url_name="policy_list", tags=["policies"])
def list_policies(request: ApiRequest, params: Query[PolicyParams]) -> Any:  # type: ignore[valid-type]
    """The science and technology policy library (科创政策)."""
    return filtered_page(request, _policies().restrict(request.auth, VIEW), params)


class ConditionResultOut(Schema):
    kind: str
    label: str
    state: str = Field(description="met, missing or unknown")
    required: str
    actual: str


class PolicyMatchOut(Schema):
    policy: PolicyOut
    outcome: str = Field(description="qualified, possible (only unknown facts left) or near (one condition missing)")
    met: int
    missing: int
    unknown: int
    conditions: list[ConditionResultOut]


@router.get("/policies/match", response={200: list[PolicyMatchOut], **ERRORS_READ}, url_name="policy_match", tags=["policies"])
def match_policies(request: ApiRequest, organization: Id) -> Any:
    """The policy matcher (政策计算器): policies in force the organisation qualifies or almost qualifies for.

    Its private facts (R&D ratio, certifications, …) count only for its members and operators;
    for anyone else they are ``unknown``.
    """
    org = Organization.objects.select_related("city").prefetch_related("industries").filter(pk=organization).first()
    if org is None:
        raise ApiError.field("organization", _("Unknown id: {id}.").format(id=organization), "unknown_id")
    return selectors.policy_match(org, user=request.auth)


@router.post("/policies", response={201: PolicyOut, **ERRORS_WRITE}, url_name="policy_list", tags=["policies"])
def create_policy(request: ApiRequest, payload: PolicyIn) -> Any:
    data, conditions = _policy_write(sent(payload))
    policy = services.policy_create(user=request.auth, data=data, conditions=conditions or [], source="api")
    return 201, _policies().get(pk=policy.pk)


@router.get("/policies/{id}", response={200: PolicyOut, **ERRORS_READ}, url_name="policy_detail", tags=["policies"])
def get_policy(request: ApiRequest, id: Id) -> Any:
    return get_visible(_policies(), id, request.auth)


@router.patch("/policies/{id}", response={200: PolicyOut, **ERRORS_WRITE}, url_name="policy_detail", tags=["policies"])
def update_policy(request: ApiRequest, id: Id, payload: PolicyPatch) -> Any:  # type: ignore[valid-type]
    policy = get_visible(_policies(), id, request.auth)
    data, conditions = _policy_write(sent(payload))
    services.policy_update(policy, user=request.auth, data=data, conditions=conditions, source="api")
    return _policies().get(pk=policy.pk)


@router.delete("/policies/{id}", response={204: None, **ERRORS_WRITE}, url_name="policy_detail", tags=["policies"])
def delete_policy(request: ApiRequest, id: Id) -> Any:
    services.policy_delete(get_visible(Policy.objects.all(), id, request.auth), user=request.auth, source="api")
    return 204, None


class ProfileIO(InSchema):
    rd_spend_ratio: Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)] | None = None
    certifications: Annotated[list[str], Field(max_length=20)] = []
    employees: Annotated[int, Field(ge=0, le=10_000_000)] | None = None
    annual_revenue: Money | None = None


class ProfileOut(ProfileIO):
    """The same fields as answered (the OpenAPI document needs a name of its own for the output form)."""


@router.put("/organizations/{id}/market-profile", response={200: ProfileOut, **ERRORS_WRITE}, url_name="market_profile", tags=["policies"])
def set_profile(request: ApiRequest, id: Id, payload: ProfileIO) -> Any:
    """The facts the policy matcher needs (members of the organisation, or operators)."""
    org = get_visible(Organization.objects.all(), id, request.auth)
    profile = services.profile_set(user=request.auth, organization=org, data=payload.model_dump(), source="api")
    return profile


@router.get("/organizations/{id}/market-profile", response={200: ProfileOut, **ERRORS_READ}, url_name="market_profile", tags=["policies"])
def get_profile(request: ApiRequest, id: Id) -> Any:
    org = get_visible(Organization.objects.all(), id, request.auth)
    profile = getattr(org, "market_profile", None) if hasattr(org, "market_profile") else None
    if profile is None or not can(request.auth, VIEW, profile):
        raise Http404
    return profile


# Carrier spaces -------------------------------------------------------------------------------


class SpaceOut(Schema):
    id: int
    name: str
    kind: str
    city: CityRef
    address: str
    operator_org: OrganizationRef | None
    industries: list[IndustryRef]
    description: str
    total_area: Decimal | None
    available_area: Decimal
    rent_min: Decimal | None
    rent_max: Decimal | None
    services: list[str]
    contact_name: str
    contact_phone: str
    contact_email: str
    website: str
    public: bool
    is_demo: bool


Area = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
Rent = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]


class SpaceIn(InSchema):
    name: Title
    kind: SpaceKind
    city: Id
    address: Annotated[str, Field(min_length=1, max_length=300)]
    operator_org: Id | None = None
    industries: list[Id] = []
    description: Text = ""
    total_area: Area | None = None
    available_area: Area
    rent_min: Rent | None = None
    rent_max: Rent | None = None
    services: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)] = []
    contact_name: Annotated[str, Field(max_length=100)] = ""
    contact_phone: Annotated[str, Field(max_length=40)] = ""
    contact_email: Annotated[str, Field(max_length=254)] = ""
    website: Annotated[str, Field(max_length=200)] = ""
    public: bool = True


SpacePatch = patch_schema(SpaceIn, "SpacePatch")
SpaceParams = list_params(SpaceFilterSet, "SpaceListParams")


def _spaces() -> Any:
    return CarrierSpace.objects.select_related("city", "operator_org").prefetch_related("industries")


def _space_write(data: dict[str, Any]) -> dict[str, Any]:
    return resolve_refs(data, {"city": City.objects.all(), "operator_org": Organization.objects.all(), "industries": Industry.objects.all()})


@router.get("/spaces", response={200: page_schema(SpaceOut), **ERRORS_READ}, url_name="space_list", tags=["spaces"])
def list_spaces(request: ApiRequest, params: Query[SpaceParams]) -> Any:  # type: ignore[valid-type]
    """Carrier spaces (载体空间): incubators, accelerators, parks, pilot bases."""
    return filtered_page(request, _spaces().restrict(request.auth, VIEW), params)


@router.post("/spaces", response={201: SpaceOut, **ERRORS_WRITE}, url_name="space_list", tags=["spaces"])
def create_space(request: ApiRequest, payload: SpaceIn) -> Any:
    space = services.space_create(user=request.auth, data=_space_write(sent(payload)), source="api")
    return 201, _spaces().get(pk=space.pk)


@router.get("/spaces/{id}", response={200: SpaceOut, **ERRORS_READ}, url_name="space_detail", tags=["spaces"])
def get_space(request: ApiRequest, id: Id) -> Any:
    return get_visible(_spaces(), id, request.auth)


@router.patch("/spaces/{id}", response={200: SpaceOut, **ERRORS_WRITE}, url_name="space_detail", tags=["spaces"])
def update_space(request: ApiRequest, id: Id, payload: SpacePatch) -> Any:  # type: ignore[valid-type]
    space = get_visible(_spaces(), id, request.auth)
    services.space_update(space, user=request.auth, data=_space_write(sent(payload)), source="api")
    return _spaces().get(pk=space.pk)


@router.delete("/spaces/{id}", response={204: None, **ERRORS_WRITE}, url_name="space_detail", tags=["spaces"])
def delete_space(request: ApiRequest, id: Id) -> Any:
    services.space_delete(get_visible(CarrierSpace.objects.all(), id, request.auth), user=request.auth, source="api")
    return 204, None

