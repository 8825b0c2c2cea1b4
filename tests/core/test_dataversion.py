"""The data version changes with every write the database sees, whoever makes it, and only then."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone

from corridor.api.models import ApiToken
from corridor.core import dataversion
from corridor.lists.models import Resource
from tests import factories as f


@pytest.mark.parametrize(
    ("sql", "write"),
    [
        ('SELECT "lists_resource"."id" FROM "lists_resource"', False),
        ("  select 1", False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
        ("PRAGMA foreign_keys", False),
        ('INSERT INTO "lists_resource" ("name") VALUES (%s)', True),
        ('UPDATE "lists_demand" SET "status" = %s', True),
        ('DELETE FROM "lists_resourceevidence" WHERE id = %s', True),
        ("INSERT OR REPLACE INTO core_dataversion (id, value) VALUES (1, 2)", False),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('UPDATE "api_apitoken" SET "last_used" = %s WHERE "api_apitoken"."id" = %s', False),
        ('UPDATE "api_apitoken" SET "revoked" = %s WHERE "api_apitoken"."id" = %s', True),
        ('UPDATE "api_apitoken" SET "last_used" = %s, "revoked" = %s WHERE "api_apitoken"."id" = %s', True),
        ('DELETE FROM "api_apitoken" WHERE "api_apitoken"."id" IN (%s)', True),
        ('INSERT INTO "security_auditevent" ("kind") VALUES (%s)', False),
        ('CREATE TABLE "x" ("id" integer)', True),
        ("WITH t AS (SELECT 1) UPDATE lists_resource SET name = 'x'", True),
        ('TRUNCATE "lists_resource"', True),
    ],
)
def test_what_counts_as_a_write(sql, write):
    assert dataversion._is_write(sql) is write


def test_orm_writes_of_every_kind_change_the_version(world):
    seen = {dataversion.current()}
    r = f.resource(world.org)  # save (INSERT)
    seen.add(dataversion.current())
    r.name = "改名的中试平台"
    r.save()  # UPDATE
    seen.add(dataversion.current())
    Resource.objects.filter(pk=r.pk).update(name="再改")  # no signals
    seen.add(dataversion.current())
    Resource.objects.bulk_create([Resource(kind=r.kind, name="批量", owner=world.org, city=world.org.city)])
    seen.add(dataversion.current())
    with connection.cursor() as cursor:  # raw SQL through Django
        cursor.execute("UPDATE lists_resource SET name = %s WHERE id = %s", ["原生", r.pk])
    seen.add(dataversion.current())
    r.delete()
    seen.add(dataversion.current())
    assert None not in seen
    assert len(seen) == 7


def test_inserts_keep_their_primary_keys(world):
    """The version is written on a cursor of its own: the insert's cursor keeps its lastrowid / RETURNING row."""
    a = f.resource(world.org)
    b = f.resource(world.org)
    assert a.pk and b.pk and a.pk != b.pk
    assert Resource.objects.get(pk=b.pk).name == b.name


def test_reads_and_exempt_writes_leave_it_alone(world):
    f.resource(world.org)
    token, raw = ApiToken.issue(world.owner)
    before = dataversion.current()
    list(Resource.objects.all())
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())  # the statement authenticate() sends
    ApiToken.authenticate(raw)
    session = SessionStore()
    session["x"] = 1
    session.save()
    assert dataversion.current() == before


def test_writes_inside_a_transaction_change_it_at_once(world):
    before = dataversion.current()
    with transaction.atomic():
        f.resource(world.org)
        inside = dataversion.current()
    assert inside != before
    assert dataversion.current() not in (None, before)


@pytest.mark.django_db(transaction=True)
def test_postgresql_advances_it_again_after_the_commit_once_per_transaction():
    """On PostgreSQL ``nextval`` is visible before the commit, so one more step follows the commit;
    SQLite writes the value inside the transaction and needs none."""
    org = f.organization()
    with transaction.atomic():
        for _ in range(3):
            f.resource(org)
        ours = _our_hooks()
        before_commit = dataversion.current()
    if connection.vendor == "postgresql":
        assert len(ours) == 1
        assert dataversion.current() != before_commit  # the hook ran at the commit
    else:
        assert ours == []
        assert dataversion.current() == before_commit


def _our_hooks() -> list:
    return [h for _sids, h, _robust in connection.run_on_commit if h.__qualname__.startswith("_after_commit")]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_savepoint_does_not_lose_the_commit_step():
    org = f.organization()
    with transaction.atomic():
        try:
            with transaction.atomic():
                f.resource(org)  # registers the hook inside the savepoint …
                raise RuntimeError
        except RuntimeError:
            pass
        f.resource(org)  # … which the rollback dropped: this write registers it again
        hooks = _our_hooks()
    if connection.vendor == "postgresql":
        assert len(hooks) == 1
    else:
        assert hooks == []


def test_no_version_table_yet_means_no_bump(world, monkeypatch):
    monkeypatch.setattr(connection, "_corridor_version_ready", False, raising=False)
    before = dataversion.current()
    f.resource(world.org)
    assert dataversion.current() == before


def test_renew_after_a_restore_hands_out_an_unused_value(world):
    f.resource(world.org)
    before = dataversion.current()
    dataversion.renew(connection)
    after = dataversion.current()
    assert after is not None and after != before
    if connection.vendor == "postgresql":  # counting on from a restored sequence would repeat values
        assert after > before + 1_000_000


def test_token_writes_other_than_last_used_change_it(world):
    token, _raw = ApiToken.issue(world.owner)
    before = dataversion.current()
    token.revoke()
    assert dataversion.current() != before
