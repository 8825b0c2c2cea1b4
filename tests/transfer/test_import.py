"""The import engine end to end: round trips, idempotence, modes, permissions, parsing and mapping."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from corridor.core.models import ChangeRecord
from corridor.lists.choices import Confidentiality, DemandStatus, PartyRole
from corridor.lists.models import CooperationItem, Demand, Resource
from corridor.orgs.models import Organization
from corridor.transfer.choices import ImportMode, ImportStatus
from corridor.transfer.models import ColumnMapping, ExternalKey
from corridor.transfer.selectors import export_queryset
from corridor.transfer.services import (
    column_mapping_save,
    import_check,
    import_commit,
    import_file,
    import_upload,
)
from corridor.transfer.specs import get_spec
from corridor.transfer.writers import export_rows, write_csv, write_xlsx
from tests import factories as f
from tests.transfer.helpers import read_xlsx, xlsx

HEAD = ["外部编号", "资源名称", "资源类型", "所属机构", "所在城市", "产业领域", "能力描述", "最低技术成熟度", "最高技术成熟度"]


def resource_row(world, ext="R1", name="中试平台A", **kw):
    row = {"ext": ext, "name": name, "kind": "中试平台", "owner": world.org.name, "city": "苏州", "ind": "2614",
           "desc": "描述", "tmin": 3, "tmax": 7}
    row.update(kw)
    return list(row.values())


def export_file(tmp_path, type_key, user, fmt="xlsx"):
    spec = get_spec(type_key)
    qs = export_queryset(spec, user)
    path = tmp_path / f"export-{type_key}.{fmt}"
    if fmt == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:
            write_csv(export_rows(spec, qs, user), fh)
    else:
        with open(path, "wb") as fh:
            write_xlsx(spec, export_rows(spec, qs, user), fh)
    return path


def test_import_creates_then_reimport_is_unchanged(world, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [HEAD, resource_row(world), resource_row(world, "R2", "仪器B", kind="大型仪器", ind="2614、3.1")])
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED, (run.message, run.errors)
    assert run.counts() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "invalid": 0}
    r = Resource.objects.get(name="中试平台A")
    assert r.owner == world.org and r.city.short_name == "苏州" and (r.trl_min, r.trl_max) == (3, 7)
    assert [i.code for i in Resource.objects.get(name="仪器B").industries.order_by("code")] == ["2614", "3.1"]
    rec = ChangeRecord.objects.filter(object_id=r.pk, source="import").get()
    assert rec.changes["import_run"] == run.pk and rec.user == world.owner

    again = import_file(user=world.owner, path=path, type="resources")
    assert again.counts() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    assert Resource.objects.count() == 2
    assert ExternalKey.objects.filter(type="resources").count() == 2

    # the same external id with a changed cell updates the entry, never duplicates it
    changed = xlsx(tmp_path / "r2.xlsx", [HEAD, resource_row(world, name="中试平台A（扩建）")])
    third = import_file(user=world.owner, path=changed, type="resources")
    assert third.counts()["updated"] == 1 and Resource.objects.count() == 2
    assert Resource.objects.filter(name="中试平台A（扩建）").exists()


def test_all_or_nothing_writes_nothing_and_valid_only_skips_bad_rows(world, tmp_path):
    rows = [HEAD, resource_row(world), resource_row(world, "R2", "坏行", city="火星市"), resource_row(world, "R3", "好行")]
    path = xlsx(tmp_path / "bad.xlsx", rows)
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.INVALID
    assert run.invalid_count == 1 and Resource.objects.count() == 0
    assert run.errors == [[3, 5, "未知城市“火星市”，请写作 苏州、苏州市 或 320500 等形式。"]]

    run = import_file(user=world.owner, path=path, type="resources", mode=ImportMode.VALID_ONLY)
    assert run.status == ImportStatus.COMMITTED
    assert run.counts() == {"rows": 3, "created": 2, "updated": 0, "unchanged": 0, "invalid": 1}
    assert set(Resource.objects.values_list("name", flat=True)) == {"中试平台A", "好行"}


def test_member_cannot_import_into_another_organisation(world, tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [HEAD, resource_row(world), resource_row(world, "R2", "别人的", owner=world.other_org.name)])
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.INVALID and Resource.objects.count() == 0
    assert run.errors[0][0] == 3 and "苏州测试材料有限公司" in run.errors[0][2]
    # an existing entry of another organisation cannot be changed through its id either
    theirs = f.resource(world.other_org, name="他们的平台")
    path = xlsx(tmp_path / "r2.xlsx", [["系统编号", "资源名称"], [theirs.pk, "改名"]])
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.INVALID
    theirs.refresh_from_db()
    assert theirs.name == "他们的平台"
    # the operator may import for anyone
    path = xlsx(tmp_path / "r3.xlsx", [HEAD, resource_row(world, "R9", "运营导入", owner=world.other_org.credit_code)])
    assert import_file(user=world.operator, path=path, type="resources").status == ImportStatus.COMMITTED


def test_cell_parsers_accept_what_people_type(world, tmp_path):
    head = ["需求名称", "需求单位", "需求描述", "预算下限（元）", "预算上限（元）", "截止日期", "所在城市", "产业领域", "需求状态", "保密程度"]
    import datetime as dt

    rows = [
        head,
        ["需求一", world.org.credit_code, "d", "120万", "¥1,200,000.50", "2025/10/26", "320500", "C26、3.1", "已发布", "公开"],
        ["需求二", world.org.name, "d", 1000, "1,200,000.00", "2025年10月26日", "苏州市", "化学原料和化学制品制造业", "draft", "Summary only"],
        ["需求三", world.org.name, "d", None, None, dt.datetime(2025, 10, 26), "Suzhou", None, None, None],  # noqa: DTZ001 - an Excel date cell is naive
    ]
    path = xlsx(tmp_path / "d.xlsx", rows, title="需求")
    run = import_file(user=world.owner, path=path, type="demands")
    assert run.status == ImportStatus.COMMITTED, run.errors
    one, two, three = (Demand.objects.get(title=t) for t in ("需求一", "需求二", "需求三"))
    assert one.budget_min == Decimal("1200000.00") and one.budget_max == Decimal("1200000.50")
    assert one.deadline == two.deadline == three.deadline == dt.date(2025, 10, 26)
    assert one.city.code == two.city.code == three.city.code == "320500"
    assert one.status == DemandStatus.PUBLISHED and two.status == DemandStatus.DRAFT and three.status == DemandStatus.DRAFT
    assert two.confidentiality == Confidentiality.SUMMARY
    assert {i.code for i in one.industries.all()} == {"26", "3.1"}


def test_bad_cells_get_clear_messages(world, tmp_path):
    head = ["需求名称", "需求单位", "需求描述", "预算下限（元）", "截止日期", "产业领域", "需求状态", "期望技术成熟度"]
    rows = [head, ["x", world.org.name, "d", "一百万", "2025-13-45", "不存在的产业", "已解决", 12],
            [None, "没有这个机构", "d", "-5", "明天", None, None, None]]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "d.xlsx", rows), type="demands")
    assert run.status == ImportStatus.INVALID and Demand.objects.count() == 0
    by_cell = {(r, c): m for r, c, m in run.errors}
    assert "不是金额" in by_cell[(2, 4)]
    assert "不是日期" in by_cell[(2, 5)]
    assert "未知产业" in by_cell[(2, 6)]
    assert "1 到 9" in by_cell[(2, 8)]
    assert "必填" in by_cell[(3, 1)]
    assert "没有统一社会信用代码或准确名称" in by_cell[(3, 2)]
    assert "负数" in by_cell[(3, 4)]
    # a status a new demand cannot start in
    rows = [head[:3] + ["需求状态"], ["y", world.org.name, "d", "已解决"]]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "d2.xlsx", rows), type="demands")
    assert [e[:2] for e in run.errors] == [[2, 4]] and "草稿" in run.errors[0][2]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_resources_and_demands(world, tmp_path, fmt):
    r = f.resource(world.org, name="平台甲", contact_email="a@b.cn", public=False)
    r.industries.set([f.industry("2614"), f.industry("1.5", "sei2018")])
    f.resource(world.org, name="平台乙", trl_min=2, trl_max=5)
    d = f.demand(world.org, title="需求甲", deadline="2026-01-31", trl_desired=6, confidentiality=Confidentiality.SUMMARY, summary="摘要")
    d.industries.set([f.industry("2614")])
    f.demand(world.org, title="需求乙", budget_min=None, budget_max=Decimal("99.99"), status=DemandStatus.DRAFT)
    for type_key in ("resources", "demands"):
        path = export_file(tmp_path, type_key, world.owner, fmt)
        before = ChangeRecord.objects.count()
        run = import_file(user=world.owner, path=path, type=type_key)
        assert run.status == ImportStatus.COMMITTED, (type_key, run.errors, run.message)
        assert run.counts()["unchanged"] == run.rows == 2, (type_key, run.errors)
        assert ChangeRecord.objects.count() == before


def test_round_trip_cooperation_and_organisations(world, tmp_path):
    third = f.organization("无锡第三方研究院", city_name="无锡")
    item = f.cooperation([(world.org, PartyRole.LEAD), (third, PartyRole.PRODUCTION)], title="跨城合作",
                         contract_value=Decimal("1200000.00"), start_date="2025-01-01", end_date="2026-12-31")
    item.industries.set([f.industry("2614")])
    world.org.industries.set([f.industry("2614")])
    for type_key, user in (("cooperation", world.owner), ("organizations", world.operator)):
        path = export_file(tmp_path, type_key, user)
        run = import_file(user=user, path=path, type=type_key)
        assert run.status == ImportStatus.COMMITTED, (type_key, run.errors, run.message)
        assert run.created_count == run.updated_count == 0 and run.unchanged_count == run.rows > 0
    assert CooperationItem.objects.count() == 1 and Organization.objects.count() == 3


def test_cooperation_import_with_parties(world, tmp_path):
    head = ["合作事项名称", "合作类型", "合作各方", "合同金额（元）", "开始日期", "结束日期"]
    rows = [head, ["新合作", "联合研发", f"{world.org.name}（牵头）；{world.other_org.credit_code}（生产）", "50万", "2025-01-01", "2025-12-31"],
            ["同城合作", "联合研发", f"{world.org.name}（牵头）", None, None, None]]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "c.xlsx", rows), type="cooperation", mode=ImportMode.VALID_ONLY)
    assert run.counts()["created"] == 1 and run.invalid_count == 1, (run.errors, run.message)
    item = CooperationItem.objects.get()
    assert item.contract_value == Decimal("500000.00") and item.rd_production_split
    assert {(p.organization_id, p.role) for p in item.parties.all()} == {(world.org.pk, "lead"), (world.other_org.pk, "production")}


def test_organisations_only_operators_create_members_update_their_own(world, tmp_path):
    head = ["机构名称", "机构类型", "统一社会信用代码", "所在城市"]
    new_code = f.credit_code(987)
    rows = [head, ["新机构", "企业", new_code, "南京"]]
    path = xlsx(tmp_path / "o.xlsx", rows)
    run = import_file(user=world.owner, path=path, type="organizations")
    assert run.status == ImportStatus.INVALID and not Organization.objects.filter(name="新机构").exists()
    run = import_file(user=world.operator, path=path, type="organizations")
    assert run.status == ImportStatus.COMMITTED and Organization.objects.get(credit_code=new_code).city.short_name == "南京"
    # a member updates their own organisation, found by credit code
    rows = [head + ["英文名称"], [world.org.name, "企业", world.org.credit_code, "上海", "SH Test Institute"]]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "o2.xlsx", rows), type="organizations")
    assert run.status == ImportStatus.COMMITTED and run.updated_count == 1
    world.org.refresh_from_db()
    assert world.org.name_en == "SH Test Institute"
    # bad credit code
    rows = [head, ["坏代码机构", "企业", "91310000132206542X", "上海"]]
    run = import_file(user=world.operator, path=xlsx(tmp_path / "o3.xlsx", rows), type="organizations")
    assert run.status == ImportStatus.INVALID and run.errors[0][1] == 3 and "校验" in run.errors[0][2]


def test_column_mapping_is_remembered_per_organisation(world, tmp_path):
    head = ["我们的编号", "平台名", "类别", "介绍"]
    rows = [head, ["A-1", "平台一", "中试平台", "描述"]]
    path = xlsx(tmp_path / "m.xlsx", rows)
    with open(path, "rb") as fh:
        run = import_upload(user=world.owner, file=fh, file_name="m.xlsx", type="resources")
    assert run.organization == world.org
    run = import_check(run, user=world.owner)
    assert run.status == ImportStatus.UPLOADED and "缺少必填列" in run.message
    column_mapping_save(user=world.owner, run=run, choices={0: "external_id", 1: "name", 2: "kind", 3: "description"})
    run = import_check(run, user=world.owner)
    assert run.status == ImportStatus.PREVIEWED and run.counts()["created"] == 1
    assert Resource.objects.count() == 0  # the preview writes nothing
    run = import_commit(run, user=world.owner)
    assert run.status == ImportStatus.COMMITTED and Resource.objects.get().owner == world.org
    assert ColumnMapping.objects.get(organization=world.org, type="resources").mapping["平台名"] == "name"
    # the next file with the same headers needs no mapping step
    again = import_file(user=world.owner, path=path, type="resources")
    assert again.status == ImportStatus.COMMITTED and again.unchanged_count == 1
    # another organisation does not inherit it
    other = import_file(user=world.stranger, path=path, type="resources")
    assert other.status == ImportStatus.INVALID and "缺少必填列" in other.message


def test_duplicate_rows_in_one_file(world, tmp_path):
    rows = [HEAD, resource_row(world), resource_row(world, "R1", "另一个"), resource_row(world, "R3", "中试平台A")]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "d.xlsx", rows), type="resources")
    assert run.status == ImportStatus.INVALID and run.invalid_count == 2


def test_confidential_demand_details_masked_in_export(world, tmp_path):
    f.demand(world.org, title="保密需求", description="绝密细节", confidentiality=Confidentiality.SUMMARY, summary="公开摘要")
    data = read_xlsx(export_file(tmp_path, "demands", world.stranger))
    assert "绝密细节" not in str(data) and "公开摘要" in str(data)
    data = read_xlsx(export_file(tmp_path, "demands", world.owner))
    assert "绝密细节" in str(data)


def test_export_respects_visibility(world, tmp_path):
    f.resource(world.org, name="内部资源", public=False)
    f.resource(world.org, name="公开资源")
    names = [r[2] for r in read_xlsx(export_file(tmp_path, "resources", world.stranger))[1:]]
    assert names == ["公开资源"]


def test_csv_export_has_bom(world, tmp_path):
    f.resource(world.org, name="平台")
    raw = export_file(tmp_path, "resources", world.owner, "csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "平台".encode() in raw


def test_error_report_marks_bad_cells(world, tmp_path):
    from corridor.transfer.services import error_report

    rows = [HEAD, resource_row(world), resource_row(world, "R2", "坏行", city="火星市")]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "bad.xlsx", rows), type="resources")
    out = io.BytesIO()
    error_report(run, out)
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert ws.cell(row=1, column=len(HEAD) + 1).value.startswith("错误信息")
    assert ws.cell(row=2, column=len(HEAD) + 1).value is None
    assert "火星市" in ws.cell(row=3, column=len(HEAD) + 1).value
    assert "火星市" in ws.cell(row=3, column=5).comment.text
    # fix the bad cell in the report and import the report itself
    ws.cell(row=3, column=5).value = "无锡"
    fixed = tmp_path / "fixed.xlsx"
    ws.parent.save(fixed)
    run = import_file(user=world.owner, path=fixed, type="resources")
    assert run.status == ImportStatus.COMMITTED and run.created_count == 2


def test_bulk_created_rows_have_the_same_history_and_index_events_as_the_service(world, tmp_path):
    from corridor.lists import services as list_services
    from corridor.matching.models import IndexEvent

    path = xlsx(tmp_path / "bulk.xlsx", [HEAD, resource_row(world, ind="2614、3.1")])
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED
    imported = Resource.objects.get(name="中试平台A")
    by_service = list_services.resource_create(
        user=world.owner, source="import",
        data={"name": "对照平台", "kind": imported.kind, "owner": world.org, "city": imported.city, "description": "描述",
              "trl_min": 3, "trl_max": 7, "industries": list(imported.industries.all())},
    )
    rec_import = ChangeRecord.objects.get(object_id=imported.pk, content_type__model="resource")
    rec_service = ChangeRecord.objects.get(object_id=by_service.pk, content_type__model="resource")
    expected = {**rec_service.changes, "name": "中试平台A", "import_run": run.pk}
    assert rec_import.changes == expected
    assert (rec_import.user, rec_import.action, rec_import.source, rec_import.object_repr) == (world.owner, "create", "import", "中试平台A")
    assert IndexEvent.objects.filter(kind="resources", object_id=imported.pk).exists()
    assert ExternalKey.objects.get(type="resources", object_id=imported.pk).import_run_id == run.pk


def test_duplicates_across_chunks_are_refused(world, tmp_path, monkeypatch):
    from corridor.transfer import engine

    monkeypatch.setattr(engine, "CHUNK", 2)
    rows = [HEAD, resource_row(world, "A"), resource_row(world, "B", "其他"), resource_row(world, "C", "第三"),
            resource_row(world, "D")]  # row 5 repeats row 2's owner + name in a later chunk
    run = import_file(user=world.owner, path=xlsx(tmp_path / "dup.xlsx", rows), type="resources")
    assert run.status == ImportStatus.INVALID and run.invalid_count == 1 and Resource.objects.count() == 0
    assert [r for r, _c, _m in run.errors] == [5]
    valid = import_file(user=world.owner, path=xlsx(tmp_path / "dup2.xlsx", rows), type="resources", mode=ImportMode.VALID_ONLY)
    assert valid.status == ImportStatus.COMMITTED and valid.created_count == 3 and Resource.objects.count() == 3
