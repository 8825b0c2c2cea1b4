"""The market's ledger (transactions) and the labs' instruments: templates, round trips, idempotent re-import, permissions."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from corridor.core.models import ChangeRecord
from corridor.labs.models import Instrument
from corridor.market import services as market_services
from corridor.market.models import TechnologyContract
from corridor.transfer.choices import ImportStatus
from corridor.transfer.specs import get_spec
from corridor.transfer.writers import write_template
from tests import factories as f
from tests.labs.conftest import make_instrument
from tests.transfer.helpers import xlsx
from tests.transfer.test_import import export_file

TX_HEAD = ["合同登记号", "合同名称", "合同类型", "卖方", "买方", "合同金额（元）", "签订日期", "所属行业"]


def contract(world, number="2025310104000001", **kw):
    data = {"registration_number": number, "title": "催化剂技术开发", "contract_type": "development", "seller": world.org,
            "buyer": world.other_org, "amount": Decimal("1200000.00"), "signed_on": "2025-10-26", "industry": f.industry("2614")}
    data.update(kw)
    return market_services.contract_create(user=world.operator, data=data)


@pytest.mark.parametrize("type_key,sheet", [("transactions", "技术交易"), ("instruments", "仪器设备")])
def test_templates(client, db, type_key, sheet):
    resp = client.get(reverse("transfer:template", args=[type_key]))
    assert resp.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    headers = [c.value for c in wb.worksheets[0][1]]
    spec = get_spec(type_key)
    assert len(headers) == len(spec.all_columns()) and "说明" in wb.sheetnames and "示例" in wb.sheetnames
    buf = io.BytesIO()
    write_template(spec, buf)
    assert buf.getvalue()[:2] == b"PK"
    assert sheet  # the data sheet's title is the type's Chinese label
    assert wb.worksheets[0].title == str(spec.sheet_title())


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_transactions_round_trip_and_reimport(world, tmp_path, fmt):
    contract(world)
    contract(world, "2025310104000002", title="测试服务", contract_type="service", amount=Decimal("99.99"), industry=None, public=False)
    path = export_file(tmp_path, "transactions", world.owner, fmt)
    before = ChangeRecord.objects.count()
    from corridor.transfer.services import import_file

    run = import_file(user=world.owner, path=path, type="transactions")
    assert run.status == ImportStatus.COMMITTED, (run.errors, run.message)
    assert run.counts() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "invalid": 0}
    assert ChangeRecord.objects.count() == before


def test_transactions_import_create_update_and_permissions(world, tmp_path):
    from corridor.transfer.services import import_file

    rows = [TX_HEAD, ["2025-sh-0001", "新合同", "技术转让", world.org.name, world.other_org.name, "120万", "2025年3月1日", "C26"]]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "t.xlsx", rows, title="技术交易"), type="transactions")
    assert run.status == ImportStatus.COMMITTED, run.errors
    c = TechnologyContract.objects.get()
    assert c.registration_number == "2025-SH-0001" and c.amount == Decimal("1200000.00") and c.contract_type == "transfer"
    assert ChangeRecord.objects.get(object_id=c.pk, source="import").changes["import_run"] == run.pk
    # the same number (any case) updates the contract instead of adding one
    rows[1][1], rows[1][0] = "新合同（变更）", "2025-sh-0001"
    again = import_file(user=world.owner, path=xlsx(tmp_path / "t2.xlsx", rows), type="transactions")
    assert again.counts()["updated"] == 1 and TechnologyContract.objects.count() == 1
    assert TechnologyContract.objects.get().title == "新合同（变更）"
    same = import_file(user=world.owner, path=xlsx(tmp_path / "t3.xlsx", rows), type="transactions")
    assert same.counts()["unchanged"] == 1
    # a member of neither party cannot record it; seller = buyer is refused
    third = f.organization("第三方机构")
    outsider = f.user("outsider", org=third)
    rows2 = [TX_HEAD, ["2025-X-1", "别人的合同", "技术服务", world.org.name, world.other_org.name, "1", "2025-01-01", ""],
             ["2025-X-2", "自己买自己", "技术服务", third.name, third.name, "1", "2025-01-01", ""]]
    bad = import_file(user=outsider, path=xlsx(tmp_path / "t4.xlsx", rows2), type="transactions")
    assert bad.status == ImportStatus.INVALID and bad.invalid_count == 2 and TechnologyContract.objects.count() == 1
    assert any(r == 3 for r, _c, _m in bad.errors)


def test_instruments_round_trip_and_reimport(world, tmp_path):
    make_instrument(world.owner, world.org, name="透射电镜", status="maintenance")
    make_instrument(world.owner, world.org, name="中试线", kind="pilot", category="other", price_own=Decimal("0.00"))
    for fmt in ("xlsx", "csv"):
        path = export_file(tmp_path, "instruments", world.owner, fmt)
        from corridor.transfer.services import import_file

        before = ChangeRecord.objects.count()
        run = import_file(user=world.owner, path=path, type="instruments")
        assert run.status == ImportStatus.COMMITTED, (run.errors, run.message)
        assert run.counts()["unchanged"] == 2, run.errors
        assert ChangeRecord.objects.count() == before


def test_instruments_import_create_update_permissions(world, tmp_path):
    from corridor.transfer.services import import_file

    head = ["外部编号", "仪器名称", "仪器类别", "主要功能", "走廊价格", "外部价格", "市场价格", "最短预约分钟", "最长预约分钟"]
    rows = [head, ["L1", "X射线衍射仪", "X射线衍射与散射", "物相分析", 300, 450, "600", 60, 240]]
    run = import_file(user=world.owner, path=xlsx(tmp_path / "i.xlsx", rows, title="仪器设备"), type="instruments", organization=world.org)
    assert run.status == ImportStatus.COMMITTED, (run.errors, run.message)
    inst = Instrument.objects.get()
    assert inst.organization == world.org and inst.city == world.org.city and inst.price_corridor == Decimal("300.00")
    assert inst.resource.name == "X射线衍射仪"  # each instrument is also a resource of the three lists
    assert ChangeRecord.objects.filter(object_id=inst.pk, source="import", changes__import_run=run.pk).exists()
    rows[1][4] = 320
    again = import_file(user=world.owner, path=xlsx(tmp_path / "i2.xlsx", rows), type="instruments", organization=world.org)
    assert again.counts()["updated"] == 1 and Instrument.objects.count() == 1
    assert Instrument.objects.get().price_corridor == Decimal("320.00")
    # invalid: shortest booking longer than the longest; a stranger cannot update the owner's instrument
    rows[1][7] = 500
    bad = import_file(user=world.owner, path=xlsx(tmp_path / "i3.xlsx", rows), type="instruments", organization=world.org)
    assert bad.status == ImportStatus.INVALID and bad.invalid_count == 1
    path = export_file(tmp_path, "instruments", world.operator)
    other = import_file(user=world.stranger, path=path, type="instruments")
    assert other.status == ImportStatus.INVALID and Instrument.objects.get().price_corridor == Decimal("320.00")
