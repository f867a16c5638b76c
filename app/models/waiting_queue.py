"""The shared waiting queue (hàng chờ) of a multi-desk office: one numbered ticket per citizen who
checked in at the entrance, called by whichever desk is free."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CodeEnum
from app.services.security.crypto import EncryptedText


class TicketStatus(enum.StrEnum):
    WAITING = "dang_cho"
    CALLED = "da_moi"
    SERVED = "da_tiep"
    LEFT = "bo_ve"


class QueueTicket(Base):
    """A citizen waiting to be received: the number of the day (số thứ tự), from 1 each day."""

    __tablename__ = "queue_ticket"
    __table_args__ = (UniqueConstraint("day", "number", name="uq_queue_ticket_day_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(index=True)
    number: Mapped[int] = mapped_column(Integer)
    # Personal data, encrypted like the citizen's own record.
    full_name: Mapped[str] = mapped_column(EncryptedText("queue_ticket.full_name"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("queue_ticket.phone"))
    id_number: Mapped[str | None] = mapped_column(EncryptedText("queue_ticket.id_number"))
    matter: Mapped[str] = mapped_column(String(300))
    crowd_size: Mapped[int] = mapped_column(Integer, default=1)
    checked_in_at: Mapped[dt.datetime]
    status: Mapped[TicketStatus] = mapped_column(CodeEnum(TicketStatus), index=True)
    desk: Mapped[str | None] = mapped_column(String(60))
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    taken_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
