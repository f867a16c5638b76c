"""Petitions (đơn): register from every source, classify, split a mixed petition, list and show.

Handling actions (accept, forward, guide…) live in ``app.services.casework.actions``; this module owns the
petition's registration data and classification (Thông tư 05/2021, domain.md §3).
"""

from __future__ import annotations

import datetime as dt
import json
from array import array
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import (
    Agency,
    Case,
    Citizen,
    FieldCategory,
    IssuedDocument,
    Petition,
    PetitionEvent,
    PetitionParty,
    User,
    Visit,
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
from app.models.mixins import now_local
from app.services.casework import eligibility, first_dates
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import fold, nfc, nfc_or_none, search_tokens
from app.services.common.vocab import label
from app.services.deadlines import clocks
from app.services.deadlines.clocks import ClockRow
from app.services.directory import agencies
from app.services.reception import search
from app.services.reception.citizens import CitizenInput, check_citizen, citizen_input, format_address, save_citizen
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
    """Receiving a petition starts the processing clock, and the acceptance clock of its kind."""
    for rule in RECEIPT_CLOCKS.get(petition.kind, ("xu_ly_don",)):
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


def _apply_registration(session: Session, petition: Petition, checked: _Checked, protect: bool) -> None:
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
        citizen_id = save_citizen(session, checked.citizen, data.citizen_id, confidential=protect).id
    elif data.citizen_id is not None:
        citizen_id = _protected_citizen(session, data.citizen_id, protect)
    elif data.visit_id is not None and data.sender_kind == SenderKind.INDIVIDUAL:
        visit = session.get(Visit, data.visit_id)
        citizen_id = _protected_citizen(session, visit.citizen_id if visit else None, protect)
    petition.citizen_id = citizen_id


def _set_parties(session: Session, petition: Petition, checked: _Checked, protect: bool) -> None:
    petition.parties.clear()
    session.flush()
    for position, (person, role) in enumerate(checked.parties):
        saved = save_citizen(session, person, confidential=protect)
        petition.parties.append(PetitionParty(citizen_id=saved.id, role=role, position=position))
    # The first representative (else the first signer) is the petition's named sender for search.
    if checked.parties and petition.citizen_id is None:
        ordered = sorted(petition.parties, key=lambda p: (p.role != ParticipantRole.REPRESENTATIVE, p.position))
        petition.citizen_id = ordered[0].citizen_id


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
    _apply_registration(session, petition, checked, protect)
    assert checked.data.received_on is not None
    _insert_numbered(session, petition, checked.data.received_on.year)
    _set_parties(session, petition, checked, protect)
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
    _apply_registration(session, petition, checked, protect)
    if checked.parties or data.sender_kind != SenderKind.CROWD:
        _set_parties(session, petition, checked, protect)
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


# ---- classification ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassificationInput:
    kind: MatterKind
    field_code: str | None = None
    eligible: bool | None = True
    ineligible_reason: str | None = None
    ineligible_note: str | None = None
    competence: Competence | None = None
    instance: Instance | None = None
    matter_state: MatterState | None = None
    is_beyond_level: bool = False
    is_prolonged: bool = False
    is_complicated: bool = False
    is_remote_area: bool = False
    is_anonymous: bool | None = None
    is_pseudonymous: bool | None = None
    duplicate_of_id: int | None = None
    on: dt.date | None = None


def _check_classification(session: Session, petition: Petition, data: ClassificationInput) -> dict[str, str]:
    errors: dict[str, str] = dict(catalogues.field_error(session, data.field_code, data.kind))
    if data.eligible is False:
        if not data.ineligible_reason:
            errors["ineligible_reason"] = "Đơn không đủ điều kiện xử lý: chọn lý do."
        elif data.ineligible_reason not in {r.code for r in eligibility.reasons_for(data.kind)}:
            errors["ineligible_reason"] = "Lý do không đủ điều kiện không áp dụng cho loại đơn này."
        elif data.ineligible_reason == "khac" and not nfc_or_none(data.ineligible_note):
            errors["ineligible_note"] = "Lý do khác: ghi rõ lý do."
    if data.instance is not None and data.kind != MatterKind.COMPLAINT:
        errors["instance"] = "Chỉ đơn khiếu nại mới phân biệt giải quyết lần đầu, lần hai."
    if data.duplicate_of_id is not None:
        original = session.get(Petition, data.duplicate_of_id)
        if original is None or original.deleted_at is not None:
            errors["duplicate_of_id"] = f"Không tìm thấy đơn số {data.duplicate_of_id}."
        elif original.id == petition.id:
            errors["duplicate_of_id"] = "Đơn không thể trùng với chính nó."
    on = data.on or now_local().date()
    if on < petition.received_on:
        errors["on"] = "Ngày phân loại không được trước ngày nhận đơn."
    return errors


def classify(session: Session, actor: Actor, petition_id: int, data: ClassificationInput) -> tuple[str, ...]:
    """Record the classification; returns warnings (duplicate, anonymous…) for the clerk to read."""
    require(actor, Permission.PROCESS_PETITION)
    petition = get(session, petition_id)
    number = number_of(petition.reg_seq, petition.reg_year)
    if petition.status not in OPEN_FOR_CLASSIFICATION:
        raise RuleViolation(
            f"Đơn số {number} đang ở trạng thái “{label(petition.status)}”: chỉ phân loại đơn mới tiếp nhận "
            "hoặc đã phân loại, chưa có hướng xử lý (Thông tư 05/2021/TT-TTCP)."
        )
    errors = _check_classification(session, petition, data)
    if errors:
        raise ValidationError(errors)
    before = snapshot(petition)
    old_kind = petition.kind
    on = data.on or now_local().date()
    petition.kind = data.kind
    petition.field_code = data.field_code
    petition.eligible = data.eligible
    petition.ineligible_reason = data.ineligible_reason if data.eligible is False else None
    petition.ineligible_note = nfc_or_none(data.ineligible_note) if data.eligible is False else None
    petition.competence = data.competence
    petition.instance = data.instance or (
        Instance.FIRST if data.kind == MatterKind.COMPLAINT and data.competence == Competence.WITHIN else None
    )
    petition.matter_state = data.matter_state
    petition.is_beyond_level = data.is_beyond_level
    petition.is_prolonged = data.is_prolonged
    petition.is_complicated = data.is_complicated
    petition.is_remote_area = data.is_remote_area
    if data.is_anonymous is not None:
        petition.is_anonymous = data.is_anonymous
    if data.is_pseudonymous is not None:
        petition.is_pseudonymous = data.is_pseudonymous
    petition.duplicate_of_id = data.duplicate_of_id
    petition.status = PetitionStatus.CLASSIFIED
    if confidential.must_protect(petition.kind):
        _protect_sender(session, petition)
    session.flush()
    if old_kind != petition.kind:
        _rekind_clocks(session, actor, petition, old_kind)
    if (
        petition.kind == MatterKind.DENUNCIATION
        and petition.competence == Competence.OUTSIDE
        and not _has_clock(session, petition.id, "chuyen_to_cao")
    ):
        # A denunciation outside competence must be forwarded within its own limit (Luật Tố cáo art. 24).
        clocks.start_clock(session, petition.id, "chuyen_to_cao", petition.received_on, officer_id=actor.user_id)
    old, new = audit.changes(before, snapshot(petition))
    event = add_event(
        session,
        actor,
        petition,
        HandlingAction.CLASSIFY,
        on,
        reason=eligibility.label(petition.ineligible_reason) or None,
        note=_classification_note(session, petition),
        data=new,
    )
    audit.record(session, actor, "classify", "petition", petition.id, before=old, after={**new, "event_id": event.id})
    warnings: list[str] = []
    if petition.duplicate_of_id is not None:
        original = session.get(Petition, petition.duplicate_of_id)
        if original is not None:
            warnings.append(f"Đơn trùng với đơn số {number_of(original.reg_seq, original.reg_year)}.")
    if petition.kind == MatterKind.MIXED:
        warnings.append("Đơn có nhiều nội dung: tách đơn để mỗi nội dung được xử lý theo trình tự riêng.")
    if (petition.is_anonymous or petition.is_pseudonymous) and petition.kind == MatterKind.COMPLAINT:
        warnings.append("Đơn khiếu nại nặc danh, mạo danh không được thụ lý giải quyết.")
    return tuple(warnings)


def _has_clock(session: Session, petition_id: int, rule_code: str) -> bool:
    return any(row.rule_code == rule_code for row in clocks.clock_rows(session, petition_id))


def _protect_sender(session: Session, petition: Petition) -> None:
    """A petition became a denunciation: its sender and signers move to confidential records."""
    petition.citizen_id = _protected_citizen(session, petition.citizen_id, True)
    for party in petition.parties:
        protected = _protected_citizen(session, party.citizen_id, True)
        assert protected is not None
        party.citizen_id = protected
    session.flush()
    # The relationships still hold the ordinary records: reload them from the new ids.
    session.expire(petition, ["citizen"])
    for party in petition.parties:
        session.expire(party, ["citizen"])


def _classification_note(session: Session, petition: Petition) -> str:
    parts = [label(petition.kind)]
    if petition.field_code:
        found = session.get(FieldCategory, petition.field_code)
        if found:
            parts.append(found.name)
    if petition.competence:
        parts.append(label(petition.competence))
    if petition.eligible is False:
        parts.append("không đủ điều kiện xử lý")
    return "; ".join(parts)


# ---- split ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitPart:
    kind: MatterKind
    summary: str
    field_code: str | None = None


def split(
    session: Session, actor: Actor, petition_id: int, parts: list[SplitPart], *, on: dt.date | None = None
) -> list[SavedPetition]:
    """Separate a mixed petition into one petition per content, each with its own number, route and clocks."""
    require(actor, Permission.PROCESS_PETITION)
    petition = get(session, petition_id)
    number = number_of(petition.reg_seq, petition.reg_year)
    if petition.kind != MatterKind.MIXED:
        raise RuleViolation(
            f"Chỉ tách đơn có nhiều nội dung khác nhau (Thông tư 05/2021/TT-TTCP); đơn số {number} là đơn "
            f"{label(petition.kind).lower()}."
        )
    if petition.status not in OPEN_FOR_CLASSIFICATION:
        raise RuleViolation(f"Đơn số {number} đang ở trạng thái “{label(petition.status)}”: không tách được nữa.")
    errors: dict[str, str] = {}
    if len(parts) < 2:
        errors["parts"] = "Tách đơn thành ít nhất hai nội dung."
    for i, part in enumerate(parts):
        if part.kind == MatterKind.MIXED:
            errors[f"parts.{i}.kind"] = (
                "Mỗi nội dung sau khi tách phải có một loại: khiếu nại, tố cáo, kiến nghị hoặc phản ánh."
            )
        if not nfc(part.summary or ""):
            errors[f"parts.{i}.summary"] = "Nhập nội dung của phần đơn này."
        for key, msg in catalogues.field_error(session, part.field_code, part.kind).items():
            errors[f"parts.{i}.{key}"] = msg
    day = on or now_local().date()
    if day < petition.received_on:
        errors["on"] = "Ngày tách đơn không được trước ngày nhận đơn."
    if errors:
        raise ValidationError(errors)
    saved: list[SavedPetition] = []
    for part in parts:
        protect = confidential.must_protect(part.kind)
        child = Petition(
            status=PetitionStatus.RECEIVED,
            forward_count=0,
            created_by=actor.user_id,
            parent_id=petition.id,
            received_on=petition.received_on,
            source=petition.source,
            source_agency_id=petition.source_agency_id,
            incoming_doc_number=petition.incoming_doc_number,
            incoming_doc_date=petition.incoming_doc_date,
            sender_kind=petition.sender_kind,
            citizen_id=_protected_citizen(session, petition.citizen_id, protect),
            organisation_name=petition.organisation_name,
            head_count=petition.head_count,
            is_anonymous=petition.is_anonymous,
            is_pseudonymous=petition.is_pseudonymous,
            respondent_name=petition.respondent_name,
            respondent_level=petition.respondent_level,
            respondent_detail=petition.respondent_detail,
            respondent_agency_id=petition.respondent_agency_id,
            summary=nfc(part.summary),
            summary_folded=fold(nfc(part.summary)),
            kind=part.kind,
            field_code=part.field_code,
            visit_id=petition.visit_id,
            case_id=petition.case_id,
            documents_received=petition.documents_received,
            is_remote_area=petition.is_remote_area,
        )
        _insert_numbered(session, child, petition.received_on.year)
        for party in petition.parties:
            protected = _protected_citizen(session, party.citizen_id, protect)
            assert protected is not None
            child.parties.append(PetitionParty(citizen_id=protected, role=party.role, position=party.position))
        session.flush()
        event = add_event(
            session,
            actor,
            child,
            HandlingAction.RECEIVE,
            child.received_on,
            note=f"Tách từ đơn số {number}",
        )
        start_receipt_clocks(session, child, actor, event.id)
        audit.record(session, actor, "create", "petition", child.id, after=snapshot(child))
        saved.append(SavedPetition(child.id, number_of(child.reg_seq, child.reg_year), child.citizen_id))
    before_status = petition.status
    petition.status = PetitionStatus.SPLIT
    clocks.cancel_clocks(session, petition.id)
    children = ", ".join(s.number for s in saved)
    add_event(
        session,
        actor,
        petition,
        HandlingAction.SPLIT,
        day,
        note=f"Tách thành các đơn số {children}",
        data={"children": [s.id for s in saved], "from": before_status, "to": PetitionStatus.SPLIT},
    )
    audit.record(
        session,
        actor,
        "split",
        "petition",
        petition.id,
        before={"status": before_status},
        after={"status": PetitionStatus.SPLIT, "children": [s.id for s in saved]},
    )
    return saved


# ---- lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionFilter:
    status: PetitionStatus | None = None
    kind: MatterKind | None = None
    source: PetitionSource | None = None
    text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    case_id: int | None = None
    open_only: bool = False


@dataclass(frozen=True)
class PetitionRow:
    id: int
    number: str
    received_on: dt.date
    source: PetitionSource
    sender: str
    kind: MatterKind
    field_name: str
    status: PetitionStatus
    summary: str
    agency_name: str
    forward_count: int
    over_forwarded: bool
    is_anonymous: bool
    parent_id: int | None

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def status_label(self) -> str:
        return label(self.status)

    @property
    def source_label(self) -> str:
        return label(self.source)


CLOSED_STATUSES = (
    PetitionStatus.GUIDED,
    PetitionStatus.RETURNED,
    PetitionStatus.FILED,
    PetitionStatus.WITHDRAWN,
    PetitionStatus.TERMINATED,
    PetitionStatus.SPLIT,
    PetitionStatus.NOT_ACCEPTED,
    PetitionStatus.CLOSED,
)

SORT_COLUMNS: dict[str, Any] = {
    "number": Petition.reg_year,
    "received_on": Petition.received_on,
    "kind": Petition.kind,
    "status": Petition.status,
    "source": Petition.source,
    "forward_count": Petition.forward_count,
}


def _conditions(session: Session, flt: PetitionFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [Petition.deleted_at.is_(None)]
    if flt.status:
        conds.append(Petition.status == flt.status)
    if flt.kind:
        conds.append(Petition.kind == flt.kind)
    if flt.source:
        conds.append(Petition.source == flt.source)
    if flt.date_from:
        conds.append(Petition.received_on >= flt.date_from)
    if flt.date_to:
        conds.append(Petition.received_on <= flt.date_to)
    if flt.case_id is not None:
        conds.append(Petition.case_id == flt.case_id)
    if flt.open_only:
        conds.append(Petition.status.not_in(CLOSED_STATUSES))
    if search_tokens(flt.text):
        text = flt.text.strip()
        matches = search.petition_text_matches(session, text)
        # "12/2026" or "12" finds the petition by its register number.
        head = text.split("/")[0]
        if head.isdigit():
            matches = matches | (Petition.reg_seq == int(head))
        conds.append(matches)
    return conds


def petition_ids(
    session: Session, flt: PetitionFilter, sort: str = "received_on", descending: bool = True
) -> array[int]:
    """Every matching petition id in display order (filtering and sorting in SQL), for the lazy list."""
    column = SORT_COLUMNS.get(sort, Petition.received_on)
    order = [Petition.reg_year, Petition.reg_seq] if sort == "number" else [column, Petition.reg_year, Petition.reg_seq]
    order_by = [c.desc() for c in order] if descending else [c.asc() for c in order]
    result = session.execute(select(Petition.id).where(*_conditions(session, flt)).order_by(*order_by))
    ids: array[int] = array("q")
    for chunk in result.scalars().partitions(50_000):
        ids.extend(chunk)
    return ids


def _sender_text(
    actor: Actor, sender_kind: SenderKind, anonymous: bool, org: str | None, name: str | None, secret: bool, count: int
) -> str:
    if anonymous:
        return "Nặc danh"
    if sender_kind == SenderKind.ORGANISATION:
        return org or ""
    shown = confidential.shown(actor, name, secret) or ""
    if sender_kind == SenderKind.CROWD and count > 1:
        return f"{shown} và {count - 1} người"
    return shown


def petition_rows(session: Session, actor: Actor, ids: list[int] | array[int]) -> list[PetitionRow]:
    """The rows for ``ids`` in the same order; denouncers masked for ``actor``."""
    id_list = list(ids)
    if not id_list:
        return []
    limit = int(settings.get(session, MAX_FORWARDS))
    rows = session.execute(
        select(
            Petition.id,
            Petition.reg_seq,
            Petition.reg_year,
            Petition.received_on,
            Petition.source,
            Petition.sender_kind,
            Petition.is_anonymous,
            Petition.organisation_name,
            Petition.head_count,
            Citizen.full_name,
            Citizen.confidential,
            Petition.kind,
            FieldCategory.name.label("field_name"),
            Petition.status,
            Petition.summary,
            Agency.name.label("agency_name"),
            Petition.forward_count,
            Petition.parent_id,
        )
        .outerjoin(Citizen, Citizen.id == Petition.citizen_id)
        .outerjoin(FieldCategory, FieldCategory.code == Petition.field_code)
        .outerjoin(Agency, Agency.id == Petition.handling_agency_id)
        .where(Petition.id.in_(id_list))
    ).all()
    by_id = {
        r.id: PetitionRow(
            id=r.id,
            number=number_of(r.reg_seq, r.reg_year),
            received_on=r.received_on,
            source=r.source,
            sender=_sender_text(
                actor,
                r.sender_kind,
                r.is_anonymous,
                r.organisation_name,
                r.full_name,
                bool(r.confidential),
                r.head_count,
            ),
            kind=r.kind,
            field_name=r.field_name or "",
            status=r.status,
            summary=r.summary,
            agency_name=r.agency_name or "",
            forward_count=r.forward_count,
            over_forwarded=r.forward_count > limit,
            is_anonymous=r.is_anonymous,
            parent_id=r.parent_id,
        )
        for r in rows
    }
    return [by_id[i] for i in id_list if i in by_id]


def list_petitions(
    session: Session, actor: Actor, flt: PetitionFilter | None = None, limit: int = 500
) -> list[PetitionRow]:
    ids = petition_ids(session, flt or PetitionFilter())
    return petition_rows(session, actor, ids[:limit])


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
    )


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
