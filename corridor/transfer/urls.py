from django.urls import path
from django.utils.translation import gettext_lazy as _

from corridor.core.generic import MenuGroup, MenuItem
from corridor.transfer import views

app_name = "transfer"
urlpatterns = [
    path("export/", views.export, name="export"),
    path("templates/<str:type_key>.xlsx", views.template, name="template"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("imports/<int:pk>/progress.json", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.xlsx", views.error_report, name="error_report"),
]

menu = MenuGroup(
    label=_("Import and export"),
    weight=80,
    items=(
        MenuItem(_("New import"), "transfer:import_new"),
        MenuItem(_("Past imports"), "transfer:import_list"),
    ),
)
