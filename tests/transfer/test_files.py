"""Bad files: each gets a clear message and writes nothing; odd but readable files are read."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from corridor.lists.models import Resource
from corridor.transfer.choices import ImportStatus
from corridor.transfer.services import import_file
from corridor.transfer.specs import get_spec
from corridor.transfer.writers import write_template
from tests.transfer.helpers import xlsx

HEAD = ["外部编号", "资源名称", "资源类型", "所属机构", "能力描述"]


def row(world, n=1):
    return [f"R{n}", f"平台{n}", "中试平台", world.org.name, "描述"]


def refused(world, path, code_text):
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.REJECTED, (run.status, run.message, run.errors)
    assert code_text in run.message, run.message
    assert Resource.objects.count() == 0
    return run


def test_too_large(world, tmp_path, settings):
    settings.CORRIDOR_TRANSFER = {"MAX_UPLOAD_BYTES": 1000}
    path = xlsx(tmp_path / "big.xlsx", [HEAD] + [row(world, i) for i in range(200)])
    refused(world, path, "最大允许")


def test_empty_file(world, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    refused(world, path, "空")


def test_wrong_type_by_content(world, tmp_path):
    pdf = tmp_path / "list.xlsx"
    pdf.write_bytes(b"%PDF-1.4\n" + b"\x00" * 100)
    refused(world, pdf, "既不是")
    z = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("readme.txt", "hello")
    refused(world, z, "zip")


def test_password_protected_and_legacy_xls(world, tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    enc = tmp_path / "secret.xlsx"
    enc.write_bytes(ole + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 1000)
    refused(world, enc, "密码")
    xls = tmp_path / "old.xls"
    xls.write_bytes(ole + b"\x00" * 1000)
    refused(world, xls, ".xls")


def test_corrupt_workbook(world, tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [HEAD, row(world)])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(world, broken, "损坏")


def test_formula_without_cached_value(world, tmp_path):
    path = xlsx(tmp_path / "f.xlsx", [HEAD + ["最低技术成熟度"], row(world) + ["=1+2"]])
    refused(world, path, "公式")


def test_formula_with_cached_value_is_read(world, tmp_path):
    path = xlsx(tmp_path / "f.xlsx", [HEAD + ["最低技术成熟度"], row(world) + ["=1+2"]])
    # openpyxl cannot compute formulas; write the cached value into the sheet XML as Excel would
    data = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            data[name] = zf.read(name)
    sheet = data["xl/worksheets/sheet1.xml"].decode()
    assert "<f>1+2</f><v></v>" in sheet or "<f>1+2</f><v />" in sheet or "<f>1+2</f>" in sheet
    sheet = sheet.replace("<f>1+2</f><v></v>", "<f>1+2</f><v>3</v>").replace("<f>1+2</f><v />", "<f>1+2</f><v>3</v>")
    if "<v>3</v>" not in sheet:
        sheet = sheet.replace("<f>1+2</f>", "<f>1+2</f><v>3</v>")
    data["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in data.items():
            zf.writestr(name, content)
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED, (run.message, run.errors)
    assert Resource.objects.get().trl_min == 3


def test_merged_cells(world, tmp_path):
    path = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2025年苏州市资源清单"])
    ws.merge_cells("A1:E1")  # a title row above the header
    ws.append(HEAD)
    ws.append(row(world, 1))
    ws.append(["R2", "平台2", None, None, "描述"])
    ws.merge_cells("C3:C4")
    ws.merge_cells("D3:D4")
    wb.save(path)
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED, (run.message, run.errors)
    assert run.created_count == 2 and any("合并" in w for w in run.warnings)
    assert Resource.objects.get(name="平台2").owner == world.org


def test_merged_header_is_refused(world, tmp_path):
    path = tmp_path / "mh.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    ws.merge_cells("B1:C1")
    ws.append(row(world))
    wb.save(path)
    refused(world, path, "合并")


def test_empty_rows_are_skipped(world, tmp_path):
    path = xlsx(tmp_path / "e.xlsx", [HEAD, row(world, 1), [None] * 5, ["", " ", None, None, None], row(world, 2)])
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED and run.rows == 2


def test_only_header(world, tmp_path):
    refused(world, xlsx(tmp_path / "h.xlsx", [HEAD]), "没有数据行")


def test_too_many_rows(world, tmp_path, settings):
    settings.CORRIDOR_TRANSFER = {"MAX_ROWS": 5}
    path = xlsx(tmp_path / "many.xlsx", [HEAD] + [row(world, i) for i in range(6)])
    refused(world, path, "超过 5 行")


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b"")])
def test_csv_encodings(world, tmp_path, encoding, bom):
    text = ",".join(HEAD) + "\n" + ",".join(row(world)) + "\n"
    path = tmp_path / "r.csv"
    path.write_bytes(bom + text.encode(encoding))
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED, (run.message, run.errors)
    assert Resource.objects.get().name == "平台1"


def test_english_headers(world, tmp_path):
    head = ["External ID", "Resource name", "Resource kind", "Owner organisation", "Capability description"]
    path = xlsx(tmp_path / "en.xlsx", [head, ["E1", "Pilot", "pilot", world.org.name, "text"]])
    run = import_file(user=world.owner, path=path, type="resources")
    assert run.status == ImportStatus.COMMITTED, (run.message, run.errors)


@pytest.mark.parametrize("type_key", ["resources", "demands", "cooperation", "organizations"])
def test_template(tmp_path, db, type_key):
    spec = get_spec(type_key)
    path = tmp_path / "t.xlsx"
    with open(path, "wb") as fh:
        write_template(spec, fh)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == [spec.sheet_title(), "说明", "示例"]
    ws = wb[spec.sheet_title()]
    headers = [c.value for c in ws[1]]
    assert headers[0] == "系统编号" and headers[1] == "外部编号"
    assert ws.data_validations.dataValidation, "enumerations have drop-down lists"
    assert wb["示例"].max_row >= 2


def test_read_only_size_stops_before_the_sheet_data(tmp_path):
    import openpyxl

    from corridor.transfer.readers import _load_workbook

    normal = tmp_path / "normal.xlsx"
    wb = openpyxl.Workbook()
    for i in range(30):
        wb.active.append([i, f"x{i}"])
    wb.save(normal)
    streamed = tmp_path / "streamed.xlsx"
    wo = openpyxl.Workbook(write_only=True)
    ws = wo.create_sheet("资源")
    for i in range(30):
        ws.append([i, f"x{i}"])
    wo.save(streamed)
    book = _load_workbook(normal)
    sheet = book.worksheets[0]
    assert (sheet.max_row, sheet.max_column) == (30, 2)  # the <dimension> element is still read
    book.close()
    book = _load_workbook(streamed)
    sheet = book.worksheets[0]
    assert sheet.max_row is None  # no <dimension>: nothing known, and the sheet was not parsed for it
    sheet.reset_dimensions()
    assert len(list(sheet.iter_rows(values_only=True))) == 30
    book.close()
