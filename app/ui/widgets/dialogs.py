"""The layout shared by the small form dialogs: the form, a red message line, then the buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout


def lay_out_form_dialog(dialog: QDialog, form: QFormLayout, message: QLabel, accept_text: str) -> None:
    """``accept_text`` names what the dialog does ("Thêm", "Giao đơn"); "Hủy" closes it unchanged."""
    buttons = QDialogButtonBox()
    buttons.addButton(accept_text, QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(message)
    layout.addWidget(buttons)
