"""Registering a petition (đơn) from every source: input checks, per-year numbering, parties, case, clocks."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import (
    Agency,
    Case,
    Citizen,
    Petition,
    PetitionEvent,
    PetitionParty,
    Visit,
)
from app.models.enums import (
    AgencyLevel,
    HandlingAction,
    MatterKind,
    ParticipantRole,
    PetitionSource,
    PetitionStatus,
    SenderKind,
)
from app.models.mixins import now_local
from app.services.casework import first_dates
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import fold, nfc, nfc_or_none
from app.services.common.vocab import label
from app.services.deadlines import clocks
from app.services.reception.citizens import CitizenInput, check_citizen, citizen_input, save_citizen
from app.services.reception.versions import pin_version
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

MAX_FORWARDS = settings.define(
    "petitions.max_forwards", 3, "Số lần chuyển đơn tối đa trước khi đơn bị đánh dấu chuyển nhiều lần"
)
NUMBER_RETRIES = 5
# Statuses in which a petition's registration and classification can still be corrected.
OPEN_FOR_CLASSIFICATION = (PetitionStatus.RECEIVED, PetitionStatus.CLASSIFIED)
RECEIPT_CLOCKS = {
    MatterKind.COMPLAINT: ("xu_ly_don", "thu_ly_khieu_nai"),
    MatterKind.DENUNCIATION: ("xu_ly_don", "thu_ly_to_cao"),
}
ACCEPTANCE_CLOCKS = ("thu_ly_khieu_nai", "thu_ly_to_cao")
ANSWER_AT_RECEPTION_CLOCK = "tra_loi_tiep_nhan_tai_tiep_cong_dan"


def number_of(reg_seq: int, reg_year: int) -> str:
    return f"{reg_seq}/{reg_year}"


# ---- input ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyInput:
    """A signer or representative of a petition sent by several people."""

    citizen: CitizenInput
    role: ParticipantRole = ParticipantRole.SIGNER


@dataclass(frozen=True)
class PetitionInput:
    """What the clerk typed when registering a petition."""

    source: PetitionSource
    summary: str
    kind: MatterKind
    received_on: dt.date | None = None
    sender_kind: SenderKind = SenderKind.INDIVIDUAL
    citizen: CitizenInput | None = None
    citizen_id: int | None = None
    organisation_name: str | None = None
    parties: tuple[PartyInput, ...] = ()
    head_count: int = 1
    is_anonymous: bool = False
    is_pseudonymous: bool = False
    respondent_name: str | None = None
    respondent_level: AgencyLevel | None = None
    respondent_detail: str | None = None
    respondent_agency_id: int | None = None
    field_code: str | None = None
    visit_id: int | None = None
    source_agency_id: int | None = None
    incoming_doc_number: str | None = None
    incoming_doc_date: dt.date | None = None
    documents_received: str | None = None
    case_id: int | None = None


@dataclass(frozen=True)
class SavedPetition:
    id: int
    number: str
    citizen_id: int | None
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Checked:
    data: PetitionInput
    citizen: Any
    parties: tuple[Any, ...]
    warnings: tuple[str, ...]


def _check_registration(session: Session, data: PetitionInput, today: dt.date) -> _Checked:
    errors: dict[str, str] = {}
    warnings: list[str] = []
    received_on = data.received_on or today
    if received_on > today:
        errors["received_on"] = "Ngày nhận đơn không được sau ngày hôm nay."
    summary = nfc(data.summary or "")
    if not summary:
        errors["summary"] = "Nhập tóm tắt nội dung đơn."
    # Sender
    checked_citizen = None
    parties: list[Any] = []
    organisation = nfc_or_none(data.organisation_name)
    if data.sender_kind == SenderKind.ORGANISATION and not organisation:
        errors["organisation_name"] = "Nhập tên cơ quan, tổ chức gửi đơn."
    if data.is_anonymous and data.citizen is not None and nfc(data.citizen.full_name or ""):
        errors["citizen.full_name"] = "Đơn nặc danh: để trống thông tin người gửi (hoặc bỏ đánh dấu nặc danh)."
    elif (
        not data.is_anonymous
        and data.sender_kind == SenderKind.INDIVIDUAL
        and data.citizen is None
        and data.citizen_id is None
        and data.visit_id is None
    ):
        errors["citizen.full_name"] = "Nhập họ và tên người gửi đơn, hoặc đánh dấu đơn nặc danh."
    if data.citizen is not None and not data.is_anonymous and data.sender_kind != SenderKind.CROWD:
        checked_citizen = check_citizen(data.citizen, prefix="citizen", today=today, session=session)
        errors.update(checked_citizen.errors)
        warnings.extend(checked_citizen.warnings)
    if data.sender_kind == SenderKind.CROWD and not data.is_anonymous:
        if not data.parties:
            errors["parties"] = "Đơn đông người: nhập ít nhất một người đứng tên hoặc đại diện."
        for i, party in enumerate(data.parties):
            checked = check_citizen(party.citizen, prefix=f"parties.{i}", today=today, session=session)
            errors.update(checked.errors)
            warnings.extend(checked.warnings)
            parties.append((checked, party.role))
        max_reps = int(settings.get(session, settings.CROWD_MAX_REPRESENTATIVES))
        reps = sum(1 for p in data.parties if p.role == ParticipantRole.REPRESENTATIVE)
        if reps > max_reps:
            errors["parties"] = f"Đơn đông người cử tối đa {max_reps} người đại diện."
    if data.head_count < 1:
        errors["head_count"] = "Số người đứng tên phải từ 1 trở lên."
    elif data.head_count > 100_000:
        errors["head_count"] = "Số người quá lớn; kiểm tra lại."
    elif data.sender_kind == SenderKind.CROWD and data.head_count < len(data.parties):
        errors["head_count"] = "Số người đứng tên không thể ít hơn số người đã ghi tên."
    # Source
    if data.source == PetitionSource.FORWARDED:
        if data.source_agency_id is None:
            errors["source_agency_id"] = "Chọn cơ quan đã chuyển đơn đến."
        if not nfc_or_none(data.incoming_doc_number):
            errors["incoming_doc_number"] = "Nhập số văn bản (phiếu chuyển) của cơ quan chuyển đến."
        if data.incoming_doc_date is None:
            errors["incoming_doc_date"] = "Nhập ngày của văn bản chuyển đến."
        elif data.incoming_doc_date > received_on:
            errors["incoming_doc_date"] = "Ngày văn bản chuyển đến không được sau ngày nhận đơn."
    for key, agency_id in (
        ("source_agency_id", data.source_agency_id),
        ("respondent_agency_id", data.respondent_agency_id),
    ):
        if agency_id is not None and session.get(Agency, agency_id) is None:
            errors[key] = "Cơ quan đã chọn không có trong danh bạ."
    if data.visit_id is not None:
        visit = session.get(Visit, data.visit_id)
        if visit is None or visit.deleted_at is not None:
            errors["visit_id"] = f"Không tìm thấy lượt tiếp số {data.visit_id}."
    elif data.source == PetitionSource.DESK:
        warnings.append("Đơn nhận trực tiếp nên gắn với lượt tiếp công dân.")
    if data.case_id is not None:
        case = session.get(Case, data.case_id)
        if case is None or case.deleted_at is not None:
            errors["case_id"] = f"Không tìm thấy vụ việc số {data.case_id}."
    errors.update(catalogues.field_error(session, data.field_code, data.kind))
    if errors:
        raise ValidationError(errors)
    level = data.respondent_level
    if level is None and data.respondent_agency_id is not None:
        agency = session.get(Agency, data.respondent_agency_id)
        level = agency.level if agency else None
    cleaned = PetitionInput(
        **{
            **data.__dict__,
            "received_on": received_on,
            "summary": summary,
            "organisation_name": organisation,
            "respondent_name": nfc_or_none(data.respondent_name),
            "respondent_detail": nfc_or_none(data.respondent_detail),
            "respondent_level": level,
            "incoming_doc_number": nfc_or_none(data.incoming_doc_number),
            "documents_received": nfc_or_none(data.documents_received),
            "head_count": data.head_count if data.sender_kind == SenderKind.CROWD else max(1, data.head_count),
        }
    )
    return _Checked(cleaned, checked_citizen, tuple(parties), tuple(dict.fromkeys(warnings)))


# ---- numbering -----------------------------------------------------------------------------------


def _insert_numbered(session: Session, petition: Petition, year: int) -> None:
    """Give ``petition`` the next number of the year's register.

    Two desks may take the same number at once; the unique constraint refuses the second
    insert, which then retries with a fresh number inside a savepoint.
    """
    for attempt in range(NUMBER_RETRIES):
        last = session.scalar(select(func.max(Petition.reg_seq)).where(Petition.reg_year == year))
        petition.reg_year = year
        petition.reg_seq = (last or 0) + 1
        try:
            with session.begin_nested():
                session.add(petition)
                session.flush()
            return
        except IntegrityError:
            # The savepoint rolled back and dropped the pending row; take a fresh number.
            if attempt == NUMBER_RETRIES - 1:
                raise


# ---- registration --------------------------------------------------------------------------------


def _protected_citizen(session: Session, citizen_id: int | None, protect: bool) -> int | None:
    """The citizen to link: for a denunciation, a confidential copy of an ordinary record."""
    if citizen_id is None:
        return None
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFoundError(f"Không tìm thấy công dân số {citizen_id}.")
    if not protect or citizen.confidential:
        return citizen_id
    copy = save_citizen(session, check_citizen(citizen_input(session, citizen_id)), confidential=True)
    return copy.id


def _new_case(session: Session, petition: Petition, first_received_on: dt.date) -> Case:
    case = Case(
        title=petition.summary[:300],
        matter_kind=petition.kind,
        field_code=petition.field_code,
        first_received_on=first_received_on,
    )
    session.add(case)
    session.flush()
    return case


def _attach_case(session: Session, petition: Petition, case_id: int | None) -> None:
    """Every petition belongs to a case: the one given, its visit's, or a new one."""
    if case_id is not None:
        petition.case_id = case_id
        case = session.get(Case, case_id)
        if case is not None and petition.received_on < case.first_received_on:
            case.first_received_on = petition.received_on
        return
    visit = session.get(Visit, petition.visit_id) if petition.visit_id else None
    if visit is not None and visit.case_id is not None:
        petition.case_id = visit.case_id
        return
    first = min(petition.received_on, visit.received_on) if visit is not None else petition.received_on
    case = _new_case(session, petition, first)
    petition.case_id = case.id
    if visit is not None:
        visit.case_id = case.id


def start_receipt_clocks(session: Session, petition: Petition, actor: Actor, event_id: int | None) -> None:
    """Receiving a petition starts the processing clock, and the acceptance clock of its kind; one
    handed in at a reception also starts the answer to the person received (Luật Tiếp công dân,
    Điều 28 khoản 1: 10 working days)."""
    rules = RECEIPT_CLOCKS.get(petition.kind, ("xu_ly_don",))
    if petition.visit_id is not None:
        rules = (*rules, ANSWER_AT_RECEPTION_CLOCK)
    for rule in rules:
        clocks.start_clock(
            session,
            petition.id,
            rule,
            petition.received_on,
            officer_id=petition.assigned_officer_id or actor.user_id,
            event_id=event_id,
        )


def add_event(
    session: Session,
    actor: Actor,
    petition: Petition,
    action: HandlingAction,
    on: dt.date,
    *,
    agency_id: int | None = None,
    reason: str | None = None,
    note: str | None = None,
    data: dict[str, Any] | None = None,
) -> PetitionEvent:
    event = PetitionEvent(
        petition_id=petition.id,
        action=action,
        occurred_on=on,
        actor_id=actor.user_id,
        agency_id=agency_id,
        reason=reason,
        note=note,
        data_json=audit.to_json(data) if data else None,
    )
    session.add(event)
    first_dates.note(petition, action, on)
    session.flush()
    return event


def _apply_registration(session: Session, actor: Actor, petition: Petition, checked: _Checked, protect: bool) -> None:
    data = checked.data
    assert data.received_on is not None
    petition.received_on = data.received_on
    petition.source = data.source
    petition.source_agency_id = data.source_agency_id if data.source == PetitionSource.FORWARDED else None
    petition.incoming_doc_number = data.incoming_doc_number if data.source == PetitionSource.FORWARDED else None
    petition.incoming_doc_date = data.incoming_doc_date if data.source == PetitionSource.FORWARDED else None
    petition.sender_kind = data.sender_kind
    petition.organisation_name = data.organisation_name if data.sender_kind == SenderKind.ORGANISATION else None
    petition.head_count = data.head_count
    petition.is_anonymous = data.is_anonymous
    petition.is_pseudonymous = data.is_pseudonymous
    petition.respondent_name = data.respondent_name
    petition.respondent_folded = fold(data.respondent_name) if data.respondent_name else None
    petition.respondent_level = data.respondent_level
    petition.respondent_detail = data.respondent_detail
    petition.respondent_agency_id = data.respondent_agency_id
    petition.summary = data.summary
    petition.summary_folded = fold(data.summary)
    petition.kind = data.kind
    petition.field_code = data.field_code
    petition.visit_id = data.visit_id
    petition.documents_received = data.documents_received
    citizen_id: int | None = None
    if data.is_anonymous:
        citizen_id = None
    elif checked.citizen is not None:
        citizen_id = save_citizen(session, checked.citizen, data.citizen_id, confidential=protect, actor=actor).id
    elif data.citizen_id is not None:
        citizen_id = _protected_citizen(session, data.citizen_id, protect)
    elif data.visit_id is not None and data.sender_kind == SenderKind.INDIVIDUAL:
        visit = session.get(Visit, data.visit_id)
        citizen_id = _protected_citizen(session, visit.citizen_id if visit else None, protect)
    petition.citizen_id = citizen_id
    citizen = session.get(Citizen, citizen_id) if citizen_id is not None else None
    petition.citizen_version = pin_version(session, citizen) if citizen is not None else None


def _set_parties(session: Session, actor: Actor, petition: Petition, checked: _Checked, protect: bool) -> None:
    petition.parties.clear()
    session.flush()
    for position, (person, role) in enumerate(checked.parties):
        saved = save_citizen(session, person, confidential=protect, actor=actor, prefix=f"parties.{position}")
        petition.parties.append(
            PetitionParty(
                citizen_id=saved.id, citizen_version=pin_version(session, saved), role=role, position=position
            )
        )
    # The first representative (else the first signer) is the petition's named sender for search.
    if checked.parties and petition.citizen_id is None:
        ordered = sorted(petition.parties, key=lambda p: (p.role != ParticipantRole.REPRESENTATIVE, p.position))
        petition.citizen_id = ordered[0].citizen_id
        petition.citizen_version = ordered[0].citizen_version


def snapshot(petition: Petition) -> dict[str, Any]:
    return {
        "number": number_of(petition.reg_seq, petition.reg_year),
        "received_on": petition.received_on,
        "source": petition.source,
        "source_agency_id": petition.source_agency_id,
        "incoming_doc_number": petition.incoming_doc_number,
        "incoming_doc_date": petition.incoming_doc_date,
        "sender_kind": petition.sender_kind,
        "citizen_id": petition.citizen_id,
        "organisation_name": petition.organisation_name,
        "head_count": petition.head_count,
        "is_anonymous": petition.is_anonymous,
        "is_pseudonymous": petition.is_pseudonymous,
        "respondent_name": petition.respondent_name,
        "respondent_level": petition.respondent_level,
        "respondent_agency_id": petition.respondent_agency_id,
        "summary": petition.summary,
        "kind": petition.kind,
        "field_code": petition.field_code,
        "eligible": petition.eligible,
        "ineligible_reason": petition.ineligible_reason,
        "competence": petition.competence,
        "instance": petition.instance,
        "matter_state": petition.matter_state,
        "is_beyond_level": petition.is_beyond_level,
        "is_prolonged": petition.is_prolonged,
        "is_complicated": petition.is_complicated,
        "is_remote_area": petition.is_remote_area,
        "duplicate_of_id": petition.duplicate_of_id,
        "status": petition.status,
        "handling_agency_id": petition.handling_agency_id,
        "forward_count": petition.forward_count,
        "case_id": petition.case_id,
        "parties": [p.citizen_id for p in petition.parties],
    }


def register_petition(
    session: Session, actor: Actor, data: PetitionInput, *, today: dt.date | None = None
) -> SavedPetition:
    """Validate and store a new petition with its number, first event, case and clocks."""
    require(actor, Permission.REGISTER_PETITION)
    checked = _check_registration(session, data, today or now_local().date())
    protect = confidential.must_protect(data.kind)
    petition = Petition(status=PetitionStatus.RECEIVED, forward_count=0, created_by=actor.user_id)
    _apply_registration(session, actor, petition, checked, protect)
    assert checked.data.received_on is not None
    _insert_numbered(session, petition, checked.data.received_on.year)
    _set_parties(session, actor, petition, checked, protect)
    _attach_case(session, petition, data.case_id)
    session.flush()
    event = add_event(
        session,
        actor,
        petition,
        HandlingAction.RECEIVE,
        petition.received_on,
        agency_id=petition.source_agency_id,
        note=label(petition.source),
    )
    start_receipt_clocks(session, petition, actor, event.id)
    audit.record(session, actor, "create", "petition", petition.id, after=snapshot(petition))
    return SavedPetition(
        petition.id, number_of(petition.reg_seq, petition.reg_year), petition.citizen_id, checked.warnings
    )


def update_registration(
    session: Session, actor: Actor, petition_id: int, data: PetitionInput, *, today: dt.date | None = None
) -> SavedPetition:
    """Correct what was typed at registration (before any handling direction is taken)."""
    require(actor, Permission.REGISTER_PETITION)
    petition = get(session, petition_id)
    if petition.status not in OPEN_FOR_CLASSIFICATION:
        raise RuleViolation(
            f"Đơn số {number_of(petition.reg_seq, petition.reg_year)} đã có hướng xử lý "
            f"({label(petition.status)}): không sửa thông tin tiếp nhận được nữa."
        )
    checked = _check_registration(session, data, today or now_local().date())
    before = snapshot(petition)
    protect = confidential.must_protect(data.kind) or bool(petition.citizen and petition.citizen.confidential)
    old_kind = petition.kind
    _apply_registration(session, actor, petition, checked, protect)
    if checked.parties or data.sender_kind != SenderKind.CROWD:
        _set_parties(session, actor, petition, checked, protect)
    session.flush()
    if old_kind != petition.kind:
        _rekind_clocks(session, actor, petition, old_kind)
    old, new = audit.changes(before, snapshot(petition))
    if old or new:
        audit.record(session, actor, "update", "petition", petition.id, before=old, after=new)
    return SavedPetition(
        petition.id, number_of(petition.reg_seq, petition.reg_year), petition.citizen_id, checked.warnings
    )


def _rekind_clocks(session: Session, actor: Actor, petition: Petition, old_kind: MatterKind) -> None:
    """The kind changed: the acceptance clock of the old kind goes, the new kind's starts from receipt."""
    old_rules = set(RECEIPT_CLOCKS.get(old_kind, ())) - {"xu_ly_don"}
    new_rules = set(RECEIPT_CLOCKS.get(petition.kind, ())) - {"xu_ly_don"}
    if old_rules - new_rules:
        clocks.cancel_clocks(session, petition.id, sorted(old_rules - new_rules))
    for rule in sorted(new_rules - old_rules):
        clocks.start_clock(session, petition.id, rule, petition.received_on, officer_id=actor.user_id)


def get(session: Session, petition_id: int) -> Petition:
    petition = session.get(Petition, petition_id)
    if petition is None or petition.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy đơn số {petition_id}.")
    return petition


def event_data(event: PetitionEvent) -> dict[str, Any]:
    return json.loads(event.data_json) if event.data_json else {}


def petition_input(session: Session, petition_id: int) -> PetitionInput:
    """The stored registration as form data (for correction); only for users who may see the sender."""
    petition = get(session, petition_id)
    return PetitionInput(
        source=petition.source,
        summary=petition.summary,
        kind=petition.kind,
        received_on=petition.received_on,
        sender_kind=petition.sender_kind,
        citizen=citizen_input(session, petition.citizen_id)
        if petition.citizen_id and petition.sender_kind == SenderKind.INDIVIDUAL
        else None,
        citizen_id=petition.citizen_id if petition.sender_kind == SenderKind.INDIVIDUAL else None,
        organisation_name=petition.organisation_name,
        parties=tuple(PartyInput(citizen_input(session, p.citizen_id), p.role) for p in petition.parties),
        head_count=petition.head_count,
        is_anonymous=petition.is_anonymous,
        is_pseudonymous=petition.is_pseudonymous,
        respondent_name=petition.respondent_name,
        respondent_level=petition.respondent_level,
        respondent_detail=petition.respondent_detail,
        respondent_agency_id=petition.respondent_agency_id,
        field_code=petition.field_code,
        visit_id=petition.visit_id,
        source_agency_id=petition.source_agency_id,
        incoming_doc_number=petition.incoming_doc_number,
        incoming_doc_date=petition.incoming_doc_date,
        documents_received=petition.documents_received,
        case_id=petition.case_id,
    )


def find_by_number(session: Session, number: str) -> int | None:
    """The id of the petition "12/2026" (or "12": this year's), or ``None``."""
    seq_text, _, year_text = number.strip().partition("/")
    if not seq_text.strip().isdigit() or (year_text and not year_text.strip().isdigit()):
        return None
    year = int(year_text) if year_text.strip() else now_local().year
    return session.scalar(
        select(Petition.id).where(
            Petition.reg_seq == int(seq_text), Petition.reg_year == year, Petition.deleted_at.is_(None)
        )
    )
