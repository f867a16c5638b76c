"""The Báo cáo section: preview with merged headers, double-click a figure to list its records, export, import."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from app.models.enums import MatterKind, ReceptionKind
from app.services.common import settings
from app.services.reports import forms, periods, service
from app.ui.context import UiContext
from app.ui.reports.grid import ReportView
from app.ui.reports.page import ReportsPage
from app.ui.sections import reports as section
from tests import reports_data as rd
from tests.ui.jobs.helpers import answer_box

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "legacy_register.xlsx"
SHOTS = os.environ.get("TIEPDAN_SHOTS")  # set to a folder to keep screenshots for a look


def shot(widget: object, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext) -> ReportsPage:
    with ctx.db.transaction() as session:
        for day in (2, 3, 4):
            rd.visit(session, dt.date(2026, 11, day))
        rd.visit(
            session,
            dt.date(2026, 11, 5),
            reception=ReceptionKind.PERIODIC,
            kind=MatterKind.DENUNCIATION,
            field_code="TN",
            head_count=7,
        )
        rd.petition(session, dt.date(2026, 11, 6))
    widget = section.create(ctx)
    assert isinstance(widget, ReportsPage)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def compute(qtbot: QtBot, page: ReportsPage) -> None:
    page.picker.set_custom(dt.date(2026, 10, 15), dt.date(2026, 11, 14))
    page.compute_button.click()
    qtbot.waitUntil(lambda: len(page.grids) == len(forms.all_forms()) and not page.computing, timeout=20_000)


def test_default_period_is_the_last_completed_quarter(qtbot: QtBot, ctx: UiContext) -> None:
    widget = ReportsPage(ctx, today=dt.date(2026, 11, 26))
    qtbot.addWidget(widget)
    assert widget.picker.period() == periods.quarter(2026, 3)
    offered = [widget.picker.kind.itemText(i) for i in range(widget.picker.kind.count())]
    assert offered == ["Quý", "6 tháng", "9 tháng", "Năm", "Từ ngày … đến ngày"]  # no monthly report


def test_an_office_reporting_monthly_gets_the_month(qtbot: QtBot, ctx: UiContext) -> None:
    with ctx.db.transaction() as session:
        settings.put(session, service.MONTHLY, True)
    widget = ReportsPage(ctx, today=dt.date(2026, 11, 26))
    qtbot.addWidget(widget)
    assert widget.picker.period() == periods.month(2026, 11)
    assert widget.picker.kind.itemText(0) == "Tháng"


def test_preview_shows_merged_headers_and_figures(qtbot: QtBot, page: ReportsPage) -> None:
    compute(qtbot, page)
    assert page.tabs.count() == len(forms.all_forms())
    assert [page.tabs.tabText(i) for i in range(5)] == [
        "TCD — Tiếp công dân",
        "XLD — Xử lý đơn",
        "GQKN — Giải quyết khiếu nại",
        "GQTC — Giải quyết tố cáo",
        "KQTH — Kết quả thực hiện",
    ]
    view = page.tabs.widget(0)
    assert isinstance(view, ReportView)
    model = view.report_model
    assert model.index(0, 2).data() == "Tiếp thường xuyên"
    assert view.columnSpan(0, 2) == 8
    top = model.top
    assert model.index(top, 1).data() == "BAN TIẾP CÔNG DÂN TỈNH"
    assert model.index(top, 2).data() == "3"  # lượt tiếp thường xuyên
    assert "15/10/2026 đến ngày 14/11/2026" in page.period_line.text()
    assert "Biểu mẫu theo Thông tư số 06/2025/TT-TTCP" in page.period_line.text()
    shot(page, "bao_cao")


def test_clicking_a_figure_lists_the_visits_behind_it(qtbot: QtBot, page: ReportsPage) -> None:
    compute(qtbot, page)
    view = page.tabs.widget(0)
    assert isinstance(view, ReportView)
    model = view.report_model
    index = model.index(model.top, 2)
    view.scrollTo(index)
    rect = view.visualRect(index)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.drilldown is None  # one click selects the figure; a double-click opens it
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.drilldown is not None)
    dialog = page.drilldown
    assert dialog is not None and dialog.table.rowCount() == 3
    assert dialog.table.item(0, 3).text() == "Nguyễn Văn Dũng"
    shot(dialog, "drilldown")
    dialog.close()
    # A crowd of a denunciation received by a leader: the denouncer is listed (this actor may see it).
    lead_people = next(
        i
        for i, leaf in enumerate(page.grids[0].leaves)
        if leaf.path[0].startswith("Tiếp định kỳ") and leaf.path[1:] == ("Thủ trưởng tiếp trực tiếp", "Người")
    )
    page.open_figure(page.grids[0], 0, lead_people)
    assert page.drilldown is not None and page.drilldown.table.rowCount() == 1


def test_save_report_and_export_dialog(qtbot: QtBot, page: ReportsPage, tmp_path: Path) -> None:
    compute(qtbot, page)
    saved = page.save_as(tmp_path / "bc.xlsx")
    assert saved is not None and saved.exists()
    dialog = page.open_export()
    qtbot.addWidget(dialog)
    assert dialog.date_from.value() == dt.date(2026, 10, 15)
    dialog.set_columns(["received_on", "citizen_name", "summary"])
    dialog.chosen.setCurrentRow(2)
    dialog.up_button.click()
    assert dialog.columns() == ("received_on", "summary", "citizen_name")
    dialog.save_profile("Mẫu ngắn")
    assert dialog.profile.currentText() == "Mẫu ngắn"
    dialog.path.setText(str(tmp_path / "so.xlsx"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.export_result is not None, timeout=20_000)
    assert dialog.export_result is not None and dialog.export_result.rows == 4
    assert "Đã xuất 4 dòng" in dialog.status.text()
    shot(dialog, "xuat_excel")


def test_import_wizard_runs_dry_then_imports(qtbot: QtBot, ctx: UiContext, page: ReportsPage, tmp_path: Path) -> None:
    source = tmp_path / "so_cu.xlsx"
    shutil.copy(SAMPLE, source)
    wizard = page.open_import()
    qtbot.addWidget(wizard)
    wizard.file_page.path.setText(str(source))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.mapping_page.table.rowCount() == 12
    shot(wizard, "nhap_anh_xa")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.dry_result is not None, timeout=60_000)
    assert wizard.dry_result is not None and (wizard.dry_result.imported, wizard.dry_result.rejected) == (66, 7)
    shot(wizard, "nhap_chay_thu")
    asked = answer_box("Nhập")  # the real import asks first
    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_result is not None, timeout=60_000)
    assert wizard.import_result is not None and wizard.import_result.batch_id is not None
    assert asked and asked[0].startswith("Nhập 66 dòng vào dữ liệu?")
    assert "Đã nhập 66 dòng" in wizard.run_page.summary.text()
    assert wizard.run_page.open_errors.isVisible()
    shot(wizard, "nhap_ket_qua")
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
