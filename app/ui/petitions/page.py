"""The "Đơn thư" section: the list of petitions, registering a new one, opening one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services.casework import documents
from app.services.records import drafts
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.drafts import DraftKeeper, restored_message, saved_at_text
from app.ui.petitions import open_petition
from app.ui.petitions.form import PetitionForm
from app.ui.petitions.table import PetitionList
from app.ui.widgets.fields import WARNING_COLOUR


class RegistrationDialog(QDialog):
    """The registration form in its own window; closing it with unsaved input asks first, and what
    was typed is kept as a draft until it is saved or deliberately dropped."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, visit_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tiếp nhận đơn")
        self.form = PetitionForm(ctx, self, visit_id=visit_id)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.resize(1150, 720)
        self.drafts = DraftKeeper(ctx, drafts.PETITION_FORM, self._draft_state, self)
        self.form.saved.connect(lambda _id: self.drafts.drop())

    def _draft_state(self) -> dict[str, object] | None:
        return self.form.draft_state() if self.isVisible() and self.form.is_dirty() else None

    def offer_draft(self) -> None:
        """A petition half-typed when the program last stopped comes back into this form."""
        found = self.drafts.pending()
        if found is not None:
            self.form.restore_draft(found.state)
            self.form.message.show_info(restored_message("đơn", found))

    def unsaved(self) -> bool:
        return self.isVisible() and self.form.is_dirty()

    def discard(self) -> None:
        self.drafts.drop()

    def reject(self) -> None:  # Esc
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._may_close():
            super().closeEvent(event)
        else:
            event.ignore()

    def _may_close(self) -> bool:
        if not self.form.is_dirty():
            return True
        answer = feedback.choose(
            self,
            "Đơn đang nhập chưa được lưu. Đóng và bỏ những gì đã nhập?",
            ["Bỏ đơn đang nhập"],
            cancel="Tiếp tục nhập",
        )
        if answer != 0:
            return False
        self.drafts.drop()
        self.form.clear()  # a later look finds nothing to keep
        return True


def open_registrations(owner: QWidget) -> list[RegistrationDialog]:
    """The registration windows opened from ``owner`` that hold unsaved input."""
    return [dialog for dialog in owner.findChildren(RegistrationDialog) if dialog.unsaved()]


class PetitionsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list = PetitionList(ctx)
        self.list.open_requested.connect(self.open)
        new = QPushButton("Tiếp nhận đơn mới (Ctrl+N)")
        new.clicked.connect(self.register)
        QShortcut(QKeySequence("Ctrl+N"), self, self.register)
        title = QLabel("Đơn thư")
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        # The code printed on a receipt (giấy biên nhận), quoted by the citizen: Enter opens the petition.
        self.lookup = QLineEdit()
        self.lookup.setPlaceholderText("Tra mã biên nhận (vd. 7K3M-Q9TZ)")
        self.lookup.setAccessibleName("Tra mã biên nhận")
        self.lookup.setMaximumWidth(240)
        self.lookup.returnPressed.connect(self.open_by_code)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.lookup)
        # Filed petitions kept past their retention (lưu đơn ≥ 1 năm): listed, exported, disposal recorded.
        self.retention_button = QPushButton("Đơn lưu hết hạn…")
        self.retention_button.clicked.connect(self.open_retention)
        top.addWidget(self.retention_button)
        top.addWidget(new)
        # A petition half-typed when the program last stopped: said here, reopened on request.
        self.draft_line = QLabel()
        self.draft_line.setWordWrap(True)
        self.draft_line.linkActivated.connect(lambda _link: self.register())
        self.draft_line.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.draft_line)
        layout.addWidget(self.list, 1)
        self.windows: list[QWidget] = []
        self._say_draft()

    def _say_draft(self) -> None:
        with self.ctx.db.session() as session:
            found = drafts.find(session, self.ctx.actor, drafts.PETITION_FORM)
        if found is None:
            return
        self.draft_line.setText(
            f"Có một đơn đang nhập dở chưa lưu (tự lưu lúc {saved_at_text(found)}). "
            "<a href='draft'>Mở lại để nhập tiếp</a>"
        )
        self.draft_line.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.draft_line.show()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # Petitions are also registered at the desk and handled from the follow-up board: the list
        # reloads when the section is shown again.
        self.list.refresh()

    def register(self) -> RegistrationDialog:
        dialog = RegistrationDialog(self.ctx, self)
        dialog.form.saved.connect(lambda _id: self.list.refresh())
        dialog.offer_draft()
        self.draft_line.hide()
        dialog.show()
        self.windows.append(dialog)
        return dialog

    def unsaved_work(self) -> str | None:
        return "một đơn đang nhập dở, chưa lưu" if open_registrations(self) else None

    def open_retention(self) -> QDialog:
        from app.ui.petitions.retention import RetentionDialog  # openpyxl loads when the list is first opened

        dialog = RetentionDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def discard_unsaved(self) -> None:
        for dialog in open_registrations(self):
            dialog.discard()

    def open_by_code(self) -> QWidget | None:
        typed = self.lookup.text().strip()
        if not typed:
            return None
        with self.ctx.db.session() as session:
            petition_id = documents.petition_by_lookup_code(session, typed)
        if petition_id is None:
            feedback.show_status(self, f"Không có giấy biên nhận nào mang mã “{typed}”. Kiểm tra lại mã (8 ký tự).")
            self.lookup.selectAll()
            return None
        self.lookup.clear()
        return self.open(petition_id)

    def open(self, petition_id: int) -> QWidget:
        window = open_petition(self, self.ctx, petition_id)
        changed = getattr(window, "changed", None)
        if changed is not None:
            changed.connect(self.list.refresh)
        self.windows.append(window)
        return window
