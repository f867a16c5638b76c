"""The signed-in user's own menu in the status bar: change one's password, log out / switch user."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QMenu, QToolButton, QWidget

from app.services.common import vocab
from app.services.common.errors import AppError, ValidationError
from app.services.security import accounts
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.dialogs import lay_out_form_dialog

PASSWORD_LABELS = {
    "old_password": "Mật khẩu hiện tại",
    "new_password": "Mật khẩu mới",
    "confirm": "Nhập lại mật khẩu mới",
}


class ChangePasswordDialog(QDialog):
    """The current password, the new one twice; what is wrong shows in the dialog, which stays open."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Đổi mật khẩu")
        self.setMinimumWidth(460)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow(QLabel(f"Tài khoản: {ctx.actor.username} — {ctx.actor.full_name}"))
        for key, label in PASSWORD_LABELS.items():
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMinimumWidth(260)
            form.addRow(label, edit)
            self.edits[key] = edit
        self.edits["new_password"].setPlaceholderText(f"ít nhất {accounts.MIN_PASSWORD} ký tự")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        lay_out_form_dialog(self, form, self.message, "Đổi mật khẩu")
        self.edits["old_password"].setFocus()

    def show_errors(self, fields: dict[str, str]) -> None:
        self.message.setText("\n".join(fields.values()))
        for key in fields:
            if key in self.edits:
                self.edits[key].setFocus()
                self.edits[key].selectAll()
                break

    def accept(self) -> None:
        """Change the password; close only when it is done."""
        text = {key: edit.text() for key, edit in self.edits.items()}
        try:
            with self.ctx.db.transaction() as session:
                accounts.change_own_password(
                    session, self.ctx.actor, text["old_password"], text["new_password"], text["confirm"]
                )
        except ValidationError as exc:
            self.show_errors(exc.fields)
            return
        except AppError as exc:
            self.show_errors({"": exc.user_message})
            return
        super().accept()


class AccountButton(QToolButton):
    """ "Người dùng: … ▾" in the status bar; its menu is the user's own business."""

    def __init__(self, ctx: UiContext, log_out: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("account")
        self.setText(f"Người dùng: {ctx.actor.full_name} ({vocab.label(ctx.actor.role)})")
        self.setToolTip("Đổi mật khẩu, đăng xuất hoặc đổi người dùng")
        self.setAutoRaise(True)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self)
        self.password_action = menu.addAction("Đổi mật khẩu…", self.change_password)
        # The screenshot identity is no account: nothing to change.
        self.password_action.setEnabled(ctx.actor.user_id is not None)
        self.log_out_action = menu.addAction("Đăng xuất / đổi người dùng", log_out)
        self.setMenu(menu)

    def change_password(self) -> bool:
        """True when the password was changed."""
        dialog = ChangePasswordDialog(self.ctx, self.window())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        feedback.show_status(self, "Đã đổi mật khẩu. Lần đăng nhập sau dùng mật khẩu mới.")
        return True
