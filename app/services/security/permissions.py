"""What each office post may do. Checked in the services, not only by hiding buttons."""

from __future__ import annotations

import enum

from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.common.errors import PermissionDenied


class Permission(enum.StrEnum):
    REGISTER_VISIT = "register_visit"
    EDIT_VISIT = "edit_visit"
    REGISTER_PETITION = "register_petition"
    PROCESS_PETITION = "process_petition"
    PRINT_SLIP = "print_slip"
    PRINT_LOG = "print_log"
    REPORT = "report"
    EXPORT = "export"
    IMPORT = "import"
    REVEAL_IDENTITY = "reveal_identity"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    MANAGE_CATALOGUES = "manage_catalogues"
    BACKUP = "backup"


_CLERK = {
    Permission.REGISTER_VISIT,
    Permission.EDIT_VISIT,
    Permission.REGISTER_PETITION,
    Permission.PRINT_SLIP,
}
_HANDLER = _CLERK | {Permission.PROCESS_PETITION, Permission.EXPORT}
_LEAD = _HANDLER | {
    Permission.PRINT_LOG,
    Permission.REPORT,
    Permission.IMPORT,
    Permission.REVEAL_IDENTITY,
    Permission.VIEW_AUDIT,
}
_ADMIN = _LEAD | {
    Permission.MANAGE_USERS,
    Permission.MANAGE_SETTINGS,
    Permission.MANAGE_CATALOGUES,
    Permission.BACKUP,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_CLERK),
    Role.HANDLER: frozenset(_HANDLER),
    Role.LEAD: frozenset(_LEAD),
    Role.ADMIN: frozenset(_ADMIN),
}

DESCRIPTIONS: dict[Permission, str] = {
    Permission.REGISTER_VISIT: "ghi nhận lượt tiếp công dân",
    Permission.EDIT_VISIT: "sửa lượt tiếp",
    Permission.REGISTER_PETITION: "tiếp nhận đơn",
    Permission.PROCESS_PETITION: "xử lý đơn",
    Permission.PRINT_SLIP: "in phiếu, giấy biên nhận",
    Permission.PRINT_LOG: "in sổ tiếp công dân",
    Permission.REPORT: "lập báo cáo",
    Permission.EXPORT: "xuất dữ liệu",
    Permission.IMPORT: "nhập dữ liệu",
    Permission.REVEAL_IDENTITY: "xem thông tin người tố cáo",
    Permission.VIEW_AUDIT: "xem nhật ký hệ thống",
    Permission.MANAGE_USERS: "quản lý tài khoản",
    Permission.MANAGE_SETTINGS: "thay đổi cấu hình cơ quan",
    Permission.MANAGE_CATALOGUES: "sửa danh mục",
    Permission.BACKUP: "sao lưu, phục hồi dữ liệu",
}


def allowed(actor: Actor, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def require(actor: Actor, permission: Permission) -> None:
    """Raise ``PermissionDenied`` with a Vietnamese reason when ``actor`` may not do this."""
    if not allowed(actor, permission):
        raise PermissionDenied(
            f"Tài khoản “{actor.username}” không có quyền {DESCRIPTIONS[permission]}. "
            "Liên hệ lãnh đạo hoặc quản trị hệ thống để được cấp quyền."
        )
