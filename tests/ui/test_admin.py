"""Quản trị: accounts, the audit trail with filters, one-click backup with progress — each only with the right."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.db import Database
from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.records import backup
from app.services.security import accounts, audit, keys
from app.ui.context import UiContext
from app.ui.sections.admin import AdminPage, UserDialog
from tests.helpers import add_visit
from tests.keyring_memory import MemoryKeyring
from tests.ui.typing import type_text

ADMIN = Actor(user_id=None, username="quantri", full_name="Quản Trị", role=Role.ADMIN)
LEAD = Actor(user_id=None, username="lanhdao", full_name="Lãnh Đạo", role=Role.LEAD)
CLERK = Actor(user_id=None, username="tiepdan", full_name="Tiếp Dân", role=Role.CLERK)
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


def _page(qtbot: QtBot, db: Database, actor: Actor) -> AdminPage:
    page = AdminPage(UiContext(db, actor))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    return page


def _tabs(page: AdminPage) -> list[str]:
    return [page.tabText(i) for i in range(page.count())]


def test_tabs_follow_the_users_rights(qtbot: QtBot, db: Database) -> None:
    assert _tabs(_page(qtbot, db, ADMIN))[0] == "Tài khoản"
    assert "Sao lưu, phục hồi" in _tabs(_page(qtbot, db, ADMIN))
    assert _tabs(_page(qtbot, db, LEAD)) == ["Nhật ký hệ thống"]
    assert _tabs(_page(qtbot, db, CLERK)) == ["Quản trị"]


def test_admin_adds_a_user_and_changes_the_role(qtbot: QtBot, db: Database) -> None:
    page = _page(qtbot, db, ADMIN)
    dialog = UserDialog(page)
    qtbot.addWidget(dialog)
    type_text(dialog.username, "tiepdan1")
    type_text(dialog.full_name, "Lê Thị Tiếp")
    dialog.role.set_value(Role.CLERK)
    type_text(dialog.password, "ngan")
    assert not page.users.save_new(dialog)
    assert "ít nhất 8 ký tự" in dialog.message.text()
    type_text(dialog.password, "-mat-khau")
    assert page.users.save_new(dialog)
    assert page.users.table.item(0, 1).text() == "Lê Thị Tiếp"
    assert page.users.set_role("tiepdan1", Role.HANDLER)
    assert page.users.table.item(0, 2).text() == "Cán bộ xử lý đơn"


def test_lead_filters_the_audit_trail(qtbot: QtBot, db: Database) -> None:
    with db.session() as session:
        add_visit(session, name="An", id_number=None)
    with db.transaction() as session:
        audit.record(session, LEAD, "reveal", "citizen", 1, reason="Giải quyết tố cáo")
    page = _page(qtbot, db, LEAD)
    trail = page.audit
    assert trail.table.rowCount() == 2
    trail.action.setCurrentIndex(trail.action.findData("reveal"))
    trail.filter_button.click()
    assert trail.table.rowCount() == 1
    assert trail.table.item(0, 3).text() == "Xem danh tính bảo mật"
    assert trail.table.item(0, 5).text() == "Giải quyết tố cáo"
    assert "1 mục" in trail.summary.text()
    trail.user.setCurrentIndex(trail.user.findData("he_thong"))
    trail.action.setCurrentIndex(0)
    trail.filter_button.click()
    assert trail.table.rowCount() == 1 and trail.table.item(0, 3).text() == "Tạo mới"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "admin_audit.png"))


@pytest.mark.sqlite_only  # the in-program backup is SQLite's; a server is dumped by its DBA
def test_one_click_backup_shows_progress_and_the_file(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        add_visit(session)
    page = _page(qtbot, db, ADMIN)
    page.setCurrentWidget(page.backup)
    tab = page.backup
    tab.folder.setText(str(tmp_path / "usb"))
    tab.backup_button.click()
    qtbot.waitUntil(lambda: tab.last_result is not None, timeout=20_000)
    assert isinstance(tab.last_result, backup.BackupInfo), tab.last_result
    assert tab.progress.value() == 100 and "Đã sao lưu vào" in tab.status.text()
    assert backup.list_backups(tmp_path / "usb")
    page.grab().save(str(SHOTS / "admin_backup.png"))
    # A folder that cannot be written gives the reason, not a crash.
    tab.last_result = None
    tab.folder.setText("/sys")
    tab.backup_button.click()
    qtbot.waitUntil(lambda: tab.last_result is not None, timeout=20_000)
    assert "Không ghi được vào /sys" in tab.status.text() and tab.backup_button.isEnabled()


@pytest.mark.sqlite_only  # the in-program backup is SQLite's; a server is dumped by its DBA
def test_scheduled_backup_runs_when_due_and_reports_in_the_status_bar(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMainWindow

    from app.services.common import settings
    from app.ui.sections.admin import install_auto_backup

    with db.transaction() as session:
        settings.put(session, backup.FOLDER, str(tmp_path / "tudong"))
        settings.put(session, backup.INTERVAL_HOURS, 12)
    window = QMainWindow()
    qtbot.addWidget(window)
    timer = install_auto_backup(window, UiContext(db, CLERK))  # the office's setting decides, not the role
    timer.timeout.emit()
    qtbot.waitUntil(lambda: "Đã sao lưu tự động" in window.statusBar().currentMessage(), timeout=20_000)
    assert len(backup.list_backups(tmp_path / "tudong")) == 1
    timer.timeout.emit()  # not due again for 12 hours
    qtbot.wait(200)
    assert len(backup.list_backups(tmp_path / "tudong")) == 1


def test_the_data_key_goes_to_a_file_and_comes_back_after_a_reinstall(
    qtbot: QtBot, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _memory_keyring: MemoryKeyring
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.models import Citizen
    from app.models.enums import MatterKind
    from app.ui import feedback

    with db.session() as session:
        saved = add_visit(session, name="Trương Thị Bí Mật", id_number=None, kind=MatterKind.DENUNCIATION)
    page = _page(qtbot, db, ADMIN)
    page.setCurrentWidget(page.key)
    tab = page.key
    assert "không bao giờ đọc được nữa" in tab.findChild(QLabel, "key_warning").text()
    asked: list[str] = []
    monkeypatch.setattr(feedback, "confirm", lambda _p, question, **_k: asked.append(question) or True)
    target = tmp_path / "usb" / "khoa.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a: (str(target), "")))
    tab.export_button.click()
    assert asked and "người tố cáo" in asked[0]
    assert "Đã ghi khóa khôi phục vào" in tab.status.text()
    assert target.stat().st_mode & 0o077 == 0 and keys.recovery_text(db.key) in target.read_text(encoding="utf-8")

    _memory_keyring.store.clear()  # the machine is reinstalled: its key store is empty
    with pytest.raises(keys.MissingKeyError):
        Database(db.url)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *_a: (str(target), "")))
    tab.import_button.click()
    assert "Đã nhập khóa" in tab.status.text() and "khóa của chính dữ liệu này" in tab.status.text()
    reopened = Database(db.url)
    try:
        with reopened.session() as session:
            citizen = session.get(Citizen, saved.citizen_id)
            assert citizen is not None and citizen.full_name == "Trương Thị Bí Mật"
    finally:
        reopened.dispose()
    with db.session() as session:
        trail = audit.list_entries(session, ADMIN, audit.AuditFilter(entity="data_key"))
    assert [r.action_label for r in trail] == ["Nhập khóa khôi phục", "Xuất khóa khôi phục"]
    (tmp_path / "rac.txt").write_text("không phải khóa", encoding="utf-8")
    assert not tab.import_from(tmp_path / "rac.txt") and "không chứa khóa khôi phục" in tab.status.text()
