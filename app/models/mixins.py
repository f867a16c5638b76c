"""Columns that many tables share: timestamps and soft deletion."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import LOCAL_TZ


def now_local() -> dt.datetime:
    return dt.datetime.now(LOCAL_TZ)


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now_local, onupdate=now_local)


class SoftDelete:
    """Nothing is deleted silently: removal sets these two columns and keeps the row."""

    deleted_at: Mapped[dt.datetime | None]
    delete_reason: Mapped[str | None] = mapped_column(Text)
