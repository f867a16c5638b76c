""" "In" actions the screens call: render through the services, then open the preview.

Hooks for the screens (they own their buttons):
- reception screen: ``print_daily_log(parent, ctx, day)`` for "In sổ tiếp công dân" of the chosen day,
  ``print_visit_receipt(parent, ctx, visit_id)`` for "In giấy biên nhận" of the selected visit;
- petitions / actions: ``print_document(parent, ctx, document_id)`` for any issued document;
- desk documents with their own fields (appointment slip, refusal notice, guidance slip), once the
  screen has asked for them: ``print_visit_document(parent, ctx, visit_id, doc_type, content)``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.models.enums import DocumentType
from app.services import printing
from app.services.common.errors import AppError
from app.services.common.text import fold
from app.services.reception import visits
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.print_preview import show_preview


def print_daily_log(parent: QWidget | None, ctx: UiContext, day: dt.date, to: dt.date | None = None) -> None:
    try:
        with ctx.db.transaction() as session:
            pdf = printing.render_daily_log(session, ctx.actor, day, to)
    except AppError as exc:
        show_error(parent, exc)
        return
    period = f"{day:%d/%m/%Y}" if to in (None, day) else f"{day:%d/%m/%Y}–{to:%d/%m/%Y}"
    name = f"so-tiep-cong-dan-{day:%Y-%m-%d}" + (f"-den-{to:%Y-%m-%d}" if to and to != day else "")
    show_preview(parent, pdf, f"Sổ tiếp công dân {period}", f"{name}.pdf")


def print_document(parent: QWidget | None, ctx: UiContext, document_id: int) -> None:
    try:
        with ctx.db.transaction() as session:
            pdf = printing.render_document(session, ctx.actor, document_id)
            title, symbol = printing.describe(session, document_id)
    except AppError as exc:
        show_error(parent, exc)
        return
    show_preview(parent, pdf, f"{title} số {symbol}", f"{_file_name(title, symbol)}.pdf")


def print_visit_document(
    parent: QWidget | None, ctx: UiContext, visit_id: int, doc_type: DocumentType, content: dict[str, object]
) -> bool:
    """Issue a desk document for a visit and preview it; False (errors shown) when it was not issued."""
    try:
        with ctx.db.transaction() as session:
            ref, pdf = printing.issue_for_visit(session, ctx.actor, visit_id, doc_type, content)
            title, _ = printing.describe(session, ref.id)
    except AppError as exc:
        show_error(parent, exc)
        return False
    show_preview(parent, pdf, f"{title} số {ref.symbol}", f"{_file_name(title, ref.symbol)}.pdf")
    return True


class ReceiptItemsDialog(QDialog):
    """What the citizen handed in, one item per line, prefilled from the visit."""

    def __init__(self, parent: QWidget | None, items: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Giấy biên nhận thông tin, tài liệu, bằng chứng")
        self.editor = QPlainTextEdit("\n".join(items))
        self.editor.setPlaceholderText("Mỗi dòng một tài liệu, ví dụ: Đơn khiếu nại (02 trang)")
        buttons = QDialogButtonBox()
        buttons.addButton("Cấp số và in", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Các thông tin, tài liệu, bằng chứng công dân đã nộp (mỗi dòng một mục):"))
        layout.addWidget(self.editor)
        layout.addWidget(buttons)

    def items(self) -> list[str]:
        return [line.strip() for line in self.editor.toPlainText().splitlines() if line.strip()]


def print_visit_receipt(parent: QWidget | None, ctx: UiContext, visit_id: int) -> None:
    """Ask for the list of documents, issue a numbered receipt, and preview it."""
    try:
        with ctx.db.session() as session:
            from app.services.printing.facts import split_items  # reportlab loads on first print

            recorded = split_items(visits.visit_input(session, ctx.actor, visit_id).documents_received)
    except AppError as exc:
        show_error(parent, exc)
        return
    dialog = ReceiptItemsDialog(parent, recorded)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    try:
        with ctx.db.transaction() as session:
            ref, pdf = printing.receipt_for_visit(session, ctx.actor, visit_id, dialog.items())
    except AppError as exc:
        show_error(parent, exc)
        return
    show_preview(parent, pdf, f"Giấy biên nhận số {ref.symbol}", f"{_file_name('Giấy biên nhận', ref.symbol)}.pdf")


def _file_name(title: str, symbol: str) -> str:
    return "-".join(fold(f"{title} {symbol}").replace("/", " ").split())
