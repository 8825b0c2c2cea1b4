"""State changes of the three lists. Views and the API call these; they decide no rules themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.core.errors import ConflictError
from corridor.core.history import record_change, snapshot
from corridor.core.models import ChangeAction
from corridor.core.permissions import ADD, CHANGE, can, is_operator, member_org_ids
from corridor.core.services import object_create, object_delete, object_update
from corridor.lists.choices import DEMAND_TRANSITIONS, DemandStatus, PartyRole
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource, ResourceEvidence
from corridor.orgs.models import Organization


def _require_owner_access(user: Any, organization: Organization | None) -> None:
    """Members may only write entries owned by organisations they act for."""
    if organization is None or is_operator(user):
        return
    if organization.pk not in member_org_ids(user):
        raise PermissionDenied(_("You do not act for {org}.").format(org=organization.name))


# Resources ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    title: str
    text: str = ""
    reference: str = ""
    year: int | None = None


def _set_evidence(resource: Resource, evidence: Sequence[EvidenceInput] | None) -> None:
    if evidence is None:
        return
    resource.evidence.all().delete()
    rows = []
    for e in evidence:
        row = ResourceEvidence(resource=resource, kind=e.kind, title=e.title, text=e.text, reference=e.reference, year=e.year)
        row.full_clean(exclude=["resource"])
        rows.append(row)
    ResourceEvidence.objects.bulk_create(rows)


def resource_create(
    *, user: Any, data: Mapping[str, Any], evidence: Sequence[EvidenceInput] | None = None, source: str = "web"
) -> Resource:
    if not can(user, ADD, model=Resource):
        raise PermissionDenied(_("You need to act for an organisation to add resources."))
    _require_owner_access(user, data.get("owner"))
    data = dict(data)
    if data.get("city") is None and data.get("owner") is not None:
        data["city"] = data["owner"].city
    return object_create(Resource, user=user, data=data, source=source, after_save=lambda r: _set_evidence(r, evidence))


def resource_update(
    resource: Resource,
    *,
    user: Any,
    data: Mapping[str, Any],
    evidence: Sequence[EvidenceInput] | None = None,
    source: str = "web",
) -> Resource:
    if not can(user, CHANGE, resource):
        raise PermissionDenied(_("You may not change this resource."))
    if "owner" in data:
        _require_owner_access(user, data["owner"])
    return object_update(resource, user=user, data=data, source=source, after_save=lambda r: _set_evidence(r, evidence))


def resource_delete(resource: Resource, *, user: Any, source: str = "web") -> None:
    if not can(user, "delete", resource):
        raise PermissionDenied(_("You may not delete this resource."))
    object_delete(resource, user=user, source=source)


# Demands --------------------------------------------------------------------------------------


def demand_create(*, user: Any, data: Mapping[str, Any], source: str = "web") -> Demand:
    if not can(user, ADD, model=Demand):
        raise PermissionDenied(_("You need to act for an organisation to post demands."))
    _require_owner_access(user, data.get("owner"))
    data = dict(data)
    status = data.pop("status", DemandStatus.DRAFT) or DemandStatus.DRAFT
    if status not in (DemandStatus.DRAFT, DemandStatus.PUBLISHED):
        raise ConflictError(_("A new demand starts as a draft or published."), code="invalid_transition")
    if data.get("city") is None and data.get("owner") is not None:
        data["city"] = data["owner"].city
    data["status"] = status
    if status == DemandStatus.PUBLISHED:
        data["published_at"] = timezone.now()
    return object_create(Demand, user=user, data=data, source=source)


def demand_update(demand: Demand, *, user: Any, data: Mapping[str, Any], source: str = "web") -> Demand:
    if not can(user, CHANGE, demand):
        raise PermissionDenied(_("You may not change this demand."))
    data = dict(data)
    new_status = data.pop("status", None)
    if "owner" in data:
        _require_owner_access(user, data["owner"])
    with transaction.atomic():
        demand = object_update(demand, user=user, data=data, source=source)
        if new_status and new_status != demand.status:
            demand = demand_transition(demand, user=user, to=new_status, source=source)
    return demand


def demand_transition(demand: Demand, *, user: Any, to: str, source: str = "web") -> Demand:
    """Move a demand along its workflow; refused moves raise ConflictError (HTTP 409)."""
    if not can(user, CHANGE, demand):
        raise PermissionDenied(_("You may not change this demand."))
    if to not in DemandStatus.values:
        raise ValidationError({"status": _("Unknown status “{status}”.").format(status=to)})
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        allowed = DEMAND_TRANSITIONS[locked.status]
        if to not in allowed:
            raise ConflictError(
                _("A demand cannot go from “{current}” to “{target}”.").format(
                    current=DemandStatus(locked.status).label, target=DemandStatus(to).label
                ),
                code="invalid_transition",
            )
        before = snapshot(locked)
        locked.status = to
        fields = ["status", "updated"]
        if to == DemandStatus.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.save(update_fields=fields)
        record_change(locked, ChangeAction.UPDATE, user=user, before=before, source=source)
    return locked


def demand_delete(demand: Demand, *, user: Any, source: str = "web") -> None:
    if not can(user, "delete", demand):
        raise PermissionDenied(_("You may not delete this demand."))
    object_delete(demand, user=user, source=source)


# Cooperation items ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    organization: Organization
    role: str


def validate_parties(parties: Sequence[PartyInput]) -> None:
    """Two or more distinct organisations, in at least two different cities."""
    if len(parties) < 2:
        raise ValidationError({"parties": _("A cooperation item needs at least two parties.")})
    org_ids = [p.organization.pk for p in parties]
    if len(set(org_ids)) != len(org_ids):
        raise ValidationError({"parties": _("Each organisation can be a party only once.")})
    for p in parties:
        if p.role not in PartyRole.values:
            raise ValidationError({"parties": _("Unknown party role “{role}”.").format(role=p.role)})
    places = {p.organization.city_id if p.organization.city_id is not None else f"country:{p.organization.country}" for p in parties}
    if len(places) < 2:
        raise ValidationError(
            {"parties": _("The parties of a cooperation item must sit in at least two different cities.")}
        )


def rd_production_split(parties: Iterable[PartyInput]) -> bool:
    parties = list(parties)
    rd = {p.organization.city_id for p in parties if p.role in (PartyRole.RD, PartyRole.LEAD)}
    production = {p.organization.city_id for p in parties if p.role == PartyRole.PRODUCTION}
    return any(a != b for a in rd for b in production)


def _set_parties(item: CooperationItem, parties: Sequence[PartyInput] | None) -> None:
    if parties is None:
        return
    validate_parties(parties)
    item.parties.all().delete()
    CooperationParty.objects.bulk_create(
        [CooperationParty(item=item, organization=p.organization, role=p.role) for p in parties]
    )
    split = rd_production_split(parties)
    if split != item.rd_production_split:
        item.rd_production_split = split
        item.save(update_fields=["rd_production_split"])


def _require_party_access(user: Any, parties: Sequence[PartyInput] | None) -> None:
    if parties is None or is_operator(user):
        return
    if not {p.organization.pk for p in parties} & member_org_ids(user):
        raise PermissionDenied(_("You can only record cooperation items your own organisation is a party to."))


def cooperation_create(
    *, user: Any, data: Mapping[str, Any], parties: Sequence[PartyInput], source: str = "web"
) -> CooperationItem:
    if not can(user, ADD, model=CooperationItem):
        raise PermissionDenied(_("You need to act for an organisation to record cooperation items."))
    _require_party_access(user, parties)
    validate_parties(parties)
    return object_create(CooperationItem, user=user, data=data, source=source, after_save=lambda i: _set_parties(i, parties))


def cooperation_update(
    item: CooperationItem,
    *,
    user: Any,
    data: Mapping[str, Any],
    parties: Sequence[PartyInput] | None = None,
    source: str = "web",
) -> CooperationItem:
    if not can(user, CHANGE, item):
        raise PermissionDenied(_("You may not change this cooperation item."))
    _require_party_access(user, parties)
    return object_update(item, user=user, data=data, source=source, after_save=lambda i: _set_parties(i, parties))


def cooperation_delete(item: CooperationItem, *, user: Any, source: str = "web") -> None:
    if not can(user, "delete", item):
        raise PermissionDenied(_("You may not delete this cooperation item."))
    object_delete(item, user=user, source=source)
