from django.urls import path

from corridor.market import views

app_name = "market"
urlpatterns = [
    path("attachments/<int:pk>/download", views.attachment_download, name="attachment_download"),
]
