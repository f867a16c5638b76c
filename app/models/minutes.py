"""Conclusions of a leader's reception (biên bản / thông báo kết luận tiếp công dân) and their follow-up."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CodeEnum
from app.models.enums import DeadlineStatus
from app.models.mixins import now_local


class ReceptionConclusion(Base):
    """What the leader concluded for one citizen received, the body given the task and its date.

    A dated follow-up of its own: the task is due on ``due_on`` and stays open (``status``) until the
    assigned body reports (``closed_on``). It belongs to the visit, and to the petition when the
    matter was registered as one.
    """

    __tablename__ = "reception_conclusion"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    leader_name: Mapped[str | None] = mapped_column(String(120))
    conclusions: Mapped[str] = mapped_column(Text)
    assigned_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    due_on: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[DeadlineStatus] = mapped_column(CodeEnum(DeadlineStatus), index=True)
    closed_on: Mapped[dt.date | None]
    report_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)
