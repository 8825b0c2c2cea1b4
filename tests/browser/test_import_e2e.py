"""End to end in headless Chromium: upload a spreadsheet with one bad row, download the error report,
fix the cell in the report, upload it again, check the preview and import (Excel in)."""

from __future__ import annotations

import os
from typing import Any

import openpyxl
import pytest

from corridor.core.models import ChangeRecord
from corridor.lists.models import Resource
from corridor.transfer.choices import ImportStatus
from corridor.transfer.models import ImportRun
from tests import factories as f
from tests.transfer.helpers import xlsx
from tests.transfer.test_import import HEAD, resource_row

pytestmark = [pytest.mark.browser]

SCREENSHOTS = os.environ.get("CORRIDOR_SCREENSHOTS", "")


def shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_upload_bad_row_download_report_fix_and_import(transactional_db, world, live_server, chromium, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    bad = xlsx(tmp_path / "城市办资源清单.xlsx",
               [HEAD, resource_row(world), resource_row(world, "R2", "坏行平台", city="火星市"), resource_row(world, "R3", "好行平台")])
    page = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN", accept_downloads=True).new_page()
    page.set_default_timeout(20000)
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", world.owner.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")

    # from the resources list's export/import menu to the upload page
    page.goto(f"{live_server.url}/lists/resources/")
    page.click("#transfer-actions button")
    page.click("#transfer-import")
    page.wait_for_url("**/transfer/imports/new/?type=resources")
    assert page.locator("select[name=type]").input_value() == "resources"
    page.set_input_files("input[name=file]", str(bad))
    shot(page, "import-1-upload")
    page.click("#upload-button")
    page.wait_for_selector("#import-counts")
    assert page.locator("#count-create").inner_text() == "2"
    assert page.locator("#count-invalid").inner_text() == "1"
    assert "火星市" in page.locator("#rows-invalid").inner_text()
    shot(page, "import-2-preview-bad-row")
    assert Resource.objects.count() == 0

    # download the error report: the same sheet with a messages column
    with page.expect_download() as info:
        page.click("#error-report")
    report = tmp_path / "report.xlsx"
    info.value.save_as(report)
    wb = openpyxl.load_workbook(report)
    ws = wb.worksheets[0]
    assert "火星市" in str(ws.cell(row=3, column=len(HEAD) + 1).value)
    # fix the bad cell right in the report and upload the report as it is
    city_col = HEAD.index("所在城市") + 1
    assert ws.cell(row=3, column=city_col).value == "火星市"
    ws.cell(row=3, column=city_col).value = "苏州"
    wb.save(report)

    page.goto(f"{live_server.url}/transfer/imports/new/")
    page.select_option("select[name=type]", "resources")
    page.set_input_files("input[name=file]", str(report))
    page.click("#upload-button")
    page.wait_for_selector("#import-counts")
    assert page.locator("#count-create").inner_text() == "3"
    assert page.locator("#count-invalid").inner_text() == "0"
    shot(page, "import-3-preview-fixed")
    page.click("#commit-button")
    page.wait_for_selector("#list-link")
    shot(page, "import-4-committed")
    run = ImportRun.objects.order_by("-pk").first()
    assert run is not None and run.status == ImportStatus.COMMITTED and run.created_count == 3
    assert sorted(Resource.objects.values_list("name", flat=True)) == ["中试平台A", "坏行平台", "好行平台"]
    assert ChangeRecord.objects.filter(source="import", changes__import_run=run.pk).count() == 3

    # the list of imports shows both files with their hashes and counts
    page.goto(f"{live_server.url}/transfer/imports/")
    table = page.locator("#import-table").inner_text()
    assert "城市办资源清单.xlsx" in table and run.sha256[:12] in table
    shot(page, "import-5-list")
