from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("corridor.api.urls")),
    path("", include("corridor.core.urls")),
    path("orgs/", include("corridor.orgs.urls")),
    path("lists/", include("corridor.lists.urls")),
    path("matching/", include("corridor.matching.urls")),
    path("market/", include("corridor.market.urls")),
    path("brokers/", include("corridor.brokers.urls")),
    path("transfer/", include("corridor.transfer.urls")),
    path("labs/", include("corridor.labs.urls")),
    path("insights/", include("corridor.insights.urls")),
    path("security/", include("corridor.security.urls")),
]
