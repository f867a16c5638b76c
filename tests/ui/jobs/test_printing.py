"""Printing jobs through the real window: the day's register after a morning at the desk, and the
lead's morning brief from the follow-up board.

The clerk types the visits, prints with the keys the screens offer, and saves the PDF from the
preview with its own button; only the file dialog and the printer are stand-ins, so that the PDF
lands in tmp_path and is read back as the clerk would read the paper.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import LOCAL_TZ, AuditEntry
from app.models.enums import MatterKind
from app.services.casework import petitions
from app.services.common.clock import local_today
from app.services.deadlines import followup
from app.ui import print_preview
from app.ui.context import UiContext
from app.ui.followup.board import FollowupPage
from app.ui.main_window import MainWindow
from app.ui.print_preview import PrintPreviewDialog
from app.ui.reception.desk_printing import PeriodDialog
from tests import printing_data as data
from tests.petition_builders import petition_input
from tests.ui.jobs.helpers import (
    CTRL,
    LEFT,
    SHIFT,
    on_modal,
    reception_page,
    save_to,
    screens,
    type_visit,
)
from tests.ui.typing import press

__all__ = ["CTRL", "on_modal", "save_to", "type_visit"]  # other job tests import them from here


def test_clerk_prints_the_days_register_of_the_visits_typed_at_the_desk(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, save_to: list[str], tmp_path: Path
) -> None:
    now = dt.datetime.now(LOCAL_TZ)
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
        # A crowd delegation received earlier this morning by the chairman (seeded: entering a crowd is
        # another job's point).
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        data.add_crowd_visit(session, max(midnight, now - dt.timedelta(minutes=30)))
    page = reception_page(qtbot, desk)
    type_visit(
        page,
        "Nguyễn Thị Hồng Nhung",
        "024185001234",
        "Khiếu nại quyết định thu hồi đất của UBND xã Yên Phong",
        "Khiếu",
        "Hướng",
    )
    type_visit(page, "Trần Văn Bình", "024085004321", "Phản ánh đường liên thôn xuống cấp", "Phản", "Giải")
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 3)

    seen: dict[str, Any] = {}

    def in_preview(dialog: PrintPreviewDialog) -> None:
        screen = dialog.screen().availableGeometry()
        seen["fits"] = dialog.width() <= screen.width() and dialog.height() <= screen.height()
        dialog.resize(1366, 768)
        qtbot.waitUntil(lambda: dialog.view.horizontalScrollBar().maximum() == 0)
        seen["title"] = dialog.windowTitle()
        seen["zoom"] = dialog.zoom_label.text()
        seen["pages"] = dialog.page_label.text()
        qtbot.wait(300)  # the visible pages render in the background
        dialog.grab().save(str(screens(tmp_path) / "print_preview.png"))
        qtbot.mouseClick(dialog.save_button, LEFT)
        seen["status"] = dialog.status.text()
        qtbot.mouseClick(dialog.close_button, LEFT)

    on_modal(PeriodDialog, lambda d: d.accept())  # today, as the dialog proposes
    on_modal(PrintPreviewDialog, in_preview)
    press(page.form.first_input, Qt.Key.Key_P, CTRL | SHIFT)

    today = now.date()
    assert seen["fits"] and seen["title"] == f"Xem trước khi in — Sổ tiếp công dân {today:%d/%m/%Y}"
    assert seen["zoom"].startswith("Vừa chiều rộng") and seen["pages"].startswith("Trang 1/")
    assert save_to == [f"so-tiep-cong-dan-{today:%Y-%m-%d}.pdf"]
    saved = tmp_path / save_to[0]
    assert seen["status"] == f"Đã lưu {saved}."
    text = data.pdf_text(saved.read_bytes())
    for expected in [
        "SỔ TIẾP CÔNG DÂN",
        f"Ngày {today:%d/%m/%Y}",
        "Đoàn đông người: 23 người.",
        "Lãnh đạo tiếp: Nguyễn Văn Quang",
        "Nguyễn Thị Hồng Nhung",
        "CCCD: 024185001234",
        "Khiếu nại quyết định thu hồi đất của UBND xã Yên Phong",
        "Trần Văn Bình",
        "Phản ánh đường liên thôn xuống cấp",
        "Kiến nghị, phản ánh",
        "Giải thích, trả lời trực tiếp",
        "Tổng số: 3 lượt tiếp, 25 người; trong đó 1 đoàn đông người.",
    ]:
        assert expected in text, expected
    # Oldest first: the delegation, then the two visits in the order they were typed.
    order = [text.index(s) for s in ("Đoàn đông người: 23", "Nguyễn Thị Hồng Nhung", "Trần Văn Bình")]
    assert order == sorted(order)
    with desk_ctx.db.session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "daily_log")).one()
        assert entry.username == "quantri" and '"visits": 3' in (entry.after_json or "")


class PdfPrinterDialog:
    """The print dialog as a clerk who picks "Print to file": the printer writes a PDF file."""

    def __init__(self, printer: QPrinter, _parent: QWidget, path: Path) -> None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))

    def setWindowTitle(self, _title: str) -> None:
        pass

    def exec(self) -> QDialog.DialogCode:
        return QDialog.DialogCode.Accepted


def test_lead_prints_the_morning_brief_from_the_followup_board(
    qtbot: QtBot,
    desk: MainWindow,
    desk_ctx: UiContext,
    save_to: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = local_today()
    late = today - dt.timedelta(days=40)  # the 10 working days to process it are long gone
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
        for summary in ("Khiếu nại việc thu hồi đất ở thôn Đông", "Kiến nghị sửa đường liên thôn"):
            kind = MatterKind.COMPLAINT if summary.startswith("Khiếu") else MatterKind.RECOMMENDATION
            petitions.register_petition(
                session, desk_ctx.actor, petition_input(summary=summary, kind=kind, received_on=late), today=today
            )
    printed = tmp_path / "may-in.pdf"
    monkeypatch.setattr(print_preview, "QPrintDialog", lambda p, parent: PdfPrinterDialog(p, parent, printed))

    press(desk.rail, Qt.Key.Key_3, CTRL)
    board = desk.section("followup")
    assert isinstance(board, FollowupPage) and desk.current_key() == "followup"
    assert board.brief_button is not None and board.brief_button.isVisible()
    seen: dict[str, Any] = {}

    def in_preview(dialog: PrintPreviewDialog) -> None:
        seen["title"] = dialog.windowTitle()
        seen["pages"] = dialog.pages.count
        dialog.activateWindow()  # offscreen, a new window is not made active by itself
        qtbot.waitUntil(dialog.isActiveWindow)
        press(dialog.view, Qt.Key.Key_S, CTRL)
        qtbot.mouseClick(dialog.print_button, LEFT)
        press(dialog.view, Qt.Key.Key_Escape)
        seen["closed"] = not dialog.isVisible()

    on_modal(PrintPreviewDialog, in_preview)
    qtbot.mouseClick(board.brief_button, LEFT)

    assert seen["title"] == f"Xem trước khi in — Bản tin sáng ngày {today:%d/%m/%Y}" and seen["closed"]
    assert save_to == [f"ban-tin-sang-{today:%Y-%m-%d}.pdf"]
    pages = data.pdf_pages((tmp_path / save_to[0]).read_bytes())
    first = pages[0]
    with desk_ctx.db.session() as session:
        overdue = len(followup.board(session, desk_ctx.actor, today).overdue)
    assert overdue >= 2  # each petition at least its processing clock; the complaint its acceptance too
    for expected in [
        "BẢN TIN THEO DÕI XỬ LÝ ĐƠN",
        f"Ngày {today:%d/%m/%Y}",
        f"Tổng hợp: quá hạn: {overdue};",
        "I. Số việc theo cán bộ và theo cơ quan",
        "Nguyễn Thị Quản Trị",  # the lead registered them: the officer in charge
        f"II. Việc quá hạn ({overdue})",
        "Khiếu nại việc thu hồi đất ở thôn Đông",
    ]:
        assert expected in first, expected
    assert "PHỤ LỤC: DANH SÁCH CHI TIẾT" in " ".join(pages[1:])
    assert len(data.pdf_pages(printed.read_bytes())) == seen["pages"] == len(pages)  # every page printed
    with desk_ctx.db.session() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "morning_brief")).one()
        assert entry.username == "quantri" and f'"overdue": {overdue}' in (entry.after_json or "")
