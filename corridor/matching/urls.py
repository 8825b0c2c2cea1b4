from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from corridor.core.generic import MenuGroup, MenuItem
from corridor.matching import views

app_name = "matching"

urlpatterns = [
    path("search/", require_safe(views.search), name="search"),
    path("demands/<int:pk>/", require_safe(views.demand_matches), name="demand_matches"),
    path("resources/<int:pk>/", require_safe(views.resource_matches), name="resource_matches"),
    path("feedback/", views.feedback, name="feedback"),
]

menu = MenuGroup(_("Supply–demand matching"), (MenuItem(_("Resource navigation"), "matching:search"),), weight=30)
