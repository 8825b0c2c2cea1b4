"""State changes of technology managers, cases and consortia. Views and the API call these.

Case rules: a case walks the chain one stage at a time (``case_advance``); skipping or going
back is refused with ``ConflictError`` unless an operator reopens it (``case_reopen``). Every
move writes a ``CaseStageChange`` row (from, to, at, by) and a change record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from corridor.brokers.choices import (
    STAGE_CHAIN,
    ActivityKind,
    CasePartyRole,
    CaseStage,
    DocumentKind,
    GoalKind,
    LostReason,
    MemberRole,
    OutputKind,
    StageChangeKind,
    next_stage,
)
from corridor.brokers.models import (
    LINKABLE_MODELS,
    Case,
    CaseActivity,
    CaseDocument,
    CaseLink,
    CaseParty,
    CaseStageChange,
    Consortium,
    ConsortiumGoal,
    ConsortiumMember,
    ConsortiumOutput,
    TechnologyManager,
)
from corridor.core.errors import ConflictError
from corridor.core.history import record_change, snapshot
from corridor.core.models import ChangeAction
from corridor.core.permissions import CHANGE, VIEW, can, is_operator
from corridor.core.services import object_create, object_update
from corridor.lists.choices import PartyRole
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import Organization, User


def _require_operator(user: Any, message: str) -> None:
    if not is_operator(user):
        raise PermissionDenied(message)


# Technology managers ---------------------------------------------------------------------------


def technology_manager_create(*, user: Any, person: User, data: Mapping[str, Any], source: str = "web") -> TechnologyManager:
    """Enrol a person in the alliance (operators only); the person becomes a technology manager."""
    _require_operator(user, _("Only platform operators enrol technology managers."))
    if TechnologyManager.objects.filter(user=person).exists():
        raise ConflictError(_("{person} already has a technology manager profile.").format(person=person), code="duplicate")
    with transaction.atomic():
        if not person.is_technology_manager:
            person.is_technology_manager = True
            person.save(update_fields=["is_technology_manager"])
        return object_create(TechnologyManager, user=user, data={**data, "user": person}, source=source)


def technology_manager_update(
    manager: TechnologyManager, *, user: Any, data: Mapping[str, Any], source: str = "web"
) -> TechnologyManager:
    """Operators change any profile; a manager changes their own (but not its certification or activity)."""
    own = getattr(user, "pk", None) is not None and manager.user_id == user.pk
    if not is_operator(user):
        if not own:
            raise PermissionDenied(_("You may not change this technology manager profile."))
        if {"certification_level", "active", "user"} & set(data):
            raise PermissionDenied(_("Only platform operators change certification and activity."))
    data = {k: v for k, v in data.items() if k != "user"}
    return object_update(manager, user=user, data=data, source=source)


# Cases: permissions ----------------------------------------------------------------------------


def case_can(user: Any, action: str, case: Case) -> bool:
    """The case permission rule, answered by the same query that lists use (``Case.objects.restrict``)."""
    return Case.objects.restrict(user, action).filter(pk=case.pk).exists()


def _require_case(user: Any, action: str, case: Case) -> None:
    if not case_can(user, action, case):
        if action == VIEW:
            raise PermissionDenied(_("You may not see this case."))
        raise PermissionDenied(_("Only the case's technology managers and operators may change this case."))


# Cases: parties and the cross-region pair ------------------------------------------------------


@dataclass(frozen=True)
class CasePartyInput:
    organization: Organization
    role: str


# Keyed by the stored string value of the cooperation party's role.
_COOPERATION_ROLE: dict[str, CasePartyRole] = {
    PartyRole.LEAD: CasePartyRole.RD,
    PartyRole.RD: CasePartyRole.RD,
    PartyRole.PRODUCTION: CasePartyRole.PRODUCTION,
    PartyRole.FUNDING: CasePartyRole.FUNDING,
    PartyRole.SERVICE: CasePartyRole.SERVICE,
}


def default_parties(
    *, demand: Demand | None, cooperation: CooperationItem | None, resources: Iterable[Resource] = ()
) -> list[CasePartyInput]:
    """The parties a case starts with: the demand's owner, the cooperation's parties, the resources' owners."""
    parties: dict[int, CasePartyInput] = {}
    if cooperation is not None:
        for p in cooperation.parties.select_related("organization"):
            parties.setdefault(p.organization_id, CasePartyInput(p.organization, _COOPERATION_ROLE.get(p.role, CasePartyRole.SERVICE)))
    if demand is not None:
        parties.setdefault(demand.owner_id, CasePartyInput(demand.owner, CasePartyRole.DEMAND))
    for r in resources:
        parties.setdefault(r.owner_id, CasePartyInput(r.owner, CasePartyRole.RD))
    return list(parties.values())


def derive_rd_production(parties: Sequence[CasePartyInput]) -> tuple[Any, Any]:
    """(R&D city, production city): R&D parties first; production parties, else the demand side.

    The demand side is where the need sits, so unless a production party is named it is where the
    result will be made; this is what turns a Shanghai lab and a Jiangsu enterprise into
    "上海研发—江苏制造".
    """

    def first_city(roles: tuple[str, ...]) -> Any:
        for role in roles:
            for p in parties:
                if p.role == role and p.organization.city_id is not None:
                    return p.organization.city
        return None

    return first_city((CasePartyRole.RD,)), first_city((CasePartyRole.PRODUCTION, CasePartyRole.DEMAND))


def _validate_parties(parties: Sequence[CasePartyInput]) -> None:
    ids = [p.organization.pk for p in parties]
    if len(set(ids)) != len(ids):
        raise ValidationError({"parties": _("Each organisation can be a party only once.")})
    for p in parties:
        if p.role not in CasePartyRole.values:
            raise ValidationError({"parties": _("Unknown party role “{role}”.").format(role=p.role)})


def _write_parties(case: Case, parties: Sequence[CasePartyInput]) -> None:
    _validate_parties(parties)
    case.parties.all().delete()
    CaseParty.objects.bulk_create([CaseParty(case=case, organization=p.organization, role=p.role) for p in parties])
    rd, production = derive_rd_production(parties)
    case.rd_city, case.production_city = rd, production
    case.save(update_fields=["rd_city", "production_city"])


def case_set_parties(case: Case, *, user: Any, parties: Sequence[CasePartyInput], source: str = "web") -> Case:
    _require_case(user, CHANGE, case)
    with transaction.atomic():
        before = snapshot(case)
        _write_parties(case, parties)
        record_change(case, ChangeAction.UPDATE, user=user, before=before, source=source)
    return case


# Cases: opening and assignment -----------------------------------------------------------------


def _active_profile(user: Any) -> TechnologyManager | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_technology_manager", False):
        return None
    return TechnologyManager.objects.filter(user=user, active=True).first()


def case_open(
    *,
    user: Any,
    title: str,
    description: str = "",
    demand: Demand | None = None,
    cooperation: CooperationItem | None = None,
    resources: Sequence[Resource] = (),
    industries: Sequence[Any] | None = None,
    city: Any = None,
    parties: Sequence[CasePartyInput] | None = None,
    at: dt.datetime | None = None,
    is_demo: bool = False,
    source: str = "web",
) -> Case:
    """Open a case in demand discovery. Operators and active technology managers may open cases;
    a manager who opens one leads it until an operator assigns someone else."""
    profile = _active_profile(user)
    if not is_operator(user) and profile is None:
        raise PermissionDenied(_("Only platform operators and active technology managers open cases."))
    if demand is None and cooperation is None:
        raise ValidationError({"demand": _("A case follows a demand or a cooperation item.")})
    for target in (demand, cooperation):
        if target is not None and not can(user, VIEW, target):
            raise PermissionDenied(_("You may not see “{title}”.").format(title=target))
    if city is None:
        if demand is not None:
            city = demand.city
        elif cooperation is not None:
            cities = cooperation.cities()
            city = cities[0] if cities else None
    if city is None:
        raise ValidationError({"city": _("Say in which city the need sits.")})
    if industries is None:
        industries = list((demand or cooperation).industries.all())  # type: ignore[union-attr]
    if parties is None:
        parties = default_parties(demand=demand, cooperation=cooperation, resources=resources)
    _validate_parties(parties)
    now = at or timezone.now()
    with transaction.atomic():
        case = Case(
            title=title,
            description=description,
            demand=demand,
            cooperation=cooperation,
            city=city,
            lead_manager=None if is_operator(user) else profile,
            opened_at=now,
            stage_entered_at=now,
            last_activity_at=now,
            is_demo=is_demo,
        )
        case.full_clean()
        case.save()
        case.industries.set(industries)
        case.resources.set(resources)
        _write_parties(case, parties)
        CaseStageChange.objects.create(
            case=case, kind=StageChangeKind.OPEN, from_stage="", to_stage=CaseStage.DISCOVERY, at=now, by=_actor(user)
        )
        record_change(case, ChangeAction.CREATE, user=user, source=source)
    return case


def _actor(user: Any) -> User | None:
    return user if getattr(user, "is_authenticated", False) else None


def case_assign(
    case: Case,
    *,
    user: Any,
    lead: TechnologyManager,
    helpers: Sequence[TechnologyManager] = (),
    source: str = "web",
) -> Case:
    """Operators assign one lead manager and optional helpers; only active managers may be assigned."""
    _require_operator(user, _("Only platform operators assign technology managers."))
    team = [lead, *helpers]
    inactive = [str(m) for m in team if not m.active]
    if inactive:
        raise ValidationError({"lead": _("Inactive managers cannot be assigned: {names}.").format(names=", ".join(inactive))})
    if lead.pk in {h.pk for h in helpers}:
        raise ValidationError({"helpers": _("The lead manager cannot also be a helper.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ConflictError(_("A closed case cannot be reassigned."), code="case_closed")
        before = snapshot(locked)
        locked.lead_manager = lead
        locked.save(update_fields=["lead_manager", "updated"])
        locked.helpers.set(helpers)
        record_change(locked, ChangeAction.UPDATE, user=user, before=before, source=source)
    return locked


# Cases: stages ---------------------------------------------------------------------------------


def _move(
    case: Case, *, user: Any, kind: str, to: str, at: dt.datetime | None, note: str, source: str, **fields: Any
) -> Case:
    """Write one stage move on an already locked case: the case fields, the stage row and the change record."""
    now = at or timezone.now()
    before = snapshot(case)
    CaseStageChange.objects.create(case=case, kind=kind, from_stage=case.stage, to_stage=to, at=now, by=_actor(user), note=note)
    case.stage = to
    case.stage_entered_at = now
    case.last_activity_at = max(case.last_activity_at, now)
    for name, value in fields.items():
        setattr(case, name, value)
    case.save(update_fields=["stage", "stage_entered_at", "last_activity_at", "updated", *fields])
    record_change(case, ChangeAction.UPDATE, user=user, before=before, source=source)
    return case


def case_advance(
    case: Case,
    *,
    user: Any,
    to: str,
    note: str = "",
    contract_value: Decimal | None = None,
    at: dt.datetime | None = None,
    source: str = "web",
) -> Case:
    """Move a case to the next stage of the chain, and only to the next one."""
    _require_case(user, CHANGE, case)
    if to not in CaseStage.values or to == CaseStage.LOST:
        raise ValidationError({"to": _("Unknown stage “{stage}”.").format(stage=to)})
    if contract_value is not None and contract_value < 0:
        raise ValidationError({"contract_value": _("Amounts cannot be negative.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        allowed = next_stage(locked.stage)
        if to != allowed:
            if locked.stage == CaseStage.LOST:
                message = _("The case is closed as lost; an operator must reopen it first.")
            elif allowed is None:
                message = _("The case has landed; there is no further stage.")
            else:
                message = _("A case moves one stage at a time: from “{current}” only to “{next}”, not to “{target}”.").format(
                    current=CaseStage(locked.stage).label, next=CaseStage(allowed).label, target=CaseStage(to).label
                )
            raise ConflictError(message, code="invalid_transition")
        fields: dict[str, Any] = {}
        if contract_value is not None:
            if STAGE_CHAIN.index(to) < STAGE_CHAIN.index(CaseStage.CONTRACT):
                raise ValidationError({"contract_value": _("The contract value is recorded when the case is signed.")})
            fields["contract_value"] = contract_value
        return _move(locked, user=user, kind=StageChangeKind.ADVANCE, to=to, at=at, note=note, source=source, **fields)


def case_close_lost(
    case: Case, *, user: Any, reason: str, note: str = "", at: dt.datetime | None = None, source: str = "web"
) -> Case:
    """Close an open case as lost, with a reason from the fixed list and free text."""
    _require_case(user, CHANGE, case)
    if reason not in LostReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    if reason == LostReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why the case was lost.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not locked.is_open:
            raise ConflictError(_("Only an open case can be closed as lost."), code="invalid_transition")
        return _move(
            locked,
            user=user,
            kind=StageChangeKind.LOSE,
            to=CaseStage.LOST,
            at=at,
            note=note,
            source=source,
            lost_at_stage=locked.stage,
            lost_reason=reason,
            lost_note=note,
        )


def case_reopen(case: Case, *, user: Any, to: str, note: str = "", at: dt.datetime | None = None, source: str = "web") -> Case:
    """Operators only: put a case (lost, landed or in any stage) back into any stage of the chain."""
    _require_operator(user, _("Only platform operators reopen cases or move them back."))
    if to not in STAGE_CHAIN:
        raise ValidationError({"to": _("Unknown stage “{stage}”.").format(stage=to)})
    if not note.strip():
        raise ValidationError({"note": _("Say why the case is reopened.")})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.stage == to:
            raise ConflictError(_("The case is already in this stage."), code="invalid_transition")
        return _move(
            locked, user=user, kind=StageChangeKind.REOPEN, to=to, at=at, note=note, source=source,
            lost_at_stage="", lost_reason="", lost_note="",
        )


# Cases: activities, documents, links -----------------------------------------------------------


def _touch(case: Case, when: dt.datetime) -> None:
    if when > case.last_activity_at:
        case.last_activity_at = when
        case.save(update_fields=["last_activity_at"])


def activity_log(
    case: Case,
    *,
    user: Any,
    kind: str,
    title: str,
    occurred_on: dt.date | None = None,
    text: str = "",
    at: dt.datetime | None = None,
) -> CaseActivity:
    """Log a meeting, site visit, call, document or note on a case; it counts as activity for alerts."""
    _require_case(user, CHANGE, case)
    now = at or timezone.now()
    occurred_on = occurred_on or timezone.localdate(now)
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Unknown activity kind “{kind}”.").format(kind=kind)})
    if occurred_on > timezone.localdate(now):
        raise ValidationError({"occurred_on": _("An activity cannot be dated in the future.")})
    if occurred_on < timezone.localtime(case.opened_at).date() - dt.timedelta(days=365):
        raise ValidationError({"occurred_on": _("The date is more than a year before the case was opened.")})
    with transaction.atomic():
        activity = CaseActivity(case=case, kind=kind, title=title, text=text, occurred_on=occurred_on, by=_actor(user), created=now)
        activity.full_clean()
        activity.save()
        _touch(case, now)
        record_change(
            case,
            ChangeAction.UPDATE,
            user=user,
            before=snapshot(case),
            source="web",
            extra={"activity": [None, f"{kind}: {title}"]},
        )
    return activity


def case_document_add(
    case: Case, *, user: Any, title: str, file: File, kind: str = DocumentKind.OTHER, at: dt.datetime | None = None
) -> CaseDocument:
    _require_case(user, CHANGE, case)
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document kind.")})
    now = at or timezone.now()
    with transaction.atomic():
        doc = CaseDocument(case=case, title=title, kind=kind, file=file, uploaded_by=_actor(user), uploaded_at=now)
        doc.full_clean()
        doc.save()
        _touch(case, now)
        record_change(case, ChangeAction.UPDATE, user=user, before=snapshot(case), extra={"document": [None, title]})
    return doc


def case_link_add(case: Case, *, user: Any, target: Model, note: str = "") -> CaseLink:
    """Link a transaction, challenge call, resource, demand or cooperation item to a case."""
    _require_case(user, CHANGE, case)
    key = (target._meta.app_label, target._meta.model_name)
    if key not in LINKABLE_MODELS:
        raise ValidationError({"target": _("This kind of object cannot be linked to a case.")})
    if target.pk is None:
        raise ValidationError({"target": _("Unknown object.")})
    if hasattr(target, "is_public") and not can(user, VIEW, target):
        raise PermissionDenied(_("You may not see this object."))
    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    with transaction.atomic():
        link, created = CaseLink.objects.get_or_create(
            case=case, content_type=ct, object_id=target.pk, defaults={"label": str(target)[:300], "note": note}
        )
        if not created:
            raise ConflictError(_("This object is already linked to the case."), code="duplicate")
        if key == ("lists", "resource") and isinstance(target, Resource):
            case.resources.add(target)
        record_change(case, ChangeAction.UPDATE, user=user, before=snapshot(case), extra={"link": [None, str(link)]})
    return link


def resolve_link_target(kind: str, object_id: int) -> Model:
    """``kind`` is ``app_label.model`` (e.g. ``lists.resource``); raises ValidationError if not linkable or missing."""
    app_label, _sep, model = kind.lower().partition(".")
    if (app_label, model) not in LINKABLE_MODELS:
        raise ValidationError({"kind": _("This kind of object cannot be linked to a case.")})
    try:
        ct = ContentType.objects.get_by_natural_key(app_label, model)
        cls = ct.model_class()
        if cls is None:
            raise ObjectDoesNotExist
        return cls._default_manager.get(pk=object_id)
    except ObjectDoesNotExist:
        raise ValidationError({"object_id": _("No such object.")}) from None


# Consortia -------------------------------------------------------------------------------------


def _require_consortium_change(user: Any, consortium: Consortium) -> None:
    if not can(user, CHANGE, consortium):
        raise PermissionDenied(_("Only operators and the lead organisation's members change this consortium."))


def consortium_create(
    *,
    user: Any,
    data: Mapping[str, Any],
    lead_member_role: str | None = None,
    joined_on: dt.date | None = None,
    source: str = "web",
) -> Consortium:
    """Operators register a consortium; its lead organisation becomes its first member."""
    _require_operator(user, _("Only platform operators register innovation consortia."))
    joined = joined_on or data.get("launched_on") or timezone.localdate()

    def add_lead(consortium: Consortium) -> None:
        lead = consortium.lead  # the organisation just assigned from data["lead"] (required, validated)
        ConsortiumMember.objects.create(
            consortium=consortium,
            organization=lead,
            role=lead_member_role or role_for_organization(lead),
            joined_on=joined,
            responsibilities=_("Lead organisation"),
        )

    return object_create(Consortium, user=user, data=data, source=source, after_save=add_lead)


def consortium_update(consortium: Consortium, *, user: Any, data: Mapping[str, Any], source: str = "web") -> Consortium:
    _require_consortium_change(user, consortium)
    if "lead" in data and not is_operator(user):
        raise PermissionDenied(_("Only platform operators change a consortium's lead organisation."))
    return object_update(consortium, user=user, data=data, source=source)


def role_for_organization(org: Organization | None) -> str:
    """The usual member role of an organisation type (enterprises industrialise, universities research, …)."""
    kind = getattr(org, "type", "")
    if kind in ("enterprise", "tech_centre"):
        return MemberRole.ENTERPRISE
    if kind == "university":
        return MemberRole.UNIVERSITY
    if kind in ("institute", "new_rd", "key_lab"):
        return MemberRole.INSTITUTE
    return MemberRole.OTHER


def consortium_member_join(
    consortium: Consortium,
    *,
    user: Any,
    organization: Organization,
    role: str | None = None,
    joined_on: dt.date | None = None,
    responsibilities: str = "",
    source: str = "web",
) -> ConsortiumMember:
    _require_consortium_change(user, consortium)
    role = role or role_for_organization(organization)
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Unknown member role “{role}”.").format(role=role)})
    joined_on = joined_on or timezone.localdate()
    with transaction.atomic():
        Consortium.objects.select_for_update().filter(pk=consortium.pk).first()
        periods = ConsortiumMember.objects.filter(consortium=consortium, organization=organization)
        if periods.filter(left_on__isnull=True).exists():
            raise ConflictError(_("{org} is already a member.").format(org=organization), code="already_member")
        last_left = max((p.left_on for p in periods if p.left_on), default=None)
        if last_left is not None and joined_on < last_left:
            raise ValidationError({"joined_on": _("It cannot rejoin before the date it left ({date}).").format(date=last_left)})
        member = ConsortiumMember(
            consortium=consortium, organization=organization, role=role, joined_on=joined_on, responsibilities=responsibilities
        )
        member.full_clean()
        member.save()
        record_change(
            consortium, ChangeAction.UPDATE, user=user, before=snapshot(consortium), source=source,
            extra={"member_joined": [None, f"{organization.pk}:{role}:{joined_on.isoformat()}"]},
        )
    return member


def consortium_member_leave(
    consortium: Consortium, *, user: Any, organization: Organization, left_on: dt.date | None = None, source: str = "web"
) -> ConsortiumMember:
    _require_consortium_change(user, consortium)
    if organization.pk == consortium.lead_id:
        raise ConflictError(_("The lead organisation cannot leave; an operator must change the lead first."), code="lead_member")
    left_on = left_on or timezone.localdate()
    with transaction.atomic():
        member = (
            ConsortiumMember.objects.select_for_update()
            .filter(consortium=consortium, organization=organization, left_on__isnull=True)
            .first()
        )
        if member is None:
            raise ConflictError(_("{org} is not a current member.").format(org=organization), code="not_member")
        if left_on < member.joined_on:
            raise ValidationError({"left_on": _("It cannot leave before it joined ({date}).").format(date=member.joined_on)})
        member.left_on = left_on
        member.save(update_fields=["left_on"])
        record_change(
            consortium, ChangeAction.UPDATE, user=user, before=snapshot(consortium), source=source,
            extra={"member_left": [None, f"{organization.pk}:{left_on.isoformat()}"]},
        )
    return member


def consortium_goal_add(
    consortium: Consortium,
    *,
    user: Any,
    title: str,
    kind: str = GoalKind.KEY_PROBLEM,
    description: str = "",
    demands: Sequence[Demand] = (),
    status: str | None = None,
    source: str = "web",
) -> ConsortiumGoal:
    _require_consortium_change(user, consortium)
    with transaction.atomic():
        goal = ConsortiumGoal(consortium=consortium, title=title, kind=kind, description=description)
        if status:
            goal.status = status
        goal.full_clean()
        goal.save()
        goal.demands.set(demands)
        record_change(consortium, ChangeAction.UPDATE, user=user, before=snapshot(consortium), source=source,
                      extra={"goal": [None, title]})
    return goal


def _members_on(consortium: Consortium, when: dt.date | None) -> set[int]:
    """Organisations that were members on ``when`` (or ever, when no date is given)."""
    qs = ConsortiumMember.objects.filter(consortium=consortium)
    if when is not None:
        qs = qs.filter(joined_on__lte=when).filter(Q(left_on__isnull=True) | Q(left_on__gt=when))
    return set(qs.values_list("organization_id", flat=True))


def consortium_output_add(
    consortium: Consortium,
    *,
    user: Any,
    kind: str,
    title: str,
    credited: Sequence[Organization],
    reference: str = "",
    description: str = "",
    achieved_on: dt.date | None = None,
    adopters: Sequence[Organization] = (),
    goal: ConsortiumGoal | None = None,
    city: Any = None,
    source: str = "web",
) -> ConsortiumOutput:
    """Record a standard, patent, product or pilot line, credited to members of the consortium."""
    _require_consortium_change(user, consortium)
    if kind not in OutputKind.values:
        raise ValidationError({"kind": _("Unknown output kind “{kind}”.").format(kind=kind)})
    if not credited:
        raise ValidationError({"credited": _("Credit at least one member.")})
    outsiders = [o.name for o in credited if o.pk not in _members_on(consortium, achieved_on)]
    if outsiders:
        raise ValidationError(
            {"credited": _("Only members of the consortium can be credited: {names}.").format(names=", ".join(outsiders))}
        )
    if adopters and kind != OutputKind.STANDARD:
        raise ValidationError({"adopters": _("Only standards have adopters.")})
    if goal is not None and goal.consortium_id != consortium.pk:
        raise ValidationError({"goal": _("The goal belongs to another consortium.")})
    with transaction.atomic():
        output = ConsortiumOutput(
            consortium=consortium, kind=kind, title=title, reference=reference, description=description,
            achieved_on=achieved_on, goal=goal, city=city,
        )
        output.full_clean(exclude=["credited", "adopters"])
        output.save()
        output.credited.set(credited)
        output.adopters.set(adopters)
        record_change(consortium, ChangeAction.UPDATE, user=user, before=snapshot(consortium), source=source,
                      extra={"output": [None, f"{kind}: {title}"]})
    return output


def consortium_output_adopt(output: ConsortiumOutput, *, user: Any, adopters: Sequence[Organization], source: str = "web") -> ConsortiumOutput:
    """Record more adopters of a standard."""
    _require_consortium_change(user, output.consortium)
    if output.kind != OutputKind.STANDARD:
        raise ValidationError({"adopters": _("Only standards have adopters.")})
    with transaction.atomic():
        output.adopters.add(*adopters)
        record_change(output.consortium, ChangeAction.UPDATE, user=user, before=snapshot(output.consortium), source=source,
                      extra={"adopters": [None, sorted(o.pk for o in adopters)]})
    return output

