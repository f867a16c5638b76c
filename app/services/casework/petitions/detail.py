"""One petition as the detail pane shows it: people, timeline, documents, children, clocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Citizen,
    FieldCategory,
    IssuedDocument,
    Petition,
    User,
)
from app.models.enums import (
    AgencyLevel,
    Competence,
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
from app.services.casework.petitions.listing import _sender_text
from app.services.casework.petitions.registration import MAX_FORWARDS, get, number_of
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.vocab import label
from app.services.deadlines import clocks
from app.services.deadlines.clocks import ClockRow
from app.services.directory import agencies
from app.services.reception.citizens import format_address
from app.services.security import audit, confidential

# ---- detail --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    citizen_id: int
    name: str
    id_number: str | None
    address: str
    phone: str | None
    role: ParticipantRole | None = None


@dataclass(frozen=True)
class EventView:
    id: int
    action: HandlingAction
    occurred_on: dt.date
    recorded_at: dt.datetime
    actor_name: str
    agency_name: str
    reason: str | None
    note: str | None
    documents: tuple[str, ...]

    @property
    def action_label(self) -> str:
        return label(self.action)


@dataclass(frozen=True)
class DocumentView:
    id: int
    doc_type: DocumentType
    symbol: str
    issued_on: dt.date
    recipient: str | None
    event_id: int | None


@dataclass(frozen=True)
class ChildView:
    id: int
    number: str
    kind: MatterKind
    status: PetitionStatus
    summary: str


@dataclass(frozen=True)
class PetitionDetail:
    id: int
    number: str
    received_on: dt.date
    source: PetitionSource
    source_agency: str
    incoming_doc_number: str | None
    incoming_doc_date: dt.date | None
    sender_kind: SenderKind
    sender: str
    person: PersonView | None
    parties: tuple[PersonView, ...]
    organisation_name: str | None
    head_count: int
    is_anonymous: bool
    is_pseudonymous: bool
    masked: bool
    respondent_name: str | None
    respondent_level: AgencyLevel | None
    respondent_detail: str | None
    respondent_agency_id: int | None
    summary: str
    kind: MatterKind
    field_code: str | None
    field_name: str
    eligible: bool | None
    ineligible_reason: str | None
    ineligible_note: str | None
    competence: Competence | None
    instance: Instance | None
    matter_state: MatterState | None
    is_beyond_level: bool
    is_prolonged: bool
    is_complicated: bool
    is_remote_area: bool
    duplicate_of_id: int | None
    duplicate_of_number: str | None
    status: PetitionStatus
    handling_agency_id: int | None
    handling_agency: str
    forward_count: int
    over_forwarded: bool
    result: ResolutionResult | None
    decided_on: dt.date | None
    enforced_on: dt.date | None
    closed_on: dt.date | None
    visit_id: int | None
    case_id: int | None
    parent_id: int | None
    parent_number: str | None
    children: tuple[ChildView, ...]
    documents_received: str | None
    events: tuple[EventView, ...]
    documents: tuple[DocumentView, ...]
    clocks: tuple[ClockRow, ...]
    assigned_officer_id: int | None = None
    assigned_officer: str = ""  # the handling officer's name, blank while none is assigned

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def status_label(self) -> str:
        return label(self.status)


def _person_view(session: Session, actor: Actor, citizen: Citizen, role: ParticipantRole | None = None) -> PersonView:
    names = catalogues.unit_names(session, {c for c in (citizen.commune_code, citizen.province_code) if c})
    secret = citizen.confidential
    address = format_address(
        citizen.address_detail, names.get(citizen.commune_code or ""), names.get(citizen.province_code or "")
    )
    return PersonView(
        citizen.id,
        confidential.shown(actor, citizen.full_name, secret) or "",
        confidential.shown(actor, citizen.id_number, secret),
        confidential.shown(actor, address, secret) or "",
        confidential.shown(actor, citizen.phone, secret),
        role,
    )


def detail(session: Session, actor: Actor, petition_id: int) -> PetitionDetail:
    """Everything the petition screen shows, denouncers masked for ``actor``; reading a denouncer is audited."""
    petition = get(session, petition_id)
    person = _person_view(session, actor, petition.citizen) if petition.citizen else None
    parties = tuple(_person_view(session, actor, p.citizen, p.role) for p in petition.parties)
    secret = bool(petition.citizen and petition.citizen.confidential) or any(
        p.citizen.confidential for p in petition.parties
    )
    masked = secret and not confidential.can_see(actor)
    if secret and not masked:
        audit.record(session, actor, "reveal", "petition", petition.id, reason="Xem hồ sơ đơn tố cáo")
    agency_ids = {a for a in (petition.source_agency_id, petition.handling_agency_id) if a}
    events = list(petition.events)
    agency_ids |= {e.agency_id for e in events if e.agency_id}
    agency_names = agencies.names(session, agency_ids)
    users = dict(
        session.execute(
            select(User.id, User.full_name).where(User.id.in_({e.actor_id for e in events if e.actor_id}))
        ).all()
    )
    docs = list(
        session.scalars(
            select(IssuedDocument).where(IssuedDocument.petition_id == petition.id).order_by(IssuedDocument.id)
        )
    )
    docs_by_event: dict[int, list[str]] = {}
    for doc in docs:
        if doc.event_id:
            docs_by_event.setdefault(doc.event_id, []).append(doc.symbol)
    field_name = ""
    if petition.field_code:
        found = session.get(FieldCategory, petition.field_code)
        field_name = found.name if found else petition.field_code
    duplicate = session.get(Petition, petition.duplicate_of_id) if petition.duplicate_of_id else None
    parent = session.get(Petition, petition.parent_id) if petition.parent_id else None
    children = session.scalars(
        select(Petition).where(Petition.parent_id == petition.id, Petition.deleted_at.is_(None)).order_by(Petition.id)
    )
    sender = _sender_text(
        actor,
        petition.sender_kind,
        petition.is_anonymous,
        petition.organisation_name,
        petition.citizen.full_name if petition.citizen else None,
        secret,
        petition.head_count,
    )
    return PetitionDetail(
        id=petition.id,
        number=number_of(petition.reg_seq, petition.reg_year),
        received_on=petition.received_on,
        source=petition.source,
        source_agency=agency_names.get(petition.source_agency_id or 0, ""),
        incoming_doc_number=petition.incoming_doc_number,
        incoming_doc_date=petition.incoming_doc_date,
        sender_kind=petition.sender_kind,
        sender=sender,
        person=person,
        parties=parties,
        organisation_name=petition.organisation_name,
        head_count=petition.head_count,
        is_anonymous=petition.is_anonymous,
        is_pseudonymous=petition.is_pseudonymous,
        masked=masked,
        respondent_name=petition.respondent_name,
        respondent_level=petition.respondent_level,
        respondent_detail=petition.respondent_detail,
        respondent_agency_id=petition.respondent_agency_id,
        summary=petition.summary,
        kind=petition.kind,
        field_code=petition.field_code,
        field_name=field_name,
        eligible=petition.eligible,
        ineligible_reason=petition.ineligible_reason,
        ineligible_note=petition.ineligible_note,
        competence=petition.competence,
        instance=petition.instance,
        matter_state=petition.matter_state,
        is_beyond_level=petition.is_beyond_level,
        is_prolonged=petition.is_prolonged,
        is_complicated=petition.is_complicated,
        is_remote_area=petition.is_remote_area,
        duplicate_of_id=petition.duplicate_of_id,
        duplicate_of_number=number_of(duplicate.reg_seq, duplicate.reg_year) if duplicate else None,
        status=petition.status,
        handling_agency_id=petition.handling_agency_id,
        handling_agency=agency_names.get(petition.handling_agency_id or 0, ""),
        forward_count=petition.forward_count,
        over_forwarded=petition.forward_count > int(settings.get(session, MAX_FORWARDS)),
        result=petition.result,
        decided_on=petition.decided_on,
        enforced_on=petition.enforced_on,
        closed_on=petition.closed_on,
        visit_id=petition.visit_id,
        case_id=petition.case_id,
        parent_id=petition.parent_id,
        parent_number=number_of(parent.reg_seq, parent.reg_year) if parent else None,
        children=tuple(
            ChildView(c.id, number_of(c.reg_seq, c.reg_year), c.kind, c.status, c.summary) for c in children
        ),
        documents_received=petition.documents_received,
        events=tuple(
            EventView(
                e.id,
                e.action,
                e.occurred_on,
                e.recorded_at,
                users.get(e.actor_id or 0, "Hệ thống"),
                agency_names.get(e.agency_id or 0, ""),
                e.reason,
                e.note,
                tuple(docs_by_event.get(e.id, [])),
            )
            for e in events
        ),
        documents=tuple(DocumentView(d.id, d.doc_type, d.symbol, d.issued_on, d.recipient, d.event_id) for d in docs),
        clocks=tuple(clocks.clock_rows(session, petition.id)),
        assigned_officer_id=petition.assigned_officer_id,
        assigned_officer=_user_name(session, petition.assigned_officer_id),
    )


def _user_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.full_name if user is not None else ""
