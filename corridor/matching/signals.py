"""Keep the matching indexes current: every change to an indexed object writes an IndexEvent in the
same transaction, and this process applies it after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from corridor.lists.models import Demand, Resource, ResourceEvidence
from corridor.matching.choices import IndexKind
from corridor.matching.models import IndexEvent


def _touch(kind: str, object_id: int | None) -> None:
    if object_id is None:
        return
    IndexEvent.objects.create(kind=kind, object_id=object_id)

    def apply() -> None:
        from corridor.matching.registry import registry

        registry.sync_if_loaded(kind)

    transaction.on_commit(apply)


@receiver(post_save, sender=Resource)
@receiver(post_delete, sender=Resource)
def _resource_changed(sender: Any, instance: Resource, **kwargs: Any) -> None:
    _touch(IndexKind.RESOURCES, instance.pk)


@receiver(post_save, sender=ResourceEvidence)
@receiver(post_delete, sender=ResourceEvidence)
def _evidence_changed(sender: Any, instance: ResourceEvidence, **kwargs: Any) -> None:
    _touch(IndexKind.RESOURCES, instance.resource_id)


@receiver(post_save, sender=Demand)
@receiver(post_delete, sender=Demand)
def _demand_changed(sender: Any, instance: Demand, **kwargs: Any) -> None:
    _touch(IndexKind.DEMANDS, instance.pk)


@receiver(m2m_changed, sender=Resource.industries.through)
def _resource_industries(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, Resource):
        _touch(IndexKind.RESOURCES, instance.pk)


@receiver(m2m_changed, sender=Demand.industries.through)
def _demand_industries(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and isinstance(instance, Demand):
        _touch(IndexKind.DEMANDS, instance.pk)


def _connect_managers() -> None:
    from corridor.brokers.models import TechnologyManager

    def changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        _touch(IndexKind.MANAGERS, instance.pk)

    post_save.connect(changed, sender=TechnologyManager, weak=False, dispatch_uid="matching_manager_save")
    post_delete.connect(changed, sender=TechnologyManager, weak=False, dispatch_uid="matching_manager_delete")


_connect_managers()
