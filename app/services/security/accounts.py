"""User accounts: password hashing (scrypt), sign-in with lockout, first administrator, role changes.

Every change and every sign-in attempt is on the audit trail. A failed sign-in must be
*recorded* even though it is refused, so ``login`` returns a result instead of raising: the
caller commits, then shows the message (``sign_in`` does both for the UI and the CLI).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import User
from app.models.enums import Role
from app.models.mixins import now_local
from app.services.common import settings
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import NotFoundError, PermissionDenied, RuleViolation, ValidationError
from app.services.common.text import nfc
from app.services.security import audit
from app.services.security.permissions import Permission, require

MAX_FAILED = settings.define("security.max_failed_logins", 5, "Số lần đăng nhập sai liên tiếp thì khóa tài khoản")
LOCK_MINUTES = settings.define("security.lockout_minutes", 15, "Thời gian khóa tài khoản sau khi đăng nhập sai (phút)")
MIN_PASSWORD = 8

ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "Cán bộ tiếp công dân",
    Role.HANDLER: "Cán bộ xử lý đơn",
    Role.LEAD: "Lãnh đạo",
    Role.ADMIN: "Quản trị hệ thống",
}

# scrypt, N=2^15 r=8 p=1: 32 MiB and ~0.1 s per check, the OWASP minimum for interactive logins.
_N, _R, _P = 2**15, 8, 1
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


# ---- password hashing ----------------------------------------------------------------------------


def hash_password(password: str, *, n: int | None = None) -> str:
    n = n or _N
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=_R, p=_P, maxmem=2**26, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=2**26,
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def _dummy_hash(n: int) -> str:
    # A hash to spend the same time on when the user does not exist (no account probing by timing).
    return hash_password("tiepdan-no-such-user", n=n)


def _check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError({field: f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự."})
    if password.strip() != password:
        raise ValidationError({field: "Mật khẩu không được bắt đầu hoặc kết thúc bằng khoảng trắng."})


# ---- users ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    full_name: str
    title: str | None
    role: Role
    active: bool
    locked_until: dt.datetime | None
    failed_logins: int
    last_login_at: dt.datetime | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return not self.active or (self.locked_until is not None and self.locked_until > (now or now_local()))


def _info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.full_name,
        user.title,
        user.role,
        user.active,
        user.locked_until,
        user.failed_logins,
        user.last_login_at,
    )


def actor_for(user: User | UserInfo) -> Actor:
    return Actor(user_id=user.id, username=user.username, full_name=user.full_name, role=user.role)


def _snapshot(user: User) -> dict[str, object]:
    # Never the password hash: the trail is readable by leads.
    return {
        "username": user.username,
        "full_name": user.full_name,
        "title": user.title,
        "role": user.role,
        "active": user.active,
    }


def _clean_username(username: str) -> str:
    name = nfc(username or "").lower()
    if not _USERNAME.match(name):
        raise ValidationError(
            {"username": "Tên đăng nhập gồm 2–60 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang."}
        )
    return name


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == nfc(username or "").lower()))
    if user is None:
        raise NotFoundError(f"Không có tài khoản “{username}”.")
    return user


def list_users(session: Session) -> list[UserInfo]:
    return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


def user_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def needs_first_admin(session: Session) -> bool:
    """True on first run: no account exists yet, so the administrator must be created."""
    return user_count(session) == 0


def _add(
    session: Session, actor: Actor, username: str, full_name: str, role: Role, password: str, title: str | None
) -> UserInfo:
    errors: dict[str, str] = {}
    try:
        name = _clean_username(username)
    except ValidationError as exc:
        errors.update(exc.fields)
        name = ""
    full = nfc(full_name or "")
    if not full:
        errors["full_name"] = "Nhập họ và tên người dùng."
    try:
        _check_password(password)
    except ValidationError as exc:
        errors.update(exc.fields)
    if name and session.scalar(select(User.id).where(User.username == name)) is not None:
        errors["username"] = f"Tên đăng nhập “{name}” đã có người dùng."
    if errors:
        raise ValidationError(errors)
    user = User(
        username=name,
        full_name=full,
        title=nfc(title or "") or None,
        role=Role(role),
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, after=_snapshot(user))
    return _info(user)


def create_first_admin(session: Session, username: str, full_name: str, password: str) -> UserInfo:
    """First run only: the administrator, created by the system (no one is signed in yet)."""
    if not needs_first_admin(session):
        raise RuleViolation("Đã có tài khoản quản trị; tạo người dùng mới trong mục Quản trị.")
    return _add(session, SYSTEM, username, full_name, Role.ADMIN, password, None)


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    *,
    title: str | None = None,
) -> UserInfo:
    require(actor, Permission.MANAGE_USERS)
    return _add(session, actor, username, full_name, role, password, title)


def _last_admin_guard(session: Session, user: User) -> None:
    if user.role != Role.ADMIN or not user.active:
        return
    admins = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active.is_(True))
    )
    if (admins or 0) <= 1:
        raise RuleViolation("Đây là tài khoản quản trị cuối cùng: tạo hoặc mở khóa một quản trị khác trước.")


def change_role(session: Session, actor: Actor, username: str, role: Role) -> UserInfo:
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, username)
    role = Role(role)
    if user.role == role:
        return _info(user)
    if role != Role.ADMIN:
        _last_admin_guard(session, user)
    before = user.role
    user.role = role
    session.flush()
    audit.record(session, actor, "role", "user", user.id, before={"role": before}, after={"role": role})
    return _info(user)


def set_password(
    session: Session, actor: Actor, username: str, new_password: str, *, old_password: str | None = None
) -> None:
    """An administrator sets anyone's password; a user changes their own by giving the old one."""
    user = _get(session, username)
    if actor.user_id != user.id:
        require(actor, Permission.MANAGE_USERS)
    elif old_password is None or not verify_password(old_password, user.password_hash):
        raise ValidationError({"old_password": "Mật khẩu hiện tại không đúng."})
    _check_password(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    audit.record(session, actor, "password", "user", user.id)


def change_own_password(session: Session, actor: Actor, old_password: str, new_password: str, confirm: str) -> None:
    """The signed-in user replaces their own password: the current one, then the new one twice."""
    if actor.user_id is None:
        raise PermissionDenied("Phiên làm việc này không gắn với tài khoản nào nên không đổi được mật khẩu.")
    user = session.get(User, actor.user_id)
    if user is None:
        raise NotFoundError("Không tìm thấy tài khoản đang đăng nhập.")
    errors: dict[str, str] = {}
    if not verify_password(old_password, user.password_hash):
        errors["old_password"] = "Mật khẩu hiện tại không đúng."
    try:
        _check_password(new_password, "new_password")
    except ValidationError as exc:
        errors.update(exc.fields)
    if "new_password" not in errors and new_password == old_password:
        errors["new_password"] = "Mật khẩu mới phải khác mật khẩu hiện tại."
    if new_password != confirm:
        errors["confirm"] = "Hai lần nhập mật khẩu mới không khớp."
    if errors:
        raise ValidationError(errors)
    set_password(session, actor, user.username, new_password, old_password=old_password)


def lock_user(session: Session, actor: Actor, username: str, reason: str = "") -> UserInfo:
    """Disable an account (a person leaves, a password leaked); it stays on the trail."""
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, username)
    if actor.user_id == user.id:
        raise RuleViolation("Không tự khóa tài khoản của chính mình.")
    _last_admin_guard(session, user)
    user.active = False
    session.flush()
    audit.record(session, actor, "lock", "user", user.id, reason=nfc(reason or "") or None)
    return _info(user)


def unlock_user(session: Session, actor: Actor, username: str) -> UserInfo:
    require(actor, Permission.MANAGE_USERS)
    user = _get(session, username)
    user.active = True
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    audit.record(session, actor, "unlock", "user", user.id)
    return _info(user)


# ---- signing in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    actor: Actor | None
    message: str

    @property
    def ok(self) -> bool:
        return self.actor is not None


WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def _visitor(username: str) -> Actor:
    return Actor(user_id=None, username=username[:60], full_name="", role=Role.CLERK)


def login(session: Session, username: str, password: str, *, now: dt.datetime | None = None) -> LoginResult:
    """Check a sign-in; count failures and lock after ``security.max_failed_logins``. Everything is audited.

    The caller commits whatever the result (the failure count and the entry must be kept).
    """
    now = now or now_local()
    name = nfc(username or "").strip().lower()
    user = session.scalar(select(User).where(User.username == name)) if name else None
    if user is None:
        verify_password(password, _dummy_hash(_N))
        audit.record(session, _visitor(name), "login_failed", "user", None, after={"username": name[:60]})
        return LoginResult(None, WRONG)
    if not user.active:
        audit.record(session, actor_for(user), "login_failed", "user", user.id, reason="tài khoản bị khóa")
        return LoginResult(None, "Tài khoản đã bị khóa. Liên hệ quản trị hệ thống để mở khóa.")
    if user.locked_until is not None and user.locked_until > now:
        audit.record(session, actor_for(user), "login_failed", "user", user.id, reason="đang bị khóa tạm thời")
        return LoginResult(
            None,
            f"Tài khoản tạm khóa do đăng nhập sai nhiều lần, đến {user.locked_until:%H:%M %d/%m/%Y}. "
            "Chờ hết thời gian hoặc nhờ quản trị mở khóa.",
        )
    if not verify_password(password, user.password_hash):
        user.failed_logins = (user.failed_logins or 0) + 1
        limit = int(settings.get(session, MAX_FAILED))
        if user.failed_logins >= limit:
            minutes = int(settings.get(session, LOCK_MINUTES))
            user.locked_until = now + dt.timedelta(minutes=minutes)
            user.failed_logins = 0
            session.flush()
            audit.record(
                session, actor_for(user), "lockout", "user", user.id, reason=f"sai mật khẩu {limit} lần liên tiếp"
            )
            return LoginResult(
                None,
                f"Sai mật khẩu {limit} lần liên tiếp: tài khoản bị khóa {minutes} phút. Việc này đã được ghi nhật ký.",
            )
        session.flush()
        audit.record(session, actor_for(user), "login_failed", "user", user.id, reason="sai mật khẩu")
        left = limit - user.failed_logins
        return LoginResult(None, f"{WRONG} Còn {left} lần thử trước khi tài khoản bị khóa.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    actor = actor_for(user)
    audit.record(session, actor, "login", "user", user.id)
    return LoginResult(actor, f"Xin chào {user.full_name}.")


def logout(session: Session, actor: Actor) -> None:
    audit.record(session, actor, "logout", "user", actor.user_id)


def sign_in(db: Database, username: str, password: str) -> Actor:
    """``login`` in its own transaction (kept even when refused); raises ``PermissionDenied`` when refused."""
    with db.transaction() as session:
        result = login(session, username, password)
    if result.actor is None:
        raise PermissionDenied(result.message)
    return result.actor
