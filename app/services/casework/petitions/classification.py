"""Classifying a petition (Thông tư 05/2021, domain.md §3): kind, field, eligibility, competence, instance, flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import (
    FieldCategory,
    Petition,
)
from app.models.enums import (
    Competence,
    HandlingAction,
    Instance,
    MatterKind,
    MatterState,
    PetitionStatus,
)
from app.models.mixins import now_local
from app.services.casework import eligibility
from app.services.casework.petitions.registration import (
    OPEN_FOR_CLASSIFICATION,
    _protected_citizen,
    _rekind_clocks,
    add_event,
    get,
    number_of,
    snapshot,
)
from app.services.common import catalogues
from app.services.common.actor import Actor
from app.services.common.errors import RuleViolation, ValidationError
from app.services.common.text import nfc_or_none
from app.services.common.vocab import label
from app.services.deadlines import clocks, legal_effect
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

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
    # A second complaint within the window keeps the first decision from taking effect.
    legal_effect.second_complaint_filed(session, petition)
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
