"""Who runs a command: ``--user NAME`` (password asked) or the token left by ``python -m app login``.

A database with no account yet (first run, a fresh file) runs as ``SETUP`` so the first
administrator can be created and demo data loaded; its entries on the audit trail say so.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import hashlib
import json
import os
import sys
from pathlib import Path

from app import paths
from app.db import Database
from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.common.errors import AppError
from app.services.security import accounts, cli_sessions
from app.services.security.permissions import Permission, require

SETUP = Actor(user_id=None, username="cai_dat", full_name="Cài đặt lần đầu (chưa có tài khoản)", role=Role.ADMIN)
PASSWORD_ENV = "TIEPDAN_PASSWORD"
NEED_LOGIN = "Cần đăng nhập: dùng --user TÊN hoặc chạy “python -m app login”."


class LoginRequired(AppError):
    """No account named and no valid session for this database."""


def add_user_option(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: the value given before the command name is kept when none is given after it.
    parser.add_argument(
        "--user", dest="login_user", metavar="TÊN", default=argparse.SUPPRESS, help="chạy lệnh dưới tài khoản này"
    )


def add_login_options(parser: argparse.ArgumentParser) -> None:
    add_user_option(parser)
    parser.add_argument(
        "--password-stdin",
        dest="login_password_stdin",
        action="store_true",
        default=argparse.SUPPRESS,
        help=f"đọc mật khẩu đăng nhập từ dòng đầu của stdin (hoặc đặt biến ${PASSWORD_ENV})",
    )


def headless(actor: Actor) -> Actor:
    """Output that may be piped or mailed: without an account (first run) identities stay masked."""
    return dataclasses.replace(actor, role=Role.HANDLER) if actor.user_id is None else actor


def session_file(db: Database) -> Path:
    """One token file per database URL, in the user's own data folder."""
    key = hashlib.sha256(db.url.encode("utf-8")).hexdigest()[:16]
    return paths.data_dir() / "cli-sessions" / f"{key}.json"


def _read_password(args: argparse.Namespace) -> str:
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if getattr(args, "login_password_stdin", False):
        line = sys.stdin.readline()
        if not line:
            raise AppError("Không đọc được mật khẩu từ stdin.")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AppError(f"Không có bàn phím để nhập mật khẩu; dùng --password-stdin hoặc biến {PASSWORD_ENV}.")
    return getpass.getpass(f"Mật khẩu của {args.login_user}: ")


def _stored_token(db: Database) -> str | None:
    path = session_file(db)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("url") != db.url:
        return None
    token = data.get("token")
    return token if isinstance(token, str) else None


def save_token(db: Database, token: str) -> Path:
    path = session_file(db)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump({"url": db.url, "token": token}, f)
    os.chmod(path, 0o600)
    return path


def forget_token(db: Database) -> str | None:
    token = _stored_token(db)
    session_file(db).unlink(missing_ok=True)
    return token


def sign_in(args: argparse.Namespace, db: Database) -> Actor:
    """``--user`` with its password; a refusal (wrong password, locked) is audited and raised."""
    return accounts.sign_in(db, args.login_user, _read_password(args))


def signed_in(args: argparse.Namespace, db: Database, need: Permission | None = None) -> Actor:
    """The actor for this command, checked against ``need``; ``LoginRequired`` when nobody is named."""
    actor: Actor | None = None
    if getattr(args, "login_user", None):
        actor = sign_in(args, db)
    else:
        token = _stored_token(db)
        with db.session() as session:
            if token is not None:
                actor = cli_sessions.resolve(session, token)
            if actor is None and accounts.needs_first_admin(session):
                actor = SETUP
        if actor is None:
            raise LoginRequired(NEED_LOGIN)
    if need is not None:
        require(actor, need)
    return actor
