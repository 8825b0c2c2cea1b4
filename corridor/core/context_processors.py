from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from corridor.core.permissions import is_operator


def corridor(request: HttpRequest) -> dict[str, Any]:
    return {"is_operator": is_operator(getattr(request, "user", None))}
