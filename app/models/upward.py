"""Upward reporting: the subordinate units an upper office collects reports from, and their packages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.mixins import now_local


class SubordinateUnit(Base):
    """A unit that reports to this office (a commune of the province, a department), declared from the
    directory; the public key of its first accepted package is pinned here."""

    __tablename__ = "subordinate_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)  # admin unit code or agency code
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="commune")  # commune | agency | other
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    public_key: Mapped[str | None] = mapped_column(String(64))  # Ed25519, base64
    key_pinned_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)


class ReceivedPackage(Base):
    """One report package received from a unit; a re-sent one replaces it (``replaced_by_id``)."""

    __tablename__ = "received_package"
    __table_args__ = (Index("ix_received_package_unit_period", "unit_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("subordinate_unit.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    period_kind: Mapped[str] = mapped_column(String(10))
    form_version: Mapped[str] = mapped_column(String(20))
    body_name: Mapped[str] = mapped_column(String(300))
    made_at: Mapped[dt.datetime]  # when the unit made the package (as it says)
    received_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    figures_json: Mapped[str] = mapped_column(Text)  # {form code: [[row values]]}
    replaced_at: Mapped[dt.datetime | None]
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("received_package.id"))
    # "package" (signed .tdbc) or "workbook" (a hand-filled form workbook: no signature, migration 0018).
    origin: Mapped[str] = mapped_column(String(20), default="package", server_default="package")
    # A workbook's cells that could not be read: [{"form", "cell", "reason"}] (None for a package).
    unread_json: Mapped[str | None] = mapped_column(Text)
