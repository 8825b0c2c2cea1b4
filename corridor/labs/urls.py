from django.urls import path
from django.utils.translation import gettext_lazy as _

from corridor.core.generic import MenuGroup, MenuItem, crud_urls
from corridor.labs import views
from corridor.labs.models import Instrument

app_name = "labs"

urlpatterns = [
    *crud_urls(
        "instrument", "instruments", views.InstrumentListView, views.InstrumentEditView, views.InstrumentDetailView, views.InstrumentDeleteView
    ),
    path("instruments/<int:pk>/book/", views.booking_create, name="booking_create"),
    path("instruments/<int:pk>/block/", views.instrument_block, name="instrument_block"),
    path("instruments/<int:pk>/calendar.ics", views.instrument_ics, name="instrument_ics"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/", views.booking_detail, name="booking_detail"),
    path("bookings/<int:pk>/usage/", views.booking_usage, name="booking_usage"),
    path("bookings/<int:pk>/<slug:action>/", views.booking_action, name="booking_action"),
    path("approvals/", views.approval_queue, name="approvals"),
    path("utilisation/", views.utilisation, name="utilisation"),
    path("feeds/<str:token>/bookings.ics", views.user_ics, name="user_ics"),
]

menu = MenuGroup(
    label=_("Shared laboratories"),
    weight=40,
    items=(
        MenuItem(_("Instruments and platforms"), "labs:instrument_list", "labs:instrument_add", Instrument),
        MenuItem(_("My bookings"), "labs:my_bookings"),
        MenuItem(_("Approval queue"), "labs:approvals"),
        MenuItem(_("Utilisation"), "labs:utilisation"),
    ),
)
