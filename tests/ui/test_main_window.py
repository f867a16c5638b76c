"""The main window: rail, lazy sections, placeholders, status bar; the screenshot command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.ui import main_window
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from app.ui.sections import SECTIONS
from tests.ui.jobs.helpers import answer_box, on_modal
from tests.ui.typing import press

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    sections = [*SECTIONS, ("chua_co_module", "Thử nghiệm")]
    monkeypatch.setattr(main_window, "SECTIONS", sections)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show_section("reception")
    win.show()
    qtbot.waitExposed(win)
    return win


def test_rail_lists_the_sections_and_opens_reception(window: MainWindow) -> None:
    titles = [window.rail.item(i).text() for i in range(window.rail.count())]
    assert titles[:7] == ["Tiếp công dân", "Đơn thư", "Theo dõi", "Báo cáo", "Lịch tiếp", "Danh mục", "Quản trị"]
    assert isinstance(window.stack.currentWidget(), ReceptionPage)


def test_missing_section_says_so_plainly(qtbot: QtBot, window: MainWindow) -> None:
    window.rail.setCurrentRow(window.keys.index("chua_co_module"))
    page = window.stack.currentWidget()
    assert page is not None
    label = page.findChild(QLabel, "placeholder")
    assert label is not None
    assert label.text() == "Chức năng Thử nghiệm chưa có trong phiên bản này."


def test_sections_are_built_once_on_first_show(window: MainWindow) -> None:
    page = window.section("reception")
    window.rail.setCurrentRow(5)
    window.rail.setCurrentRow(0)
    assert window.section("reception") is page
    assert "chua_co_module" not in window._built


def test_ctrl_number_switches_section(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    press(window.rail, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "followup"
    press(window.rail, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "reception"


@pytest.mark.sqlite_only  # the status bar names the SQLite file
def test_status_bar_shows_database_user_and_overdue(window: MainWindow, db_path: Path) -> None:
    assert str(db_path) in window.db_label.text()
    assert "Hệ thống" in window.account.text()
    assert not window.overdue_label.isVisible()
    window.set_overdue_count(3)
    assert window.overdue_label.isVisible() and window.overdue_label.text() == "Quá hạn: 3 việc"
    window.set_overdue_count(0)
    assert window.overdue_label.text() == "Không có việc quá hạn"


class HalfFilledPage(QWidget):
    """A page with the unsaved-work protocol, as the reception and petition pages implement it."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: str | None = "một lượt tiếp đang nhập dở"

    def unsaved_work(self) -> str | None:
        return self.pending


@pytest.fixture
def half_filled(window: MainWindow) -> HalfFilledPage:
    page = HalfFilledPage()
    window._built["chua_co_module"] = page  # as if the section had been shown
    return page


def test_unsaved_work_is_collected_from_the_built_pages(window: MainWindow, half_filled: HalfFilledPage) -> None:
    assert window.unsaved_work() == ["một lượt tiếp đang nhập dở"]
    half_filled.pending = None
    assert window.unsaved_work() == []


def test_closing_with_unsaved_work_asks_and_going_back_keeps_the_window(
    qtbot: QtBot, window: MainWindow, half_filled: HalfFilledPage
) -> None:
    asked = answer_box("Quay lại")
    window.close()
    assert window.isVisible()
    assert asked and "một lượt tiếp đang nhập dở" in asked[0]
    asked = answer_box("Bỏ và thoát")
    window.close()
    assert not window.isVisible()


def test_closing_without_unsaved_work_asks_nothing(window: MainWindow, half_filled: HalfFilledPage) -> None:
    half_filled.pending = None
    window.close()
    assert not window.isVisible()


def test_log_out_asks_the_same_question_first(qtbot: QtBot, window: MainWindow, half_filled: HalfFilledPage) -> None:
    signed_out: list[bool] = []
    window.signed_out.connect(lambda: signed_out.append(True))
    buttons: list[str] = []

    def back(box: QMessageBox) -> None:
        buttons.extend(b.text() for b in box.buttons())
        [button] = [b for b in box.buttons() if b.text() == "Quay lại"]
        button.click()

    on_modal(QMessageBox, back)
    window.account.log_out_action.trigger()
    assert signed_out == [] and window.isVisible()
    assert sorted(buttons) == ["Bỏ và đăng xuất", "Quay lại"]
    answer_box("Bỏ và đăng xuất")
    window.account.log_out_action.trigger()
    assert signed_out == [True]


def _run_gui(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TIEPDAN_KEY_FILE": str(tmp_path / "tiepdan.key"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    env.pop("TIEPDAN_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_screenshot_command_writes_a_png(tmp_path: Path) -> None:
    shot = tmp_path / "x.png"
    result = _run_gui(["gui", "--screenshot", str(shot), "--db", str(tmp_path / "db.sqlite3")], tmp_path)
    assert result.returncode == 0, result.stderr
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 10_000
    assert "Traceback" not in result.stderr


def test_unusable_database_is_one_message_not_a_traceback(tmp_path: Path) -> None:
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("đây không phải cơ sở dữ liệu " * 200, encoding="utf-8")
    result = _run_gui(["gui", "--screenshot", str(tmp_path / "x.png"), "--db", str(not_a_db)], tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Lỗi:" in result.stderr
