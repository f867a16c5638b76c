"""Correcting a visit's citizen name through the open visit: the clerk says whether it was a typo in
this person's record or the visit was filed under the wrong person, and each answer is kept apart."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Citizen, Visit
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.dialog import VisitDialog
from app.ui.reception.page import ReceptionPage
from tests.ui.jobs.helpers import answer_box, reception_page
from tests.ui.jobs.test_printing import CTRL, type_visit
from tests.ui.typing import press, type_text

ENTER = Qt.Key.Key_Return


def _open_first_visit(qtbot: QtBot, page: ReceptionPage) -> VisitDialog:
    view = page.board.view
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    view.setFocus()
    view.selectRow(0)
    press(view, ENTER)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), VisitDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, VisitDialog)
    return dialog


def _retype_name(dialog: VisitDialog, name: str) -> None:
    edit = dialog.form.full_name
    edit.setFocus()
    edit.selectAll()
    type_text(edit, name)


@pytest.mark.parametrize(
    ("answer", "names", "same_record"),
    [
        ("Cùng một người, sửa tên", ["Nguyễn Văn An"], True),
        ("Người khác", ["Nguyễn Văn Ann", "Nguyễn Văn An"], False),
    ],
)
def test_a_renamed_citizen_in_a_correction_asks_which_it_is(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, answer: str, names: list[str], same_record: bool
) -> None:
    page = reception_page(qtbot, desk)
    type_visit(page, "Nguyễn Văn Ann", "", "Phản ánh đèn đường hỏng", "Phản", "Giải")
    with desk_ctx.db.session() as s:
        [first_citizen] = s.scalars(select(Citizen.id)).all()

    dialog = _open_first_visit(qtbot, page)
    _retype_name(dialog, "Nguyễn Văn An")
    asked = answer_box(answer)
    press(dialog.form.full_name, Qt.Key.Key_S, CTRL)
    # Saved: the dialog closed (and was deleted).
    qtbot.waitUntil(lambda: not isinstance(QApplication.activeModalWidget(), VisitDialog))

    assert asked and "“Nguyễn Văn Ann” thành “Nguyễn Văn An”" in asked[0]
    with desk_ctx.db.session() as s:
        assert [c.full_name for c in s.scalars(select(Citizen).order_by(Citizen.id))] == names
        [visit] = s.scalars(select(Visit)).all()
        assert (visit.citizen_id == first_citizen) is same_record
    model = page.board.model
    qtbot.waitUntil(lambda: "Nguyễn Văn An" in [model.index(0, c).data() for c in range(model.columnCount())])
    assert "Đã cập nhật lượt tiếp số" in page.status.text()


def test_going_back_from_the_question_saves_nothing_and_keeps_the_typing(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    page = reception_page(qtbot, desk)
    type_visit(page, "Nguyễn Văn Ann", "", "Phản ánh đèn đường hỏng", "Phản", "Giải")
    dialog = _open_first_visit(qtbot, page)
    _retype_name(dialog, "Lê Thị Hoa")
    answer_box("Quay lại sửa")
    press(dialog.form.full_name, Qt.Key.Key_S, CTRL)
    assert dialog.isVisible() and dialog.form.full_name.text() == "Lê Thị Hoa"
    with desk_ctx.db.session() as s:
        assert [c.full_name for c in s.scalars(select(Citizen))] == ["Nguyễn Văn Ann"]
    dialog.reject()
