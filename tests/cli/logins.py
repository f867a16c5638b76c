"""Accounts of each role for command-line tests, and the arguments that run a command as one of them."""

from __future__ import annotations

import pytest

from app.cli.auth import PASSWORD_ENV, SETUP
from app.db import Database
from app.models.enums import Role
from app.services.security import accounts

PASSWORD = "mat-khau-dai"
ROLES = {"quantri": Role.ADMIN, "lanhdao": Role.LEAD, "xuly": Role.HANDLER, "tiep": Role.CLERK}


def add_accounts(db: Database, *usernames: str) -> None:
    """Create the named accounts (default: one of each role) with ``PASSWORD``."""
    with db.transaction() as session:
        for name in usernames or tuple(ROLES):
            accounts.add_user(session, SETUP, name, f"Cán bộ {name}", ROLES[name], PASSWORD)


def as_user(monkeypatch: pytest.MonkeyPatch, username: str) -> list[str]:
    """``--user NAME`` with the password in ``$TIEPDAN_PASSWORD``, as a script would run it."""
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    return ["--user", username]
