"""Pages of the insights app's analytics half (joined in corridor.insights.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from corridor.core.generic import MenuItem
from corridor.insights import views_analytics as views

urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("data/", views.dashboard_data, name="dashboard_data"),
    path("competition/", views.competition, name="competition"),
    path("competition/data/", views.competition_data, name="competition_data"),
    path("flows/", views.flows, name="flows"),
    path("flows/data/", views.flows_data, name="flows_data"),
]

MENU_ITEMS: tuple[MenuItem, ...] = (
    MenuItem(_("Regional dashboard"), "insights:dashboard"),
    MenuItem(_("Homogeneous competition"), "insights:competition"),
    MenuItem(_("Cooperation flows"), "insights:flows"),
)
