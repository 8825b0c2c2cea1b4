"""Whole answers are reused per user, language, path and data version — never across users, never after a change."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from corridor.api.answers import HEADER
from corridor.api.models import ApiToken
from corridor.lists.choices import Confidentiality
from corridor.lists.models import Demand, Resource
from tests import factories as f
from tests.api.conftest import ApiClient

SECRET = "保密配方QX-19"


@pytest.fixture
def secret(world):
    return f.demand(
        world.org, title="寻求保密合作", summary="公开摘要", description=f"详细需求：{SECRET}",
        confidentiality=Confidentiality.SUMMARY, budget_min=Decimal("1000.00"), budget_max=Decimal("2000.00"),
    )


def _text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize("path", ["resources", "demands", "resources/{r}", "demands/{d}", "search?q=催化剂", "demands/{d}/matches", "resources/{r}/matches"])
def test_a_repeated_read_is_answered_from_the_cache(world, clients, path):
    r = f.resource(world.org, description="环烯烃共聚物催化剂中试")
    d = f.demand(world.org)
    url = path.format(r=r.pk, d=d.pk)
    client = clients["owner"]
    first = client.get(url)
    assert first.status_code == 200 and first[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert second[HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # the data version, nothing else: the token is remembered for the version too
    assert len(queries) == 1, [q["sql"] for q in queries.captured_queries]


def test_every_kind_of_write_makes_the_next_read_fresh(world, clients):
    r = f.resource(world.org, name="旧名称")
    client = clients["owner"]
    assert "旧名称" in _text(client.get(f"resources/{r.pk}"))
    assert client.patch(f"resources/{r.pk}", {"name": "接口改名"}).status_code == 200
    answer = client.get(f"resources/{r.pk}")
    assert answer[HEADER] == "miss" and "接口改名" in _text(answer)
    Resource.objects.filter(pk=r.pk).update(name="批量改名")  # no model signals
    assert "批量改名" in _text(client.get(f"resources/{r.pk}"))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE lists_resource SET name = %s WHERE id = %s", ["原生改名", r.pk])
    assert "原生改名" in _text(client.get(f"resources/{r.pk}"))
    Resource.objects.filter(pk=r.pk).delete()
    assert client.get(f"resources/{r.pk}").status_code == 404


@pytest.mark.parametrize("first", ["owner", "stranger"])
def test_answers_never_cross_users(world, clients, secret, first):
    """Whoever asks first, the confidential details reach only those who may see them."""
    order = [first, "stranger" if first == "owner" else "owner"]
    for role in order * 2:
        for url in ("demands", f"demands/{secret.pk}"):
            text = _text(clients[role].get(url))
            assert (SECRET in text) is (role == "owner"), (role, url)


def test_anonymous_and_signed_in_answers_are_kept_apart(world, clients, secret):
    assert SECRET in _text(clients["owner"].get(f"demands/{secret.pk}"))
    assert SECRET not in _text(clients["anonymous"].get(f"demands/{secret.pk}"))
    assert SECRET not in _text(clients["anonymous"].get(f"demands/{secret.pk}"))


def test_languages_are_kept_apart(world, clients):
    d = f.demand(world.org, description="寻求环烯烃共聚物催化剂技术合作")
    f.resource(world.org, description="环烯烃共聚物催化剂中试平台")
    token = ApiToken.issue(world.owner)[1]
    zh = ApiClient(token, language="zh-hans").get(f"demands/{d.pk}/matches")
    en = ApiClient(token, language="en").get(f"demands/{d.pk}/matches")
    assert zh.status_code == en.status_code == 200
    assert en[HEADER] == "miss"
    assert zh.content != en.content  # the explanations are translated


def test_a_revoked_token_is_refused_even_with_its_answer_cached(world, clients):
    d = f.demand(world.org)
    token, raw = ApiToken.issue(world.owner)
    client = ApiClient(raw)
    assert client.get(f"demands/{d.pk}").status_code == 200
    token.revoke()  # the token table is exempt from the data version: the cache still holds the answer
    assert client.get(f"demands/{d.pk}").status_code == 401


def test_a_deactivated_account_is_refused_at_once(world, clients):
    d = f.demand(world.org)
    client = clients["owner"]
    assert client.get(f"demands/{d.pk}").status_code == 200
    world.owner.is_active = False
    world.owner.save(update_fields=["is_active"])
    assert client.get(f"demands/{d.pk}").status_code == 401


def test_an_expired_token_is_refused_even_when_remembered(world, clients):
    d = f.demand(world.org)
    token, raw = ApiToken.issue(world.owner)
    client = ApiClient(raw)
    assert client.get(f"demands/{d.pk}").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=token.expires + dt.timedelta(seconds=1)):
        assert client.get(f"demands/{d.pk}").status_code == 401


def test_errors_are_not_kept(world, clients, secret):
    Demand.objects.filter(pk=secret.pk).update(status="draft")
    assert clients["stranger"].get(f"demands/{secret.pk}").status_code == 404
    assert not any(k.startswith(":1:answer:") for k in caches["answers"]._cache)  # type: ignore[attr-defined]


def test_rate_limits_count_cached_answers(world, clients, settings):
    settings.CORRIDOR_RATELIMITS = {**settings.CORRIDOR_RATELIMITS, "api": "3/m"}
    d = f.demand(world.org)
    client = clients["owner"]
    statuses = [client.get(f"demands/{d.pk}").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_turned_off_with_zero_seconds(world, clients, settings):
    settings.CORRIDOR = {**settings.CORRIDOR, "ANSWER_CACHE_SECONDS": 0}
    d = f.demand(world.org)
    for _ in range(2):
        response = clients["owner"].get(f"demands/{d.pk}")
        assert response.status_code == 200 and not response.has_header(HEADER)


def test_writes_are_never_answered_from_the_cache(world, clients):
    r = f.resource(world.org)
    client = clients["owner"]
    client.get(f"resources/{r.pk}")
    response = client.patch(f"resources/{r.pk}", {"name": "新名称"})
    assert response.status_code == 200 and not response.has_header(HEADER)


def test_with_redis_as_the_cache(world, clients, settings, secret):
    """With REDIS_URL the answers (and the remembered tokens, pickled) live in Redis, shared by every worker."""
    import redis

    url = "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Redis is not running on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    backend = "django.core.cache.backends.redis.RedisCache"
    settings.CACHES = {
        "default": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": f"t{os.getpid()}"},
        "answers": {"BACKEND": backend, "LOCATION": url, "KEY_PREFIX": f"answers{os.getpid()}"},
    }
    from django.core.cache.backends.redis import RedisCache

    assert isinstance(caches["answers"], RedisCache)
    caches["answers"].clear()
    try:
        for role in ("owner", "stranger") * 2:
            response = clients[role].get(f"demands/{secret.pk}")
            assert (SECRET in _text(response)) is (role == "owner")
        assert response[HEADER] == "hit"
        Demand.objects.filter(pk=secret.pk).update(title="改过的标题")
        response = clients["owner"].get(f"demands/{secret.pk}")
        assert response[HEADER] == "miss" and "改过的标题" in _text(response)
    finally:
        caches["answers"].clear()
