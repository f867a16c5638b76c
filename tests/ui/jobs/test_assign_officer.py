"""An office lead gives petitions to a handling officer from the petition list: two at once by
Ctrl+click, then one more alone; the list shows who handles each.
(Refusals are in tests/services/casework/test_assignment.py.)"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import User
from app.models.enums import Role
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.assign import AssignDialog
from app.ui.petitions.page import PetitionsPage
from tests.petition_builders import register

OFFICER_COLUMN = 9


def _select(page: PetitionsPage, rows: list[int]) -> None:
    view = page.list.view
    view.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        view.selectionModel().select(view.model().index(row, 0), flags)


def _assign(qtbot: QtBot, page: PetitionsPage, officer: str) -> AssignDialog:
    qtbot.mouseClick(page.list.assign_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, AssignDialog)
    dialog.officer.setCurrentIndex(dialog.officer.findText(officer, Qt.MatchFlag.MatchStartsWith))
    return dialog


def test_lead_gives_petitions_to_officers_from_the_list(qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext) -> None:
    with desk_ctx.db.transaction() as session:
        for name in ("Lê Văn Hùng", "Phạm Thị Mai"):
            session.add(User(username=name.split()[-1].lower(), full_name=name, role=Role.HANDLER, active=True))
        numbers = [register(session, summary=f"Đơn thứ {i}").number for i in (1, 2, 3)]
    page = desk.show_section("petitions")
    assert isinstance(page, PetitionsPage)
    model = page.list.model
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    header = model.headerData(OFFICER_COLUMN, Qt.Orientation.Horizontal)
    assert header == "Cán bộ xử lý"

    # Nothing selected: a hint, no dialog.
    page.list.view.clearSelection()
    qtbot.mouseClick(page.list.assign_button, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]
    assert QApplication.activeModalWidget() is None
    assert "Chọn một hoặc nhiều đơn" in desk.statusBar().currentMessage()

    _select(page, [0, 1])
    dialog = _assign(qtbot, page, "— Chọn cán bộ")
    dialog.accept()  # no officer chosen: the dialog stays and says what to do
    assert dialog.isVisible() and dialog.message.text() == "Chọn cán bộ nhận xử lý đơn."
    dialog.officer.setCurrentIndex(dialog.officer.findText("Lê Văn Hùng"))
    if shots := os.environ.get("TIEPDAN_SCREENS"):
        desk.grab().save(str(Path(shots) / "assign_officer.png"))
    dialog.accept()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert desk.statusBar().currentMessage().startswith("Đã giao 2 đơn cho Lê Văn Hùng")

    def officers() -> dict[str, str]:
        shown = {}
        for r in range(model.rowCount()):
            number = model.data(model.index(r, 0))
            shown[number] = model.data(model.index(r, OFFICER_COLUMN))
        return shown

    # Newest first: rows 0 and 1 are petitions 3 and 2.
    qtbot.waitUntil(lambda: officers().get(numbers[2]) == "Lê Văn Hùng")
    assert officers()[numbers[1]] == "Lê Văn Hùng"
    assert officers()[numbers[0]] == ""

    row_of_first = next(r for r in range(model.rowCount()) if model.data(model.index(r, 0)) == numbers[0])
    _select(page, [row_of_first])
    dialog = _assign(qtbot, page, "Phạm Thị Mai")
    dialog.accept()
    qtbot.waitUntil(lambda: officers().get(numbers[0]) == "Phạm Thị Mai")
