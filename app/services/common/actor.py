"""Who is acting: every service call that changes data names its actor."""

from __future__ import annotations

from dataclasses import dataclass

from app.models.enums import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    full_name: str
    role: Role


SYSTEM = Actor(user_id=None, username="he_thong", full_name="Hệ thống", role=Role.ADMIN)

# Administrative commands run on the machine itself (python -m app user/backup/restore…).
COMMAND_LINE = Actor(user_id=None, username="dong_lenh", full_name="Dòng lệnh (quản trị trên máy)", role=Role.ADMIN)
