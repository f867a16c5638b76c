"""The Quản trị page: one tab per right the user holds."""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.security.permissions import Permission, allowed
from app.ui.context import UiContext
from app.ui.sections.admin.accounts_tab import UsersTab
from app.ui.sections.admin.audit_tab import AuditTab
from app.ui.sections.admin.backup_tab import BackupTab
from app.ui.sections.admin.key_tab import KeyTab


def create(ctx: UiContext) -> QWidget:
    return AdminPage(ctx)


class AdminPage(QTabWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin")
        self.ctx = ctx
        if allowed(ctx.actor, Permission.MANAGE_USERS):
            self.users = UsersTab(ctx)
            self.addTab(self.users, "Tài khoản")
        if allowed(ctx.actor, Permission.MANAGE_SETTINGS) and importlib.util.find_spec("app.ui.settings_form"):
            from app.ui.settings_form import OfficeSettingsForm

            holder = QWidget()
            box = QVBoxLayout(holder)
            box.addWidget(OfficeSettingsForm(ctx))
            box.addStretch(1)
            self.addTab(holder, "Thông tin cơ quan")
            from app.ui.sections.admin.secret_tab import SecretTab

            self.secret = SecretTab(ctx)
            self.addTab(self.secret, "Sổ mật")
        if allowed(ctx.actor, Permission.VIEW_AUDIT):
            self.audit = AuditTab(ctx)
            self.addTab(self.audit, "Nhật ký hệ thống")
        if allowed(ctx.actor, Permission.BACKUP):
            self.backup = BackupTab(ctx)
            self.addTab(self.backup, "Sao lưu, phục hồi")
            self.key = KeyTab(ctx)
            self.addTab(self.key, "Khóa dữ liệu")
        if self.count() == 0:
            note = QLabel(
                f"Tài khoản “{ctx.actor.username}” không có quyền quản trị. Nhật ký hệ thống dành cho lãnh đạo; "
                "tài khoản, cấu hình và sao lưu dành cho quản trị hệ thống."
            )
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.addTab(note, "Quản trị")
