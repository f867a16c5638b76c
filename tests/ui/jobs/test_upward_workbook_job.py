"""The province's report officer takes in a commune's hand-filled form workbook through the upward
window: picks the unit and the file, sees the import and the cells that could not be read."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import ReceivedPackage
from app.services.common.actor import SYSTEM
from app.services.demo import runner
from app.services.reports import service, xlsx
from app.services.reports.periods import PeriodKind
from app.services.upward import legacy, units
from app.ui.main_window import MainWindow
from app.ui.reports.legacy_workbook import WorkbookImportDialog
from app.ui.reports.page import ReportsPage
from app.ui.reports.upward import UpwardWindow
from tests import upward_data as ud
from tests.ui.jobs.helpers import LEFT, on_modal, screens


def _commune_workbook(desk: MainWindow, path: Path) -> str:
    """A workbook in the official layout, as the commune filled it: one figure typed as words."""
    with desk.ctx.db.transaction() as session:
        runner.generate(session, 20, seed=4, now=ud.DEMO_NOW)
        units.declare(session, SYSTEM, ["07210", "09295"])
        grids = service.grids(session, SYSTEM, ud.QUARTER, None, None)
        xlsx.write_workbook(grids, service.letterhead(session), path, ud.QUARTER.end)
    tcd = next(g for g in grids if g.form.code == "TCD")
    wb = load_workbook(path)
    ws = wb[xlsx.sheet_title("TCD")]
    top = legacy._numbering_row(ws, len(tcd.leaves))
    assert top is not None
    cell = ws.cell(top + 1, xlsx.FIRST_FIGURE_COLUMN + len(tcd.leaves) - 1)
    cell.value = "ba"
    wb.save(path)
    return cell.coordinate


def test_officer_imports_a_hand_filled_workbook(
    qtbot: QtBot, desk: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    book = tmp_path / "Bac_Giang_quy3.xlsx"
    coordinate = _commune_workbook(desk, book)
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    window = page.open_upward()
    assert isinstance(window, UpwardWindow)
    qtbot.waitExposed(window)
    window.picker.kind.set_value(PeriodKind.QUARTER)
    window.picker.year.setValue(2026)
    window.picker.number.setValue(3)
    window.tabs.setCurrentWidget(window.import_tab)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_: (str(book), "")))
    seen: list[str] = []

    def answer(dialog: WorkbookImportDialog) -> None:
        dialog.unit.setCurrentIndex(dialog.unit.findData("07210"))
        QTest.mouseClick(dialog.file_button, LEFT)
        seen.append(dialog.file_label.text())
        dialog.grab().save(str(screens(tmp_path) / "tong_hop_bang_tinh_chon.png"))
        dialog.buttons.accepted.emit()

    on_modal(WorkbookImportDialog, answer)
    QTest.mouseClick(window.import_tab.workbook_button, LEFT)
    assert seen == [book.name]
    table = window.import_tab.table
    qtbot.waitUntil(lambda: table.rowCount() == 2)
    texts = [[table.item(r, c).text() for c in range(5)] for r in range(2)]  # type: ignore[union-attr]
    assert texts[0][1] == "Phường Bắc Giang" and texts[0][3] == "Đã nhập"
    assert "nhập từ bảng tính, không chữ ký" in texts[0][4]
    assert texts[1][3] == "Không đọc được" and texts[1][4] == f"Biểu TCD, ô {coordinate}: không phải số: “ba”"
    assert "1 ô không đọc được (tính là 0)" in window.import_tab.summary.text()
    window.grab().save(str(screens(tmp_path) / "tong_hop_bang_tinh.png"))
    with desk.ctx.db.session() as session:
        kept = session.scalar(select(ReceivedPackage))
        assert kept is not None and kept.origin == "workbook"
