"""The first start's second step: the office that every printed document names.

Shown right after the administrator is created, and at any later start of an account that may
change the settings while the office was never confirmed (``office_settings.is_configured``).
"Để sau" leaves the built-in defaults for now; the question comes back at the next start.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.db import Database
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.printing import office_settings
from app.services.security.permissions import Permission, allowed
from app.ui.context import UiContext
from app.ui.settings_form import OfficeSettingsForm

INTRO = (
    "Nhập thông tin cơ quan trước khi làm việc. Thông tin này in trên mọi văn bản (giấy biên nhận, sổ tiếp "
    "công dân, phiếu chuyển đơn…); tỉnh, thành phố trụ sở dùng cho danh bạ cơ quan và gợi ý chuyển đơn. "
    "Có thể sửa sau trong Quản trị → Thông tin cơ quan."
)


class OfficeSetupDialog(QDialog):
    """The office settings form with "Lưu và bắt đầu làm việc" / "Để sau"."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("TiếpDân — thông tin cơ quan")
        self.setMinimumWidth(640)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.form = OfficeSettingsForm(ctx, saved_only=True, save_button=False)
        self.form.address.province.currentIndexChanged.connect(lambda _i: self._suggest_from_province())
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Lưu và bắt đầu làm việc", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.later_button = buttons.addButton("Để sau", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(buttons)
        self.form.edits[settings.GOVERNING_BODY.key].setFocus()

    def _suggest_from_province(self) -> None:
        """Fill the governing body and the place name from the province, where still blank."""
        name = self.form.address.province.currentText().strip()
        if self.form.address.province.value() is None:
            return
        # The catalogue names a province "Bắc Ninh" and a city "Thành phố Hà Nội".
        short = name.removeprefix("Thành phố ").strip()
        unit = name if short != name else f"Tỉnh {name}"
        for key, text in ((settings.GOVERNING_BODY.key, f"UBND {unit.upper()}"), (settings.PLACE_NAME.key, short)):
            edit = self.form.edits[key]
            if not edit.text().strip():
                edit.setText(text)

    def submit(self) -> None:
        if self.form.save():
            self.accept()


def ask_office_if_unset(db: Database, actor: Actor, parent: QWidget | None = None) -> None:
    """Show the wizard when the office was never confirmed and ``actor`` may confirm it."""
    if not allowed(actor, Permission.MANAGE_SETTINGS):
        return
    with db.session() as session:
        if office_settings.is_configured(session):
            return
    OfficeSetupDialog(UiContext(db, actor), parent).exec()
