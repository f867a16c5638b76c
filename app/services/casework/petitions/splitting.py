"""Splitting a mixed petition into one petition per matter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import (
    Citizen,
    CitizenVersion,
    Petition,
    PetitionParty,
)
from app.models.enums import (
    HandlingAction,
    MatterKind,
    PetitionStatus,
)
from app.models.mixins import now_local
from app.services.casework.petitions.registration import (
    OPEN_FOR_CLASSIFICATION,
    SavedPetition,
    _insert_numbered,
    _protected_citizen,
    add_event,
    get,
    number_of,
    snapshot,
    start_receipt_clocks,
)
from app.services.common import catalogues
from app.services.common.actor import Actor
from app.services.common.errors import RuleViolation, ValidationError
from app.services.common.text import fold, nfc
from app.services.common.vocab import label
from app.services.deadlines import clocks
from app.services.reception.versions import Holder, pin_version
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

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
        sender = _protected_citizen(session, petition.citizen_id, protect)
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
            citizen_id=sender,
            citizen_version=_version_for(session, sender, petition) if sender is not None else None,
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
            child.parties.append(
                PetitionParty(
                    citizen_id=protected,
                    citizen_version=_version_for(session, protected, party),
                    role=party.role,
                    position=party.position,
                )
            )
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


def _version_for(session: Session, citizen_id: int, original: Holder) -> CitizenVersion:
    """A part keeps the person as the original petition recorded them; a protected copy is new."""
    citizen = original.citizen
    if citizen is not None and citizen.id == citizen_id and original.citizen_version is not None:
        return original.citizen_version
    return pin_version(session, session.get_one(Citizen, citizen_id))
