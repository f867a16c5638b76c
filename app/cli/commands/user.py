"""``python -m app user add|list|passwd|lock|unlock|role``: accounts, from the machine that holds the data."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli.common import add_command, database
from app.models.enums import Role
from app.services.common.actor import COMMAND_LINE
from app.services.common.errors import AppError
from app.services.security import accounts

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
    for child in (add, passwd, lock, unlock, role):
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    actions.choices["list"].add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _password_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ dòng đầu của stdin")


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app user add|list|passwd|lock|unlock|role (xem --help).")


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
    password = read_password(args)
    db = database(args)
    with db.transaction() as session:
        info = accounts.add_user(
            session, COMMAND_LINE, args.username, args.full_name, ROLE_CODES[args.role], password, title=args.title
        )
    print(f"Đã thêm tài khoản “{info.username}” ({info.role_label}).")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = database(args)
    with db.session() as session:
        users = accounts.list_users(session)
    for u in users:
        state = "bị khóa" if u.is_locked() else "hoạt động"
        last = f"{u.last_login_at:%d/%m/%Y %H:%M}" if u.last_login_at else "chưa đăng nhập"
        print(f"{u.username}\t{u.full_name}\t{u.role_label}\t{state}\t{last}")
    print(f"— {len(users)} tài khoản.")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    password = read_password(args)
    db = database(args)
    with db.transaction() as session:
        accounts.set_password(session, COMMAND_LINE, args.username, password)
    print(f"Đã đặt mật khẩu mới cho “{args.username}”.")
    return 0


def run_lock(args: argparse.Namespace) -> int:
    db = database(args)
    with db.transaction() as session:
        accounts.lock_user(session, COMMAND_LINE, args.username, args.reason)
    print(f"Đã khóa tài khoản “{args.username}”.")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    db = database(args)
    with db.transaction() as session:
        accounts.unlock_user(session, COMMAND_LINE, args.username)
    print(f"Đã mở khóa tài khoản “{args.username}”.")
    return 0


def run_role(args: argparse.Namespace) -> int:
    db = database(args)
    with db.transaction() as session:
        info = accounts.change_role(session, COMMAND_LINE, args.username, ROLE_CODES[args.role])
    print(f"“{info.username}” nay là {info.role_label}.")
    return 0
