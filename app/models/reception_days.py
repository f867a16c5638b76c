"""Leaders' reception days (lịch tiếp công dân của lãnh đạo), their online connection points and bookings."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CodeEnum
from app.models.enums import MatterKind, ReceptionKind
from app.models.mixins import Timestamps
from app.services.security.crypto import EncryptedText


class DayMode(enum.StrEnum):
    """How the leader receives on the day (Luật 136/2025/QH15: online reception from 01/07/2026)."""

    IN_PERSON = "truc_tiep"
    ONLINE = "truc_tuyen"


class DayStatus(enum.StrEnum):
    PLANNED = "du_kien"
    HELD = "da_tiep"
    CANCELLED = "huy"


class BookingStatus(enum.StrEnum):
    BOOKED = "da_dang_ky"
    RECEIVED = "da_tiep"
    ABSENT = "vang_mat"


class ReceptionDay(Timestamps, Base):
    """One day on which a leader receives citizens: periodic (định kỳ) or ad hoc (đột xuất)."""

    __tablename__ = "reception_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_name: Mapped[str] = mapped_column(String(120))
    leader_title: Mapped[str | None] = mapped_column(String(120))
    # The duty (resources/seeds/reception_frequency.json) whose minimum this day counts towards.
    duty_code: Mapped[str | None] = mapped_column(String(60))
    held_on: Mapped[dt.date] = mapped_column(index=True)
    start_time: Mapped[dt.time | None]
    mode: Mapped[DayMode] = mapped_column(CodeEnum(DayMode))
    place: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[ReceptionKind] = mapped_column(CodeEnum(ReceptionKind))
    status: Mapped[DayStatus] = mapped_column(CodeEnum(DayStatus), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # Where the online session's recording is kept (file name, archive number).
    recording_ref: Mapped[str | None] = mapped_column(String(300))

    connection_points: Mapped[list[ConnectionPoint]] = relationship(
        back_populates="day", cascade="all, delete-orphan", order_by="ConnectionPoint.id"
    )
    bookings: Mapped[list[Booking]] = relationship(
        back_populates="day", cascade="all, delete-orphan", order_by="Booking.id"
    )


class ConnectionPoint(Base):
    """A commune (or other unit) joined to an online reception day, with its contact person."""

    __tablename__ = "reception_connection_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    reception_day_id: Mapped[int] = mapped_column(ForeignKey("reception_day.id", ondelete="CASCADE"), index=True)
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"))
    unit_name: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(200))

    day: Mapped[ReceptionDay] = relationship(back_populates="connection_points")


class Booking(Timestamps, Base):
    """A citizen registered to be received on a reception day (đăng ký tiếp)."""

    __tablename__ = "reception_booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    reception_day_id: Mapped[int] = mapped_column(ForeignKey("reception_day.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    # Personal data, encrypted like the citizen's own record.
    full_name: Mapped[str] = mapped_column(EncryptedText("reception_booking.full_name"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("reception_booking.phone"))
    id_number: Mapped[str | None] = mapped_column(EncryptedText("reception_booking.id_number"))
    matter: Mapped[str] = mapped_column(Text)
    matter_kind: Mapped[MatterKind | None] = mapped_column(CodeEnum(MatterKind))
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"))
    delegation_size: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[BookingStatus] = mapped_column(CodeEnum(BookingStatus))
    # The connection point the citizen joins from on an online day.
    connection_point_id: Mapped[int | None] = mapped_column(
        ForeignKey("reception_connection_point.id", ondelete="SET NULL")
    )
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)

    day: Mapped[ReceptionDay] = relationship(back_populates="bookings")
