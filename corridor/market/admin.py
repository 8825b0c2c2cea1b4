"""Admin for operators: the market's objects. Workflow states of calls, bids and milestones are read-only
here — they change only through the services (the web pages and the API), which enforce the lifecycle."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from corridor.core.admin import TrackedModelAdmin
from corridor.market.models import (
    Bid,
    BidAttachment,
    BidMilestone,
    CarrierSpace,
    ChallengeCall,
    OrganizationProfile,
    PanelMember,
    Policy,
    PolicyCondition,
    Review,
    ReviewCriterion,
    ReviewScore,
    TechnologyContract,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewCriterionInline(ReadOnlyInline):
    model = ReviewCriterion
    fields = ("order", "name", "weight", "max_score", "description")


class PanelMemberInline(ReadOnlyInline):
    model = PanelMember
    fields = ("reviewer", "assigned_by", "assigned")
    readonly_fields = ("assigned",)


WORKFLOW_FIELDS = (
    "status", "status_note", "created_by", "approved_by", "submitted_at", "published_at", "closed_at", "awarded_at", "finished_at",
)


@admin.register(ChallengeCall)
class ChallengeCallAdmin(TrackedModelAdmin):
    inlines = (ReviewCriterionInline, PanelMemberInline)
    list_display = ("title", "issuer", "status", "reward", "deadline", "blind_review", "published_at")
    list_filter = ("status", "blind_review", "ip_ownership", "is_demo")
    search_fields = ("title", "summary", "problem", "issuer__name")
    autocomplete_fields = ("issuer", "industries", "demands")
    filter_horizontal = ("eligible_cities",)
    readonly_fields = WORKFLOW_FIELDS
    list_select_related = ("issuer",)
    date_hierarchy = "deadline"


class BidMilestoneInline(ReadOnlyInline):
    model = BidMilestone
    fields = ("order", "title", "due_date", "amount", "status", "decided_by", "decided_at")


class BidAttachmentInline(ReadOnlyInline):
    model = BidAttachment
    fields = ("original_name", "kind", "size", "milestone", "uploaded_by", "uploaded")
    readonly_fields = ("uploaded",)


class ReviewInline(ReadOnlyInline):
    model = Review
    fields = ("reviewer", "weighted_score", "comment", "submitted")


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    """Bids are the bidders' own work: operators read them here (with identity), the services change them."""

    inlines = (BidMilestoneInline, BidAttachmentInline, ReviewInline)
    list_display = ("id", "call", "bidder", "team_name", "budget", "status", "submitted_at")
    list_filter = ("status",)
    search_fields = ("call__title", "bidder__name", "team_name")
    list_select_related = ("call", "bidder")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewScoreInline(ReadOnlyInline):
    model = ReviewScore
    fields = ("criterion", "score")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    inlines = (ReviewScoreInline,)
    list_display = ("bid", "reviewer", "weighted_score", "submitted")
    list_select_related = ("bid", "bid__call", "reviewer")
    search_fields = ("bid__call__title", "reviewer__username")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TechnologyContract)
class TechnologyContractAdmin(TrackedModelAdmin):
    list_display = ("registration_number", "title", "contract_type", "seller", "buyer", "amount", "signed_on", "public")
    list_filter = ("contract_type", "public", "is_demo")
    search_fields = ("registration_number", "title", "seller__name", "buyer__name")
    autocomplete_fields = ("seller", "buyer", "industry", "demand", "call", "cooperation")
    list_select_related = ("seller", "buyer")
    date_hierarchy = "signed_on"


class PolicyConditionInline(admin.TabularInline):
    model = PolicyCondition
    extra = 1


@admin.register(Policy)
class PolicyAdmin(TrackedModelAdmin):
    inlines = (PolicyConditionInline,)
    list_display = ("title", "issuer", "level", "type", "city", "valid_from", "valid_until", "public")
    list_filter = ("level", "type", "public", "is_demo")
    search_fields = ("title", "issuer", "benefits", "document_number")
    list_select_related = ("city",)


@admin.register(OrganizationProfile)
class OrganizationProfileAdmin(TrackedModelAdmin):
    list_display = ("organization", "rd_spend_ratio", "employees", "annual_revenue")
    search_fields = ("organization__name",)
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)


@admin.register(CarrierSpace)
class CarrierSpaceAdmin(TrackedModelAdmin):
    list_display = ("name", "kind", "city", "operator_org", "available_area", "rent_min", "rent_max", "public")
    list_filter = ("kind", "public", "city", "is_demo")
    search_fields = ("name", "address", "description")
    autocomplete_fields = ("operator_org", "industries")
    list_select_related = ("city", "operator_org")
