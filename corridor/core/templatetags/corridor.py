"""Template helpers shared by every page: money, navigation, form fields, table cells, sorting."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from corridor.core.generic import Column, navigation
from corridor.core.permissions import ADD, can

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    """¥1,234,567.00 — money is Decimal yuan with two places; empty stays empty."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"¥{amount:,.2f}"


@register.simple_tag
def yuan_range(low: Any, high: Any) -> str:
    if low is None and high is None:
        return ""
    if low is not None and high is not None:
        return f"{yuan(low)} – {yuan(high)}"
    if low is not None:
        return _("from {amount}").format(amount=yuan(low))
    return _("up to {amount}").format(amount=yuan(high))


@register.simple_tag(takes_context=True)
def corridor_menu(context: template.Context) -> list[dict[str, Any]]:
    """The navigation groups with resolved URLs and whether the user may add, for base.html."""
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    out = []
    for group in navigation():
        items = []
        for item in group.items:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            add_url = ""
            may_add = item.model is not None and can(user, ADD, model=item.model)
            if may_add and item.add_permission is not None:
                may_add = item.add_permission(user)
            if item.add_url_name and may_add:
                try:
                    add_url = reverse(item.add_url_name)
                except NoReverseMatch:
                    add_url = ""
            items.append({"label": item.label, "url": url, "add_url": add_url, "active": path.startswith(url)})
        if items:
            out.append({"label": group.label, "items": items, "active": any(i["active"] for i in items)})
    return out


@register.inclusion_tag("generic/_field.html")
def render_field(field: Any, inline: bool = False) -> dict[str, Any]:
    widget = field.field.widget
    kind = type(widget).__name__
    return {"field": field, "is_checkbox": kind == "CheckboxInput", "inline": inline}


@register.simple_tag(takes_context=True)
def table_cell(context: template.Context, column: Column, record: Any) -> SafeString | str:
    value = column.value(record)
    if column.template:
        # Template context keys are variable names; flatten() is typed more loosely.
        flat = cast(dict[str, Any], context.flatten())
        flat.update({"record": record, "value": value, "column": column})
        return render_to_string(column.template, flat)
    if value is None or value == "":
        return mark_safe('<span class="text-body-tertiary">—</span>')  # noqa: S308 - a constant
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if column.linkify and hasattr(record, "get_absolute_url"):
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), value)
    return str(value)


@register.simple_tag
def sort_url(sort_querystring: str, current: str, column: Column) -> str:
    """The list URL sorting by ``column``; a second click reverses the order."""
    query = QueryDict(sort_querystring, mutable=True)
    query["sort"] = f"-{column.name}" if current == column.name else column.name
    return "?" + query.urlencode()


@register.simple_tag
def page_url(querystring: str, number: int) -> str:
    query = QueryDict(querystring, mutable=True)
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def contains(collection: Any, item: Any) -> bool:
    try:
        return item in collection
    except TypeError:
        return False
