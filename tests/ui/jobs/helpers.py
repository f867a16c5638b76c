"""What the job tests share: keys, answering modal boxes, saving previews, typing a visit like a clerk.

Only the file dialog is a stand-in (``save_to``); every other box is the real one, answered by
clicking its buttons once it is up (``on_modal``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from tests.ui.typing import focused, press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton
ENTER = Qt.Key.Key_Return


def screens(tmp_path: Path) -> Path:
    """Screenshots go to a temporary folder; TIEPDAN_SCREENS=docs/screens refreshes the documented ones."""
    return Path(os.environ.get("TIEPDAN_SCREENS", str(tmp_path)))


def on_modal(kind: type[QWidget], handle: Callable[[Any], None], tries: int = 500) -> None:
    """Answer the next modal dialog of ``kind`` once it is up (the action about to run opens it)."""

    def poll(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            handle(widget)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))


def click(widget: QWidget, pos: QPoint | None = None) -> None:
    """A left click, at ``pos`` or in the middle (QTest's, typed: qtbot's mouseClick is not)."""
    QTest.mouseClick(widget, LEFT, Qt.KeyboardModifier.NoModifier, pos if pos is not None else widget.rect().center())


def answer_box(button_text: str) -> list[str]:
    """Click ``button_text`` in the next message box; the list receives the question it asked."""
    asked: list[str] = []

    def click(box: QMessageBox) -> None:
        asked.append(box.text())
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    on_modal(QMessageBox, click)
    return asked


def open_desk(qtbot: QtBot, ctx: UiContext, *, closed_by_test: bool = True) -> MainWindow:
    """The main window on a 1366×768 screen, on the reception section, as after sign-in.

    ``closed_by_test=False``: the test ends the window itself (a simulated crash, a close it checks).
    """
    window = MainWindow(ctx)
    if closed_by_test:
        qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show_section("reception")
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def reception_page(qtbot: QtBot, window: MainWindow) -> ReceptionPage:
    """The desk's page once today's board has loaded."""
    page = window.section("reception")
    assert isinstance(page, ReceptionPage)
    qtbot.waitUntil(lambda: page.board.model.loaded_once)
    return page


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The save dialog answers with a file in tmp_path, named after what the preview suggested."""
    asked: list[str] = []

    def choose(_parent: QWidget, caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / suggested), "Tệp PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    return asked


def pause_for_type_ahead() -> None:
    """A combo's type-ahead adds keys typed within the keyboard interval to the last search:
    a person is never as quick between two combos as a test."""
    QTest.qWait(QApplication.keyboardInputInterval() + 50)


def shortest_prefix(choices: list[str], wanted: str) -> str:
    """The first letters of ``wanted`` that no other choice starts with: what a clerk types."""
    others = [c.casefold() for c in choices if c != wanted]
    for end in range(1, len(wanted) + 1):
        prefix = wanted[:end].casefold()
        if not any(other.startswith(prefix) for other in others):
            return wanted[:end]
    return wanted


def choose(combo: QComboBox, wanted: str) -> None:
    """Pick ``wanted`` in a closed list by focusing it and typing its first letters."""
    pause_for_type_ahead()
    combo.setFocus()
    items = [combo.itemText(i) for i in range(combo.count())]
    type_text(focused(), shortest_prefix(items, wanted))
    assert combo.currentText() == wanted, (combo.currentText(), wanted)


def choose_from_list(combo: QComboBox, wanted: str) -> None:
    """Open the list (Alt+↓), go down to the entry, Enter: for entries whose first letters cannot be typed."""
    combo.setFocus()
    press(combo, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view = combo.view()
    assert view is not None and view.isVisible()
    # Straight to the list: ``press`` would hand the keys to the popup's frame, which drops them.
    for _ in range(combo.count()):
        if combo.itemText(view.currentIndex().row()) == wanted:
            break
        QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, ENTER)
    assert combo.currentText() == wanted


def pick_in_search(combo: QComboBox, typed: str) -> None:
    """A long list (field, commune): type some words without tones, Enter picks the offer."""
    combo.setFocus()
    type_text(focused(), typed)
    press(focused(), ENTER)


def type_visit(page: ReceptionPage, name: str, id_number: str, summary: str, kind: str, outcome: str) -> None:
    """A visit typed field by field, the combos chosen by typing the first letters of a choice."""
    form = page.form
    for widget, text in (
        (form.full_name, name),
        (form.id_number, id_number),
        (form.address, "Thôn Đông, xã Yên Phong"),
        (form.summary, summary),
        (form.matter_kind, kind),
        (form.outcome, outcome),
        (form.documents, "Đơn (02 trang)"),
    ):
        if isinstance(widget, QComboBox):
            pause_for_type_ahead()
        widget.setFocus()
        type_text(focused(), text)
    assert form.matter_kind.currentText().startswith(kind)
    assert form.outcome.currentText().startswith(outcome)
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()


def shown_rows(model: QAbstractItemModel) -> list[dict[str, str]]:
    """Every row of a list as the clerk reads it: column header → text shown."""
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    return [
        {headers[c]: str(model.index(r, c).data() or "") for c in range(model.columnCount())}
        for r in range(model.rowCount())
    ]
