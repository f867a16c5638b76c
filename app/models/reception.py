"""Cases (vụ việc) and visits (lượt tiếp) with their participants."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CodeEnum
from app.models.enums import MatterKind, MatterState, ParticipantRole, ReceptionKind, VisitOutcome
from app.models.mixins import SoftDelete, Timestamps
from app.models.people import Citizen, CitizenVersion


class Case(Timestamps, SoftDelete, Base):
    """One matter: the visits and petitions of the same people about the same thing."""

    __tablename__ = "case_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    matter_kind: Mapped[MatterKind | None] = mapped_column(CodeEnum(MatterKind))
    field_code: Mapped[str | None] = mapped_column(ForeignKey("field_category.code"))
    first_received_on: Mapped[dt.date] = mapped_column(index=True)
    closed_on: Mapped[dt.date | None]
    is_prolonged: Mapped[bool] = mapped_column(default=False)


class Visit(Timestamps, SoftDelete, Base):
    """A reception (lượt tiếp): one person or one delegation received once."""

    __tablename__ = "visit"
    # Covers the list's default order and its "not deleted" filter, so listing every id reads
    # the index alone.
    # The second: a person's visits, and the list sorted by citizen name read from indexes alone
    # (the citizens in name order, then each one's live visits), with no sort of the whole list.
    __table_args__ = (
        Index("ix_visit_received_at_id", "received_at", "id", "deleted_at"),
        Index("ix_visit_citizen_live", "citizen_id", "deleted_at"),
        # The list sorted by name, read in order from this alone (citizen_sort: see below).
        Index("ix_visit_citizen_sort", "citizen_sort", "citizen_id", "id", "deleted_at"),
        # The leader's dashboard counts visits per month by kind, field and crowd from this alone.
        Index("ix_visit_dashboard", "received_on", "matter_kind", "field_code", "is_crowd", "head_count", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    received_at: Mapped[dt.datetime]
    # The local calendar day of received_at, kept for the register and for range filters.
    received_on: Mapped[dt.date] = mapped_column(index=True)
    reception_kind: Mapped[ReceptionKind] = mapped_column(CodeEnum(ReceptionKind), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    officer_name: Mapped[str | None] = mapped_column(String(120))
    leader_name: Mapped[str | None] = mapped_column(String(120))
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"))
    # The citizen's name_folded, copied here by database triggers (migration 0020) on insert, on a
    # change of citizen and on a rename: the sort key of the visit list. Never set by the code.
    citizen_sort: Mapped[str] = mapped_column(String(200), server_default="")
    # The person as recorded with this visit (None only for rows written before versions existed).
    citizen_version_id: Mapped[int | None] = mapped_column(ForeignKey("citizen_version.id"))
    head_count: Mapped[int] = mapped_column(Integer, default=1)
    is_crowd: Mapped[bool] = mapped_column(default=False)
    # The head's periodic reception held by a deputy on the head's behalf (ủy quyền, Biểu 01/TCD).
    delegated: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Received online (tiếp công dân trực tuyến, Luật 136/2025/QH15 from 01/07/2026).
    is_online: Mapped[bool] = mapped_column(default=False, server_default=false())
    summary: Mapped[str] = mapped_column(Text)
    summary_folded: Mapped[str] = mapped_column(Text)
    matter_kind: Mapped[MatterKind] = mapped_column(CodeEnum(MatterKind), index=True)
    field_code: Mapped[str | None] = mapped_column(ForeignKey("field_category.code"))
    matter_state: Mapped[MatterState | None] = mapped_column(CodeEnum(MatterState))
    outcome: Mapped[VisitOutcome] = mapped_column(CodeEnum(VisitOutcome))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    documents_received: Mapped[str | None] = mapped_column(Text)
    # The body that already resolved the matter, as the citizen states it (register column 7).
    resolved_by: Mapped[str | None] = mapped_column(String(300))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)
    # The leader's reception day (lịch tiếp) this visit was held on, if any.
    reception_day_id: Mapped[int | None] = mapped_column(ForeignKey("reception_day.id"), index=True)

    citizen: Mapped[Citizen] = relationship(lazy="joined")
    citizen_version: Mapped[CitizenVersion | None] = relationship()
    participants: Mapped[list[VisitParticipant]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitParticipant.position"
    )


class VisitParticipant(Base):
    """Representatives and members of a crowd delegation (đoàn đông người)."""

    __tablename__ = "visit_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    citizen_version_id: Mapped[int | None] = mapped_column(ForeignKey("citizen_version.id"))
    role: Mapped[ParticipantRole] = mapped_column(CodeEnum(ParticipantRole))
    position: Mapped[int] = mapped_column(Integer, default=0)

    visit: Mapped[Visit] = relationship(back_populates="participants")
    citizen: Mapped[Citizen] = relationship(lazy="joined")
    citizen_version: Mapped[CitizenVersion | None] = relationship()
