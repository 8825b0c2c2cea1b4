"""Writes of the insights app's agreements half: benefit-sharing agreements (versioned) and barriers.

The calculation itself is pure (``corridor.insights.sharing``); ``agreement_calculate`` turns the
calculator's inputs (as the web form and the API send them) into its parties and tax terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from corridor.core.history import record_change
from corridor.core.models import ChangeAction
from corridor.core.permissions import CHANGE, can, is_operator
from corridor.core.services import object_create, object_delete, object_update
from corridor.insights import sharing
from corridor.insights.models import Agreement, Barrier
from corridor.lists.models import CooperationItem
from corridor.orgs.models import Organization
from corridor.regions.models import City


def _error(exc: sharing.SharingError) -> ValidationError:
    return ValidationError({exc.field: [ValidationError(exc.message, code=exc.code)]})


def _decimal(value: Any, field: str, *, optional: bool = False) -> Decimal | None:
    if value is None or value == "":
        if optional:
            return None
        return Decimal(0)
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise sharing.SharingError(_("Enter a number."), field=field) from None
    if not number.is_finite() or abs(number) > Decimal(10) ** 14:
        raise sharing.SharingError(_("This number is out of range."), field=field, code="out_of_range")
    return number


def default_inputs(item: CooperationItem) -> dict[str, Any]:
    """The calculator's starting point: the item's parties with empty contributions, or the latest version's inputs."""
    latest = Agreement.objects.filter(cooperation=item).order_by("-version").first()
    if latest is not None:
        return dict(latest.inputs)
    parties = list(item.parties.select_related("organization__city"))
    cities = {p.role: p.organization.city_id for p in parties}
    rd_city = cities.get("rd") or cities.get("lead")
    production_city = cities.get("production")
    return {
        "rule": "shapley",
        "licence_income": str(item.contract_value or 0),
        "parties": [{"organization": p.organization_id, "ratio": None, **{k: "0" for k in sharing.CONTRIBUTION_KINDS}} for p in parties],
        "tax": {
            "base_year": (item.start_date.year if item.start_date else 2025),
            "annual_new_tax": "0",
            "years": 5,
            "rd_share_pct": "30",
            "growth_pct": "0",
            "cap": None,
            "rd_city": rd_city,
            "production_city": production_city,
        }
        if rd_city and production_city and rd_city != production_city
        else None,
    }


def normalise_inputs(inputs: Mapping[str, Any]) -> tuple[list[sharing.Party], str, Decimal, sharing.TaxTerms | None, dict[str, Any]]:
    """Parties, rule, licence income and tax terms from the calculator's inputs; plus the inputs in canonical form.

    Raises ``SharingError`` naming the field (``parties.2.organization`` for an unknown party, …).
    """
    rule = str(inputs.get("rule") or "")
    raw_parties = inputs.get("parties") or []
    if not isinstance(raw_parties, list):
        raise sharing.SharingError(_("Enter a list."), field="parties")
    if len(raw_parties) > sharing.MAX_PARTIES:
        raise sharing.SharingError(
            _("At most {limit} parties can share benefits.").format(limit=sharing.MAX_PARTIES), field="parties", code="too_many_parties"
        )
    ids = [p.get("organization") for p in raw_parties if isinstance(p, Mapping)]
    orgs = Organization.objects.select_related("city").in_bulk([i for i in ids if isinstance(i, int)])
    parties: list[sharing.Party] = []
    canonical_parties: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, raw in enumerate(raw_parties):
        if not isinstance(raw, Mapping):
            raise sharing.SharingError(_("Enter an object."), field=f"parties.{i}")
        org_id = raw.get("organization")
        org = orgs.get(org_id) if isinstance(org_id, int) else None
        if org is None:
            raise sharing.SharingError(
                _("Unknown party: no organisation with id {id}.").format(id=org_id), field=f"parties.{i}.organization", code="unknown_party"
            )
        if org.pk in seen:
            raise sharing.SharingError(
                _("{party} is listed twice.").format(party=org.name), field=f"parties.{i}.organization", code="duplicate_party"
            )
        seen.add(org.pk)
        contributions = {}
        for kind in sharing.CONTRIBUTION_KINDS:
            contributions[kind] = _decimal(raw.get(kind), f"parties.{i}.{kind}") or Decimal(0)
        ratio = _decimal(raw.get("ratio"), f"parties.{i}.ratio", optional=True)
        parties.append(
            sharing.Party(name=org.name, contributions=contributions, ratio=ratio, key=org.pk, city=str(org.city or ""), city_key=org.city_id)
        )
        canonical_parties.append({"organization": org.pk, "ratio": None if ratio is None else str(ratio), **{k: str(v) for k, v in contributions.items()}})
    income = _decimal(inputs.get("licence_income"), "licence_income") or Decimal(0)
    tax_terms = None
    canonical_tax = None
    raw_tax = inputs.get("tax")
    if raw_tax:
        if not isinstance(raw_tax, Mapping):
            raise sharing.SharingError(_("Enter an object."), field="tax")
        city_ids = [raw_tax.get("rd_city"), raw_tax.get("production_city")]
        cities = City.objects.in_bulk([c for c in city_ids if isinstance(c, int)])
        names = []
        for name, cid in zip(("rd_city", "production_city"), city_ids, strict=True):
            if cid is None or cid == "":
                names.append("")
                continue
            if not isinstance(cid, int) or cid not in cities:
                raise sharing.SharingError(_("Unknown city id: {id}.").format(id=cid), field=f"tax.{name}", code="unknown_city")
            names.append(str(cities[cid]))
        try:
            base_year = int(raw_tax.get("base_year") or 0)
            years = int(raw_tax.get("years") or 0)
        except (TypeError, ValueError):
            raise sharing.SharingError(_("Enter a whole number."), field="tax.years") from None
        annual = _decimal(raw_tax.get("annual_new_tax"), "tax.annual_new_tax") or Decimal(0)
        rd_share = _decimal(raw_tax.get("rd_share_pct"), "tax.rd_share_pct") or Decimal(0)
        growth = _decimal(raw_tax.get("growth_pct"), "tax.growth_pct") or Decimal(0)
        cap = _decimal(raw_tax.get("cap"), "tax.cap", optional=True)
        share_rule = str(raw_tax.get("share_rule") or "ratio")
        if share_rule not in ("ratio", "shares"):
            raise sharing.SharingError(
                _("Unknown tax share rule “{rule}”; use ratio or shares.").format(rule=share_rule), field="tax.share_rule"
            )
        if share_rule == "shares" and not city_ids[0]:
            raise sharing.SharingError(_("Choose the R&D city to take its share from the parties there."), field="tax.rd_city")
        tax_terms = sharing.TaxTerms(
            base_year=base_year,
            annual_new_tax=annual,
            years=years,
            rd_share_pct=rd_share,
            growth_pct=growth,
            cap=cap,
            rd_city=names[0],
            production_city=names[1],
            share_rule=share_rule,
            rd_city_key=city_ids[0] or None,
        )
        canonical_tax = {
            "base_year": base_year,
            "annual_new_tax": str(annual),
            "years": years,
            "rd_share_pct": str(rd_share),
            "share_rule": share_rule,
            "growth_pct": str(growth),
            "cap": None if cap is None else str(cap),
            "rd_city": city_ids[0] or None,
            "production_city": city_ids[1] or None,
        }
    canonical = {"rule": rule, "licence_income": str(income), "parties": canonical_parties, "tax": canonical_tax}
    return parties, rule, income, tax_terms, canonical


def agreement_calculate(inputs: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The allocation for ``inputs`` without saving anything: (result as JSON data, canonical inputs).

    Raises ``ValidationError`` with the failing field (for forms and the API's 400 answer).
    """
    try:
        parties, rule, income, tax, canonical = normalise_inputs(inputs)
        result = sharing.allocate(parties, rule, licence_income=income, tax=tax)
    except sharing.SharingError as exc:
        raise _error(exc) from None
    return sharing.plain(result), canonical


def agreement_save(
    *, user: Any, cooperation: CooperationItem, inputs: Mapping[str, Any], title: str = "", note: str = "", source: str = "web"
) -> Agreement:
    """Save the calculation as the next version of the item's agreement (earlier versions stay as they are).

    Only the item's party members and operators may save.
    """
    if not can(user, CHANGE, cooperation):
        raise PermissionDenied(_("Only members of the cooperation's parties and operators may save its agreement."))
    title = (title or "").strip() or _("Benefit sharing: {item}").format(item=cooperation.title)[:200]
    if len(title) > 200:
        raise ValidationError({"title": [_("Ensure this value has at most {limit} characters (or items).").format(limit=200)]})
    result, canonical = agreement_calculate(inputs)
    with transaction.atomic():
        # Lock the item so two saves at once cannot take the same version number.
        CooperationItem.objects.select_for_update().filter(pk=cooperation.pk).first()
        latest = Agreement.objects.filter(cooperation=cooperation).aggregate(m=Max("version"))["m"] or 0
        agreement = Agreement(
            cooperation=cooperation,
            version=latest + 1,
            title=title,
            rule=canonical["rule"],
            licence_income=Decimal(canonical["licence_income"]),
            note=note or "",
            inputs=canonical,
            result=result,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        agreement.full_clean()
        agreement.save()
        record_change(agreement, ChangeAction.CREATE, user=user, source=source)
    return agreement


# Barriers ---------------------------------------------------------------------------------------------


def _require_operator(user: Any) -> None:
    if not is_operator(user):
        raise PermissionDenied(_("Only operators keep the hidden-barriers register."))


def barrier_create(*, user: Any, data: Mapping[str, Any], source: str = "web") -> Barrier:
    _require_operator(user)
    return object_create(Barrier, user=user, data=data, source=source)


def barrier_update(barrier: Barrier, *, user: Any, data: Mapping[str, Any], source: str = "web") -> Barrier:
    _require_operator(user)
    return object_update(barrier, user=user, data=data, source=source)


def barrier_delete(barrier: Barrier, *, user: Any, source: str = "web") -> None:
    _require_operator(user)
    object_delete(barrier, user=user, source=source)
