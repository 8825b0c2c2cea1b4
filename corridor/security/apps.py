from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "corridor.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from corridor.security import checks, signals  # noqa: F401 - registers checks and receivers
