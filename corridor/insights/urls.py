"""Web pages of the insights app.

The app has two halves with their own modules: regional analytics (dashboard, homogeneous
competition, cooperation flows; ``urls_analytics``) and cooperation agreements (benefit sharing,
hidden barriers; ``urls_sharing``). Each half lists its pages and menu items; this module joins them.
"""

from django.utils.translation import gettext_lazy as _

from corridor.core.generic import MenuGroup
from corridor.insights import urls_analytics, urls_sharing

app_name = "insights"

urlpatterns = [*urls_analytics.urlpatterns, *urls_sharing.urlpatterns]

menu = MenuGroup(
    label=_("Regional insight"),
    weight=50,
    items=(*urls_analytics.MENU_ITEMS, *urls_sharing.MENU_ITEMS),
)
