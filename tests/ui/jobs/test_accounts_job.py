"""A new colleague's first day: the administrator adds the account in Quản trị → Tài khoản and logs
out; the colleague signs in at the same desk, replaces the first password with their own, logs out,
and signs in with the new one. The administrator then reads it all in the audit trail.

Everything goes through the real windows: the login dialog after each log out, the window's own
account menu, the add-user and change-password dialogs, typed key by key.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from app.services.common import settings
from app.services.printing import office_settings
from app.services.security import accounts
from app.ui.account_menu import ChangePasswordDialog
from app.ui.context import UiContext
from app.ui.launch import DeskSession
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.sections.admin import AdminPage, UserDialog
from tests.ui.jobs.conftest import ADMIN_PASSWORD
from tests.ui.jobs.helpers import choose, on_modal, screens
from tests.ui.typing import press, type_text

FIRST_PASSWORD = "Batdau@2026"
OWN_PASSWORD = "Rieng-cua-Tiep-9"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


@pytest.fixture
def desk_session(desk_ctx: UiContext) -> Iterator[DeskSession]:
    with desk_ctx.db.transaction() as session:
        settings.put(session, office_settings.CONFIGURED, True)  # the first start is another job's test
    desk = DeskSession(desk_ctx.db)
    yield desk
    desk.end()


def _type_in(widget: QWidget, text: str) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    type_text(widget, text)


def _button(dialog: QDialog, text: str) -> QPushButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    [button] = [b for b in box.buttons() if b.text() == text]
    assert isinstance(button, QPushButton)
    return button


def _sign_in_as(username: str, *passwords: str) -> list[str]:
    """Answer the next login dialog: each password in turn; the list receives the refusals shown."""
    refusals: list[str] = []

    def answer(dialog: LoginDialog) -> None:
        _type_in(dialog.edits["username"], username)
        for password in passwords:
            _type_in(dialog.edits["password"], password)
            press(dialog.edits["password"], Qt.Key.Key_Return)
            if dialog.isVisible():
                refusals.append(dialog.message.text())
        if dialog.isVisible():  # refused every time: give up, the test fails on what it saw
            dialog.reject()

    on_modal(LoginDialog, answer)
    return refusals


def _log_out_then(qtbot: QtBot, desk: DeskSession, username: str, *passwords: str) -> list[str]:
    old = desk.window
    assert old is not None
    refusals = _sign_in_as(username, *passwords)
    old.account.log_out_action.trigger()
    qtbot.waitUntil(lambda: desk.window is not None and desk.window is not old, timeout=10_000)
    return refusals


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def _window(desk: DeskSession) -> MainWindow:
    assert desk.window is not None
    return desk.window


def _add_colleague(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_section("admin")
    assert isinstance(page, AdminPage)
    page.setCurrentWidget(page.users)

    def fill(dialog: UserDialog) -> None:
        _type_in(dialog.username, "letiep")
        _type_in(dialog.full_name, "Lê Thị Tiếp")
        _type_in(dialog.title, "Chuyên viên")
        choose(dialog.role, "Cán bộ tiếp công dân")
        _type_in(dialog.password, FIRST_PASSWORD)
        _button(dialog, "Thêm").click()

    on_modal(UserDialog, fill)
    page.users.add_button.click()
    rows = [[cell_text(page.users.table, r, c) for c in range(3)] for r in range(page.users.table.rowCount())]
    assert ["letiep", "Lê Thị Tiếp", "Cán bộ tiếp công dân"] in rows


def _change_own_password(window: MainWindow, shot: Path) -> list[str]:
    refusals: list[str] = []

    def fill(dialog: ChangePasswordDialog) -> None:
        _type_in(dialog.edits["old_password"], "doan-sai-roi")
        _type_in(dialog.edits["new_password"], OWN_PASSWORD)
        _type_in(dialog.edits["confirm"], OWN_PASSWORD)
        _button(dialog, "Đổi mật khẩu").click()
        refusals.append(dialog.message.text())
        dialog.grab().save(str(shot))
        dialog.edits["old_password"].clear()
        _type_in(dialog.edits["old_password"], FIRST_PASSWORD)
        _button(dialog, "Đổi mật khẩu").click()
        if dialog.isVisible():
            refusals.append(dialog.message.text())
            dialog.reject()

    on_modal(ChangePasswordDialog, fill)
    window.account.password_action.trigger()
    return refusals


def test_a_new_colleague_is_added_signs_in_and_sets_their_own_password(
    qtbot: QtBot, desk_session: DeskSession, tmp_path: Path
) -> None:
    _sign_in_as("quantri", ADMIN_PASSWORD)
    assert desk_session.start()
    _add_colleague(qtbot, _window(desk_session))

    assert _log_out_then(qtbot, desk_session, "letiep", FIRST_PASSWORD) == []
    window = _window(desk_session)
    assert window.account.text() == "Người dùng: Lê Thị Tiếp (Cán bộ tiếp công dân)"
    refusals = _change_own_password(window, screens(tmp_path) / "change_password.png")
    assert refusals == ["Mật khẩu hiện tại không đúng."]
    assert "Đã đổi mật khẩu" in window.statusBar().currentMessage()

    refusals = _log_out_then(qtbot, desk_session, "letiep", FIRST_PASSWORD, OWN_PASSWORD)
    assert len(refusals) == 1 and "không đúng" in refusals[0]
    assert "Lê Thị Tiếp" in _window(desk_session).account.text()

    _log_out_then(qtbot, desk_session, "quantri", ADMIN_PASSWORD)
    page = _window(desk_session).show_section("admin")
    assert isinstance(page, AdminPage)
    trail = page.audit
    page.setCurrentWidget(trail)
    trail.user.setCurrentIndex(trail.user.findData("letiep"))
    trail.filter_button.click()
    seen = [cell_text(trail.table, r, 3) for r in range(trail.table.rowCount())][::-1]  # newest first on screen
    assert seen == ["Đăng nhập", "Đổi mật khẩu", "Đăng xuất", "Đăng nhập sai", "Đăng nhập", "Đăng xuất"]
