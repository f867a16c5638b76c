"""What was last sent to the national database (Nghị định 55/2022), per case record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class NationalExportMark(Base):
    """The last exported form of one petition's case record: its content hash, when, and by whom.

    The next export compares each record's hash with this mark to say new / changed / unchanged, so
    the office can send only the changes. ``revision`` counts the exported versions of the record.
    """

    __tablename__ = "national_export_mark"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), unique=True)
    record_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the record's full content
    revision: Mapped[int] = mapped_column(Integer, default=1)
    first_exported_at: Mapped[dt.datetime]
    last_exported_at: Mapped[dt.datetime]
    exported_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
