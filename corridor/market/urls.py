from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from corridor.core.generic import MenuGroup, MenuItem, crud_urls
from corridor.market import views
from corridor.market.models import CarrierSpace, ChallengeCall, TechnologyContract

app_name = "market"
# Read-only pages take GET and HEAD only (require_safe): a POST to them answers 405.
urlpatterns = [
    path("", require_safe(views.home), name="home"),
    path("search/", require_safe(views.search), name="search"),
    # Challenge calls (揭榜挂帅)
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("calls/add/", views.CallEditView.as_view(), name="call_add"),
    path("calls/<int:pk>/", views.CallDetailView.as_view(), name="call_detail"),
    path("calls/<int:pk>/edit/", views.CallEditView.as_view(), name="call_edit"),
    path("calls/<int:pk>/do/<slug:action>/", views.CallActionView.as_view(), name="call_action"),
    path("calls/<int:pk>/panel/", views.PanelView.as_view(), name="call_panel"),
    path("calls/<int:pk>/award/", views.AwardView.as_view(), name="call_award"),
    path("calls/<int:pk>/bid/", views.BidCreateView.as_view(), name="bid_add"),
    # Bids, reviews, milestones
    path("bids/", views.BidListView.as_view(), name="bid_list"),
    path("bids/<int:pk>/", views.BidDetailView.as_view(), name="bid_detail"),
    path("bids/<int:pk>/edit/", views.BidEditView.as_view(), name="bid_edit"),
    path("bids/<int:pk>/withdraw/", views.BidWithdrawView.as_view(), name="bid_withdraw"),
    path("bids/<int:pk>/attachments/", views.AttachmentUploadView.as_view(), name="bid_attachment_add"),
    path("bids/<int:pk>/review/", views.ReviewView.as_view(), name="bid_review"),
    path("milestones/<int:pk>/<slug:action>/", views.MilestoneActionView.as_view(), name="milestone_action"),
    path("attachments/<int:pk>/download", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.AttachmentDeleteView.as_view(), name="attachment_delete"),
    # The ledger (技术交易)
    path("ledger/stats/", require_safe(views.ledger_stats), name="ledger_stats"),
    path("ledger/stats/data/", require_safe(views.ledger_stats_data), name="ledger_stats_data"),
    path("ledger/export/", require_safe(views.ledger_export), name="ledger_export"),
    *crud_urls("contract", "ledger", views.ContractListView, views.ContractEditView, views.ContractDetailView, views.ContractDeleteView),
    # Policies (科创政策) and the matcher (政策计算器)
    path("policies/", views.PolicyListView.as_view(), name="policy_list"),
    path("policies/<int:pk>/", views.PolicyDetailView.as_view(), name="policy_detail"),
    path("policies/match/", views.PolicyMatchView.as_view(), name="policy_match"),
    path("profiles/<int:org_pk>/", views.ProfileEditView.as_view(), name="profile_edit"),
    # Carrier spaces (载体空间)
    *crud_urls("space", "spaces", views.SpaceListView, views.SpaceEditView, views.SpaceDetailView, views.SpaceDeleteView),
]

menu = MenuGroup(
    label=_("Innovation market"),
    weight=25,
    items=(
        MenuItem(_("Market home"), "market:home"),
        MenuItem(_("Challenge calls"), "market:call_list", "market:call_add", ChallengeCall),
        MenuItem(_("My bids"), "market:bid_list"),
        MenuItem(_("Technology transactions"), "market:contract_list", "market:contract_add", TechnologyContract),
        MenuItem(_("Transaction statistics"), "market:ledger_stats"),
        MenuItem(_("Policy library"), "market:policy_list"),
        MenuItem(_("Policy matcher"), "market:policy_match"),
        MenuItem(_("Carrier spaces"), "market:space_list", "market:space_add", CarrierSpace),
    ),
)
