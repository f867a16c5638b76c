"""The lead imports an old Excel register through the real window: choose the file, check the columns,
run it dry, confirm the import (or not yet), see the visits in the reception list, and undo the batch."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import AuditEntry, Visit
from app.services.common.clock import local_today
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from app.ui.reports.import_wizard import ImportWizard
from app.ui.reports.page import ReportsPage
from tests.ui.jobs.helpers import CTRL, LEFT, on_modal, screens
from tests.ui.typing import focused, press, type_text

PEOPLE = ("Nguyễn Thị Thu Hà", "Bùi Văn Khánh", "Lương Thị Ngọc")


def old_register(path: Path) -> Path:
    """A register as an office kept it: a title, the column headings, three visits, one broken row."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["SỔ TIẾP CÔNG DÂN NĂM 2024"])
    ws.append([])
    ws.append(["STT", "Ngày tiếp", "Họ và tên", "Số CCCD", "Địa chỉ", "Nội dung", "Phân loại"])
    ws.append(
        [
            1,
            dt.date(2024, 3, 4),
            PEOPLE[0],
            "024185001111",
            "Xã Yên Phong",
            "Sổ cũ 2024: khiếu nại thu hồi đất",
            "Khiếu nại",
        ]
    )
    ws.append(
        [2, dt.date(2024, 3, 5), PEOPLE[1], "024085002222", "Xã Tam Đa", "Sổ cũ 2024: kiến nghị sửa đường", "Kiến nghị"]
    )
    ws.append([3, dt.date(2024, 3, 6), PEOPLE[2], None, "Phường Kinh Bắc", "Sổ cũ 2024: tố cáo cán bộ xã", "Tố cáo"])
    ws.append([4, "ngày không rõ", "", None, "", "", ""])
    wb.save(path)
    return path


def visits_kept(ctx: UiContext) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count()).select_from(Visit).where(Visit.deleted_at.is_(None))) or 0


def last_audit(ctx: UiContext) -> AuditEntry:
    with ctx.db.session() as session:
        return session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()


def answer(button: str, asked: list[str], shot: Path | None = None) -> None:
    """Click ``button`` on the next question box (after a picture of it when ``shot`` is given)."""

    def click(box: QMessageBox) -> None:
        asked.append(box.text())
        if shot is not None:
            box.grab().save(str(shot))
        next(b for b in box.buttons() if b.text() == button).click()

    on_modal(QMessageBox, click)


def listed_names(qtbot: QtBot, window: MainWindow, query: str) -> list[str]:
    """The names the reception list shows for a search typed in its search box."""
    window.show_section("reception")
    page = window.section("reception")
    assert isinstance(page, ReceptionPage)
    page.tabs.setCurrentWidget(page.list)
    window.activateWindow()  # back from the dialogs
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.mouseClick(page.list.text, LEFT)
    with qtbot.waitSignal(page.list.model.loaded, timeout=10_000):
        press(focused(), Qt.Key.Key_A, CTRL)
        type_text(focused(), query)
    model = page.list.model
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def next_page(wizard: ImportWizard) -> None:
    QTest.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)


def commit(wizard: ImportWizard) -> None:
    """The dry run's own forward button: “Nhập vào dữ liệu…”."""
    button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isVisible() and button.text() == "Nhập vào dữ liệu…"
    QTest.mouseClick(button, LEFT)


def test_lead_imports_an_old_register_after_confirming_then_undoes_the_batch(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    source = old_register(tmp_path / "so_cu_2024.xlsx")
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    QTest.mouseClick(page.import_button, LEFT)
    wizard = page.import_wizard
    assert wizard is not None
    qtbot.waitExposed(wizard)

    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    QTest.mouseClick(wizard.file_page.path, LEFT)
    type_text(focused(), str(source))
    assert wizard.file_page.path.text() == str(source)
    next_page(wizard)
    assert wizard.currentPage() is wizard.mapping_page
    headings = [
        wizard.mapping_page.table.model().index(r, 1).data() for r in range(wizard.mapping_page.table.rowCount())
    ]
    assert headings == ["STT", "Ngày tiếp", "Họ và tên", "Số CCCD", "Địa chỉ", "Nội dung", "Phân loại"]
    assert [c.currentText() for c in wizard.mapping_page.combos][2:4] == ["Họ và tên", "Số CCCD/CMND"]

    next_page(wizard)
    qtbot.waitUntil(lambda: wizard.dry_result is not None, timeout=30_000)
    assert "Sẽ nhập 3 dòng</b>, 1 dòng lỗi" in wizard.dry_page.summary.text()
    assert visits_kept(desk_ctx) == 0

    # Not yet: the wizard stays on the dry run and nothing is imported.
    asked: list[str] = []
    answer("Chưa nhập", asked)
    commit(wizard)
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert asked[0].startswith("Nhập 3 dòng vào dữ liệu?")
    assert "1 dòng lỗi sẽ không được nhập" in asked[0]
    assert wizard.currentPage() is wizard.dry_page
    assert wizard.import_result is None and visits_kept(desk_ctx) == 0

    answer("Nhập", asked, screens(tmp_path) / "import_confirm.png")
    commit(wizard)
    qtbot.waitUntil(lambda: wizard.import_result is not None, timeout=30_000)
    assert wizard.currentPage() is wizard.run_page
    assert "Đã nhập 3 dòng" in wizard.run_page.summary.text()
    assert visits_kept(desk_ctx) == 3
    entry = last_audit(desk_ctx)
    assert (entry.action, entry.entity, entry.username) == ("import", "import_batch", "quantri")
    assert '"imported": 3' in (entry.after_json or "")
    assert wizard.run_page.batches_button.isVisible()
    assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # no way to run the import twice

    # The batches, reached from the result page.
    QTest.mouseClick(wizard.run_page.batches_button, LEFT)
    dialog = wizard.batches
    assert dialog is not None
    qtbot.waitExposed(dialog)
    row = [dialog.table.model().index(0, c).data() for c in range(dialog.table.columnCount())]
    assert row[2:] == ["so_cu_2024.xlsx", "3", "1", "Nguyễn Thị Quản Trị", "Đang có hiệu lực"]
    assert row[1].startswith(f"{local_today():%d/%m/%Y} ")  # the office's day, not the machine's
    dialog.grab().save(str(screens(tmp_path) / "import_batches.png"))
    dialog.close()
    wizard.button(QWizard.WizardButton.FinishButton).click()

    assert sorted(listed_names(qtbot, desk, "so cu 2024")) == sorted(PEOPLE)

    # Undo, from the Báo cáo page's own button, asked first.
    desk.show_section("reports")
    QTest.mouseClick(page.batches_button, LEFT)
    batches = page.batches
    assert batches is not None
    qtbot.waitExposed(batches)
    answer("Không hoàn tác", asked)
    QTest.mouseClick(batches.undo_button, LEFT)
    qtbot.waitUntil(lambda: len(asked) == 3)
    # The batch number: 1 on SQLite; PostgreSQL's sequence also counted the dry run's rolled-back batch.
    batch = re.match(r"Hoàn tác lô nhập số (\d+) \(tệp so_cu_2024\.xlsx", asked[2])
    assert batch is not None, asked[2]
    assert visits_kept(desk_ctx) == 3
    answer("Hoàn tác lô", asked)
    QTest.mouseClick(batches.undo_button, LEFT)
    qtbot.waitUntil(lambda: f"Đã hoàn tác lô số {batch.group(1)}" in batches.status.text())
    assert "xóa 3 lượt tiếp, 3 công dân" in batches.status.text()
    assert batches.table.model().index(0, 6).data().startswith("Đã hoàn tác")
    assert not batches.undo_button.isEnabled()
    entry = last_audit(desk_ctx)
    assert (entry.action, entry.entity, entry.entity_id) == ("delete", "import_batch", batch.group(1))
    batches.close()

    assert visits_kept(desk_ctx) == 0
    assert listed_names(qtbot, desk, "so cu 2024 ") == []
