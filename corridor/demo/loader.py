"""Write the demo region into the database, fast, and take it out again.

``load_demo`` builds the deterministic plan (corridor.demo.generator) and writes it with
bulk inserts in one transaction: organisations, the four demo accounts, 311 resources with
their evidence, 298 demands and 196 cooperation items with their parties. Every created
organisation, resource, demand and cooperation item gets one change record with
``source="demo"`` (bulk-inserted too), holding the same snapshot the audited services
would have written. Cooperation items pass the same party validation as
``corridor.lists.services.cooperation_create`` and get ``rd_production_split`` from the same
function.

``reset_demo`` removes only demo data: fictional organisations (``is_demo``) and everything
they own or take part in, the demo content attached to the real seed organisations (found
through the demo change records), and the demo accounts. The real organisations stay.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone

from corridor.core.history import _plain
from corridor.core.models import ChangeAction, ChangeRecord
from corridor.demo.generator import build_plan
from corridor.demo.seed import SRICI
from corridor.demo.specs import Plan
from corridor.lists.models import CooperationItem, CooperationParty, Demand, Resource, ResourceEvidence
from corridor.lists.services import PartyInput, rd_production_split, validate_parties
from corridor.orgs.models import Membership, Organization, User
from corridor.regions.models import City, Industry

DEMO_SOURCE = "demo"
DEMO_PASSWORD = "corridor-demo"  # noqa: S105 - the published password of the demo accounts
DEMO_EMAIL_DOMAIN = "corridor-demo.example"

# username, display name, flags; ``member`` acts for the chain leader of the polyolefin consortium.
DEMO_USERS: tuple[tuple[str, str, dict[str, bool]], ...] = (
    ("operator", "平台运营（演示）", {"is_staff": True}),
    ("member", "上海化工研究院成员（演示）", {}),
    ("manager", "技术经理人（演示）", {"is_technology_manager": True}),
    ("reviewer", "评审专家（演示）", {"is_reviewer": True}),
)
MEMBER_ORGANIZATION = SRICI
TRACKED: tuple[Any, ...] = (Organization, Resource, Demand, CooperationItem)
BATCH = 500


class DemoError(Exception):
    """The demo region cannot be loaded or reset; the message says why (nothing was changed)."""


# Questions ----------------------------------------------------------------------------------


def database_is_empty() -> bool:
    """No organisations and nothing in the three lists (accounts, e.g. a first superuser, do not count)."""
    return not any(model.objects.exists() for model in TRACKED)


def demo_is_loaded() -> bool:
    return Organization.objects.filter(is_demo=True).exists() or User.objects.filter(is_demo=True).exists()


# Progress -----------------------------------------------------------------------------------


class _Progress:
    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled
        self.total = total
        self._progress: Any = None
        self._task: Any = None

    @contextlib.contextmanager
    def running(self, description: str) -> Iterator[_Progress]:
        if not self.enabled:
            yield self
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        ) as progress:
            self._progress = progress
            self._task = progress.add_task(description, total=self.total)
            yield self
            self._progress = None

    def step(self, description: str, advance: int = 0) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=description, advance=advance)


# Loading ------------------------------------------------------------------------------------


def _snapshot(obj: models.Model, m2m: dict[str, list[int]], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What corridor.core.history.snapshot gives for a freshly created object, without querying."""
    exclude = set(getattr(obj, "history_exclude", ()))
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.primary_key:
            continue
        data[field.name] = _plain(getattr(obj, field.attname))
    for field in obj._meta.many_to_many:
        if field.name not in exclude:
            data[field.name] = sorted(m2m.get(field.name, []))
    if extra:
        data.update({k: _plain(v) for k, v in extra.items()})
    return data


def _clean(obj: models.Model, exclude: list[str] | None = None) -> None:
    # Field validators and clean(). Foreign keys (taken from rows just read or written),
    # uniqueness and check constraints are left to the database: validating them row by row
    # would cost a query per object.
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    obj.full_clean(exclude=[*(exclude or []), *relations], validate_unique=False, validate_constraints=False)


def _set_times(model: type[models.Model], rows: list[tuple[int, dict[str, datetime]]]) -> None:
    """Back-date auto_now/auto_now_add stamps (set on insert to "now") with one prepared statement."""
    if not rows:
        return
    names = list(rows[0][1])
    quote = connection.ops.quote_name
    meta: Any = model._meta
    assignments = ", ".join(f"{quote(meta.get_field(n).column)} = %s" for n in names)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 - names from model meta
    params = [[*(connection.ops.adapt_datetimefield_value(values[n]) for n in names), pk] for pk, values in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _through_rows(field: Any, pairs: list[tuple[int, int]]) -> list[Any]:
    through = field.remote_field.through
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    return [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs]


def load_demo(
    *, reset: bool = False, progress: bool = True, today: date | None = None, reserved_resources: int = 0
) -> dict[str, int]:
    """Load the demo region; with ``reset`` first remove the demo data already there.

    Returns what was created, by kind. Without ``reset`` an already loaded demo is left alone and
    the result is empty (``{}``). ``today`` fixes the date the demo's deadlines and contract dates are
    counted from (default: today in Asia/Shanghai); the texts never depend on it.
    """
    today = today or timezone.localdate()
    plan = build_plan(today, reserved_resources)
    total = len(plan.orgs) + len(plan.resources) + len(plan.demands) + len(plan.items) + 4
    bar = _Progress(progress, total * 2)
    with bar.running("Demo region"), transaction.atomic():
        if reset:
            bar.step("Removing the old demo data")
            reset_demo()
        elif demo_is_loaded():
            return {}
        return _write(plan, bar)


def _write(plan: Plan, bar: _Progress) -> dict[str, int]:
    now = timezone.now()

    def at(days_ago: float) -> datetime:
        return now - timedelta(days=days_ago)

    cities = {c.short_name: c for c in City.objects.all()}
    industries = {(i.scheme, i.code): i.pk for i in Industry.objects.only("pk", "scheme", "code")}
    specs: list[Any] = [*plan.orgs, *plan.resources, *plan.demands, *plan.items]
    wanted = {ref for spec in specs for ref in spec.industries}
    missing = sorted(f"{s}:{c}" for s, c in wanted if (s, c) not in industries)
    missing += sorted({spec.city for spec in specs if getattr(spec, "city", None) and spec.city not in cities})
    if missing:
        raise DemoError("Reference data missing (run migrate first): " + ", ".join(missing))

    counts: dict[str, int] = {}
    records: list[tuple[models.Model, datetime, dict[str, Any]]] = []

    # Organisations: the real seed organisations are reused when they are already registered.
    bar.step("Organisations")
    existing = {o.name: o for o in Organization.objects.filter(name__in=[s.name for s in plan.orgs])}
    taken_codes = set(
        Organization.objects.filter(credit_code__in=[s.credit_code for s in plan.orgs if s.credit_code]).values_list("credit_code", flat=True)
    )
    new_orgs: list[Organization] = []
    for org_spec in plan.orgs:
        if org_spec.name in existing:
            if existing[org_spec.name].is_demo != org_spec.is_demo:
                raise DemoError(f"An organisation named {org_spec.name} already exists and is not the demo's.")
            continue
        if org_spec.credit_code in taken_codes:
            raise DemoError(f"The credit code {org_spec.credit_code} of demo organisation {org_spec.name} is already registered.")
        org = Organization(
            name=org_spec.name, name_en=org_spec.name_en, type=org_spec.type, credit_code=org_spec.credit_code, country=org_spec.country,
            city=cities[org_spec.city] if org_spec.city else None, size=org_spec.size, founded_year=org_spec.founded_year,
            website=org_spec.website, description=org_spec.description, is_demo=org_spec.is_demo,
        )
        _clean(org, exclude=["industries"])
        new_orgs.append(org)
    Organization.objects.bulk_create(new_orgs, batch_size=BATCH)
    orgs = {**existing, **{o.name: o for o in new_orgs}}
    specs_by_name = {s.name: s for s in plan.orgs}
    org_industries: dict[int, list[int]] = {}
    for org in new_orgs:
        org_industries[org.pk] = list(dict.fromkeys(industries[r] for r in specs_by_name[org.name].industries))
    Organization.industries.through.objects.bulk_create(
        _through_rows(Organization._meta.get_field("industries"), [(o, i) for o, ids in org_industries.items() for i in ids]),
        batch_size=BATCH,
    )
    for org in new_orgs:
        org.created = org.updated = at(specs_by_name[org.name].created_ago)
        records.append((org, org.created, _snapshot(org, {"industries": org_industries[org.pk]})))
    counts["organizations"] = len(new_orgs)
    counts["organizations_reused"] = len(existing)
    bar.step("Organisations", advance=len(plan.orgs))

    # Demo accounts: one password hash for all four (set_password skips the password validators).
    bar.step("Demo accounts")
    taken_users = set(User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).values_list("username", flat=True))
    users: dict[str, User] = {}
    hashed = ""
    for username, display_name, flags in DEMO_USERS:
        if username in taken_users:
            continue
        user = User(username=username, display_name=display_name, email=f"{username}@{DEMO_EMAIL_DOMAIN}", is_demo=True, **flags)
        if hashed:
            user.password = hashed
        else:
            user.set_password(DEMO_PASSWORD)
            hashed = user.password
        users[username] = user
    User.objects.bulk_create(list(users.values()))
    if "member" in users:
        Membership.objects.create(user=users["member"], organization=orgs[MEMBER_ORGANIZATION], title="演示成员")
    if "operator" in users:
        # The operator may use the admin for Corridor's own models.
        labels = [c.label for c in _corridor_app_configs()]
        users["operator"].user_permissions.set(Permission.objects.filter(content_type__app_label__in=labels))
    counts["users"] = len(users)
    counts["users_skipped"] = len(taken_users)
    bar.step("Demo accounts", advance=4)

    # Resources and their evidence.
    bar.step("Resources")
    resources: list[Resource] = []
    for res_spec in plan.resources:
        owner = orgs[res_spec.owner]
        res = Resource(
            kind=res_spec.kind, name=res_spec.name, owner=owner, city=cities[res_spec.city], description=res_spec.description,
            trl_min=res_spec.trl_min, trl_max=res_spec.trl_max, open_to=res_spec.open_to, fee_basis=res_spec.fee_basis, status=res_spec.status,
            contact_name=res_spec.contact_name, contact_email=res_spec.contact_email, public=res_spec.public,
        )
        _clean(res, exclude=["industries"])
        resources.append(res)
    Resource.objects.bulk_create(resources, batch_size=BATCH)
    evidence: list[ResourceEvidence] = []
    evidence_labels: dict[int, list[str]] = {}
    for res, res_spec in zip(resources, plan.resources, strict=True):
        rows = [
            ResourceEvidence(resource=res, kind=e.kind, title=e.title, text=e.text, reference=e.reference, year=e.year)
            for e in res_spec.evidence
        ]
        for row in rows:
            _clean(row)
        evidence.extend(rows)
        # The order of Resource.history_extra: by kind, then creation order.
        evidence_labels[res.pk] = [f"{e.kind}: {e.title}" for e in sorted(res_spec.evidence, key=lambda e: e.kind)]
    ResourceEvidence.objects.bulk_create(evidence, batch_size=BATCH)
    res_industries = {r.pk: list(dict.fromkeys(industries[x] for x in s.industries)) for r, s in zip(resources, plan.resources, strict=True)}
    Resource.industries.through.objects.bulk_create(
        _through_rows(Resource._meta.get_field("industries"), [(r, i) for r, ids in res_industries.items() for i in ids]),
        batch_size=BATCH,
    )
    for res, res_spec in zip(resources, plan.resources, strict=True):
        res.created = res.updated = at(res_spec.created_ago)
        records.append((res, res.created, _snapshot(res, {"industries": res_industries[res.pk]}, {"evidence": evidence_labels[res.pk]})))
    counts["resources"] = len(resources)
    counts["evidence"] = len(evidence)
    bar.step("Resources", advance=len(resources))

    # Demands.
    bar.step("Demands")
    demands: list[Demand] = []
    for dem_spec in plan.demands:
        demand = Demand(
            owner=orgs[dem_spec.owner], title=dem_spec.title, summary=dem_spec.summary, description=dem_spec.description, city=cities[dem_spec.city],
            trl_desired=dem_spec.trl_desired, budget_min=dem_spec.budget_min, budget_max=dem_spec.budget_max, deadline=dem_spec.deadline,
            confidentiality=dem_spec.confidentiality, status=dem_spec.status,
            published_at=at(dem_spec.published_ago) if dem_spec.published_ago is not None else None,
        )
        _clean(demand, exclude=["industries", "assigned_managers"])
        demands.append(demand)
    Demand.objects.bulk_create(demands, batch_size=BATCH)
    dem_industries = {d.pk: list(dict.fromkeys(industries[x] for x in s.industries)) for d, s in zip(demands, plan.demands, strict=True)}
    Demand.industries.through.objects.bulk_create(
        _through_rows(Demand._meta.get_field("industries"), [(d, i) for d, ids in dem_industries.items() for i in ids]),
        batch_size=BATCH,
    )
    manager = users.get("manager")
    managed = [d.pk for d, s in zip(demands, plan.demands, strict=True) if s.assign_manager and manager is not None]
    if manager is not None:
        Demand.assigned_managers.through.objects.bulk_create(
            _through_rows(Demand._meta.get_field("assigned_managers"), [(pk, manager.pk) for pk in managed]), batch_size=BATCH
        )
    for demand, dem_spec in zip(demands, plan.demands, strict=True):
        demand.created = at(dem_spec.created_ago)
        demand.updated = demand.published_at or demand.created
        m2m = {"industries": dem_industries[demand.pk], "assigned_managers": [manager.pk] if demand.pk in set(managed) and manager else []}
        records.append((demand, demand.created, _snapshot(demand, m2m)))
    counts["demands"] = len(demands)
    bar.step("Demands", advance=len(demands))

    # Cooperation items: the same party rules as the services.
    bar.step("Cooperation items")
    items: list[CooperationItem] = []
    party_inputs: list[list[PartyInput]] = []
    for item_spec in plan.items:
        parties = [PartyInput(organization=orgs[name], role=role) for name, role in item_spec.parties]
        validate_parties(parties)
        item = CooperationItem(
            title=item_spec.title, description=item_spec.description, type=item_spec.type, stage=item_spec.stage,
            contract_value=item_spec.contract_value, start_date=item_spec.start_date, end_date=item_spec.end_date,
            demand=demands[item_spec.demand] if item_spec.demand is not None else None, public=item_spec.public,
            rd_production_split=rd_production_split(parties),
        )
        _clean(item, exclude=["industries", "resources"])
        items.append(item)
        party_inputs.append(parties)
    CooperationItem.objects.bulk_create(items, batch_size=BATCH)
    party_rows = [
        CooperationParty(item=item, organization=p.organization, role=p.role)
        for item, parties in zip(items, party_inputs, strict=True)
        for p in parties
    ]
    CooperationParty.objects.bulk_create(party_rows, batch_size=BATCH)
    item_industries = {i.pk: list(dict.fromkeys(industries[x] for x in s.industries)) for i, s in zip(items, plan.items, strict=True)}
    item_resources = {i.pk: [resources[r].pk for r in s.resources] for i, s in zip(items, plan.items, strict=True)}
    CooperationItem.industries.through.objects.bulk_create(
        _through_rows(CooperationItem._meta.get_field("industries"), [(i, x) for i, ids in item_industries.items() for x in ids]),
        batch_size=BATCH,
    )
    CooperationItem.resources.through.objects.bulk_create(
        _through_rows(CooperationItem._meta.get_field("resources"), [(i, r) for i, ids in item_resources.items() for r in ids]),
        batch_size=BATCH,
    )
    for item, item_spec, parties in zip(items, plan.items, party_inputs, strict=True):
        item.created = item.updated = at(item_spec.created_ago)
        extra = {"parties": sorted(f"{p.organization.pk}:{p.role}" for p in parties)}
        records.append((item, item.created, _snapshot(item, {"industries": item_industries[item.pk], "resources": item_resources[item.pk]}, extra)))
    counts["cooperation_items"] = len(items)
    counts["parties"] = len(party_rows)
    bar.step("Cooperation items", advance=len(items))

    # Back-date the time stamps (auto_now fields are only set on insert), then write the history.
    bar.step("Change records")
    for model, objs in ((Organization, new_orgs), (Resource, resources), (Demand, demands), (CooperationItem, items)):
        _set_times(model, [(o.pk, {"created": o.created, "updated": o.updated}) for o in objs])
    content_types = ContentType.objects.get_for_models(*TRACKED, for_concrete_models=True)
    change_records = [
        ChangeRecord(
            content_type=content_types[type(obj)], object_id=obj.pk, object_repr=str(obj)[:300],
            action=ChangeAction.CREATE, source=DEMO_SOURCE, changes=changes,
        )
        for obj, _when, changes in records
    ]
    ChangeRecord.objects.bulk_create(change_records, batch_size=BATCH)
    _set_times(ChangeRecord, [(r.pk, {"time": when}) for r, (_obj, when, _changes) in zip(change_records, records, strict=True)])
    counts["change_records"] = len(change_records)
    _announce_to_matching(resources, demands)
    bar.step("Demo region loaded", advance=bar.total - sum((len(plan.orgs), 4, len(resources), len(demands), len(items))))
    return counts


def _announce_to_matching(resources: list[Resource], demands: list[Demand]) -> None:
    """Bulk inserts send no signals, so tell the matching indexes what was created, as its signals would."""
    from django.apps import apps

    if not apps.is_installed("corridor.matching"):
        return
    from corridor.matching.choices import IndexKind
    from corridor.matching.models import IndexEvent

    events = [IndexEvent(kind=IndexKind.RESOURCES, object_id=r.pk) for r in resources]
    events += [IndexEvent(kind=IndexKind.DEMANDS, object_id=d.pk) for d in demands]
    IndexEvent.objects.bulk_create(events, batch_size=BATCH)

    def apply() -> None:
        from corridor.matching.registry import registry

        registry.sync_if_loaded(IndexKind.RESOURCES)
        registry.sync_if_loaded(IndexKind.DEMANDS)

    transaction.on_commit(apply)


def _corridor_app_configs() -> list[Any]:
    from django.apps import apps

    return [c for c in apps.get_app_configs() if c.name.startswith("corridor.")]


# Resetting ----------------------------------------------------------------------------------


def reset_demo() -> dict[str, int]:
    """Remove the demo data (see the module docstring); returns how many rows of each kind went."""
    try:
        with transaction.atomic():
            return _reset()
    except (ProtectedError, RestrictedError) as exc:
        blocking_objects: Any = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ()
        blocking = sorted({obj._meta.label for obj in blocking_objects})
        raise DemoError(
            "Other data still refers to the demo region ({}); remove it first, then reset the demo.".format(", ".join(blocking))
        ) from exc


def _demo_created_ids(model: type[models.Model]) -> Any:
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return ChangeRecord.objects.filter(source=DEMO_SOURCE, action=ChangeAction.CREATE, content_type=ct).values("object_id")


def _reset() -> dict[str, int]:
    demo_orgs = Organization.objects.filter(is_demo=True)
    item_ids = list(
        CooperationItem.objects.filter(Q(pk__in=_demo_created_ids(CooperationItem)) | Q(parties__organization__in=demo_orgs))
        .values_list("pk", flat=True)
        .distinct()
    )
    demand_ids = list(Demand.objects.filter(Q(pk__in=_demo_created_ids(Demand)) | Q(owner__in=demo_orgs)).values_list("pk", flat=True))
    resource_ids = list(Resource.objects.filter(Q(pk__in=_demo_created_ids(Resource)) | Q(owner__in=demo_orgs)).values_list("pk", flat=True))
    org_ids = list(demo_orgs.values_list("pk", flat=True))
    counts = {"cooperation_items": len(item_ids), "demands": len(demand_ids), "resources": len(resource_ids), "organizations": len(org_ids)}
    steps: tuple[tuple[Any, list[int]], ...] = (
        (CooperationItem, item_ids), (Demand, demand_ids), (Resource, resource_ids), (Organization, org_ids),
    )
    for model, ids in steps:
        ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            model.objects.filter(pk__in=chunk).delete()
            ChangeRecord.objects.filter(content_type=ct, object_id__in=chunk).delete()
        if model is Resource:
            # Users go after what they may be assigned to, before the organisations they act for.
            counts["users"] = User.objects.filter(is_demo=True).delete()[1].get(User._meta.label, 0)
    return counts
