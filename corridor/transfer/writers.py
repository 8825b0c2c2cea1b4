"""Writing spreadsheets: exports (XLSX and CSV), blank templates, and error reports.

Exports and error reports stream through openpyxl's write-only mode, so memory stays flat however
many rows there are. Every exported value is written so that importing the file again leaves
each entry unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.utils import translation

from corridor.transfer.models import ExternalKey
from corridor.transfer.parsers import Amount, Date
from corridor.transfer.readers import Table, normalize_header
from corridor.transfer.specs.base import Column, Spec

EXPORT_CHUNK = 500
TEMPLATE_ROWS = 5000
REPORT_HEADER_ZH = "错误信息"
REPORT_HEADER_EN = "Messages"
REPORT_HEADERS = {normalize_header(REPORT_HEADER_ZH), normalize_header(REPORT_HEADER_EN)}


@dataclass
class ExportContext:
    user: Any
    scope: Any = None
    full_access: bool = False  # command-line exports: nothing masked
    external_ids: dict[int, str] = field(default_factory=dict)


def headers(spec: Spec, *, mark_required: bool = False) -> list[str]:
    out = []
    for col in spec.all_columns():
        h = col.header("zh-hans")
        out.append(f"{h}*" if mark_required and col.required else h)
    return out


def export_rows(
    spec: Spec, queryset: Any, user: Any, *, scope: Any = None, full_access: bool = False
) -> Iterator[list[Any]]:
    """The header row, then one row per object of ``queryset`` (which the caller has restricted)."""
    yield headers(spec)
    ctx = ExportContext(user=user, scope=scope, full_access=full_access)
    cols = spec.all_columns()
    batch: list[Any] = []
    with translation.override("zh-hans"):
        for obj in queryset.iterator(chunk_size=EXPORT_CHUNK):
            batch.append(obj)
            if len(batch) >= EXPORT_CHUNK:
                yield from _export_batch(spec, batch, cols, ctx)
                batch = []
        if batch:
            yield from _export_batch(spec, batch, cols, ctx)


def _export_batch(spec: Spec, batch: list[Any], cols: list[Column], ctx: ExportContext) -> Iterator[list[Any]]:
    ctx.external_ids = {}
    keys = ExternalKey.objects.filter(type=spec.key, object_id__in=[o.pk for o in batch]).order_by("pk")
    for key in keys:
        # the exporting organisation's own number wins over anyone else's
        if key.object_id not in ctx.external_ids or key.scope_id == getattr(ctx.scope, "pk", None):
            ctx.external_ids[key.object_id] = key.external_id
    for obj in batch:
        row: list[Any] = []
        for col in cols:
            if col.key == "id":
                row.append(obj.pk)
            elif col.key == "external_id":
                row.append(ctx.external_ids.get(obj.pk, ""))
            else:
                row.append(spec.export_value(obj, col, ctx))
        yield row


def _xlsx_cell(ws: Any, value: Any, col: Column | None) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, dt.datetime | dt.date | Decimal) or (col is not None and isinstance(col.parser, Amount | Date)):
        cell = WriteOnlyCell(ws, value=value if value != "" else None)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, Decimal):
            cell.number_format = "#,##0.00"
        return cell
    return value


def write_xlsx(spec: Spec, rows: Iterable[list[Any]], out: IO[bytes]) -> int:
    """Write ``rows`` (header first) as a one-sheet workbook; returns the number of data rows."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(spec.sheet_title())
    ws.freeze_panes = "A2"
    cols = spec.all_columns()
    for i, col in enumerate(cols):
        from openpyxl.utils import get_column_letter

        ws.column_dimensions[get_column_letter(i + 1)].width = 12 if col.key in ("id", "trl_min", "trl_max") else 22
    count = -1
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        if count < 0:
            header = []
            for value in row:
                cell = WriteOnlyCell(ws, value=value)
                cell.font, cell.fill = bold, fill
                header.append(cell)
            ws.append(header)
        else:
            ws.append([_xlsx_cell(ws, v, cols[i] if i < len(cols) else None) for i, v in enumerate(row)])
        count += 1
    wb.save(out)
    return max(count, 0)


def _csv_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def write_csv(rows: Iterable[list[Any]], out: IO[str]) -> int:
    """CSV in UTF-8 with a byte-order mark, so that Excel shows the Chinese text correctly."""
    out.write("\ufeff")
    writer = csv.writer(out)
    count = -1
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
        count += 1
    return max(count, 0)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV lines one by one, for a streaming HTTP response."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


# Templates ------------------------------------------------------------------------------------


def write_template(spec: Spec, out: IO[bytes]) -> None:
    """A blank workbook for ``spec``: data sheet with drop-downs, an instructions sheet and examples."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    with translation.override("zh-hans"):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = spec.sheet_title()
        cols = spec.all_columns()
        bold = Font(bold=True)
        red = Font(bold=True, color="C00000")
        fill = PatternFill("solid", fgColor="DDEBF7")
        lists = wb.create_sheet("选项")
        list_col = 0
        for i, col in enumerate(cols, start=1):
            letter = get_column_letter(i)
            cell = ws.cell(row=1, column=i, value=col.header() + ("*" if col.required else ""))
            cell.font = red if col.required else bold
            cell.fill = fill
            note = "\n".join(t for t in (col.parser.describe(), str(col.help or "")) if t)
            cell.comment = Comment(note, "Corridor", width=300, height=120)
            ws.column_dimensions[letter].width = 14 if col.key in ("id", "trl_min", "trl_max") else 24
            choices = col.parser.choices()
            if choices:
                list_col += 1
                ll = get_column_letter(list_col)
                lists.cell(row=1, column=list_col, value=col.header())
                for j, choice in enumerate(choices, start=2):
                    lists.cell(row=j, column=list_col, value=choice)
                dv = DataValidation(
                    type="list",
                    formula1=f"'选项'!${ll}$2:${ll}${len(choices) + 1}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle=col.header(),
                    error="请从下拉列表中选择：" + "、".join(choices),
                )
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            elif isinstance(col.parser, Date):
                for r in range(2, 3):
                    ws.cell(row=r, column=i).number_format = "yyyy-mm-dd"
        ws.freeze_panes = "A2"
        lists.sheet_state = "hidden"

        info = wb.create_sheet("说明", 1)
        info.column_dimensions["A"].width = 22
        info.column_dimensions["B"].width = 26
        info.column_dimensions["C"].width = 8
        info.column_dimensions["D"].width = 48
        info.column_dimensions["E"].width = 60
        info.append([f"{spec.sheet_title()}导入模板说明"])
        info["A1"].font = Font(bold=True, size=14)
        notes = [
            f"1. 在“{spec.sheet_title()}”工作表中每行填写一条，第一行为表头，请勿修改表头（英文表头也可识别）；带 * 的列为必填。",
            "2. “外部编号”填写贵单位自己的编号：再次导入同一编号时更新原条目，不会重复新增；“系统编号”由导出文件带出，新增时留空。",
            "3. 城市可写 苏州、苏州市 或 320500；产业领域可写代码或名称，多个用 、 或 ； 分隔。",
            "4. 金额以元为单位，可写 1200000、1,200,000.00、¥1,200,000 或 120万；日期可写 2025-10-26、2025/10/26 或 2025年10月26日。",
            "5. 机构可写统一社会信用代码或准确的登记名称。",
            "6. 默认“全部或不导入”：任何一行有误则不写入任何数据，并可下载标注了错误的文件；也可选择“只导入正确的行”。",
            "7. 每个文件最多 {rows} 行、{mb} MB；不支持加密的工作簿；公式请先在 Excel 中保存计算结果。".format(
                rows=f"{_max_rows():,}", mb=_max_mb()
            ),
            "8. “示例”工作表中是填写示例，导入时不会读取。",
        ]
        for line in notes:
            info.append([line])
        info.append([])
        info.append(["列名", "英文列名", "必填", "格式", "可选值 / 说明"])
        for c in info[info.max_row]:
            c.font = bold
            c.fill = fill
        for col in cols:
            extra = "、".join(col.parser.choices()) or str(col.help or "")
            info.append([col.header(), col.header("en"), "是" if col.required else "", col.parser.describe(), extra])
        for row in info.iter_rows(min_row=2):
            for c in row:
                c.alignment = Alignment(wrap_text=True, vertical="top")

        examples = wb.create_sheet("示例", 2)
        examples.append([col.header() + ("*" if col.required else "") for col in cols])
        for c in examples[1]:
            c.font = bold
            c.fill = fill
        n = max((len(c.examples) for c in cols), default=0)
        for k in range(n):
            examples.append([(c.examples[k] if k < len(c.examples) else "") for c in cols])
        for i in range(1, len(cols) + 1):
            examples.column_dimensions[get_column_letter(i)].width = 24
        wb.save(out)


def _max_rows() -> int:
    from corridor.transfer import conf

    return int(conf.get("MAX_ROWS"))


def _max_mb() -> int:
    from corridor.transfer import conf

    return int(conf.get("MAX_UPLOAD_BYTES") // (1024 * 1024))


# Error report ---------------------------------------------------------------------------------


def write_error_report(table: Table, errors: list[list[Any]], out: IO[bytes]) -> None:
    """The uploaded sheet again, with a messages column and a comment on every bad cell."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    by_row: dict[int, list[tuple[int | None, str]]] = {}
    for number, column, message in errors:
        by_row.setdefault(int(number), []).append((column, message))
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(table.sheet_title or "Sheet1")
    ws.freeze_panes = f"A{table.header_row + 1}"
    width = len(table.headers)
    bad_fill = PatternFill("solid", fgColor="FFC7CE")
    msg_font = Font(color="9C0006")
    for number, values in table.raw_rows():
        values = list(values[:width]) + [None] * (width - len(values))
        cells: list[Any] = []
        row_errors = by_row.get(number, [])
        bad_cols: dict[int, list[str]] = {}
        for column, message in row_errors:
            if column:
                bad_cols.setdefault(int(column), []).append(message)
        for i, value in enumerate(values, start=1):
            if isinstance(value, str) and value.startswith("="):
                value = "'" + value  # never write a formula from uploaded text
            if i in bad_cols:
                cell = WriteOnlyCell(ws, value=value)
                cell.fill = bad_fill
                cell.comment = Comment("\n".join(bad_cols[i]), "Corridor", width=300, height=100)
                cells.append(cell)
            elif isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        if number == table.header_row:
            head = WriteOnlyCell(ws, value=f"{REPORT_HEADER_ZH} / {REPORT_HEADER_EN}")
            head.font = Font(bold=True, color="9C0006")
            cells.append(head)
        elif row_errors:
            cell = WriteOnlyCell(ws, value="；".join(m for _c, m in row_errors))
            cell.font = msg_font
            cells.append(cell)
        ws.append(cells)
    wb.save(out)


def is_report_header(header: str) -> bool:
    norm = normalize_header(header)
    return norm in REPORT_HEADERS or norm == normalize_header(f"{REPORT_HEADER_ZH} / {REPORT_HEADER_EN}")
