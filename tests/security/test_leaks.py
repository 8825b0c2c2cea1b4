"""The crown jewels do not leak: confidential demand details, unpublished rows, bids, reviews, attachments.

Recognisable secrets are seeded into the scene (tests/security/conftest.py ``SECRETS``). Every
GET URL of the authorization matrix — every named web page and every API read — plus searches for
the secrets, list filters, exports, history and the detail URLs of the secret-bearing objects, is
requested by each role, and no response body of a role that is not entitled to a secret may
contain it: not in lists, search, matches, exports, history, error messages, OpenAPI examples or
the admin.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import (
    ROLES,
    SECRETS,
    api_headers,
    api_operations,
    api_url,
    body_of,
    isolated,
    ui_kwargs,
    ui_pages,
)

# Who may read each secret. Everyone else must never receive it.
ENTITLED = {
    "demand": {"owner", "operator"},  # confidential details: the owner's members, operators (and assigned managers)
    "draft": {"owner", "operator"},
    "private_resource": {"owner", "operator"},
    # The third organisation's bid on the owner's call: its issuer (after the deadline), the panel, operators.
    "bid": {"owner", "reviewer", "operator"},
    "attachment": {"owner", "reviewer", "operator"},
    # Reviews: the panel, operators and the issuer, who decides the award on them.
    "review": {"owner", "reviewer", "operator"},
}

# Searches use the words around the tags (a search page echoes its query; the tags must come from the data).
SEARCH_TERMS = ["机密需求细节", "草稿需求标题", "投标技术路线", "bid-secret", "评审意见", "未公开资源", "机密"]


def _extra_urls(scene: Any) -> list[tuple[str, bool]]:
    """(url, is_api) beyond the matrix's: searches, filters, exports, and the secret-bearing objects."""
    s = scene
    urls: list[tuple[str, bool]] = []
    for term in SEARCH_TERMS:
        q = quote(term)
        urls += [
            (f"/matching/search/?q={q}", False),
            (f"/matching/search/?q={q}&kind=demands", False),
            (f"/market/search/?q={q}", False),
            (f"/lists/demands/?q={q}", False),
            (f"/lists/resources/?q={q}", False),
            (f"/market/calls/?q={q}", False),
            (f"/api/v1/search?q={q}", True),
            (f"/api/v1/demands?q={q}", True),
            (f"/api/v1/resources?q={q}", True),
        ]
    for type_key in ("resources", "demands", "cooperation", "contracts"):
        for fmt in ("csv", "xlsx"):
            urls.append((f"/transfer/export/?type={type_key}&format={fmt}", False))
            urls.append((f"/api/v1/exports/{type_key}?format={fmt}", True))
    urls += [
        ("/transfer/export/?type=demands&format=csv&status=draft", False),
        ("/lists/demands/?status=draft", False),
        ("/lists/resources/?public=false", False),
        ("/api/v1/demands?status=draft&limit=100", True),
        ("/api/v1/resources?limit=100", True),
        ("/api/v1/bids?limit=100", True),
        (f"/api/v1/calls/{s.call.pk}/bids", True),
        (f"/api/v1/calls/{s.call.pk}/ranking", True),
        (f"/api/v1/calls/{s.call.pk}/history", True),
        (f"/api/v1/bids/{s.foreign_bid.pk}", True),
        (f"/api/v1/demands/{s.draft_demand.pk}", True),
        (f"/api/v1/demands/{s.draft_demand.pk}/history", True),
        (f"/api/v1/demands/{s.demand.pk}/history", True),
        (f"/api/v1/resources/{s.private_resource.pk}", True),
        (f"/api/v1/resources/{s.private_resource.pk}/history", True),
        (f"/api/v1/resources/{s.resource.pk}/matches", True),
        (f"/api/v1/cases/{s.case.pk}", True),
        (f"/api/v1/cases/{s.case.pk}/history", True),
        (reverse("market:bid_detail", args=[s.foreign_bid.pk]), False),
        (reverse("market:bid_list") + f"?call={s.call.pk}", False),
        (reverse("market:call_detail", args=[s.call.pk]), False),
        (reverse("market:attachment_download", args=[s.attachment.pk]), False),
        (reverse("lists:demand_detail", args=[s.draft_demand.pk]), False),
        (reverse("lists:resource_detail", args=[s.private_resource.pk]), False),
        (reverse("matching:resource_matches", args=[s.resource.pk]), False),
        (reverse("matching:demand_matches", args=[s.demand.pk]), False),
        (reverse("matching:demand_matches", args=[s.draft_demand.pk]), False),
        (reverse("brokers:case_detail", args=[s.case.pk]), False),
        # The admin answers non-staff with its login page, and must say nothing more.
        ("/admin/", False),
        ("/admin/lists/demand/", False),
        (f"/admin/lists/demand/{s.demand.pk}/change/", False),
        (f"/admin/lists/demand/{s.draft_demand.pk}/change/", False),
        ("/admin/market/bid/", False),
        (f"/admin/market/bid/{s.foreign_bid.pk}/change/", False),
        ("/admin/market/review/", False),
        # Error pages: an unknown id and a malformed one.
        ("/api/v1/demands/999999999", True),
        ("/api/v1/demands/not-a-number", True),
        ("/lists/demands/999999999/", False),
    ]
    return urls


def _all_get_urls(scene: Any) -> list[tuple[str, bool]]:
    urls = [(reverse(p.name, kwargs=ui_kwargs(p, scene)), False) for p in ui_pages()]
    urls += [(api_url(op, scene), True) for op in api_operations() if op.method == "GET"]
    return urls + _extra_urls(scene)


def marker(name: str) -> bytes:
    """The ASCII tag inside a secret: JSON answers escape Chinese (\\uXXXX), the tag stays as it is."""
    found = re.search(r"QZX\d{4}", SECRETS[name])
    assert found
    return found.group().encode()


def _readable(body: bytes) -> bytes:
    """XLSX (and other zip) bodies: the text of every part, so a secret inside a spreadsheet shows."""
    if not body.startswith(b"PK"):
        return body
    with zipfile.ZipFile(io.BytesIO(body)) as zf:
        return b"\n".join(zf.read(name) for name in zf.namelist())


def _fetch(role: str, scene: Any, url: str, is_api: bool) -> Any:
    if is_api:
        client = Client()
        headers = api_headers(role, scene)
        return isolated(lambda: client.get(url, headers=headers))
    client = scene.clients[role]
    return isolated(lambda: client.get(url))


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r != "operator"])
def test_no_secret_reaches_a_role_not_entitled_to_it(role, mscene):
    forbidden = {name: marker(name) for name, roles in ENTITLED.items() if role not in roles}
    leaks, errors = [], []
    for url, is_api in _all_get_urls(mscene):
        response = _fetch(role, mscene, url, is_api)
        if response.status_code >= 500:
            errors.append(f"{url} -> {response.status_code}")
            continue
        body = _readable(body_of(response))
        leaks += [f"{name} ({SECRETS[name]}) in {url} [{response.status_code}]" for name, secret in forbidden.items() if secret in body]
    assert not errors, f"server errors for {role}:\n" + "\n".join(errors)
    assert not leaks, f"leaks to {role}:\n" + "\n".join(leaks)


@pytest.mark.django_db
def test_the_secrets_are_reachable_at_all(mscene):
    """The leak test would pass vacuously if the secrets were never rendered: entitled roles do see them."""
    s = mscene
    seen = {
        "demand": _fetch("owner", s, reverse("lists:demand_detail", args=[s.demand.pk]), False),
        "draft": _fetch("owner", s, reverse("lists:demand_detail", args=[s.draft_demand.pk]), False),
        "private_resource": _fetch("owner", s, reverse("lists:resource_detail", args=[s.private_resource.pk]), False),
        "bid": _fetch("operator", s, reverse("market:bid_detail", args=[s.foreign_bid.pk]), False),
        "attachment": _fetch("operator", s, reverse("market:bid_detail", args=[s.foreign_bid.pk]), False),
        "review": _fetch("operator", s, reverse("market:bid_detail", args=[s.foreign_bid.pk]), False),
    }
    # Exports and search do carry confidential details to those entitled (so their absence elsewhere means something).
    for name, url, is_api in [
        ("demand", "/transfer/export/?type=demands&format=xlsx", False),
        ("demand", "/api/v1/exports/demands?format=csv", True),
        ("draft", "/lists/demands/?status=draft", False),
        ("private_resource", "/api/v1/resources?limit=100", True),
    ]:
        seen[f"{name} via {url}"] = _fetch("owner", s, url, is_api)
    missing = [
        name for name, response in seen.items() if marker(name.split(" ")[0]) not in _readable(body_of(response))
    ]
    assert not missing, f"secrets not rendered even to entitled roles: {missing}"
