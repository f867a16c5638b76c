"""The first start of a fresh install: the administrator, then the office every document names.

A new office in Hưng Yên must not print another province's heading: the administrator types the
office in the wizard that follows the account, and the first printed page carries what was typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import AuditEntry
from app.models.enums import Role
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.directory import agencies
from app.services.printing import office_settings, render_daily_log
from app.services.security import accounts
from app.ui import launch
from app.ui.login import LoginDialog
from app.ui.office_setup import OfficeSetupDialog, ask_office_if_unset
from tests.printing_data import pdf_text
from tests.ui.jobs.helpers import on_modal, pick_in_search, screens
from tests.ui.typing import press, type_text

OFFICE = {
    settings.GOVERNING_BODY.key: "UBND TỈNH HƯNG YÊN",
    settings.OFFICE_NAME.key: "BAN TIẾP CÔNG DÂN TỈNH HƯNG YÊN",
    settings.OFFICE_SYMBOL.key: "BTCD-HY",
    settings.PLACE_NAME.key: "Hưng Yên",
    settings.SIGNER_TITLE.key: "TRƯỞNG BAN",
    settings.SIGNER_NAME.key: "Đỗ Thị Hằng",
}


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


def _give_up_if_open(dialog: QDialog) -> None:
    """A refused form leaves its dialog open: close it so that the test fails on what it saw, not hangs."""
    if dialog.isVisible():
        dialog.reject()


def _type_in(widget: QWidget, text: str) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    type_text(widget, text)


def _create_admin(dialog: LoginDialog) -> None:
    assert dialog.first_run
    _type_in(dialog.edits["full_name"], "Phạm Văn Quản")
    dialog.edits["username"].selectAll()
    _type_in(dialog.edits["username"], "quantri")
    _type_in(dialog.edits["password"], "Hungyen@2026")
    _type_in(dialog.edits["confirm"], "Hungyen@2026")
    press(dialog.edits["confirm"], Qt.Key.Key_Return)
    _give_up_if_open(dialog)


def _fill_office(dialog: OfficeSetupDialog, shot: Path, seen: dict[str, str]) -> None:
    form = dialog.form
    seen.update(form.values())  # what a fresh install shows before anyone typed
    for key, text in OFFICE.items():
        _type_in(form.edits[key], text)
    pick_in_search(form.address.province, "hung yen")
    pick_in_search(form.address.commune, "pho hien")
    dialog.grab().save(str(shot))
    dialog.save_button.click()
    seen["message"] = dialog.form.message.text()
    _give_up_if_open(dialog)


def test_first_start_asks_the_office_and_prints_it(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    seen: dict[str, str] = {}
    shot = screens(tmp_path) / "first_start_office.png"
    on_modal(LoginDialog, _create_admin)
    on_modal(OfficeSetupDialog, lambda d: _fill_office(d, shot, seen), tries=1500)
    actor = launch.sign_in_at_start(db)

    assert actor is not None and actor.role == Role.ADMIN and actor.full_name == "Phạm Văn Quản"
    # The wizard showed blanks, not another office's defaults.
    assert seen[settings.GOVERNING_BODY.key] == "" and seen[settings.OFFICE_PROVINCE.key] == ""
    with db.transaction() as session:
        assert office_settings.is_configured(session)
        assert settings.get(session, settings.OFFICE_PROVINCE) == "33"
        committee = agencies.province_committee(session)  # the directory follows the province typed
        assert committee is not None and "Hưng Yên" in committee.name
        text = pdf_text(render_daily_log(session, actor, local_today()))
        actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert "UBND TỈNH HƯNG YÊN" in text and "BAN TIẾP CÔNG DÂN TỈNH HƯNG YÊN" in text
    assert "BẮC NINH" not in text.upper()
    assert actions == ["create", "login", "update", "print"]


def test_an_unset_office_is_asked_again_at_the_next_start(qtbot: QtBot, db: Database) -> None:
    with db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Phạm Văn Quản", "Hungyen@2026")
    asked: list[str] = []

    def later(dialog: OfficeSetupDialog) -> None:
        asked.append(dialog.windowTitle())
        dialog.later_button.click()

    def sign_in(dialog: LoginDialog) -> None:
        _type_in(dialog.edits["username"], "quantri")
        _type_in(dialog.edits["password"], "Hungyen@2026")
        press(dialog.edits["password"], Qt.Key.Key_Return)
        _give_up_if_open(dialog)

    for _start in range(2):
        on_modal(LoginDialog, sign_in)
        on_modal(OfficeSetupDialog, later, tries=1500)
        assert launch.sign_in_at_start(db) is not None
    assert asked == ["TiếpDân — thông tin cơ quan"] * 2
    with db.session() as session:
        assert not office_settings.is_configured(session)


def test_a_clerk_is_never_asked_for_the_office(qtbot: QtBot, db: Database) -> None:
    clerk = Actor(user_id=None, username="tiepdan", full_name="Lê Thị Tiếp", role=Role.CLERK)
    asked: list[str] = []

    def record(dialog: OfficeSetupDialog) -> None:
        asked.append(dialog.windowTitle())
        dialog.later_button.click()

    on_modal(OfficeSetupDialog, record, tries=50)
    ask_office_if_unset(db, clerk)
    qtbot.wait(200)
    assert asked == []
