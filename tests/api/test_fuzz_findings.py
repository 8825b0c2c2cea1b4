"""Regressions for what tests/security/test_schemathesis.py found: each a 500 or an answer the
OpenAPI document did not describe."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def _openapi() -> dict[str, Any]:
    from corridor.api.api import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def test_manager_list_filtered_by_language_is_not_a_server_error(clients, world):
    """The language filter deferred fields with only() on a queryset that select_related()s the user."""
    from corridor.brokers.models import TechnologyManager

    polyglot = TechnologyManager.objects.create(user=world.manager, city=f.city("上海"), languages=["en", "ja"])
    other = f.user("manager2", is_technology_manager=True)
    TechnologyManager.objects.create(user=other, city=f.city("苏州"), languages=["zh"])

    r = clients["owner"].get("managers", {"language": "EN"})
    assert r.status_code == 200, r.content
    assert [m["id"] for m in r.json()["items"]] == [polyglot.pk]
    assert clients["anonymous"].get("managers", {"language": "Ø\x05"}).json()["items"] == []


def test_utilisation_downloads_are_documented(clients):
    content = _openapi()["paths"]["/api/v1/labs/utilisation"]["get"]["responses"][200]["content"]
    for fmt in ("json", "csv", "xlsx"):
        r = clients["anonymous"].get("labs/utilisation", {"format": fmt})
        assert r.status_code == 200
        assert r["Content-Type"].split(";")[0] in content, fmt


def test_cooperation_parties_are_described_by_their_own_schema(clients, world):
    """``PartyOut`` of the brokers' cases overwrote the cooperations' one in the document."""
    schemas = _openapi()["components"]["schemas"]
    cooperation = f.cooperation([(world.org, "rd"), (world.other_org, "production")], title="沪苏合作")
    party = clients["owner"].get(f"cooperations/{cooperation.pk}").json()["parties"][0]
    declared = schemas["PartyOut"]["properties"]["organization"]
    assert isinstance(party["organization"], int)
    assert declared.get("type") == "integer"


def test_rate_limited_answers_are_documented_on_every_operation(world):
    """The rate limits answer 429 on any /api/ path, before the view: the document says so everywhere."""
    from django.core.cache import cache
    from django.test import Client, override_settings

    from tests.api.conftest import ApiClient

    cache.clear()  # the limits count in the cache
    document = Client().get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answer = operation["responses"].get("429")
            assert answer, f"{method.upper()} {path} does not document 429"
            assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    with override_settings(CORRIDOR_RATELIMITS={"api": "1/m"}):
        cache.clear()
        api = ApiClient()
        assert api.get("resources").status_code == 200
        r = api.get("resources")
    assert r.status_code == 429
    assert set(r.json()) == set(document["components"]["schemas"]["ErrorOut"]["properties"])


@pytest.mark.parametrize("moment", ["0880-12-05T11:24:56Z", "1900-01-01T00:00:00", "9999-12-31T23:00:00Z"])
def test_lab_times_outside_the_supported_years_are_refused(clients, world, moment):
    """Asia/Shanghai was +08:05:43 in 880 (not writable in RFC 3339); year 9999 overflowed when made local."""
    from tests.labs.conftest import make_instrument

    instrument = make_instrument(world.owner, world.org)
    r = clients["anonymous"].get(f"instruments/{instrument.pk}/availability", {"from": moment, "to": "2026-01-01T00:00:00"})
    assert r.status_code == 400, r.content
    assert "from" in r.json()["fields"]
    r = clients["owner"].post(
        "bookings", {"instrument": instrument.pk, "start": moment, "end": "2030-01-01T10:00:00", "purpose": "x"}
    )
    assert r.status_code == 400 and "start" in r.json()["fields"], r.content
    ok = clients["anonymous"].get(f"instruments/{instrument.pk}/availability", {"from": "2030-01-01T00:00:00", "to": "2030-01-02T00:00:00"})
    assert ok.status_code == 200 and ok.json()["from"] == "2030-01-01T00:00:00+08:00"


def test_patch_refuses_null_where_the_field_takes_none(clients, world):
    """PATCH bodies accepted ``null`` for every field: ``{"industries": null}`` on a consortium was a 500."""
    from corridor.brokers.models import Consortium

    consortium = Consortium.objects.create(name="长三角测试联合体", lead=world.org, lead_role="chain_leader", public=True)
    operator = clients["operator"]
    for field in ("industries", "name", "description"):
        r = operator.patch(f"consortia/{consortium.pk}", {field: None})
        assert r.status_code == 400, (field, r.content)
        assert list(r.json()["fields"]) == [field]
    r = operator.patch(f"consortia/{consortium.pk}", {"launched_on": None, "description": "新的介绍"})
    assert r.status_code == 200 and r.json()["launched_on"] is None and r.json()["description"] == "新的介绍"
