"""The office lead's report job through the real window: compute the period's forms, open the records
behind a figure, export them, open one record; and read the forms' definitions with their unconfirmed
points (on screen only, never in the workbook)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QTableWidget, QTableWidgetItem, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import AuditEntry
from app.models.enums import PetitionSource, ReceptionKind
from app.services.casework import petitions
from app.services.common.clock import local_today
from app.services.reports import drilldown, forms
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.detail import PetitionDialog
from app.ui.reception.dialog import VisitDialog
from app.ui.reports.forms_viewer import FormsViewer
from app.ui.reports.grid import ReportView
from app.ui.reports.page import DrillDownDialog, ReportsPage
from tests import reports_data as rd
from tests.petition_builders import petition_input
from tests.ui.jobs.helpers import LEFT, screens
from tests.ui.typing import focused, press

START, END = dt.date(2026, 10, 15), dt.date(2026, 11, 14)
REGULAR = ("Tiếp thường xuyên", "Lượt")
BY_POST = ("Tiếp nhận", "Tiếp nhận trong kỳ", "Bưu chính")


def double_click(widget: QWidget, pos: QPoint) -> None:
    """A real double-click: the first click's press and release, then the double-click event."""
    QTest.mouseClick(widget, LEFT, pos=pos)
    QTest.mouseDClick(widget, LEFT, pos=pos)


@pytest.fixture
def period_data(desk_ctx: UiContext) -> None:
    """Two regular visits and two posted petitions in the period, and records that must not count."""
    with desk_ctx.db.transaction() as session:
        rd.visit(session, dt.date(2026, 11, 2), name="Trần Thị Mai")
        rd.visit(session, dt.date(2026, 11, 3), name="Lê Văn Hùng", id_number="001080012345")
        rd.visit(session, dt.date(2026, 11, 4), name="Đỗ Văn Tâm", reception=ReceptionKind.PERIODIC)
        rd.visit(session, dt.date(2026, 10, 14), name="Ngoài Kỳ Báo Cáo")
        for name, day, source in (
            ("Phạm Thị Lan", dt.date(2026, 11, 5), PetitionSource.POST),
            ("Vũ Đức Minh", dt.date(2026, 11, 6), PetitionSource.POST),
            ("Hoàng Văn Trực", dt.date(2026, 11, 7), PetitionSource.DESK),
        ):
            data = petition_input(name=name, received_on=day, source=source)
            petitions.register_petition(session, desk_ctx.actor, data, today=local_today())


def _reports(qtbot: QtBot, desk: MainWindow) -> ReportsPage:
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    page.picker.set_custom(START, END)
    QTest.mouseClick(page.compute_button, LEFT)
    qtbot.waitUntil(lambda: len(page.grids) == len(forms.all_forms()) and not page.computing, timeout=20_000)
    return page


def _open_figure(qtbot: QtBot, page: ReportsPage, tab: int, path: tuple[str, ...]) -> DrillDownDialog:
    """Double-click the figure of ``path`` on the form of ``tab``, as the lead does."""
    page.tabs.setCurrentIndex(tab)
    view = page.tabs.widget(tab)
    assert isinstance(view, ReportView)
    leaf = next(leaf for leaf in page.grids[tab].leaves if leaf.path == path)
    index = view.report_model.index(view.report_model.top, 2 + leaf.index)
    view.scrollTo(index)
    page.drilldown = None
    double_click(view.viewport(), view.visualRect(index).center())
    qtbot.waitUntil(lambda: page.drilldown is not None and page.drilldown.isVisible())
    dialog = page.drilldown
    assert dialog is not None
    assert index.data() == str(dialog.table.rowCount())  # the list is exactly the figure
    return dialog


def _item(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def _node(viewer: FormsViewer, *path: int) -> QTreeWidgetItem:
    """The tree item at ``path`` (indices from the top level down)."""
    item: QTreeWidgetItem | None = viewer.tree.invisibleRootItem()
    for i in path:
        assert item is not None
        item = item.child(i)
    assert item is not None, path
    return item


def _headers(dialog: DrillDownDialog) -> list[str]:
    table = dialog.table
    return [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]


def _column(dialog: DrillDownDialog, header: str) -> list[str]:
    c = _headers(dialog).index(header)
    return [_item(dialog.table, r, c).text() for r in range(dialog.table.rowCount())]


def test_lead_drills_into_a_figure_exports_the_list_and_opens_a_visit(
    qtbot: QtBot,
    desk: MainWindow,
    desk_ctx: UiContext,
    period_data: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    page = _reports(qtbot, desk)
    dialog = _open_figure(qtbot, page, 0, REGULAR)
    assert dialog.table.rowCount() == 2
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table)  # arrows and Enter work at once
    assert _headers(dialog) == list(drilldown.VISIT_HEADERS)
    assert all(_headers(dialog)) and len(_headers(dialog)) == dialog.table.columnCount()
    assert _column(dialog, "Họ tên công dân") == ["Trần Thị Mai", "Lê Văn Hùng"]
    assert _column(dialog, "Ngày tiếp") == ["02/11/2026", "03/11/2026"]
    dialog.grab().save(str(screens(tmp_path) / "report_drilldown.png"))

    target = tmp_path / "ho_so_so_lieu.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_: (str(target), "Excel (*.xlsx)")))
    QTest.mouseClick(dialog.export_button, LEFT)
    assert "Đã xuất 2 dòng" in dialog.status.text()
    ws = load_workbook(target).active
    assert ws is not None
    assert "Tiếp thường xuyên › Lượt" in str(ws["A1"].value)
    assert [c.value for c in ws[3]] == list(drilldown.VISIT_HEADERS)
    assert [ws.cell(r, 4).value for r in (4, 5)] == ["Trần Thị Mai", "Lê Văn Hùng"]
    assert ws.cell(6, 4).value is None
    with desk_ctx.db.session() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.action, entry.entity, entry.username) == ("export", "report", "quantri")
    assert "ho_so_so_lieu.xlsx" in (entry.after_json or "")

    # The second row, picked with a click and opened with Enter.
    second = dialog.table.visualItemRect(_item(dialog.table, 1, 0)).center()
    QTest.mouseClick(dialog.table.viewport(), LEFT, pos=second)
    assert focused() is dialog.table and dialog.table.currentRow() == 1
    press(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(dialog.opened, VisitDialog) and dialog.opened.isVisible())
    assert isinstance(dialog.opened, VisitDialog)
    assert dialog.opened.form.full_name.text() == "Lê Văn Hùng"
    assert dialog.isVisible()  # Enter opened the record; it did not close the list
    dialog.opened.close()


def test_lead_double_clicks_a_petition_behind_a_figure(
    qtbot: QtBot, desk: MainWindow, period_data: None, tmp_path: Path
) -> None:
    page = _reports(qtbot, desk)
    dialog = _open_figure(qtbot, page, 1, BY_POST)
    assert _headers(dialog) == list(drilldown.PETITION_HEADERS)
    assert _column(dialog, "Người gửi") == ["Phạm Thị Lan", "Vũ Đức Minh"]
    row = _column(dialog, "Người gửi").index("Vũ Đức Minh")
    rect = dialog.table.visualItemRect(_item(dialog.table, row, 0))
    double_click(dialog.table.viewport(), rect.center())
    qtbot.waitUntil(lambda: isinstance(dialog.opened, PetitionDialog) and dialog.opened.isVisible())
    assert isinstance(dialog.opened, PetitionDialog)
    assert "Người gửi: Vũ Đức Minh" in dialog.opened.body.header.text()
    dialog.opened.close()


def test_the_form_viewer_shows_what_each_column_counts_and_the_points_to_confirm(
    qtbot: QtBot, desk: MainWindow, tmp_path: Path
) -> None:
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    QTest.mouseClick(page.forms_button, LEFT)
    qtbot.waitUntil(lambda: page.forms_viewer is not None and page.forms_viewer.isVisible())
    viewer = page.forms_viewer
    assert viewer is not None
    tcd = forms.get_form("TCD")
    assert tcd.circular in viewer.heading.text()
    shown = "\n".join(viewer.shown_notes())
    assert tcd.to_confirm[0] in shown
    top, first = _node(viewer, 2), _node(viewer, 2, 0)
    assert (top.text(0), top.text(1)) == ("Tiếp thường xuyên", "Hình thức tiếp: Thường xuyên")
    assert (first.text(0), first.text(1)) == ("Lượt", "đếm số lượt tiếp")
    viewer.grab().save(str(screens(tmp_path) / "report_form_viewer.png"))
    # Another form, picked in the list: its own heading, definitions and notes.
    viewer.list.setCurrentRow(1)
    xld = forms.get_form("XLD")
    assert xld.title in viewer.heading.text()
    assert any(_node(viewer, i).text(0) == "Tiếp nhận" for i in range(viewer.tree.topLevelItemCount()))
    assert xld.to_confirm[-1] in "\n".join(viewer.shown_notes())
    assert QApplication.activeModalWidget() is None  # a reference beside the work, not a modal box
    viewer.close()
