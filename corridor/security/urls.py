from django.urls import path

from corridor.security import views

app_name = "security"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
]
