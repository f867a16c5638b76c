"""Rail section "Quản trị": accounts, office settings, the audit trail, backup and restore.

Each tab appears only for a user with the right (the services check again). Backups run in
the background with a progress bar; the scheduled backup is a timer installed by the launcher
(``install_auto_backup``). One module per tab; ``page`` puts them together.

The names below load their module on first use: the launcher takes ``install_auto_backup`` at
start-up, and the tabs' code need not load before the section is opened.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.ui.sections.admin.accounts_tab import UserDialog, UsersTab
    from app.ui.sections.admin.audit_tab import AuditTab
    from app.ui.sections.admin.backup_tab import BackupTab, install_auto_backup
    from app.ui.sections.admin.page import AdminPage, create

_MODULE_OF = {
    "UserDialog": "accounts_tab",
    "UsersTab": "accounts_tab",
    "AuditTab": "audit_tab",
    "BackupTab": "backup_tab",
    "install_auto_backup": "backup_tab",
    "AdminPage": "page",
    "create": "page",
}

__all__ = ["AdminPage", "AuditTab", "BackupTab", "UserDialog", "UsersTab", "create", "install_auto_backup"]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
