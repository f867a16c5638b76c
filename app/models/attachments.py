"""Documents the citizen hands in (scans, photos, PDFs), kept in the database itself."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.mixins import SoftDelete, now_local


class Attachment(SoftDelete, Base):
    """One file attached to a visit or a petition.

    The bytes live in ``content`` so that every desk (SQLite or PostgreSQL) sees the same file and a
    backup of the database carries it. When the record is a denunciation, ``content`` holds
    AES-GCM ciphertext (``encrypted``); ``sha256``, ``size`` and ``page_count`` describe the plain file.
    """

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint("petition_id IS NOT NULL OR visit_id IS NOT NULL", name="owner"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    page_count: Mapped[int] = mapped_column(Integer, default=1)
    encrypted: Mapped[bool] = mapped_column(default=False)
    # Deferred: listing a record's files never loads megabytes of bytes.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    added_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
