"""Browser tests run against pytest-django's live_server, i.e. on a transactional database.

Flushing that database after a test also empties the reference data loaded by migrations
(cities, industries); tests/conftest.py reloads it before each transactional test.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
