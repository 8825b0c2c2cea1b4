"""Web endpoints: export of a filtered list view, templates, error report download."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from corridor.transfer.services import import_file
from tests import factories as f
from tests.transfer.helpers import xlsx


def test_export_view_filters_and_restricts(client, world):
    f.resource(world.org, name="上海平台")
    f.resource(world.other_org, name="苏州平台", city=f.city("苏州"))
    f.resource(world.org, name="内部平台", public=False)
    url = reverse("transfer:export")
    resp = client.get(url, {"type": "resources", "format": "xlsx", "city": "苏州"})
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).worksheets[0]
    assert [r[2] for r in ws.iter_rows(min_row=2, values_only=True)] == ["苏州平台"]
    resp = client.get(url, {"type": "resources", "format": "csv"})
    body = b"".join(resp.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff") and "上海平台" in body and "内部平台" not in body
    client.force_login(world.owner)
    body = b"".join(client.get(url, {"type": "resources", "format": "csv"}).streaming_content).decode("utf-8")
    assert "内部平台" in body
    assert client.get(url, {"type": "nope"}).status_code == 404
    assert client.get(url, {"type": "resources", "format": "pdf"}).status_code == 400


def test_template_download(client, db):
    resp = client.get(reverse("transfer:template", args=["demands"]))
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    assert wb.sheetnames[0] == "需求"
    assert client.get(reverse("transfer:template", args=["nope"])).status_code == 404


def test_error_report_download_only_for_own_runs(client, world, tmp_path):
    path = xlsx(tmp_path / "bad.xlsx", [["资源名称", "资源类型", "所属机构", "能力描述"], ["x", "坏类型", world.org.name, "d"]])
    run = import_file(user=world.owner, path=path, type="resources")
    url = reverse("transfer:error_report", args=[run.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.stranger)
    assert client.get(url).status_code == 404
    client.force_login(world.owner)
    resp = client.get(url)
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content))).worksheets[0]
    assert "坏类型" in ws.cell(row=2, column=5).value
