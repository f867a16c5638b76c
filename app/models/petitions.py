"""Petitions (đơn), their parties, timeline events, legal deadlines and issued documents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, CodeEnum
from app.models.enums import (
    AgencyLevel,
    Competence,
    DayUnit,
    DeadlineStatus,
    DocumentType,
    HandlingAction,
    Instance,
    MatterKind,
    MatterState,
    ParticipantRole,
    PetitionSource,
    PetitionStatus,
    ResolutionResult,
    SenderKind,
)
from app.models.mixins import SoftDelete, Timestamps, now_local
from app.models.people import Citizen, CitizenVersion


class Petition(Timestamps, SoftDelete, Base):
    __tablename__ = "petition"
    __table_args__ = (
        UniqueConstraint("reg_year", "reg_seq", name="uq_petition_reg"),
        # The leader's dashboard: petitions per month by kind and field, and the few deleted ones
        # it leaves out, each read from an index alone.
        Index("ix_petition_dashboard", "received_on", "kind", "field_code", "deleted_at"),
        Index(
            "ix_petition_deleted",
            "id",
            sqlite_where=text("deleted_at IS NOT NULL"),
            postgresql_where=text("deleted_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reg_year: Mapped[int] = mapped_column(Integer)
    reg_seq: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[dt.date] = mapped_column(index=True)
    source: Mapped[PetitionSource] = mapped_column(CodeEnum(PetitionSource))
    source_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    incoming_doc_number: Mapped[str | None] = mapped_column(String(80))
    incoming_doc_date: Mapped[dt.date | None]
    sender_kind: Mapped[SenderKind] = mapped_column(CodeEnum(SenderKind))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    # The petitioner as recorded with this petition (see CitizenVersion).
    citizen_version_id: Mapped[int | None] = mapped_column(ForeignKey("citizen_version.id"))
    organisation_name: Mapped[str | None] = mapped_column(String(300))
    head_count: Mapped[int] = mapped_column(Integer, default=1)
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    is_pseudonymous: Mapped[bool] = mapped_column(default=False)
    respondent_name: Mapped[str | None] = mapped_column(String(300))
    # Lower-case, tone-free, đ→d (services.text.fold): related petitions compare respondents by it.
    respondent_folded: Mapped[str | None] = mapped_column(String(300), index=True)
    respondent_level: Mapped[AgencyLevel | None] = mapped_column(CodeEnum(AgencyLevel))
    respondent_detail: Mapped[str | None] = mapped_column(Text)
    # The respondent when it is a body of the directory (routing resolves "that body" / "its superior").
    respondent_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    summary: Mapped[str] = mapped_column(Text)
    summary_folded: Mapped[str] = mapped_column(Text)
    kind: Mapped[MatterKind] = mapped_column(CodeEnum(MatterKind), index=True)
    field_code: Mapped[str | None] = mapped_column(ForeignKey("field_category.code"))
    eligible: Mapped[bool | None]
    ineligible_reason: Mapped[str | None] = mapped_column(String(60))
    ineligible_note: Mapped[str | None] = mapped_column(Text)
    competence: Mapped[Competence | None] = mapped_column(CodeEnum(Competence))
    instance: Mapped[Instance | None] = mapped_column(CodeEnum(Instance))
    matter_state: Mapped[MatterState | None] = mapped_column(CodeEnum(MatterState))
    is_beyond_level: Mapped[bool] = mapped_column(default=False)
    is_prolonged: Mapped[bool] = mapped_column(default=False)
    is_complicated: Mapped[bool] = mapped_column(default=False)
    is_remote_area: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PetitionStatus] = mapped_column(CodeEnum(PetitionStatus), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"))
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    assigned_officer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    handling_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    forward_count: Mapped[int] = mapped_column(Integer, default=0)
    documents_received: Mapped[str | None] = mapped_column(Text)
    result: Mapped[ResolutionResult | None] = mapped_column(CodeEnum(ResolutionResult))
    money_recovered: Mapped[float | None] = mapped_column(Numeric(18, 0))
    land_recovered_m2: Mapped[float | None] = mapped_column(Numeric(14, 2))
    people_handled: Mapped[int | None] = mapped_column(Integer)
    closed_on: Mapped[dt.date | None]
    decided_on: Mapped[dt.date | None]
    enforced_on: Mapped[dt.date | None]
    # First dates of the timeline, kept with each event (services.first_dates) so that a report
    # never has to group a petition's events to know when it was first given a direction or accepted.
    handled_on: Mapped[dt.date | None]
    accepted_on: Mapped[dt.date | None]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)

    citizen: Mapped[Citizen | None] = relationship()
    citizen_version: Mapped[CitizenVersion | None] = relationship()
    parties: Mapped[list[PetitionParty]] = relationship(
        back_populates="petition", cascade="all, delete-orphan", order_by="PetitionParty.position"
    )
    events: Mapped[list[PetitionEvent]] = relationship(
        back_populates="petition", cascade="all, delete-orphan", order_by="PetitionEvent.id"
    )


class PetitionParty(Base):
    """Signers and representatives of a petition sent by several people."""

    __tablename__ = "petition_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    citizen_version_id: Mapped[int | None] = mapped_column(ForeignKey("citizen_version.id"))
    role: Mapped[ParticipantRole] = mapped_column(CodeEnum(ParticipantRole))
    position: Mapped[int] = mapped_column(Integer, default=0)

    petition: Mapped[Petition] = relationship(back_populates="parties")
    citizen: Mapped[Citizen] = relationship()
    citizen_version: Mapped[CitizenVersion | None] = relationship()


class PetitionEvent(Base):
    """One step on a petition's timeline: who did what, when, towards whom."""

    __tablename__ = "petition_event"
    # Reports read a petition's timeline from this index alone (no table row visited), and find the
    # petitions acted on in a period by ``occurred_on``.
    __table_args__ = (
        Index("ix_petition_event_petition_action_on", "petition_id", "action", "occurred_on"),
        # Reports: which petitions had a given action during a period, read from the index alone.
        Index("ix_petition_event_action_on_petition", "action", "occurred_on", "petition_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), index=True)
    action: Mapped[HandlingAction] = mapped_column(CodeEnum(HandlingAction))
    occurred_on: Mapped[dt.date] = mapped_column(index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    # Structured facts of the step (status before/after, result, extension days…) as JSON.
    data_json: Mapped[str | None] = mapped_column(Text)

    petition: Mapped[Petition] = relationship(back_populates="events")


class Deadline(Base):
    """A running legal clock on a petition (a rule applied from a start date)."""

    __tablename__ = "deadline"
    # The dashboard's on-time and overdue figures per rule, read from the index alone.
    __table_args__ = (Index("ix_deadline_dashboard", "status", "rule_code", "met_on", "due_on", "petition_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), index=True)
    rule_code: Mapped[str] = mapped_column(String(60))
    start_on: Mapped[dt.date]
    length: Mapped[int] = mapped_column(Integer)
    unit: Mapped[DayUnit] = mapped_column(CodeEnum(DayUnit))
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    # How many extensions were granted (a rule allows a fixed number, e.g. Luật Tố cáo art. 30).
    extension_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Every suspension period as JSON [["YYYY-MM-DD", "YYYY-MM-DD" | null], …]: working-day rules need
    # the dates, not only a total, to recount after a calendar edit.
    suspensions_json: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    suspended_on: Mapped[dt.date | None]
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)
    due_on: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[DeadlineStatus] = mapped_column(CodeEnum(DeadlineStatus), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("petition_event.id"))
    met_on: Mapped[dt.date | None]


class IssuedDocument(Base):
    """Every numbered document the office issues, with what it said when it was issued."""

    __tablename__ = "issued_document"
    __table_args__ = (
        UniqueConstraint("series", "year", "seq", name="uq_issued_document_number"),
        # Reports: the documents a period issued, per petition, read from the index alone.
        Index("ix_issued_document_issued_on_petition", "issued_on", "petition_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[DocumentType] = mapped_column(CodeEnum(DocumentType))
    # Numbers run per series (the symbol's prefix, e.g. "PCĐ"), per year, as in the office's register.
    series: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    symbol: Mapped[str] = mapped_column(String(80))  # "15/PCĐ-TCD"
    issued_on: Mapped[dt.date]
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("petition_event.id"))
    recipient: Mapped[str | None] = mapped_column(String(300))
    content_json: Mapped[str] = mapped_column(Text, default="{}")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    printed_at: Mapped[dt.datetime | None]
    printed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Receipts: the short code the citizen quotes later to find the petition (Crockford base32).
    lookup_code: Mapped[str | None] = mapped_column(String(12), unique=True, index=True)
