"""Print preview, printing actions and the office-settings form, offscreen on a real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import AuditEntry
from app.models.enums import DocumentType
from app.services import printing
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from app.ui import printing_actions
from app.ui.context import UiContext
from app.ui.print_preview import PrintPreviewDialog
from app.ui.settings_form import OfficeSettingsForm
from tests import printing_data as data
from tests.helpers import local, visit_input
from tests.ui.typing import press

CTRL = Qt.KeyboardModifier.ControlModifier


def _log_pdf(ctx: UiContext, count: int = 30) -> bytes:
    with ctx.db.transaction() as session:
        data.setup_office(session)
        for n in range(count):
            visits.register_visit(
                session,
                SYSTEM,
                visit_input(f"Trần Văn Người {n}", id_number=None, received_at=local(2026, 11, 20, 7, n)),
            )
        return printing.render_daily_log(session, SYSTEM, dt.date(2026, 11, 20))


def _preview(qtbot: QtBot, pdf: bytes, size: tuple[int, int] = (1366, 768)) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(None, pdf, "Sổ tiếp công dân 20/11/2026", "so.pdf")
    qtbot.addWidget(dialog)
    dialog.resize(*size)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _fully_shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.visibleRegion().boundingRect().size() == widget.size()


def _page_pixels(dialog: PrintPreviewDialog) -> tuple[float, float]:
    """The first page's width and height on screen, in pixels."""
    points = dialog.pages.document.pagePointSize(0)
    scale = dialog.zoom() * dialog.view.logicalDpiX() / 72
    return points.width() * scale, points.height() * scale


def test_preview_opens_on_the_screen_at_fit_width_on_white(qtbot: QtBot, ctx: UiContext) -> None:
    pdf = _log_pdf(ctx)
    dialog = PrintPreviewDialog(None, pdf, "Sổ tiếp công dân 20/11/2026", "so.pdf")
    qtbot.addWidget(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert dialog.minimumSizeHint().width() < 1366 and dialog.minimumSizeHint().height() < 768
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)

    pages = len(data.pdf_pages(pdf))
    assert pages > 1 and dialog.pages.count == pages
    assert dialog.status.text() == f"{pages} trang" and dialog.page_label.text() == f"Trang 1/{pages}"
    width, height = _page_pixels(dialog)
    assert width > height  # the register is landscape, and shown whole across at the default fit
    assert dialog.fit_width_button.isChecked() and dialog.zoom_label.text().startswith("Vừa chiều rộng (")
    assert dialog.view.horizontalScrollBar().maximum() == 0
    assert width <= dialog.view.viewport().width()
    margins = dialog.view.documentMargins()
    corner = (margins.left() + 8, margins.top() + 8)  # inside the paper's blank margin
    qtbot.waitUntil(lambda: QColor(dialog.view.grab().toImage().pixel(*corner)) == QColor("white"))
    for button in (dialog.print_button, dialog.save_button, dialog.close_button):
        assert _fully_shown(button), button.text()
    assert [b.text() for b in (dialog.print_button, dialog.save_button, dialog.close_button)] == [
        "In…",
        "Lưu PDF…",
        "Đóng",
    ]


def test_zoom_buttons_and_shortcuts(qtbot: QtBot, ctx: UiContext) -> None:
    dialog = _preview(qtbot, _log_pdf(ctx, 3))
    across = dialog.zoom()
    bar = dialog.view.horizontalScrollBar()

    press(dialog.view, Qt.Key.Key_Equal, CTRL)  # Ctrl+= (Ctrl++ without Shift)
    assert dialog.zoom() > across and not dialog.fit_width_button.isChecked()
    assert dialog.zoom_label.text() == f"{round(dialog.zoom() * 100)}%"
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # wider than the window: now it scrolls sideways
    qtbot.mouseClick(dialog.zoom_in_button, Qt.MouseButton.LeftButton)
    larger = dialog.zoom()
    press(dialog.view, Qt.Key.Key_Minus, CTRL)
    assert dialog.zoom() < larger

    qtbot.mouseClick(dialog.fit_page_button, Qt.MouseButton.LeftButton)
    assert dialog.fit_page_button.isChecked() and dialog.zoom_label.text().startswith("Vừa trang (")
    width, height = _page_pixels(dialog)
    qtbot.waitUntil(lambda: bar.maximum() == 0)
    assert height <= dialog.view.viewport().height() and width <= dialog.view.viewport().width()
    assert dialog.zoom() < across  # a landscape page is whole on screen only smaller than across

    press(dialog.view, Qt.Key.Key_1, CTRL)
    assert dialog.fit_width_button.isChecked() and abs(dialog.zoom() - across) < 0.01
    qtbot.waitUntil(lambda: bar.maximum() == 0)

    for _ in range(30):  # the smallest step stops the button
        qtbot.mouseClick(dialog.zoom_out_button, Qt.MouseButton.LeftButton)
    assert dialog.zoom() == 0.25 and not dialog.zoom_out_button.isEnabled()


def test_fit_width_follows_the_window_and_buttons_stay_visible(qtbot: QtBot, ctx: UiContext) -> None:
    dialog = _preview(qtbot, _log_pdf(ctx, 3))
    wide = dialog.zoom()
    dialog.resize(dialog.minimumSizeHint())
    qtbot.waitUntil(lambda: dialog.zoom() < wide)
    assert dialog.view.horizontalScrollBar().maximum() == 0
    assert dialog.zoom_label.text() == f"Vừa chiều rộng ({round(dialog.zoom() * 100)}%)"
    for widget in (
        dialog.print_button,
        dialog.save_button,
        dialog.close_button,
        dialog.zoom_in_button,
        dialog.zoom_out_button,
        dialog.fit_width_button,
        dialog.fit_page_button,
    ):
        assert _fully_shown(widget), widget.text()


def test_escape_closes_and_ctrl_s_saves(
    qtbot: QtBot, ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _log_pdf(ctx, 3)
    dialog = _preview(qtbot, pdf)
    asked: list[str] = []

    def choose(_parent: QWidget, caption: str, name: str, _filter: str) -> tuple[str, str]:
        asked.append(f"{caption}: {name}")
        return str(tmp_path / "so-tiep"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    press(dialog.view, Qt.Key.Key_S, CTRL)
    assert asked == ["Lưu tệp PDF: so.pdf"]
    assert (tmp_path / "so-tiep.pdf").read_bytes() == pdf
    assert dialog.status.text() == f"Đã lưu {tmp_path / 'so-tiep.pdf'}."
    press(dialog.view, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_save_writes_the_same_pdf(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    pdf = _log_pdf(ctx, 3)
    dialog = PrintPreviewDialog(None, pdf, "Sổ", "so.pdf")
    qtbot.addWidget(dialog)
    dialog.save_to(tmp_path / "ban-in")
    assert (tmp_path / "ban-in.pdf").read_bytes() == pdf
    assert "Đã lưu" in dialog.status.text()


def test_printing_sends_every_page_to_the_printer(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    pdf = _log_pdf(ctx)
    dialog = PrintPreviewDialog(None, pdf, "Sổ", "so.pdf")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.print_to(printer)
    assert len(data.pdf_pages((tmp_path / "printed.pdf").read_bytes())) == dialog.pages.count


def _close_preview_later(seen: list[str]) -> None:
    def close() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog):
            seen.append(widget.windowTitle())
            if isinstance(widget, PrintPreviewDialog):
                seen.append(f"{widget.pages.count} trang")
            widget.reject()
        else:
            QTimer.singleShot(20, close)

    QTimer.singleShot(0, close)


def test_print_daily_log_action_opens_the_preview(qtbot: QtBot, ctx: UiContext) -> None:
    _log_pdf(ctx, 2)
    seen: list[str] = []
    _close_preview_later(seen)
    printing_actions.print_daily_log(None, ctx, dt.date(2026, 11, 20))
    assert seen[0] == "Xem trước khi in — Sổ tiếp công dân 20/11/2026"
    with ctx.db.session() as session:
        assert session.scalars(select(AuditEntry).where(AuditEntry.entity == "daily_log")).first() is not None


def test_print_visit_receipt_action_issues_and_previews(qtbot: QtBot, ctx: UiContext) -> None:
    with ctx.db.transaction() as session:
        data.setup_office(session)
        petition = data.add_petition(session)
        visit_id = petition.visit_id
    assert visit_id is not None
    seen: list[str] = []

    def accept_items() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, printing_actions.ReceiptItemsDialog):
            assert widget.items() == ["Đơn khiếu nại (02 trang)", "Bản sao Quyết định 1234/QĐ-UBND"]
            _close_preview_later(seen)
            widget.accept()
        else:
            QTimer.singleShot(20, accept_items)

    QTimer.singleShot(0, accept_items)
    printing_actions.print_visit_receipt(None, ctx, visit_id)
    assert seen and seen[0] == "Xem trước khi in — Giấy biên nhận số 01/GBN-BTCD"
    with ctx.db.session() as session:
        assert printing.latest_document(session, DocumentType.RECEIPT, visit_id=visit_id)


def test_office_settings_form_saves_and_is_used_on_documents(qtbot: QtBot, ctx: UiContext) -> None:
    form = OfficeSettingsForm(ctx)
    qtbot.addWidget(form)
    assert form.edits[settings.OFFICE_NAME.key].text() == "BAN TIẾP CÔNG DÂN TỈNH"
    form.edits[settings.OFFICE_NAME.key].setText("THANH TRA TỈNH")
    form.edits[settings.SIGNER_NAME.key].setText("Vũ Thị Hồng Nhung")
    form.save()
    assert "Đã lưu" in form.message.text()
    with ctx.db.transaction() as session:
        assert settings.get(session, settings.OFFICE_NAME) == "THANH TRA TỈNH"
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "setting")).one()
        assert "Vũ Thị Hồng Nhung" in (entry.after_json or "")
        petition = data.add_petition(session)
        ref = data.issue(session, petition, DocumentType.GUIDANCE)
        text = data.pdf_text(printing.render_document(session, SYSTEM, ref.id))
    assert "THANH TRA TỈNH" in text and "Vũ Thị Hồng Nhung" in text


def test_office_settings_form_shows_what_to_fix(qtbot: QtBot, ctx: UiContext) -> None:
    form = OfficeSettingsForm(ctx)
    qtbot.addWidget(form)
    form.edits[settings.OFFICE_SYMBOL.key].setText("btcd tinh")
    form.edits[settings.PLACE_NAME.key].setText("")
    form.save()
    assert "Ký hiệu cơ quan chỉ gồm chữ in hoa" in form.message.text()
    assert "Nhập “Địa danh”." in form.message.text()
    with ctx.db.session() as session:
        assert settings.get(session, settings.OFFICE_SYMBOL) == "BTCD"


def test_print_visit_document_issues_a_refusal_notice(qtbot: QtBot, ctx: UiContext) -> None:
    with ctx.db.transaction() as session:
        data.setup_office(session)
        visit_id = data.add_petition(session).visit_id
    assert visit_id is not None
    seen: list[str] = []
    _close_preview_later(seen)
    assert printing_actions.print_visit_document(None, ctx, visit_id, DocumentType.REFUSAL, {"reason": "Say rượu."})
    assert seen[0] == "Xem trước khi in — Thông báo từ chối tiếp số 01/TB-BTCD"
