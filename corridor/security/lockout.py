"""What a locked-out log-in attempt gets: the login page with a clear message, or the API's error body."""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from corridor.core.forms import LoginForm


def lockout_message(minutes: int) -> str:
    return ngettext(
        "Too many failed log-ins: this account is locked on this network for %(minutes)d minute. Try again later, or ask an operator to unlock it.",
        "Too many failed log-ins: this account is locked on this network for %(minutes)d minutes. Try again later, or ask an operator to unlock it.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    message = lockout_message(max(1, math.ceil(seconds / 60)))
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "locked_out", "fields": {}}, status=429)
    else:
        messages.error(request, message)
        next_url = request.POST.get("next", "") if request.method == "POST" else ""
        response = render(request, "registration/login.html", {"form": LoginForm(request), "next": next_url, "locked_out": True}, status=429)
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
