"""The next citizen's form with a mistake: the message of the previous save goes away, the error
says what to fix, and what was typed stays."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.main_window import MainWindow
from tests.ui.jobs.helpers import reception_page
from tests.ui.jobs.test_printing import CTRL, type_visit
from tests.ui.typing import focused, press, type_text


def test_an_error_after_a_save_clears_the_saved_message_and_keeps_the_input(qtbot: QtBot, desk: MainWindow) -> None:
    page = reception_page(qtbot, desk)
    type_visit(page, "Vũ Văn Toàn", "024085003344", "Phản ánh đèn đường hỏng", "Phản", "Giải")
    assert "Đã lưu lượt tiếp số" in page.status.text()

    # The next citizen: a name but no content; Ctrl+S.
    page.form.full_name.setFocus()
    type_text(focused(), "Đào Thị Lan")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu" not in page.status.text()
    summary = page.form.fields.get("summary")
    assert summary is not None and summary.error, "the missing content is named under its field"
    assert page.form.summary.hasFocus()
    assert page.form.full_name.text() == "Đào Thị Lan"
    assert page.board.model.rowCount() == 1
