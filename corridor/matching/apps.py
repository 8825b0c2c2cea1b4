from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "corridor.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from corridor.matching import signals  # noqa: F401  (connects the index-keeping receivers)
