"""The login dialog: first run creates the administrator; wrong passwords are refused, counted and recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry
from app.models.enums import Role
from app.services.security import accounts
from app.ui import login
from app.ui.login import LoginDialog
from app.ui.sections.admin import UserDialog
from tests.ui.jobs.helpers import screens
from tests.ui.typing import type_text


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


def _fill(dialog: LoginDialog, **values: str) -> None:
    for key, value in values.items():
        dialog.edits[key].clear()
        type_text(dialog.edits[key], value)


def test_first_run_creates_the_administrator_and_signs_in(qtbot: QtBot, db: Database) -> None:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.first_run and "tạo tài khoản quản trị" in dialog.windowTitle()
    _fill(dialog, full_name="Nguyễn Thị Quản", username="quantri", password="mat-khau-1", confirm="mat-khau-2")
    dialog.ok_button.click()
    assert "không khớp" in dialog.message.text() and dialog.actor is None
    _fill(dialog, confirm="mat-khau-1")
    dialog.ok_button.click()
    assert dialog.actor is not None and dialog.actor.role == Role.ADMIN
    assert dialog.actor.full_name == "Nguyễn Thị Quản"
    with db.session() as session:
        assert list(session.scalars(select(AuditEntry.action))) == ["create", "login"]


def test_wrong_password_is_refused_with_the_reason(qtbot: QtBot, db: Database) -> None:
    with db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản Trị", "mat-khau-1")
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    assert not dialog.first_run and "full_name" not in dialog.edits
    _fill(dialog, username="quantri", password="sai-roi-nhe")
    dialog.ok_button.click()
    assert "không đúng" in dialog.message.text() and "Còn 4 lần" in dialog.message.text()
    assert dialog.edits["password"].text() == "" and dialog.result() == 0
    _fill(dialog, password="mat-khau-1")
    dialog.ok_button.click()
    assert dialog.actor is not None and dialog.actor.username == "quantri"


def test_dialog_is_wide_enough_to_read_and_type(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản Trị", "mat-khau-1")
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(screens(tmp_path) / "login.png"))
    assert dialog.width() >= 520 and dialog.height() >= 220
    for edit in dialog.edits.values():
        assert edit.width() >= 300
    # The intro and the buttons are whole, not cut by a too small window.
    assert dialog.ok_button.geometry().bottom() < dialog.height()


def test_add_user_fields_say_what_to_type(qtbot: QtBot, db: Database) -> None:
    dialog = UserDialog()
    qtbot.addWidget(dialog)
    assert dialog.username.placeholderText().startswith("ví dụ: nguyenvana")
    assert dialog.full_name.placeholderText() == "ví dụ: Nguyễn Văn A"
    assert f"ít nhất {accounts.MIN_PASSWORD} ký tự" in dialog.password.placeholderText()


def test_screenshot_mode_never_waits_and_sees_only_masked_data(db: Database) -> None:
    actor = login.sign_in(db, interactive=False)
    assert actor is login.SCREENSHOT_ACTOR and actor.role == Role.CLERK
