"""The audit log for operators: a read-only, filtered list (the admin shows the same rows)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from corridor.core.permissions import VIEW, is_operator
from corridor.security.filtersets import AuditEventFilterSet
from corridor.security.models import AuditEvent

PAGE_SIZE = 50


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        # Anonymous visitors are sent to the log-in page by the 403 handler's link; members get 403.
        raise PermissionDenied
    events = AuditEvent.objects.restrict(request.user, VIEW).select_related("user")
    filterset = AuditEventFilterSet(request.GET or None, queryset=events)
    for field in filterset.form.fields.values():
        css = "form-select form-select-sm" if field.widget.input_type == "select" else "form-control form-control-sm"  # type: ignore[attr-defined]  # every widget here is an Input or Select
        field.widget.attrs.setdefault("class", css)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "security/audit_log.html", {"filter": filterset, "page_obj": page, "querystring": query.urlencode()})
