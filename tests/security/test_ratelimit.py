"""Rate limits: 429 with Retry-After and the API's error body on the token endpoint, the API as a
whole, search and matches (API and web); per account or token, else per address; switch-off."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from corridor.security.ratelimit import Limit, parse_rate
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db

LIMITS = {"auth_token": "3/m", "api": "1000/m", "search": "2/m"}


def assert_429(response, *, api: bool = True):
    assert response.status_code == 429, response.content[:300]
    assert 1 <= int(response["Retry-After"]) <= 60
    if api:
        body = response.json()
        assert body["code"] == "rate_limited" and body["fields"] == {} and "请求过于频繁" in body["detail"]


def test_parse_rate():
    assert parse_rate("10/m") == Limit(10, 60)
    assert parse_rate("100/5m") == Limit(100, 300)
    assert parse_rate(" 1000 / h ") == Limit(1000, 3600)
    assert parse_rate("") is None
    with pytest.raises(ValueError):
        parse_rate("ten per minute")


@override_settings(CORRIDOR_RATELIMITS=LIMITS)
def test_token_endpoint_is_limited_per_address(world):
    api = ApiClient()
    for _ in range(3):
        assert api.post("auth/token", {"username": "nobody", "password": "x"}).status_code == 401
    assert_429(api.post("auth/token", {"username": "owner", "password": f.PASSWORD}))
    # Another address still gets its token.
    other = Client(REMOTE_ADDR="10.9.9.9")
    response = other.post("/api/v1/auth/token", {"username": "owner", "password": f.PASSWORD}, content_type="application/json")
    assert response.status_code == 201


@override_settings(CORRIDOR_RATELIMITS=LIMITS)
@pytest.mark.parametrize("path", ["search?q=催化剂", "demands/{demand}/matches", "resources/{resource}/matches"])
def test_search_and_matches_are_limited(world, path):
    demand = f.demand(world.org, title="聚烯烃催化剂放大")
    resource = f.resource(world.org, name="催化剂中试平台")
    url = path.format(demand=demand.pk, resource=resource.pk)
    api = ApiClient()
    for _ in range(2):
        assert api.get(url).status_code == 200
    assert_429(api.get(url))
    # Other API reads are not affected by the search limit.
    assert api.get("resources").status_code == 200


@override_settings(CORRIDOR_RATELIMITS=LIMITS)
def test_limits_count_per_token_not_per_address(world):
    from corridor.api.models import ApiToken

    owner = ApiClient(ApiToken.issue(world.owner)[1])
    stranger = ApiClient(ApiToken.issue(world.stranger)[1])
    for _ in range(2):
        assert owner.get("search?q=x").status_code == 200
    assert_429(owner.get("search?q=x"))
    assert stranger.get("search?q=x").status_code == 200  # same address, other token


@override_settings(CORRIDOR_RATELIMITS={**LIMITS, "api": "3/m"})
def test_the_whole_api_is_limited(world):
    api = ApiClient()
    for _ in range(3):
        assert api.get("resources").status_code == 200
    assert_429(api.get("demands"))
    assert Client().get("/").status_code == 200  # web pages are not


@override_settings(CORRIDOR_RATELIMITS=LIMITS)
@pytest.mark.parametrize("path", ["/matching/search/", "/market/search/", "/matching/demands/{demand}/", "/matching/resources/{resource}/"])
def test_web_search_and_match_pages_are_limited(world, path):
    url = path.format(demand=f.demand(world.org).pk, resource=f.resource(world.org).pk)
    client = Client()
    client.force_login(world.owner)
    for _ in range(2):
        assert client.get(url, {"q": "催化剂"}).status_code == 200
    response = client.get(url, {"q": "催化剂"})
    assert_429(response, api=False)
    assert "请求过于频繁" in response.content.decode()
    # Other pages are not affected by the search limit.
    assert client.get("/market/calls/").status_code == 200


@override_settings(CORRIDOR_RATELIMITS=LIMITS, CORRIDOR_RATELIMIT_ENABLED=False)
def test_switched_off(world):
    api = ApiClient()
    for _ in range(5):
        assert api.get("search?q=x").status_code == 200


def test_env_switch_turns_limits_off(tmp_path):
    """CORRIDOR_RATELIMIT=0 (for the load benchmark) is read by the settings."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "CORRIDOR_RATELIMIT": "0", "CORRIDOR_VAR": str(tmp_path), "DEBUG": "1"}
    code = "import django; django.setup(); from corridor.security import ratelimit; print(ratelimit.enabled())"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.stdout.strip() == "False", result.stderr
    env["CORRIDOR_RATELIMIT"] = "1"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.stdout.strip() == "True", result.stderr
