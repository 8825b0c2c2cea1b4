"""The import pages: upload → mapping → preview → commit, the list of imports, permissions."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from corridor.core.models import ChangeRecord
from corridor.lists.models import Resource
from corridor.orgs.models import Membership
from corridor.transfer.choices import ImportStatus
from corridor.transfer.models import ColumnMapping, ImportRun
from tests import factories as f
from tests.transfer.test_import import HEAD, resource_row


def workbook(rows, title="资源") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(client, data: bytes, name="r.xlsx", **fields):
    post = {"type": "resources", "mode": "all", "file": SimpleUploadedFile(name, data), **fields}
    return client.post(reverse("transfer:import_new"), post)


def test_anonymous_is_sent_to_login(client, db):
    for name in ("transfer:import_list", "transfer:import_new"):
        resp = client.get(reverse(name))
        assert resp.status_code == 302 and "/login" in resp["Location"]
    resp = client.get(reverse("transfer:import_detail", args=[1]))
    assert resp.status_code == 302


def test_user_without_organisation_may_not_import(client, db):
    client.force_login(f.user("loner"))
    assert client.get(reverse("transfer:import_new")).status_code == 403


def test_upload_preview_commit(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("transfer:import_new"))
    assert page.status_code == 200 and 'name="organization"' not in page.content.decode()  # only one organisation
    data = workbook([HEAD, resource_row(world), resource_row(world, "R2", "坏行", city="火星市"), resource_row(world, "R3", "好行")])
    resp = upload(client, data)
    run = ImportRun.objects.get()
    assert resp.status_code == 302 and resp["Location"] == reverse("transfer:import_detail", args=[run.pk])
    assert run.status == ImportStatus.PREVIEWED and run.counts() == {"rows": 3, "created": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert run.organization == world.org and run.source == "web" and len(run.sha256) == 64
    assert Resource.objects.count() == 0  # the preview writes nothing
    page = client.get(resp["Location"]).content.decode()
    assert "火星市" in page and "坏行" in page and 'id="error-report"' in page and "valid_only" in page
    assert "<td>3</td><td>E</td>" in page  # row 3, column E (所在城市) as Excel names them
    assert run.preview["create"][0]["label"] == "中试平台A"
    # all or nothing: the commit button offers the valid rows only
    resp = client.post(reverse("transfer:import_commit", args=[run.pk]), {"mode": "valid_only"})
    assert resp.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED and run.created_count == 2 and run.invalid_count == 1
    assert Resource.objects.count() == 2
    rec = ChangeRecord.objects.filter(source="import").first()
    assert rec is not None and rec.changes["import_run"] == run.pk
    page = client.get(reverse("transfer:import_detail", args=[run.pk])).content.decode()
    assert reverse("lists:resource_list") in page
    # a finished import cannot be committed twice
    client.post(reverse("transfer:import_commit", args=[run.pk]))
    assert Resource.objects.count() == 2
    listing = client.get(reverse("transfer:import_list")).content.decode()
    assert "r.xlsx" in listing and run.sha256[:12] in listing
    progress = client.get(reverse("transfer:import_progress", args=[run.pk])).json()
    assert progress["status"] == "committed" and progress["done"] == 3


def test_refused_file_rerenders_the_form(client, world):
    client.force_login(world.owner)
    resp = upload(client, b"PK\x03\x04 not really a workbook", name="x.xlsx")
    assert resp.status_code == 200
    assert 'invalid-feedback' in resp.content.decode()
    assert ImportRun.objects.get().status == ImportStatus.REJECTED


def test_member_cannot_import_into_another_organisation(client, world):
    # a member of two organisations chooses one of them; a third is refused by the form
    second = f.organization("第二机构")
    Membership.objects.create(user=world.stranger, organization=second)
    client.force_login(world.stranger)
    page = client.get(reverse("transfer:import_new")).content.decode()
    assert 'name="organization"' in page and world.org.name not in page
    data = workbook([HEAD, resource_row(world)])
    resp = upload(client, data, organization=world.org.pk)
    assert resp.status_code == 200 and not ImportRun.objects.exists()
    # for its own organisation, rows owned by another organisation are invalid and nothing is written
    upload(client, data, organization=second.pk)
    run = ImportRun.objects.get()
    assert run.organization == second and run.invalid_count == 1 and run.created_count == 0
    assert any(world.org.name in m for _r, _c, m in run.errors)
    client.post(reverse("transfer:import_commit", args=[run.pk]))
    assert Resource.objects.count() == 0
    # and someone else's import is not even visible
    client.force_login(world.owner)
    assert client.get(reverse("transfer:import_detail", args=[run.pk])).status_code == 404
    assert client.post(reverse("transfer:import_commit", args=[run.pk])).status_code == 404
    assert client.get(reverse("transfer:import_mapping", args=[run.pk])).status_code == 404


def test_mapping_step_for_unknown_headers_is_remembered(client, world):
    client.force_login(world.owner)
    head = ["编号X", "平台叫啥", "资源类型", "所在城市", "能力描述"]
    data = workbook([head, ["A1", "自定义平台", "中试平台", "苏州", "说明"]])
    resp = upload(client, data)
    run = ImportRun.objects.get()
    assert resp["Location"] == reverse("transfer:import_mapping", args=[run.pk])
    page = client.get(resp["Location"])
    assert page.status_code == 200 and "平台叫啥" in page.content.decode()
    # two columns for one field: refused with a message
    resp = client.post(resp["Location"], {"col_0": "name", "col_1": "name", "col_2": "kind", "col_3": "city", "col_4": "description", "remember": "on"})
    assert resp.status_code == 200 and "invalid-feedback" in resp.content.decode()
    resp = client.post(reverse("transfer:import_mapping", args=[run.pk]),
                       {"col_0": "external_id", "col_1": "name", "col_2": "kind", "col_3": "city", "col_4": "description", "remember": "on"})
    assert resp.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED and run.created_count == 1
    assert ColumnMapping.objects.get(organization=world.org, type="resources").mapping["平台叫啥"] == "name"
    # the next file with the same headers goes straight to the preview
    resp = upload(client, data, name="again.xlsx")
    again = ImportRun.objects.get(file_name="again.xlsx")
    assert resp["Location"] == reverse("transfer:import_detail", args=[again.pk])
    assert again.created_count == 1


def test_operator_chooses_an_organisation(client, world):
    client.force_login(world.operator)
    page = client.get(reverse("transfer:import_new")).content.decode()
    assert 'name="organization"' in page
    data = workbook([HEAD[:3] + HEAD[4:], [v for i, v in enumerate(resource_row(world)) if i != 3]])
    upload(client, data, organization=world.other_org.pk)
    run = ImportRun.objects.get()
    assert run.organization == world.other_org and run.created_count == 1


def test_list_pages_link_to_export_and_import(client, world):
    f.resource(world.org, name="上海平台")
    client.force_login(world.owner)
    for list_name, type_key in (("lists:resource_list", "resources"), ("lists:demand_list", "demands"),
                                ("lists:cooperation_list", "cooperation"), ("orgs:organization_list", "organizations"),
                                ("market:contract_list", "transactions"), ("labs:instrument_list", "instruments")):
        page = client.get(reverse(list_name), {"q": "平台"}).content.decode()
        assert f"?type={type_key}&amp;format=xlsx&amp;q=" in page, list_name
        assert 'id="transfer-import"' in page
    anonymous = client.__class__().get(reverse("lists:resource_list")).content.decode()
    assert 'id="transfer-export-csv"' in anonymous and 'id="transfer-import"' not in anonymous


def test_progress_is_visible_while_the_commit_runs(client, world):
    from django.core.cache import cache

    from corridor.transfer import services

    client.force_login(world.owner)
    upload(client, workbook([HEAD, resource_row(world), resource_row(world, "R2", "仪器B")]))
    run = ImportRun.objects.get()
    seen = []

    def during(phase, done):
        seen.append(client.get(reverse("transfer:import_progress", args=[run.pk])).json())

    services.import_commit(run, user=world.owner, progress=during)
    assert seen and seen[-1]["phase"] == "commit" and seen[-1]["done"] == 2
    assert cache.get(services.progress_key(run.pk)) is None  # cleared when finished
    assert client.get(reverse("transfer:import_progress", args=[run.pk])).json()["phase"] == ""
