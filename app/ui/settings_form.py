"""Office settings (Quản trị, and the first-start wizard): the names, symbol, place, seat and signer
printed on every document."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.services.common import catalogues, settings
from app.services.common.errors import AppError
from app.services.printing import office_settings
from app.services.printing.office import OFFICE_NAME_IN_TEXT
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.petitions.common import AddressPickers

# The seat's rows go right after the office's names, before the symbol and the signer.
_ADDRESS_ROW = next(i for i, f in enumerate(office_settings.FIELDS) if f.definition is OFFICE_NAME_IN_TEXT) + 1


class OfficeSettingsForm(QGroupBox):
    """Edit and save the office settings; field errors show under the form.

    ``saved_only`` leaves blank what the office never saved (the first start), instead of showing
    the built-in defaults as if they were this office's; ``save_button`` is off inside a dialog that
    has its own buttons.
    """

    def __init__(
        self, ctx: UiContext, parent: QWidget | None = None, *, saved_only: bool = False, save_button: bool = True
    ) -> None:
        super().__init__("Thông tin cơ quan in trên văn bản", parent)
        self.ctx = ctx
        self.saved_only = saved_only
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
        with ctx.db.session() as session:
            provinces = catalogues.provinces(session)
        self.address = AddressPickers(ctx, provinces)
        self.address.province.setObjectName(settings.OFFICE_PROVINCE.key)
        self.address.commune.setObjectName(settings.OFFICE_COMMUNE.key)
        self.address.commune.setToolTip("Để trống nếu cơ quan ở cấp tỉnh.")
        form.insertRow(_ADDRESS_ROW, "Tỉnh, thành phố trụ sở *", self.address.province)
        form.insertRow(_ADDRESS_ROW + 1, "Xã, phường trụ sở", self.address.commune)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.save_button = QPushButton("Lưu thông tin cơ quan")
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.save_button)
        self.load()

    def load(self) -> None:
        with self.ctx.db.session() as session:
            values = (office_settings.read_saved_office if self.saved_only else office_settings.read_office)(session)
        for key, edit in self.edits.items():
            edit.setText(values.get(key, ""))
        province, commune = (values.get(d.key) or None for d in office_settings.ADDRESS)
        self.address.set_value(province, commune)

    def values(self) -> dict[str, str]:
        values = {key: edit.text() for key, edit in self.edits.items()}
        pickers = (self.address.province, self.address.commune)
        for definition, combo in zip(office_settings.ADDRESS, pickers, strict=True):
            combo.commit_text()
            values[definition.key] = combo.value() or ""
        return values

    def show_errors(self, fields: dict[str, str]) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText("\n".join(fields.values()))
        widgets: dict[str, QWidget] = {
            **self.edits,
            settings.OFFICE_PROVINCE.key: self.address.province,
            settings.OFFICE_COMMUNE.key: self.address.commune,
        }
        for key in fields:
            if key in widgets:
                widgets[key].setFocus()
                break

    def save(self) -> bool:
        """Store the form; True when saved, otherwise the reason is shown under the form."""
        unknown = self.address.unknown("office")
        if unknown:  # a name typed that is in no list: say so rather than store "no province"
            self.show_errors(unknown)
            return False
        try:
            with self.ctx.db.transaction() as session:
                office_settings.save_office(session, self.ctx.actor, self.values())
        except AppError as exc:
            show_error(self, exc)
            return False
        self.saved_only = False
        self.message.setStyleSheet("color: #1b5e20;")
        self.message.setText("Đã lưu. Các văn bản in từ bây giờ dùng thông tin mới.")
        self.load()
        return True
