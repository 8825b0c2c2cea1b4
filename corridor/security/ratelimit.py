"""Fixed-window rate limits counted in Django's cache.

Why not pyrate-limiter: its buckets live in one process (or need Redis), while Django's cache is
shared the way the deployment is: local memory for one process, the database or Redis
(``REDIS_URL``) for several gunicorn workers. A fixed window is one ``add`` + one ``incr`` per
request; its known weakness (up to twice the rate across a window boundary) is acceptable here.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Limit:
    count: int
    period: int  # seconds


def parse_rate(rate: str | None) -> Limit | None:
    """"10/m" → Limit(10, 60); "100/5m" → Limit(100, 300); "" or None → no limit."""
    if not rate:
        return None
    match = RATE.match(rate)
    if not match:
        raise ValueError(f"rate limit {rate!r} is not like '10/m', '100/5m' or '1000/h'")
    count, multiple, unit = int(match.group(1)), int(match.group(2) or 1), match.group(3)
    return Limit(count, multiple * PERIODS[unit])


def enabled() -> bool:
    return bool(getattr(settings, "CORRIDOR_RATELIMIT_ENABLED", True))


def hit(scope: str, ident: str) -> int | None:
    """Count one request of ``ident`` in ``scope``; None if allowed, else the seconds to wait."""
    if not enabled():
        return None
    limit = parse_rate(settings.CORRIDOR_RATELIMITS.get(scope))
    if limit is None:
        return None
    now = time.time()
    window = int(now // limit.period)
    key = f"corridor:rl:{scope}:{ident}:{window}"
    # add() is a no-op when the key exists, so concurrent first requests do not reset the count.
    cache.add(key, 0, timeout=limit.period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.period + 1)
        count = 1
    if count <= limit.count:
        return None
    return max(1, int((window + 1) * limit.period - now + 0.999))
