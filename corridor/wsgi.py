"""WSGI entry point (gunicorn serves ``corridor.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corridor.settings")
application = get_wsgi_application()

# Production (DEBUG=0) refuses to serve without a proper SECRET_KEY from the environment.
from corridor.security.checks import require_production_secret_key  # noqa: E402 - needs the app registry

require_production_secret_key()
