"""Pages of the technology-manager alliance and the innovation consortia, under /brokers/."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from corridor.brokers import views
from corridor.core.generic import MenuGroup, MenuItem

app_name = "brokers"

urlpatterns = [
    path("managers/", views.ManagerListView.as_view(), name="manager_list"),
    path("managers/coverage/", require_safe(views.manager_coverage), name="manager_coverage"),
    path("managers/<int:pk>/", views.ManagerDetailView.as_view(), name="manager_detail"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/board/", require_safe(views.board), name="case_board"),
    path("cases/queue/", require_safe(views.queue), name="case_queue"),
    path("cases/kpis/", require_safe(views.kpis), name="case_kpis"),
    path("cases/kpis/data.csv", require_safe(views.kpis_csv), name="case_kpis_csv"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/assign/", views.CaseAssignView.as_view(), name="case_assign"),
    path("cases/<int:pk>/advance/", views.CaseAdvanceView.as_view(), name="case_advance"),
    path("cases/<int:pk>/close/", views.CaseCloseView.as_view(), name="case_close"),
    path("cases/<int:pk>/reopen/", views.CaseReopenView.as_view(), name="case_reopen"),
    path("cases/<int:pk>/activities/", views.CaseActivityView.as_view(), name="case_activity"),
    path("cases/<int:pk>/documents/", views.CaseDocumentView.as_view(), name="case_document"),
    path("cases/<int:pk>/documents/<int:doc>/", views.CaseDocumentDownloadView.as_view(), name="case_document_download"),
    path("cases/<int:pk>/links/", views.CaseLinkView.as_view(), name="case_link"),
    path("consortia/", views.ConsortiumListView.as_view(), name="consortium_list"),
    path("consortia/<int:pk>/", views.ConsortiumDetailView.as_view(), name="consortium_detail"),
]

menu = MenuGroup(
    label=_("Technology managers"),
    weight=35,
    items=(
        MenuItem(_("Case board"), "brokers:case_board"),
        MenuItem(_("My queue"), "brokers:case_queue"),
        MenuItem(_("Cases"), "brokers:case_list"),
        MenuItem(_("Case KPIs"), "brokers:case_kpis"),
        MenuItem(_("Technology managers"), "brokers:manager_list"),
        MenuItem(_("Alliance coverage"), "brokers:manager_coverage"),
        MenuItem(_("Innovation consortia"), "brokers:consortium_list"),
    ),
)
