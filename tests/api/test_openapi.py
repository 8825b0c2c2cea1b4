"""The OpenAPI schema loads and documents every operation; the docs page works without any CDN."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from corridor.api import urls as api_urls

CORE_PATHS = {
    "/api/v1/auth/token": {"post", "delete"},
    "/api/v1/auth/me": {"get"},
    "/api/v1/cities": {"get"},
    "/api/v1/cities/{id}": {"get"},
    "/api/v1/industries": {"get"},
    "/api/v1/industries/{id}": {"get"},
    "/api/v1/demands/{id}/transition": {"post"},
    **{f"/api/v1/{name}": {"get", "post"} for name in ("organizations", "resources", "demands", "cooperations")},
    **{f"/api/v1/{name}/{{id}}": {"get", "patch", "delete"} for name in ("organizations", "resources", "demands", "cooperations")},
    **{f"/api/v1/{name}/{{id}}/history": {"get"} for name in ("organizations", "resources", "demands", "cooperations")},
}


@pytest.fixture(scope="module")
def schema():
    return Client().get("/api/v1/openapi.json").json()


def _served_paths() -> set[str]:
    """Every path the API's URL patterns serve (other apps' endpoints included), in OpenAPI notation."""
    skip = {"api-root", "openapi-json", "openapi-view"}
    return {
        "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern))
        for p in api_urls.patterns
        if getattr(p, "name", None) not in skip
    }


def test_schema_lists_every_path(schema):
    assert schema["info"]["title"] == "Corridor API" and schema["info"]["version"] == "1"
    documented = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    for path, methods in CORE_PATHS.items():
        assert path in schema["paths"], path
        assert set(schema["paths"][path]) == methods, path
    assert documented
    assert _served_paths() <= set(schema["paths"])


def test_every_operation_is_tagged_secured_and_documents_errors(schema):
    assert schema["components"]["securitySchemes"]["CorridorAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "API token from POST /api/v1/auth/token, or the browser's session (with CSRF).",
    }
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            assert op.get("tags"), (path, method)
            assert op.get("security"), (path, method)
            if path in CORE_PATHS:
                assert "400" in op["responses"] and "401" in op["responses"], (path, method)


def test_list_parameters_come_from_the_filtersets(schema):
    params = {p["name"]: p for p in schema["paths"]["/api/v1/resources"]["get"]["parameters"]}
    assert {"q", "kind", "status", "open_to", "city", "industry", "owner", "trl", "limit", "offset"} <= set(params)
    assert "pilot" in params["kind"]["schema"]["enum"]
    assert params["limit"]["schema"]["maximum"] == 500 and params["limit"]["schema"]["default"] == 25


def test_docs_page_uses_local_static_files(db):
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "/static/ninja/swagger-ui.css" in html
    assert not re.search(r"(src|href)=\"https?://", html), "the docs page must not load anything from a CDN"
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        response = client.get(f"/static/ninja/{asset}")
        assert response.status_code == 200, asset


def test_api_root_says_where_to_look(db):
    body = Client().get("/api/v1/").json()
    assert body["openapi"] == "/api/v1/openapi.json" and body["docs"] == "/api/v1/docs"
