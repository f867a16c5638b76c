"""The accounts tab: users, roles, passwords, lockouts."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Role
from app.services.common.errors import AppError, ValidationError
from app.services.security import accounts
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.sections.admin.tables import moment_text, read_only_table
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.dialogs import lay_out_form_dialog

# ---- accounts ------------------------------------------------------------------------------------


class UserDialog(QDialog):
    """A new account: username, full name, title, role, first password."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thêm người dùng")
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.title = QLineEdit()
        self.role = ChoiceCombo(accounts.ROLE_LABELS.items())
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"ít nhất {accounts.MIN_PASSWORD} ký tự; người dùng tự đổi sau")
        for edit, hint in (
            (self.username, "ví dụ: nguyenvana (chữ thường không dấu)"),
            (self.full_name, "ví dụ: Nguyễn Văn A"),
            (self.title, "ví dụ: Chuyên viên"),
        ):
            edit.setPlaceholderText(hint)
        for edit in (self.username, self.full_name, self.title, self.password):
            edit.setMinimumWidth(320)  # the hints fit: a new user reads what to type
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Tên đăng nhập *", self.username)
        form.addRow("Họ và tên *", self.full_name)
        form.addRow("Chức vụ", self.title)
        form.addRow("Vai trò *", self.role)
        form.addRow("Mật khẩu ban đầu *", self.password)
        lay_out_form_dialog(self, form, self.message, "Thêm")

    def show_errors(self, fields: dict[str, str]) -> None:
        self.message.setText("\n".join(fields.values()))


class UsersTab(QWidget):
    HEADERS: ClassVar[list[str]] = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Đăng nhập gần nhất"]

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = read_only_table(self.HEADERS)
        self.add_button = QPushButton("Thêm người dùng…")
        self.role_button = QPushButton("Đổi vai trò…")
        self.password_button = QPushButton("Đặt lại mật khẩu…")
        self.lock_button = QPushButton("Khóa")
        self.unlock_button = QPushButton("Mở khóa")
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.password_button.clicked.connect(self.reset_password)
        self.lock_button.clicked.connect(self.lock)
        self.unlock_button.clicked.connect(self.unlock)
        row = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.password_button, self.lock_button, self.unlock_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.users: list[accounts.UserInfo] = []
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            self.users = accounts.list_users(session)
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            state = "Bị khóa" if u.is_locked() else "Hoạt động"
            for c, value in enumerate((u.username, u.full_name, u.role_label, state, moment_text(u.last_login_at))):
                item = QTableWidgetItem(value)
                if c == 3 and u.is_locked():
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)

    def selected(self) -> accounts.UserInfo | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.users):
            return self.users[row]
        feedback.show_info(self, "Chọn một người dùng trong bảng trước.")
        return None

    def _run(self, job: object, done: str) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                job(session)  # type: ignore[operator]
        except AppError as exc:
            feedback.show_error(self, exc)
            return False
        self.reload()
        feedback.show_status(self, done)
        return True

    def add_user(self) -> None:
        dialog = UserDialog(self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            if self.save_new(dialog):
                return

    def save_new(self, dialog: UserDialog) -> bool:
        """Create the account typed in ``dialog``; problems are shown in the dialog itself."""
        try:
            with self.ctx.db.transaction() as session:
                accounts.add_user(
                    session,
                    self.ctx.actor,
                    dialog.username.text(),
                    dialog.full_name.text(),
                    dialog.role.value(),
                    dialog.password.text(),
                    title=dialog.title.text(),
                )
        except ValidationError as exc:
            dialog.show_errors(exc.fields)
            return False
        except AppError as exc:
            dialog.show_errors({"": exc.user_message})
            return False
        self.reload()
        feedback.show_status(self, f"Đã thêm tài khoản “{dialog.username.text()}”.")
        return True

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        labels = list(accounts.ROLE_LABELS.values())
        choice, ok = QInputDialog.getItem(
            self, "Đổi vai trò", f"Vai trò mới của {user.full_name}:", labels, labels.index(user.role_label), False
        )
        if not ok:
            return
        role = next(r for r, text in accounts.ROLE_LABELS.items() if text == choice)
        self.set_role(user.username, role)

    def set_role(self, username: str, role: Role) -> bool:
        return self._run(
            lambda s: accounts.change_role(s, self.ctx.actor, username, role), f"Đã đổi vai trò của “{username}”."
        )

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self, "Đặt lại mật khẩu", f"Mật khẩu mới cho {user.full_name}:", QLineEdit.EchoMode.Password
        )
        if ok:
            self._run(
                lambda s: accounts.set_password(s, self.ctx.actor, user.username, password),
                f"Đã đặt mật khẩu mới cho “{user.username}”.",
            )

    def lock(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(lambda s: accounts.lock_user(s, self.ctx.actor, user.username), f"Đã khóa “{user.username}”.")

    def unlock(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(
                lambda s: accounts.unlock_user(s, self.ctx.actor, user.username), f"Đã mở khóa “{user.username}”."
            )
