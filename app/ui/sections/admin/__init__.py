"""Rail section "Quản trị": accounts, office settings, the audit trail, backup and restore.

Each tab appears only for a user with the right (the services check again). Backups run in
the background with a progress bar; the scheduled backup is a timer installed by the launcher
(``install_auto_backup``). One module per tab; ``page`` puts them together.
"""

from __future__ import annotations

from app.ui.sections.admin.accounts_tab import UserDialog, UsersTab
from app.ui.sections.admin.audit_tab import AuditTab
from app.ui.sections.admin.backup_tab import BackupTab, install_auto_backup
from app.ui.sections.admin.page import AdminPage, create

__all__ = ["AdminPage", "AuditTab", "BackupTab", "UserDialog", "UsersTab", "create", "install_auto_backup"]
