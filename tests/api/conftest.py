"""Clients for the JSON API: one per role of the permission matrix, authenticated by bearer token."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from corridor.api.models import ApiToken

API = "/api/v1/"
ROLES = ("anonymous", "stranger", "owner", "operator")


class ApiClient:
    """Thin wrapper over Django's test client: JSON in and out, paths relative to /api/v1/."""

    def __init__(self, token: str | None = None, *, client: Client | None = None, language: str | None = None) -> None:
        self.client = client or Client()
        self.headers: dict[str, str] = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def _url(self, path: str) -> str:
        return path if path.startswith("/") else API + path

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str):
        return self.client.get(self._url(path), params or {}, headers={**self.headers, **headers})

    def _send(self, method: str, path: str, body: Any = None, raw: str | bytes | None = None, **headers: str):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return getattr(self.client, method)(
            self._url(path), data=data, content_type="application/json", headers={**self.headers, **headers}
        )

    def post(self, path: str, body: Any = None, **kw: Any):
        return self._send("post", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any):
        return self._send("patch", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any):
        return self._send("put", path, body, **kw)

    def delete(self, path: str, **kw: Any):
        return self._send("delete", path, None, **kw)


def token_for(user: Any) -> str:
    return ApiToken.issue(user)[1]


class Clients(dict):
    """``clients[role]``: an API client for a role of the ``world`` fixture, its token issued on first use."""

    def __init__(self, world: Any) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, role: str) -> ApiClient:
        client = ApiClient() if role == "anonymous" else ApiClient(token_for(getattr(self.world, role)))
        self[role] = client
        return client


@pytest.fixture
def clients(world) -> Clients:
    """API clients for anonymous, stranger (member of another org), owner, operator, manager, reviewer."""
    return Clients(world)


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict[str, Any]:
    """The response is an error of the API's one shape, with this status (and code, and field)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code", "fields"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["fields"], dict)
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["fields"], body
        assert all(isinstance(m, str) and m for m in body["fields"][field])
    return body
