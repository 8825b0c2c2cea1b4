"""The whole demo platform: the region's three lists, then the market, the shared labs and the
technology-manager alliance on top of it, then fresh matching indexes.

The labs' 66 instruments and platforms are resources of the three lists too; the region's
generator leaves room for them, so the region still holds exactly 311 resources, 298 demands
and 196 cooperation items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db import transaction

from corridor.demo.loader import DEMO_PASSWORD, demo_is_loaded, load_demo, reset_demo


def _labs_reserved() -> int:
    if not apps.is_installed("corridor.labs"):
        return 0
    from corridor.labs.demo import INSTRUMENTS

    return INSTRUMENTS


def _reset_extras() -> None:
    """Remove what the apps' demo loaders wrote, before the region they stand on goes."""
    if apps.is_installed("corridor.brokers"):
        from django.db.models import Q

        from corridor.brokers.models import Case, Consortium

        Case.objects.filter(Q(is_demo=True) | Q(parties__organization__is_demo=True)).delete()
        # The seed consortia are real, but the demo gave them demo members (and reloads them whole).
        Consortium.objects.filter(
            Q(is_demo=True) | Q(members__organization__is_demo=True) | Q(lead__is_demo=True)
        ).distinct().delete()
    if apps.is_installed("corridor.market"):
        from corridor.market.demo import _clear as clear_market

        clear_market()
    if apps.is_installed("corridor.labs"):
        from corridor.labs.demo import reset_labs_demo

        reset_labs_demo()


def _extras() -> list[tuple[str, Callable[[], Any]]]:
    steps: list[tuple[str, Callable[[], Any]]] = []
    if apps.is_installed("corridor.labs"):
        from corridor.labs.demo import load_labs_demo

        steps.append(("labs", load_labs_demo))
    if apps.is_installed("corridor.market"):
        from corridor.market.demo import load_market_demo

        steps.append(("market", lambda: load_market_demo(password=DEMO_PASSWORD)))
    if apps.is_installed("corridor.brokers"):
        from corridor.brokers.demo import load_brokers_demo

        steps.append(("brokers", load_brokers_demo))
    if apps.is_installed("corridor.insights"):
        from corridor.insights.demo import load_insights_demo

        steps.append(("insights", load_insights_demo))
    return steps


def load_full_demo(*, reset: bool = False, progress: bool = True, index: bool = True) -> dict[str, Any]:
    """Load everything; without ``reset`` an already loaded demo is left alone (returns ``{}``)."""
    from rich.console import Console

    console = Console(stderr=True, quiet=not progress)
    with transaction.atomic():
        if reset:
            _reset_extras()
            reset_demo()
        elif demo_is_loaded():
            return {}
        counts: dict[str, Any] = dict(load_demo(progress=progress, reserved_resources=_labs_reserved()))
        for name, step in _extras():
            with console.status(f"Demo: {name} …"):
                result = step()
            counts[name] = {k: v for k, v in (result or {}).items() if isinstance(v, int)}
    if index and apps.is_installed("corridor.matching"):
        from corridor.matching.registry import ALL_KINDS, registry

        with console.status("Matching indexes …"):
            counts["indexed"] = {kind: registry.rebuild(kind) for kind in ALL_KINDS}
    return counts
