"""Command-line sessions: ``python -m app login`` hands out a short-lived token.

Only the SHA-256 of the token is stored (table ``cli_session``), so a copied database does not
let anyone sign in, and an administrator can revoke a session by deleting or revoking the row.
The token itself lives in a 0600 file in the user's data folder, one file per database URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CliSession, User
from app.models.mixins import now_local
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.security import audit
from app.services.security.accounts import actor_for

SESSION_HOURS = settings.define(
    "security.cli_session_hours", 8, "Thời gian hiệu lực của phiên đăng nhập dòng lệnh (giờ)"
)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(session: Session, actor: Actor, *, now: dt.datetime | None = None) -> tuple[str, dt.datetime]:
    """A new token for the signed-in ``actor``; returns the token and when it expires."""
    if actor.user_id is None:
        raise ValueError("a command-line session needs a real account")
    now = now or now_local()
    hours = int(settings.get(session, SESSION_HOURS))
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=hours)
    row = CliSession(user_id=actor.user_id, token_hash=_digest(token), created_at=now, expires_at=expires)
    session.add(row)
    session.flush()
    audit.record(session, actor, "cli_login", "cli_session", row.id, after={"expires_at": expires})
    return token, expires


def resolve(session: Session, token: str, *, now: dt.datetime | None = None) -> Actor | None:
    """The account behind a still valid token, or ``None`` (expired, revoked, account locked)."""
    now = now or now_local()
    row = session.scalar(select(CliSession).where(CliSession.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active or (user.locked_until is not None and user.locked_until > now):
        return None
    return actor_for(user)


def revoke(session: Session, token: str, *, now: dt.datetime | None = None) -> Actor | None:
    """End a session (``python -m app logout``); returns whose it was, audited under that name."""
    row = session.scalar(select(CliSession).where(CliSession.token_hash == _digest(token)))
    if row is None or row.revoked_at is not None:
        return None
    row.revoked_at = now or now_local()
    user = session.get(User, row.user_id)
    session.flush()
    if user is None:
        return None
    actor = actor_for(user)
    audit.record(session, actor, "cli_logout", "cli_session", row.id)
    return actor
