"""Print preview, printing actions and the office-settings form, offscreen on a real database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QDialog
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


def test_preview_shows_every_page_on_white(qtbot: QtBot, ctx: UiContext) -> None:
    pdf = _log_pdf(ctx)
    dialog = PrintPreviewDialog(None, pdf, "Sổ tiếp công dân 20/11/2026", "so.pdf")
    qtbot.addWidget(dialog)
    pages = len(data.pdf_pages(pdf))
    assert pages > 1 and len(dialog.page_labels) == pages
    assert dialog.status.text() == f"{pages} trang"
    image = dialog.page_labels[0].pixmap().toImage()
    assert image.width() > image.height()  # the register is landscape
    assert QColor(image.pixel(5, 5)) == QColor("white")  # composited, not transparent black
    assert [b.text() for b in (dialog.print_button, dialog.save_button)] == ["In…", "Lưu PDF…"]


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
    assert len(data.pdf_pages((tmp_path / "printed.pdf").read_bytes())) == len(dialog.page_labels)


def _close_preview_later(seen: list[str]) -> None:
    def close() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QDialog):
            seen.append(widget.windowTitle())
            if isinstance(widget, PrintPreviewDialog):
                seen.append(f"{len(widget.page_labels)} trang")
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
    assert seen and seen[0] == "Xem trước khi in — Giấy biên nhận số 1/GBN-BTCD"
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
    assert seen[0] == "Xem trước khi in — Thông báo từ chối tiếp số 1/TB-BTCD"
