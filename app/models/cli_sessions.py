"""Command-line sign-ins: a short-lived token, kept only as its hash so it can be revoked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.mixins import now_local


class CliSession(Base):
    """One ``python -m app login``: valid until ``expires_at`` unless ``revoked_at`` is set."""

    __tablename__ = "cli_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
