"""Giao cán bộ xử lý: give the petitions selected in the list (one or many) to a handling officer."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QWidget

from app.services.casework import assignment
from app.services.common.errors import AppError
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.dialogs import lay_out_form_dialog


class AssignDialog(QDialog):
    """The officer for ``numbers``; the assignment is written when the dialog is accepted."""

    def __init__(self, ctx: UiContext, petition_ids: list[int], numbers: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.petition_ids = petition_ids
        self.result_text = ""
        self.setWindowTitle("Giao cán bộ xử lý")
        with ctx.db.session() as session:
            officers = assignment.officers(session)
        self.officer = ChoiceCombo(
            ((o.id, o.full_name + (f" — {o.title}" if o.title else "")) for o in officers), blank="— Chọn cán bộ —"
        )
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(QLabel(f"Đơn số {', '.join(numbers)}" if len(numbers) <= 8 else f"{len(numbers)} đơn đã chọn"))
        form.addRow("Cán bộ xử lý:", self.officer)
        lay_out_form_dialog(self, form, self.message, "Giao đơn")
        self.resize(460, 160)

    def accept(self) -> None:
        officer_id = self.officer.value()
        if officer_id is None:
            self.message.setText("Chọn cán bộ nhận xử lý đơn.")
            self.officer.setFocus()
            return
        try:
            with self.ctx.db.transaction() as session:
                result = assignment.assign_officer(session, self.ctx.actor, self.petition_ids, officer_id)
        except AppError as exc:
            self.message.setText(exc.user_message)  # the choice stays: fix the selection and retry
            return
        self.result_text = assignment.assigned_text(result)
        super().accept()


def assign_selected(
    parent: QWidget, ctx: UiContext, petition_ids: list[int], numbers: list[str]
) -> AssignDialog | None:
    """Open the dialog for the selected petitions (a status-bar hint when none is selected)."""
    if not petition_ids:
        feedback.show_status(parent, "Chọn một hoặc nhiều đơn trong danh sách để giao cán bộ xử lý.")
        return None
    dialog = AssignDialog(ctx, petition_ids, numbers, parent)
    dialog.open()
    return dialog
