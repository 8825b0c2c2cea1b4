"""The OpenAPI document publishes each request/response schema under a name of its own.

django-ninja names a component after the schema class and merges the components of all operations
into one dict: two classes with the same name (say ``PartyOut`` of the cooperations and of the
brokers' cases) silently overwrite each other, and the document then describes one operation's
answer with the other's schema (found by tests/security/test_schemathesis.py).
"""

from __future__ import annotations

from typing import Any

from ninja.openapi.schema import OpenAPISchema


def test_no_two_schemas_share_a_component_name(monkeypatch):
    from corridor.api.api import api

    clashes: dict[str, list[Any]] = {}
    original = OpenAPISchema.add_schema_definitions

    def add_schema_definitions(self: OpenAPISchema, definitions: dict) -> None:
        for name, schema in definitions.items():
            if name in self.schemas and self.schemas[name] != schema:
                clashes.setdefault(name, [self.schemas[name]]).append(schema)
        original(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add_schema_definitions)
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["components"]["schemas"]
    assert not clashes, f"component names used by different schemas: {sorted(clashes)}"
