"""Signing in at start; on first run, creating the administrator.

``sign_in(db)`` shows the dialog and returns the signed-in ``Actor`` (None when the user
quits); ``record_logout`` puts the end of the session on the trail. Every attempt is on the audit
trail (``app.services.security.accounts``). The screenshot mode never waits for a person: it uses a
view-only clerk identity, so confidential names stay masked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.common.errors import AppError, ValidationError
from app.services.security import accounts

SCREENSHOT_ACTOR = Actor(user_id=None, username="chup_man_hinh", full_name="Chụp màn hình (chỉ xem)", role=Role.CLERK)

FIELD_LABELS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "password": "Mật khẩu",
    "confirm": "Nhập lại mật khẩu",
}


class LoginDialog(QDialog):
    """Username and password; on first run also the administrator's full name and a confirmation."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        with db.session() as session:
            self.first_run = accounts.needs_first_admin(session)
        self.setWindowTitle("TiếpDân — tạo tài khoản quản trị" if self.first_run else "TiếpDân — đăng nhập")
        # Wide enough for the title bar and a full Vietnamese name without the fields being squashed.
        self.setMinimumSize(520, 300 if self.first_run else 220)

        intro = QLabel(
            "Lần chạy đầu tiên: tạo tài khoản quản trị hệ thống. Quản trị viên tạo tài khoản cho các cán bộ "
            "trong mục Quản trị."
            if self.first_run
            else "Đăng nhập để làm việc. Mỗi thao tác được ghi vào nhật ký hệ thống theo tài khoản."
        )
        intro.setWordWrap(True)
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        keys = ("full_name", "username", "password", "confirm") if self.first_run else ("username", "password")
        for key in keys:
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.setMinimumWidth(300)
            if key in ("password", "confirm"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(FIELD_LABELS[key], edit)
            self.edits[key] = edit
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(10)
        if self.first_run:
            self.edits["full_name"].setPlaceholderText("ví dụ: Nguyễn Văn An")
            self.edits["username"].setText("quantri")
            self.edits["password"].setPlaceholderText(f"ít nhất {accounts.MIN_PASSWORD} ký tự")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(
            "Tạo tài khoản và đăng nhập" if self.first_run else "Đăng nhập", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setDefault(True)
        buttons.addButton("Thoát", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        heading = QLabel("TiếpDân — tiếp công dân và xử lý đơn thư")
        heading.setStyleSheet("font-size: 14pt; font-weight: bold; color: #24384f;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(buttons)
        first = self.edits["full_name" if self.first_run else "username"]
        first.setFocus()

    def text(self, key: str) -> str:
        return self.edits[key].text()

    def show_errors(self, fields: dict[str, str]) -> None:
        self.message.setText("\n".join(fields.values()))
        for key in fields:
            if key in self.edits:
                self.edits[key].setFocus()
                break

    def submit(self) -> None:
        try:
            if self.first_run:
                if self.text("password") != self.text("confirm"):
                    raise ValidationError({"confirm": "Hai lần nhập mật khẩu không khớp."})
                with self.db.transaction() as session:
                    accounts.create_first_admin(
                        session, self.text("username"), self.text("full_name"), self.text("password")
                    )
            self.actor = accounts.sign_in(self.db, self.text("username"), self.text("password"))
        except ValidationError as exc:
            self.show_errors(exc.fields)
            return
        except AppError as exc:
            self.message.setText(exc.user_message)
            self.edits["password"].clear()
            self.edits["password"].setFocus()
            return
        self.accept()


def record_logout(db: Database, actor: Actor) -> None:
    try:
        with db.transaction() as session:
            accounts.logout(session, actor)
    except AppError:
        pass  # closing must never fail because the trail could not be written


def sign_in(db: Database, *, interactive: bool = True, parent: QWidget | None = None) -> Actor | None:
    """The signed-in user, or None when they chose to quit. Not interactive: the view-only screenshot identity."""
    if not interactive:
        return SCREENSHOT_ACTOR
    dialog = LoginDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return None
    return dialog.actor
