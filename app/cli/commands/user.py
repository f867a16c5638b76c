"""``python -m app user add|list|passwd|lock|unlock|role``: accounts, from the machine that holds the data."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli.auth import add_user_option, signed_in
from app.cli.common import add_command, database
from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.common.errors import AppError
from app.services.security import accounts, audit
from app.services.security.permissions import Permission

ROLE_CODES = {
    "clerk": Role.CLERK,
    "handler": Role.HANDLER,
    "lead": Role.LEAD,
    "admin": Role.ADMIN,
    **{role.value: role for role in Role},
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "user", "Quản lý tài khoản người dùng", _missing)
    actions = parser.add_subparsers(dest="user_command", metavar="VIỆC", parser_class=type(parser))
    add = actions.add_parser("add", help="thêm người dùng")
    add.add_argument("username", help="tên đăng nhập")
    add.add_argument("--full-name", required=True, help="họ và tên")
    add.add_argument("--role", required=True, choices=sorted(ROLE_CODES), help="vai trò: clerk, handler, lead, admin")
    add.add_argument("--title", help="chức vụ")
    _password_option(add)
    add.set_defaults(handler=run_add)
    actions.add_parser("list", help="liệt kê người dùng").set_defaults(handler=run_list)
    passwd = actions.add_parser("passwd", help="đặt mật khẩu mới")
    passwd.add_argument("username")
    _password_option(passwd)
    passwd.set_defaults(handler=run_passwd)
    lock = actions.add_parser("lock", help="khóa tài khoản")
    lock.add_argument("username")
    lock.add_argument("--reason", default="", help="lý do")
    lock.set_defaults(handler=run_lock)
    unlock = actions.add_parser("unlock", help="mở khóa tài khoản")
    unlock.add_argument("username")
    unlock.set_defaults(handler=run_unlock)
    role = actions.add_parser("role", help="đổi vai trò")
    role.add_argument("username")
    role.add_argument("role", choices=sorted(ROLE_CODES))
    role.set_defaults(handler=run_role)
    reset = actions.add_parser(
        "reset-admin",
        help="khôi phục: đặt lại mật khẩu và mở khóa một quản trị (không cần đăng nhập; chỉ trên máy giữ khóa dữ liệu)",
    )
    reset.add_argument("username")
    _password_option(reset)
    reset.set_defaults(handler=run_reset_admin)
    for child in (add, passwd, lock, unlock, role, reset):
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        add_user_option(child)
    actions.choices["list"].add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    add_user_option(actions.choices["list"])


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app user add|list|passwd|lock|unlock|role (xem --help).")


# Recovery when every administrator is locked out or forgot the password: allowed without signing in,
# but only to the operating-system user whose key store holds this database's data key (the database
# does not open otherwise), and written on the audit trail under this name.
RECOVERY = Actor(
    user_id=None,
    username="khoi_phuc_quan_tri",
    full_name="Khôi phục quản trị (trên máy giữ khóa dữ liệu)",
    role=Role.ADMIN,
)


def read_password(args: argparse.Namespace) -> str:
    """From stdin (scripts) or an interactive prompt asked twice; never from the command line."""
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise AppError("Không đọc được mật khẩu từ stdin.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AppError("Không có bàn phím để nhập mật khẩu; dùng --password-stdin.")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise AppError("Hai lần nhập mật khẩu không khớp.")
    return first


def run_add(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db, Permission.MANAGE_USERS)
    password = read_password(args)
    with db.transaction() as session:
        info = accounts.add_user(
            session, actor, args.username, args.full_name, ROLE_CODES[args.role], password, title=args.title
        )
    print(f"Đã thêm tài khoản “{info.username}” ({info.role_label}).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = database(args)
    signed_in(args, db, Permission.MANAGE_USERS)
    with db.session() as session:
        users = accounts.list_users(session)
    for u in users:
        state = "bị khóa" if u.is_locked() else "hoạt động"
        last = f"{u.last_login_at:%d/%m/%Y %H:%M}" if u.last_login_at else "chưa đăng nhập"
        print(f"{u.username}\t{u.full_name}\t{u.role_label}\t{state}\t{last}")
    print(f"— {len(users)} tài khoản.")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db, Permission.MANAGE_USERS)
    password = read_password(args)
    with db.transaction() as session:
        accounts.set_password(session, actor, args.username, password)
    print(f"Đã đặt mật khẩu mới cho “{args.username}”.")
    return 0


def run_lock(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db, Permission.MANAGE_USERS)
    with db.transaction() as session:
        accounts.lock_user(session, actor, args.username, args.reason)
    print(f"Đã khóa tài khoản “{args.username}”.")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db, Permission.MANAGE_USERS)
    with db.transaction() as session:
        accounts.unlock_user(session, actor, args.username)
    print(f"Đã mở khóa tài khoản “{args.username}”.")
    return 0


def run_role(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db, Permission.MANAGE_USERS)
    with db.transaction() as session:
        info = accounts.change_role(session, actor, args.username, ROLE_CODES[args.role])
    print(f"“{info.username}” nay là {info.role_label}.")
    return 0


def run_reset_admin(args: argparse.Namespace) -> int:
    db = database(args)  # opens only with this database's data key in this OS user's key store
    password = read_password(args)
    with db.transaction() as session:
        target = next((u for u in accounts.list_users(session) if u.username == args.username.lower()), None)
        if target is None:
            raise AppError(f"Không có tài khoản “{args.username}”.")
        if target.role != Role.ADMIN:
            raise AppError(f"“{target.username}” không phải quản trị: lệnh khôi phục chỉ dành cho tài khoản quản trị.")
        audit.record(session, RECOVERY, "admin_recovery", "user", target.id, reason="khôi phục từ dòng lệnh")
        accounts.set_password(session, RECOVERY, target.username, password)
        if target.is_locked():
            accounts.unlock_user(session, RECOVERY, target.username)
    print(f"Đã đặt lại mật khẩu và mở khóa quản trị “{target.username}”. Việc này đã được ghi nhật ký.")
    return 0
