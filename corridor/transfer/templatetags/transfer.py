"""``{% transfer_actions %}``: export (XLSX/CSV of the filtered view) and import links on a list page."""

from __future__ import annotations

from typing import Any

from django import template

from corridor.core.permissions import is_operator, member_org_ids
from corridor.transfer.specs import REGISTRY

register = template.Library()


def spec_for_list(url_name: str) -> str:
    for key, spec in REGISTRY.items():
        if spec.list_url_name and spec.list_url_name == url_name:
            return key
    return ""


@register.inclusion_tag("transfer/_list_actions.html", takes_context=True)
def transfer_actions(context: Any) -> dict[str, Any]:
    """Rendered in the generic list page's actions; nothing for lists without an import/export type."""
    url_names = context.get("url_names") or {}
    key = spec_for_list(url_names.get("list", ""))
    user = context.get("user")
    may_import = bool(user is not None and user.is_authenticated and (is_operator(user) or member_org_ids(user)))
    return {"type_key": key, "querystring": context.get("querystring", ""), "may_import": may_import}
