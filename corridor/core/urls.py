"""Site-wide pages: home, health check, plotly.js, log in and log out."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.decorators.http import require_safe

from corridor.core import views
from corridor.core.forms import LoginForm

urlpatterns = [
    path("", require_safe(views.home), name="home"),
    path("healthz", require_safe(views.healthz), name="healthz"),
    path("assets/plotly-<str:version>.min.js", require_safe(views.plotly_js), name="plotly_js"),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
