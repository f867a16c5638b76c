"""Opening a stored visit: the same form, pre-filled; saving corrects it (the service audits)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import VisitOutcome
from app.services.common.text import fold
from app.services.reception import visits
from app.ui import feedback, same_person
from app.ui.attachments import AttachmentsPanel
from app.ui.context import UiContext
from app.ui.printing_actions import print_visit_receipt
from app.ui.reception.desk_printing import print_appointment
from app.ui.reception.form import FormSetup, VisitForm
from app.ui.widgets.fields import Field

_OTHER_PERSON = 1  # the second answer of the renamed-citizen question


class DeleteDialog(QDialog):
    """Asks for the reason of a deletion; the service refuses an empty one."""

    def __init__(self, ctx: UiContext, visit_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.visit_id = visit_id
        self.setWindowTitle(f"Xóa lượt tiếp số {visit_id}")
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Vì sao xóa lượt tiếp này (ví dụ: nhập trùng với lượt tiếp số …)")
        self.reason_field = Field(self.reason)
        buttons = QDialogButtonBox()
        delete = buttons.addButton("Xóa lượt tiếp", QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton("Không xóa", QDialogButtonBox.ButtonRole.RejectRole)
        delete.clicked.connect(self.delete)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Lượt tiếp bị xóa không còn hiện trong danh sách và báo cáo; nhật ký vẫn ghi lại lý do.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(QLabel("Lý do xóa *"))
        layout.addWidget(self.reason_field)
        layout.addWidget(buttons)
        self.resize(460, 220)

    def show_errors(self, fields: dict[str, str]) -> None:
        self.reason_field.set_error("\n".join(fields.values()))
        self.reason.setFocus()

    def delete(self) -> None:
        try:
            with self.ctx.db.transaction() as session:
                visits.delete_visit(session, self.ctx.actor, self.visit_id, self.reason.toPlainText())
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.accept()


class VisitDialog(QDialog):
    """Shows one visit and lets an authorised user correct or delete it."""

    changed = Signal(int)  # visit id (saved or deleted)

    def __init__(self, ctx: UiContext, visit_id: int, setup: FormSetup | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.visit_id = visit_id
        self.setWindowTitle(f"Lượt tiếp số {visit_id}")
        # Loaded before any child widget exists, so a refusal (a denunciation shown to a user
        # without the right) leaves no orphan widget behind.
        with ctx.db.session() as session:
            data = visits.visit_input(session, ctx.actor, visit_id)
        self.recorded = data
        self.form = VisitForm(ctx, setup)
        self.form.fill(data)
        self.form.escape_unused.connect(self.reject)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Lưu thay đổi (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button = QPushButton("Xóa lượt tiếp…")
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        # Printing reads the stored visit, not unsaved edits in the form.
        self.receipt_button = QPushButton("In giấy biên nhận (Ctrl+P)")
        self.appointment_button = QPushButton("In phiếu hẹn")
        buttons.addButton(self.receipt_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.appointment_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.appointment_button.setVisible(data.outcome == VisitOutcome.APPOINTMENT)
        # The leader's conclusions (periodic or ad hoc reception), numbered, printed and followed up.
        self.minutes_button = QPushButton("Kết luận tiếp công dân…")
        buttons.addButton(self.minutes_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.minutes_button.setVisible(bool(data.leader_name))
        self.minutes_button.setAutoDefault(False)
        self.minutes_button.clicked.connect(self.write_minutes)
        self.receipt_button.clicked.connect(self.print_receipt)
        self.appointment_button.clicked.connect(self.print_appointment)
        for button in (self.receipt_button, self.appointment_button):
            button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        buttons.rejected.connect(self.reject)
        # The form's Enter moves between fields; only the buttons and Ctrl+S save.
        self.save_button.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_receipt)

        # The files the citizen handed in (bản quét, ảnh chụp): listed on the receipt.
        self.attachments = AttachmentsPanel(ctx, visit_id=visit_id)
        self.attachments.setMaximumHeight(170)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.attachments)
        layout.addWidget(buttons)
        self.resize(1000, 680)

    def save(self) -> None:
        try:
            data = self.form.collect()
            if self._renamed(data):
                answer = self._ask_renamed(data.citizen.full_name)
                if answer is None:
                    return
                data = dataclasses.replace(data, other_person=answer == _OTHER_PERSON)
            saved = same_person.save_asking(self.form, data.citizen.full_name, self._store, data)
        except Exception as exc:
            feedback.show_error(self.form, exc)
            return
        self.saved_warnings = saved.warnings
        self.changed.emit(self.visit_id)
        self.accept()

    def _store(self, data: visits.VisitInput) -> visits.SavedVisit:
        with self.ctx.db.transaction() as session:
            return visits.update_visit(session, self.ctx.actor, self.visit_id, data)

    def _renamed(self, data: visits.VisitInput) -> bool:
        """The recorded citizen's name was changed and no other citizen was chosen."""
        return (
            self.recorded.citizen_id is not None
            and data.citizen_id is None
            and fold(data.citizen.full_name) != fold(self.recorded.citizen.full_name)
        )

    def _ask_renamed(self, typed: str) -> int | None:
        """A changed name is either a typo in this person's record or the visit filed under the
        wrong person: the two are saved differently, so the clerk says which."""
        old = self.recorded.citizen.full_name
        return feedback.choose(
            self,
            f"Họ tên đã sửa từ “{old}” thành “{typed.strip()}”.\n\n"
            f"Cùng một người, ghi sai tên: hồ sơ công dân “{old}” được sửa theo tên mới (ghi nhật ký); "
            "các lượt tiếp, giấy tờ đã in trước đây vẫn giữ tên đã ghi lúc đó.\n"
            f"Người khác: lượt tiếp này được ghi cho “{typed.strip()}”; hồ sơ “{old}” giữ nguyên.",
            ("Cùng một người, sửa tên", "Người khác"),
            cancel="Quay lại sửa",
        )

    def print_receipt(self) -> None:
        print_visit_receipt(self, self.ctx, self.visit_id)

    def write_minutes(self) -> None:
        from app.ui.reception.minutes_dialog import open_minutes

        open_minutes(self, self.ctx, self.visit_id)

    def print_appointment(self) -> None:
        print_appointment(self, self.ctx, self.visit_id)

    def delete(self) -> None:
        dialog = DeleteDialog(self.ctx, self.visit_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.changed.emit(self.visit_id)
            self.accept()
