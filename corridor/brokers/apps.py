from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrokersConfig(AppConfig):
    name = "corridor.brokers"
    label = "brokers"
    verbose_name = _("Technology managers and consortia")
    default_auto_field = "django.db.models.BigAutoField"
