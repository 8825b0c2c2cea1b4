from django.utils.translation import gettext_lazy as _

from corridor.core.generic import MenuGroup, MenuItem, crud_urls
from corridor.core.permissions import is_operator
from corridor.orgs import views
from corridor.orgs.models import Organization

app_name = "orgs"

urlpatterns = crud_urls(
    "organization",
    "",
    views.OrganizationListView,
    views.OrganizationEditView,
    views.OrganizationDetailView,
    views.OrganizationDeleteView,
)

# The header's navigation collects every app's ``menu`` (see corridor.core.generic.navigation).
menu = MenuGroup(
    label=_("Organisations"),
    weight=20,
    items=(
        MenuItem(_("Organisations"), "orgs:organization_list", "orgs:organization_add", Organization, add_permission=is_operator),
    ),
)
