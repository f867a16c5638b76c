"""Audit trail, import batches, saved export profiles and the drafts of unfinished forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.mixins import now_local
from app.services.security.crypto import EncryptedText


class AuditEntry(Base):
    """Who did what and when; entries are hash-chained so that tampering shows."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=now_local, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(60), default="")
    action: Mapped[str] = mapped_column(String(40))  # create, update, delete, print, export, reveal, login…
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40), index=True)
    before_json: Mapped[str | None] = mapped_column(Text)
    after_json: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")


class ImportBatch(Base):
    """One import run of a legacy register: everything it created can be undone together."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_name: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    imported: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[dt.datetime | None]


class ExportProfile(Base):
    """A named, ordered choice of register columns for export."""

    __tablename__ = "export_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    entity: Mapped[str] = mapped_column(String(20))  # visits | petitions
    columns_json: Mapped[str] = mapped_column(Text)


class FormDraft(Base):
    """What a user had typed in a form and not saved yet, kept so that a crash loses nothing.

    One row per user and form; the typed values are personal data, so they are encrypted.
    """

    __tablename__ = "form_draft"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    form: Mapped[str] = mapped_column(String(40), primary_key=True)  # "visit", "petition"
    saved_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    state_json: Mapped[str] = mapped_column(EncryptedText("form_draft.state_json"))
