"""``python -m app login`` / ``logout``: a short-lived session so each command need not ask the password."""

from __future__ import annotations

import argparse

from app.cli import auth
from app.cli.common import add_command, database
from app.services.common.errors import AppError
from app.services.security import cli_sessions


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    add_command(sub, "login", "Đăng nhập cho các lệnh tiếp theo (cần --user TÊN; phiên có thời hạn)", run_login)
    add_command(sub, "logout", "Kết thúc phiên đăng nhập dòng lệnh trên máy này", run_logout)


def run_login(args: argparse.Namespace) -> int:
    if not getattr(args, "login_user", None):
        raise AppError("Ghi tài khoản cần đăng nhập: python -m app login --user TÊN.")
    db = database(args)
    try:
        actor = auth.sign_in(args, db)
        with db.transaction() as session:
            token, expires = cli_sessions.create(session, actor)
        auth.save_token(db, token)
    finally:
        db.dispose()
    print(f"Đã đăng nhập “{actor.username}” ({actor.full_name}) đến {expires:%H:%M %d/%m/%Y}.")
    return 0


def run_logout(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        token = auth.forget_token(db)
        actor = None
        if token is not None:
            with db.transaction() as session:
                actor = cli_sessions.revoke(session, token)
    finally:
        db.dispose()
    if actor is None:
        print("Không có phiên đăng nhập nào đang mở cho cơ sở dữ liệu này.")
    else:
        print(f"Đã đăng xuất “{actor.username}”.")
    return 0
