"""Pages of the insights app's sharing half (joined in corridor.insights.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from corridor.core.generic import MenuItem, crud_urls
from corridor.insights import views_sharing as views
from corridor.insights.models import Barrier

urlpatterns: list[URLPattern] = [
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/export.<str:fmt>", views.AgreementExportView.as_view(), name="agreement_export"),
    path("cooperation/<int:pk>/sharing/", views.CalculatorView.as_view(), name="agreement_calculator"),
    path("barriers/compare/", require_safe(views.barrier_compare), name="barrier_compare"),
    path("barriers/cited/", require_safe(views.barrier_cited), name="barrier_cited"),
    *crud_urls("barrier", "barriers", views.BarrierListView, views.BarrierEditView, views.BarrierDetailView, views.BarrierDeleteView),
]

MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Benefit-sharing agreements"), "insights:agreement_list"),
    MenuItem(
        _("Hidden barriers"),
        "insights:barrier_list",
        add_url_name="insights:barrier_add",
        model=Barrier,
        add_permission=lambda user: bool(getattr(user, "is_operator", False)),
    ),
    MenuItem(_("Compare cities' barriers"), "insights:barrier_compare"),
    MenuItem(_("Barriers cited by stalled cases"), "insights:barrier_cited"),
)
