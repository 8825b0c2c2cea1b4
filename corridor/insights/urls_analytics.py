"""Pages of the insights app's analytics half (joined in corridor.insights.urls)."""

from __future__ import annotations

from django.urls import URLPattern

from corridor.core.generic import MenuItem

urlpatterns: list[URLPattern] = []

MENU_ITEMS: tuple[MenuItem, ...] = ()
