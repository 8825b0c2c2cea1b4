"""Reading uploaded spreadsheets: recognising the file by its content and streaming its rows.

Everything here works on a path and keeps memory bounded: .xlsx files are read with openpyxl in
read-only mode (computed values, ``data_only=True``), CSV files line by line. A file that cannot be
read raises :class:`FileProblem` with a translated message for the person who uploaded it.
"""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 - parses only the sheet XML of a zip already opened by openpyxl

from django.utils.translation import gettext as _

from corridor.transfer import conf

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"{\\rtf")
EXCEL_ERRORS = frozenset({"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"})
HEADER_SCAN_ROWS = 10


class FileProblem(Exception):
    """The file as a whole cannot be imported; ``message`` says why, in the user's language."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Table:
    """One sheet of an uploaded file: its header row and a way to stream the rows below it."""

    kind: str  # "xlsx" or "csv"
    path: Path
    sheet_title: str = ""
    header_row: int = 1
    headers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # (row, column) of formula cells without a cached value; filled for .xlsx
    uncomputed: set[tuple[int, int]] = field(default_factory=set)
    # merged ranges as (min_row, min_col, max_row, max_col)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ","

    def estimate_rows(self) -> int:
        """A cheap upper estimate of the data rows (for progress bars): stored dimension or line count."""
        if self.kind == "xlsx":
            wb = _load_workbook(self.path)
            try:
                ws = wb[self.sheet_title]
                return max(int(ws.max_row or 0) - self.header_row, 0)
            finally:
                wb.close()
        lines = 0
        with open(self.path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
        return max(lines + 1 - self.header_row, 0)

    def raw_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Every row of the sheet with its 1-based row number (merged cells filled), empty rows included."""
        if self.kind == "xlsx":
            yield from _xlsx_rows(self)
        else:
            yield from _csv_rows(self)

    def data_rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Rows below the header that hold anything; raises FileProblem past the row limit."""
        limit = conf.get("MAX_ROWS")
        count = 0
        width = len(self.headers)
        for number, values in self.raw_rows():
            if number <= self.header_row:
                continue
            values = values[:width] + [None] * (width - len(values))
            if all(_blank(v) for v in values):
                continue
            count += 1
            if count > limit:
                raise FileProblem(
                    _("The file has more than {limit} rows. Split it into files of at most {limit} rows each.").format(
                        limit=f"{limit:,}"
                    ),
                    code="too_many_rows",
                )
            yield number, values


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_size(size: int) -> None:
    limit = conf.get("MAX_UPLOAD_BYTES")
    if size > limit:
        raise FileProblem(
            _("The file is {size} MB; files up to {limit} MB are accepted.").format(
                size=f"{size / 1048576:.1f}", limit=f"{limit / 1048576:.0f}"
            ),
            code="too_large",
        )
    if size == 0:
        raise FileProblem(_("The file is empty."), code="empty")


def sniff(path: Path) -> str:
    """'xlsx' or 'csv', judged by the content (never by the file name)."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if head.startswith(OLE_MAGIC):
        with open(path, "rb") as fh:
            data = fh.read(4 * 1024 * 1024)
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise FileProblem(
                _("The workbook is protected with a password. Remove the password in Excel (File → Info → Protect Workbook) and upload it again."),
                code="encrypted",
            )
        raise FileProblem(
            _("This is an old Excel 97–2003 (.xls) file. Save it as an Excel workbook (.xlsx) or CSV and upload it again."),
            code="legacy_xls",
        )
    if head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return "xlsx"
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if any(head.startswith(m) for m in _BINARY_MAGICS) or (b"\x00" in head and not utf16):
        raise FileProblem(
            _("This file is neither an Excel workbook (.xlsx) nor a CSV file."),
            code="wrong_type",
        )
    return "csv"


def open_table(path: Path, *, sheet_titles: tuple[str, ...] = (), known_headers: set[str] | None = None) -> Table:
    """Open ``path`` and find its header row; ``known_headers`` are normalised headers of the import type."""
    path = Path(path)
    check_size(path.stat().st_size)
    kind = sniff(path)
    table = _open_xlsx(path, sheet_titles) if kind == "xlsx" else _open_csv(path)
    _find_header(table, known_headers or set())
    if table.uncomputed:
        from openpyxl.utils import get_column_letter

        cells = sorted(table.uncomputed)
        shown = ", ".join(f"{get_column_letter(c)}{r}" for r, c in cells[:5])
        raise FileProblem(
            _(
                "{n} formula cells have no computed value (e.g. {cells}); the file was probably written by a program "
                "rather than saved by Excel. Open it in Excel or WPS, save it, and upload it again — or paste the values."
            ).format(n=len(cells), cells=shown),
            code="uncomputed_formula",
        )
    return table


# .xlsx ----------------------------------------------------------------------------------------


def _corrupt() -> FileProblem:
    return FileProblem(
        _("The workbook is damaged and cannot be read. Open it in Excel, save it again as .xlsx, and upload the new file."),
        code="corrupt",
    )


def _read_only_size_without_full_parse() -> None:
    """Make openpyxl's read-only sheets look for ``<dimension>`` only before ``<sheetData>``.

    ``ReadOnlyWorksheet._get_size`` (openpyxl 3.1) iterates *end* events until it meets the
    dimension element or the end of ``<sheetData>``; a sheet without a dimension element (files
    written by openpyxl's write-only mode and some other tools) is therefore parsed completely
    every time the workbook is opened — a second full read of a 10,000-row sheet per open. The
    dimension element always precedes ``<sheetData>`` (ECMA-376 CT_Worksheet), so stopping at the
    *start* of ``<sheetData>`` gives the same result. (Our readers reset the dimensions anyway.)
    """
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    if getattr(ReadOnlyWorksheet, "_corridor_fast_size", False):
        return
    dimension_tag, data_tag = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"

    def _get_size(self: Any) -> None:
        src = self._get_source()
        try:
            for _event, element in iterparse(src, events=("start",)):
                if element.tag == dimension_tag:
                    ref = element.get("ref")
                    if ref:
                        self._min_column, self._min_row, self._max_column, self._max_row = range_boundaries(ref)
                    return
                if element.tag == data_tag:
                    return
        finally:
            src.close()

    ReadOnlyWorksheet._get_size = _get_size
    ReadOnlyWorksheet._corridor_fast_size = True


def _load_workbook(path: Path) -> Any:
    import openpyxl

    _read_only_size_without_full_parse()

    # A file object, not the path: openpyxl would judge a path by its extension, and stored uploads have none.
    fh = open(path, "rb")  # noqa: SIM115 - closed by the caller through wb.close() → archive.close()
    try:
        return openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, KeyError…) for damaged files
        fh.close()
        raise _corrupt() from exc


def _open_xlsx(path: Path, sheet_titles: tuple[str, ...]) -> Table:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _corrupt() from exc
    if "[Content_Types].xml" not in names:
        raise FileProblem(_("This file is a zip archive, not an Excel workbook (.xlsx)."), code="wrong_type")
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise FileProblem(_("Binary Excel workbooks (.xlsb) are not supported. Save the file as .xlsx."), code="wrong_type")
        raise FileProblem(
            _("This file is an Office document but not an Excel workbook (.xlsx)."), code="wrong_type"
        )
    if total > conf.get("MAX_UNZIPPED_BYTES"):
        raise FileProblem(_("The workbook is too large once unpacked."), code="too_large")
    wb = _load_workbook(path)
    try:
        sheets = list(wb.worksheets)
        if not sheets:
            raise FileProblem(_("The workbook has no worksheet."), code="no_sheet")
        wanted = {t.strip() for t in sheet_titles}
        ws = next((s for s in sheets if s.title.strip() in wanted), sheets[0])
        table = Table(kind="xlsx", path=path, sheet_title=ws.title)
        sheet_path = getattr(ws, "_worksheet_path", None)
    finally:
        wb.close()
    if sheet_path:
        _prescan_sheet(path, sheet_path, table)
    return table


_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Za-z0-9:$]+)\"")


def _prescan_sheet(path: Path, sheet_path: str, table: Table) -> None:
    """One streaming pass over the sheet XML for merged ranges and formulas without a cached value."""
    from openpyxl.utils.cell import range_boundaries

    has_formula = False
    tail = b""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(sheet_path.lstrip("/")) as src:
            while chunk := src.read(1 << 20):
                buf = tail + chunk
                if not has_formula and _FORMULA_RE.search(buf):
                    has_formula = True
                for m in _MERGE_RE.finditer(buf):
                    ref = m.group(1).decode("ascii").replace("$", "")
                    if ":" in ref:
                        min_col, min_row, max_col, max_row = range_boundaries(ref)
                        rng = (min_row, min_col, max_row, max_col)
                        if rng not in table.merged:
                            table.merged.append(rng)
                tail = buf[-300:]
            if has_formula:
                src2 = zf.open(sheet_path.lstrip("/"))
                with src2:
                    _find_uncomputed(src2, table)
    except (zipfile.BadZipFile, KeyError, OSError, ET.ParseError, ValueError, TypeError) as exc:
        raise _corrupt() from exc


def _find_uncomputed(src: Any, table: Table) -> None:
    from openpyxl.utils.cell import coordinate_to_tuple

    for _event, elem in ET.iterparse(src, events=("end",)):  # noqa: S314 - local file, no external entities in ElementTree
        tag = elem.tag.rsplit("}", 1)[-1]
        if tag != "c":
            continue
        f = v = None
        for child in elem:
            ctag = child.tag.rsplit("}", 1)[-1]
            if ctag == "f":
                f = child
            elif ctag == "v":
                v = child
            elif ctag == "is":
                v = child
        if f is not None and (v is None or (v.text is None and len(v) == 0)):
            ref = elem.get("r")
            if ref:
                table.uncomputed.add(coordinate_to_tuple(ref))
        elem.clear()


def _xlsx_rows(table: Table) -> Iterator[tuple[int, list[Any]]]:
    wb = _load_workbook(table.path)
    max_cols = conf.get("MAX_COLUMNS")
    merged = sorted(table.merged)
    # top-left values of merged ranges still to be filled: range → value
    carried: dict[tuple[int, int, int, int], Any] = {}
    try:
        ws = wb[table.sheet_title]
        try:
            ws.reset_dimensions()  # trust the cells, not the (often wrong) stored dimension
            rows = ws.iter_rows(values_only=True)
            number = 0
            for row in rows:
                number += 1
                values = list(row[:max_cols])
                if merged:
                    for rng in merged:
                        r0, c0, r1, c1 = rng
                        if r0 == number:
                            carried[rng] = values[c0 - 1] if c0 - 1 < len(values) else None
                        if r0 <= number <= r1 and rng in carried:
                            if len(values) < c1:
                                values += [None] * (min(c1, max_cols) - len(values))
                            for c in range(c0, min(c1, max_cols) + 1):
                                values[c - 1] = carried[rng]
                        if number == r1:
                            carried.pop(rng, None)
                yield number, [_clean_xlsx_value(v) for v in values]
        except FileProblem:
            raise
        except Exception as exc:  # a damaged sheet can fail part-way through
            raise _corrupt() from exc
    finally:
        wb.close()


def _clean_xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        value = value.replace("_x000D_", "").strip()
        return value or None
    return value


# CSV ------------------------------------------------------------------------------------------


def _detect_encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "gb18030"
        except UnicodeDecodeError as exc:
            raise FileProblem(
                _("The CSV file is neither UTF-8 nor GB18030 text. Save it from Excel as “CSV UTF-8”."), code="encoding"
            ) from exc


def _open_csv(path: Path) -> Table:
    encoding = _detect_encoding(path)
    with open(path, encoding=encoding, newline="") as fh:
        sample = fh.read(65536)
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    table = Table(kind="csv", path=path, encoding=encoding, delimiter=delimiter)
    if encoding == "gb18030":
        table.warnings.append(_("The CSV file was read as GB18030 (Chinese Windows) text."))
    return table


def _csv_rows(table: Table) -> Iterator[tuple[int, list[Any]]]:
    max_cols = conf.get("MAX_COLUMNS")
    csv.field_size_limit(1 << 20)
    with open(table.path, encoding=table.encoding, newline="") as fh:
        reader = csv.reader(fh, delimiter=table.delimiter)
        try:
            for number, row in enumerate(reader, start=1):
                yield number, [(v.strip() or None) for v in row[:max_cols]]
        except csv.Error as exc:
            raise FileProblem(
                _("The CSV file cannot be read near line {line}: {error}").format(line=reader.line_num, error=exc),
                code="corrupt",
            ) from exc


# Header ---------------------------------------------------------------------------------------


def normalize_header(text: Any) -> str:
    """Headers compare without spaces, brackets' content, asterisks and case: “预算下限（元）*” ≈ “预算下限”."""
    s = "" if text is None else str(text)
    s = re.sub(r"[（(\[【][^）)\]】]*[）)\]】]", "", s)
    s = re.sub(r"[\s*＊_\-:：]+", "", s)
    return s.casefold()


def _find_header(table: Table, known: set[str]) -> None:
    """The header is the row among the first few that names the most known columns (else the first non-empty)."""
    best: tuple[int, int, list[Any]] | None = None
    first: tuple[int, list[Any]] | None = None
    for number, values in table.raw_rows():
        if number > HEADER_SCAN_ROWS:
            break
        if all(_blank(v) for v in values):
            continue
        if first is None:
            first = (number, values)
        hits = sum(1 for v in values if normalize_header(v) in known)
        if hits and (best is None or hits > best[0]):
            best = (hits, number, values)
    if best is not None:
        number, values = best[1], best[2]
    elif first is not None:
        number, values = first
    else:
        raise FileProblem(_("The sheet is empty: no header row was found."), code="empty")
    while values and _blank(values[-1]):
        values = values[:-1]
    table.header_row = number
    table.headers = ["" if _blank(v) else str(v).strip() for v in values]
    merged_header = [m for m in table.merged if m[0] <= number <= m[2] and m[1] != m[3]]
    if merged_header:
        from openpyxl.utils import get_column_letter

        raise FileProblem(
            _("The header row has merged cells ({ranges}). Give every column its own header cell.").format(
                ranges=", ".join(f"{get_column_letter(m[1])}{m[0]}:{get_column_letter(m[3])}{m[2]}" for m in merged_header)
            ),
            code="merged_header",
        )
    data_merges = [m for m in table.merged if m[0] > number]
    if data_merges:
        from openpyxl.utils import get_column_letter

        shown = ", ".join(f"{get_column_letter(m[1])}{m[0]}:{get_column_letter(m[3])}{m[2]}" for m in data_merges[:10])
        more = len(data_merges) - 10
        table.warnings.append(
            _("Merged cells ({ranges}) were read as if each cell held the merged value.").format(
                ranges=shown + (f" … (+{more})" if more > 0 else "")
            )
        )
