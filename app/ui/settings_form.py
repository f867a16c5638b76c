"""Office settings (Quản trị): the names, symbol, place and signer printed on every document."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services.common.errors import AppError
from app.services.printing import office_settings
from app.ui.context import UiContext
from app.ui.feedback import show_error


class OfficeSettingsForm(QGroupBox):
    """Edit and save the office settings; field errors show under the form."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__("Thông tin cơ quan in trên văn bản", parent)
        self.ctx = ctx
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for field in office_settings.FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(f"Ví dụ: {field.hint}" if field.hint else "")
            edit.setObjectName(field.definition.key)
            edit.setToolTip(field.definition.label)
            edit.setMinimumWidth(320)
            form.addRow(field.label + (" *" if field.required else ""), edit)
            self.edits[field.definition.key] = edit
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton("Lưu thông tin cơ quan")
        self.save_button.clicked.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.save_button)
        self.load()

    def load(self) -> None:
        with self.ctx.db.session() as session:
            values = office_settings.read_office(session)
        for key, edit in self.edits.items():
            edit.setText(values.get(key, ""))

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items()}

    def show_errors(self, fields: dict[str, str]) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText("\n".join(fields.values()))
        for key in fields:
            if key in self.edits:
                self.edits[key].setFocus()
                break

    def save(self) -> None:
        try:
            with self.ctx.db.transaction() as session:
                office_settings.save_office(session, self.ctx.actor, self.values())
        except AppError as exc:
            show_error(self, exc)
            return
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText("Đã lưu. Các văn bản in từ bây giờ dùng thông tin mới.")
        self.load()
