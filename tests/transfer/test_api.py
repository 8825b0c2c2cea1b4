"""The import/export API: upload (dry run or commit), the run, commit, error report, exports; error shapes."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from corridor.core.models import ChangeRecord
from corridor.lists.models import Resource
from corridor.transfer.models import ImportRun
from tests import factories as f
from tests.api.conftest import ApiClient, assert_error, token_for
from tests.transfer.test_import import HEAD, resource_row
from tests.transfer.test_import_views import workbook


def post_file(client: ApiClient, data: bytes, name="r.xlsx", **fields):
    body = {"type": "resources", "file": SimpleUploadedFile(name, data), **fields}
    return client.client.post("/api/v1/imports", body, headers=client.headers)


def test_dry_run_then_commit_then_conflict(world):
    api = ApiClient(token_for(world.owner))
    data = workbook([HEAD, resource_row(world), resource_row(world, "R2", "仪器B")])
    resp = post_file(api, data, dry_run="true")
    assert resp.status_code == 201, resp.content
    body = resp.json()
    assert body["status"] == "previewed" and body["created_count"] == 2 and body["dry_run"] is True
    assert body["organization"] == world.org.pk and len(body["sha256"]) == 64
    assert [r["label"] for r in body["preview"]["create"]] == ["中试平台A", "仪器B"]
    assert Resource.objects.count() == 0
    run_id = body["id"]
    assert api.get(f"imports/{run_id}").json()["status"] == "previewed"
    resp = api.post(f"imports/{run_id}/commit")
    assert resp.status_code == 200 and resp.json()["status"] == "committed"
    assert Resource.objects.count() == 2
    assert ChangeRecord.objects.filter(source="import", changes__import_run=run_id).count() == 2
    assert_error(api.post(f"imports/{run_id}/commit"), 409)
    # re-importing the same file (committing at once) changes nothing
    again = post_file(api, data).json()
    assert again["status"] == "committed" and again["unchanged_count"] == 2 and Resource.objects.count() == 2


def test_invalid_rows_error_report_and_valid_only(world):
    api = ApiClient(token_for(world.owner))
    data = workbook([HEAD, resource_row(world), resource_row(world, "R2", "坏行", city="火星市")])
    body = post_file(api, data).json()
    assert body["status"] == "invalid" and body["invalid_count"] == 1 and Resource.objects.count() == 0
    assert body["messages"][0]["row"] == 3 and "火星市" in body["messages"][0]["message"]
    report = api.get(body["errors_url"])
    assert report.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).worksheets[0]
    assert "火星市" in str(ws.cell(row=3, column=len(HEAD) + 1).value)
    body = post_file(api, data, mode="valid_only").json()
    assert body["status"] == "committed" and body["created_count"] == 1 and Resource.objects.count() == 1


def test_errors_have_the_api_shape(world):
    owner = ApiClient(token_for(world.owner))
    stranger = ApiClient(token_for(world.stranger))
    assert_error(post_file(ApiClient(), b"x"), 401)
    assert_error(post_file(owner, b"PK\x03\x04broken", name="x.xlsx"), 400, "file_refused", "file")
    assert_error(post_file(owner, b"a,b\n", type="nope"), 400, field="type")
    assert_error(post_file(owner, workbook([HEAD]), mode="sometimes"), 400)
    # a member cannot import for another organisation
    assert_error(post_file(stranger, workbook([HEAD, resource_row(world)]), organization=world.org.pk), 403)
    assert_error(post_file(owner, workbook([HEAD]), organization=999999), 400, "unknown_id", "organization")
    run = ImportRun.objects.filter(user=world.owner).first()
    assert run is not None
    assert_error(stranger.get(f"imports/{run.pk}"), 404)
    assert_error(stranger.post(f"imports/{run.pk}/commit"), 404)
    assert_error(owner.get("imports/987654"), 404)
    assert_error(owner.get(f"imports/{run.pk}/errors.xlsx"), 404)
    # missing required columns
    assert_error(post_file(owner, workbook([["资源名称"], ["x"]])), 400, field="mapping")


def test_exports(world):
    f.resource(world.org, name="上海平台")
    f.resource(world.other_org, name="苏州平台", city=f.city("苏州"))
    f.resource(world.org, name="内部平台", public=False)
    anon = ApiClient()
    resp = anon.get("exports/resources", {"format": "csv"})
    assert resp.status_code == 200
    text = b"".join(resp.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff") and "上海平台" in text and "内部平台" not in text
    owner = ApiClient(token_for(world.owner))
    resp = owner.get("exports/resources", {"format": "xlsx", "city": "苏州"})
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).worksheets[0]
    assert [r[2] for r in ws.iter_rows(min_row=2, values_only=True)] == ["苏州平台"]
    text = b"".join(owner.get("exports/resources", {"format": "csv"}).streaming_content).decode("utf-8")
    assert "内部平台" in text
    assert_error(anon.get("exports/nope"), 404)
    assert_error(anon.get("exports/resources", {"format": "pdf"}), 400, field="format")
