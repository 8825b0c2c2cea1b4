from django.urls import path

from corridor.transfer import views

app_name = "transfer"
urlpatterns = [
    path("export/", views.export, name="export"),
    path("templates/<str:type_key>.xlsx", views.template, name="template"),
    path("imports/<int:pk>/errors.xlsx", views.error_report, name="error_report"),
]
