from django.urls import path
from django.utils.translation import gettext_lazy as _

from corridor.core.generic import MenuGroup, MenuItem, crud_urls
from corridor.lists import views
from corridor.lists.models import CooperationItem, Demand, Resource

app_name = "lists"


urlpatterns = [
    *crud_urls("resource", "resources", views.ResourceListView, views.ResourceEditView, views.ResourceDetailView, views.ResourceDeleteView),
    *crud_urls("demand", "demands", views.DemandListView, views.DemandEditView, views.DemandDetailView, views.DemandDeleteView),
    path("demands/<int:pk>/transition/", views.DemandTransitionView.as_view(), name="demand_transition"),
    *crud_urls(
        "cooperation",
        "cooperation",
        views.CooperationListView,
        views.CooperationEditView,
        views.CooperationDetailView,
        views.CooperationDeleteView,
    ),
]

menu = MenuGroup(
    label=_("The three lists"),
    weight=10,
    items=(
        MenuItem(_("Resources"), "lists:resource_list", "lists:resource_add", Resource),
        MenuItem(_("Demands"), "lists:demand_list", "lists:demand_add", Demand),
        MenuItem(_("Cooperation items"), "lists:cooperation_list", "lists:cooperation_add", CooperationItem),
    ),
)
