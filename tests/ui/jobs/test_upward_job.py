"""The province's report officer through the real window: declare the communes, import the folder of
packages they sent, see who is missing and print the reminder, read a consolidated figure and the
communes' figures behind it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from app.services.reports import forms
from app.services.reports.periods import PeriodKind
from app.services.upward import package
from app.ui.main_window import MainWindow
from app.ui.reports.grid import ReportView, format_number
from app.ui.reports.page import ReportsPage
from app.ui.reports.upward import UpwardWindow
from tests import upward_data as ud
from tests.ui.jobs.helpers import CTRL, LEFT, save_to, screens

__all__ = ["save_to"]  # a fixture of the job helpers

COMMUNES = [("07210", "Phường Bắc Giang"), ("09295", "Phường Bồng Lai"), ("07738", "Phường Cảnh Thụy")]
SILENT = ("07228", "Phường Đa Mai")  # declared, sends nothing


def double_click(widget: QWidget, pos: QPoint) -> None:
    QTest.mouseClick(widget, LEFT, pos=pos)
    QTest.mouseDClick(widget, LEFT, pos=pos)


def _pick(listing: QListWidget, code: str) -> None:
    """Ctrl+click the directory entry of ``code`` (the list keeps the earlier picks)."""
    item = next(listing.item(i) for i in range(listing.count()) if f"({code})" in listing.item(i).text())
    listing.scrollToItem(item)
    QTest.mouseClick(listing.viewport(), LEFT, CTRL, listing.visualItemRect(item).center())


def test_officer_imports_packages_tracks_and_drills_into_a_consolidated_figure(
    qtbot: QtBot,
    desk: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    save_to: list[str],
) -> None:
    _, made = ud.make_units(tmp_path / "communes", COMMUNES, visits=30)
    outbox = made[0].path.parent
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    QTest.mouseClick(page.upward_button, LEFT)
    window = page.upward
    assert isinstance(window, UpwardWindow)
    qtbot.waitExposed(window)
    window.picker.kind.set_value(PeriodKind.QUARTER)
    window.picker.year.setValue(2026)
    window.picker.number.setValue(3)

    # Declare four communes of the province, picked in the directory list.
    units_tab = window.units_tab
    units_tab.filter.setText("phuong")
    for code, _ in [*COMMUNES, SILENT]:
        _pick(units_tab.candidates, code)
    QTest.mouseClick(units_tab.add_button, LEFT)
    assert units_tab.table.rowCount() == 4
    assert "4 đơn vị cấp dưới đã khai báo" in units_tab.count.text()
    units_tab.filter.setText("")
    window.grab().save(str(screens(tmp_path) / "tong_hop_don_vi.png"))

    # Import the folder the communes' packages came in.
    window.tabs.setCurrentWidget(window.import_tab)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *_: str(outbox)))
    QTest.mouseClick(window.import_tab.folder_button, LEFT)
    table = window.import_tab.table
    assert table.rowCount() == 3
    assert {table.item(r, 3).text() for r in range(3)} == {"Đã nhập"}  # type: ignore[union-attr]
    assert window.import_tab.summary.text() == "Đã nhập 3 gói."

    # The tracker: one commune has sent nothing; the reminder letter names it.
    window.tabs.setCurrentIndex(2)
    QTest.mouseClick(window.track_button, LEFT)
    statuses = {
        window.track_table.item(r, 1).text(): window.track_table.item(r, 2).text()  # type: ignore[union-attr]
        for r in range(window.track_table.rowCount())
    }
    assert statuses[SILENT[1]] == "Chưa gửi"
    assert "1 chưa gửi" in window.track_summary.text()
    window.grab().save(str(screens(tmp_path) / "tong_hop_theo_doi.png"))
    QTest.mouseClick(window.reminder_button, LEFT)
    letter = tmp_path / save_to[0]
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(letter).pages)
    assert SILENT[1] in text and COMMUNES[0][1] not in text

    # The consolidated forms: the total of a figure is the communes' figures added up.
    window.tabs.setCurrentIndex(3)
    QTest.mouseClick(window.consolidate_button, LEFT)
    assert window.form_tabs.count() == len(forms.all_forms("2024"))
    view = window.form_tabs.widget(0)
    assert isinstance(view, ReportView)
    grid = window.consolidated[0].grid
    assert grid.row_labels == (*(name for _, name in COMMUNES), "Tổng cộng")
    col = next(i for i, leaf in enumerate(grid.leaves) if grid.values[-1][i] > 0)
    index = view.report_model.index(view.report_model.top + len(COMMUNES), 2 + col)
    view.scrollTo(index)
    shown = index.data()
    assert shown == format_number(sum(u.values["TCD"][0][col] for u in made))
    window.grab().save(str(screens(tmp_path) / "tong_hop_bieu.png"))
    double_click(view.viewport(), view.visualRect(index).center())
    qtbot.waitUntil(lambda: window.figure_dialog is not None and window.figure_dialog.isVisible())
    dialog = window.figure_dialog
    assert dialog is not None
    rows = [[dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())]  # type: ignore[union-attr]
    assert [r[1] for r in rows] == [name for _, name in COMMUNES]
    assert [r[2] for r in rows] == [format_number(u.values["TCD"][0][col]) for u in made]
    dialog.grab().save(str(screens(tmp_path) / "tong_hop_chi_tiet.png"))


def test_commune_sends_its_quarter_as_a_signed_package(
    qtbot: QtBot, desk: MainWindow, tmp_path: Path, save_to: list[str]
) -> None:
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    window = page.open_upward()
    assert isinstance(window, UpwardWindow)
    window.picker.kind.set_value(PeriodKind.QUARTER)
    window.picker.year.setValue(2026)
    window.picker.number.setValue(3)
    window.tabs.setCurrentIndex(4)
    window.unit_code.setText("07210")
    QTest.mouseClick(window.package_button, LEFT)
    assert save_to == ["BaoCao_07210_20260615_20260914.tdbc"]
    sent = package.read_package(tmp_path / save_to[0])
    assert sent.signed and sent.unit_code == "07210" and sent.period.label == "Quý III năm 2026"
    assert "Đã lập gói báo cáo Quý III năm 2026" in window.status.text()
    window.grab().save(str(screens(tmp_path) / "tong_hop_gui.png"))
