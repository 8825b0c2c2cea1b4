"""Reads over cities and industries: resolving what people type, and industry subtrees."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q

from corridor.regions.models import City, Industry

# Ids beyond this do not exist (and would overflow the database's integer).
_MAX_ID_DIGITS = 18


def _is_id(text: str) -> bool:
    """ASCII digits only ("²" and "١" are digits to str.isdigit() but not to int()), and not too long."""
    return text.isascii() and text.isdigit() and len(text) <= _MAX_ID_DIGITS


def resolve_city(value: str | int | None) -> City | None:
    """A city by database id, GB/T 2260 code, or name (苏州, 苏州市 or Suzhou)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or "\x00" in text:  # PostgreSQL refuses NUL in text parameters; no name contains one
        return None
    if text.isascii() and text.isdigit():
        if len(text) == 6:
            return City.objects.filter(code=text).first()
        return City.objects.filter(pk=int(text)).first() if _is_id(text) else None
    return City.objects.filter(Q(name=text) | Q(short_name=text) | Q(name_en__iexact=text)).first()


def resolve_industry(value: str | int | None, scheme: str | None = None) -> Industry | None:
    """An industry by id, by code (``26``, ``2614``, ``1.5``) or by exact name."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or "\x00" in text:  # PostgreSQL refuses NUL in text parameters; no name contains one
        return None
    qs = Industry.objects.all()
    if scheme:
        qs = qs.filter(scheme=scheme)
    if text.startswith("#") and _is_id(text[1:]):
        return qs.filter(pk=int(text[1:])).first()
    return qs.filter(code=text).order_by("scheme").first() or qs.filter(name=text).first()


@lru_cache(maxsize=1)
def _children_map() -> dict[int, tuple[int, ...]]:
    children: dict[int, list[int]] = {}
    for pk, parent in Industry.objects.values_list("pk", "parent_id"):
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    return {k: tuple(v) for k, v in children.items()}


def industry_subtree_ids(industry_id: int) -> set[int]:
    """The industry and all its descendants (reference data does not change while running)."""
    children = _children_map()
    out, stack = set(), [industry_id]
    while stack:
        node = stack.pop()
        if node in out:
            continue
        out.add(node)
        stack.extend(children.get(node, ()))
    return out
