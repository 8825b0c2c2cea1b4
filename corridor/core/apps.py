from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "corridor.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created

        from corridor.core import dataversion

        connection_created.connect(dataversion.install, dispatch_uid="corridor-data-version")
        for connection in connections.all(initialized_only=True):  # opened before the app was ready
            dataversion.install(connection=connection)
