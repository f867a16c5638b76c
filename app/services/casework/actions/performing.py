"""Checking and performing an action: the rule that refuses it, or the event, clocks, documents and audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Agency, IssuedDocument, Petition, PetitionEvent
from app.models.enums import (
    Competence,
    DocumentType,
    HandlingAction,
    Instance,
    MatterKind,
    PetitionStatus,
    ResolutionResult,
)
from app.models.mixins import now_local
from app.services.casework import eligibility, petitions
from app.services.casework.actions.catalogue import (
    ANSWER_CLOCK,
    ANSWERING_DOCUMENTS,
    CATALOGUE,
    LKN,
    LTC,
    MENU,
    TERMINAL,
    TT05,
    WAITING_CLOCK,
    ActionInput,
    ActionOutcome,
    ActionSpec,
    K,
    S,
)
from app.services.casework.documents import IssuedRef, issue_document
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.errors import RuleViolation, ValidationError
from app.services.common.text import nfc_or_none
from app.services.common.vocab import label
from app.services.deadlines import clocks, legal_effect
from app.services.reception.citizens import format_address
from app.services.security import audit
from app.services.security.permissions import Permission, require


def resolution_rule(petition: Petition) -> str:
    """The clock that acceptance starts, by kind and instance."""
    if petition.kind == K.COMPLAINT:
        return "gq_khieu_nai_lan_2" if petition.instance == Instance.SECOND else "gq_khieu_nai_lan_1"
    if petition.kind == K.DENUNCIATION:
        return "gq_to_cao"
    return "tra_loi_kien_nghi"


def _statuses(values: frozenset[PetitionStatus]) -> str:
    return ", ".join(f"“{label(s)}”" for s in sorted(values, key=list(PetitionStatus).index))


def why_not(session: Session, petition: Petition, spec: ActionSpec, data: ActionInput | None = None) -> str | None:
    """The Vietnamese reason the action is not allowed now (naming the rule), or ``None``."""
    number = petitions.number_of(petition.reg_seq, petition.reg_year)
    head = f"Không thể {spec.verb} đơn số {number}"
    if petition.status not in spec.sources:
        hint = " Phân loại đơn trước." if petition.status == S.RECEIVED and S.CLASSIFIED in spec.sources else ""
        return (
            f"{head}: đơn đang ở trạng thái “{label(petition.status)}”; chỉ được {spec.verb} khi đơn ở trạng thái "
            f"{_statuses(spec.sources)} ({spec.basis}).{hint}"
        )
    if petition.kind not in spec.kinds:
        if petition.kind == K.MIXED:
            return (
                f"{head}: đơn có nhiều nội dung phải được tách trước, mỗi nội dung xử lý theo trình tự riêng ({TT05})."
            )
        kinds = ", ".join(label(k).lower() for k in MatterKind if k in spec.kinds)
        return f"{head}: chỉ áp dụng cho đơn {kinds} ({spec.basis})."
    if spec.desk_only and petition.visit_id is None:
        return f"{head}: chỉ áp dụng cho đơn tiếp nhận tại buổi tiếp công dân ({spec.basis})."
    action = spec.action
    if action == HandlingAction.ACCEPT:
        if petition.is_anonymous or petition.is_pseudonymous:
            which = "nặc danh" if petition.is_anonymous else "mạo danh"
            law = f"{LKN}, Điều 8 và Điều 11" if petition.kind == K.COMPLAINT else f"{LTC}, Điều 25 và Điều 29"
            return f"{head}: đơn {which} không được thụ lý giải quyết ({law})."
        if petition.competence != Competence.WITHIN:
            if petition.competence is None:
                return f"{head}: chưa xác định thẩm quyền giải quyết; phân loại đơn trước ({TT05})."
            law = f"{LKN}, Điều 11" if petition.kind == K.COMPLAINT else f"{LTC}, Điều 29"
            return f"{head}: đơn không thuộc thẩm quyền giải quyết của cơ quan; hãy chuyển đơn hoặc hướng dẫn ({law})."
        if petition.eligible is False:
            why = eligibility.label(petition.ineligible_reason)
            return f"{head}: đơn không đủ điều kiện xử lý ({why}); hãy lưu đơn hoặc ra thông báo không thụ lý ({TT05})."
        if petition.duplicate_of_id is not None:
            return f"{head}: đơn trùng với một đơn đã tiếp nhận, đang được xử lý ({TT05})."
    if action == HandlingAction.FORWARD and petition.kind == K.COMPLAINT and petition.competence == Competence.WITHIN:
        return f"{head}: khiếu nại thuộc thẩm quyền phải được thụ lý hoặc thông báo không thụ lý ({LKN}, Điều 27)."
    if action == HandlingAction.GUIDE and petition.competence == Competence.WITHIN:
        return f"{head}: chỉ hướng dẫn khi đơn không thuộc thẩm quyền giải quyết của cơ quan ({TT05})."
    if action == HandlingAction.ENFORCE and petition.enforced_on is not None:
        return f"{head}: quyết định đã được ghi nhận thi hành ngày {petition.enforced_on:%d/%m/%Y} ({spec.basis})."
    if action == HandlingAction.REMIND and petition.status == S.RESOLVED and petition.enforced_on is not None:
        return f"{head}: quyết định đã được thi hành, không cần đôn đốc ({TT05})."
    if data is not None and data.agency_id is not None and spec.needs_agency:
        agency = session.get(Agency, data.agency_id)
        if agency is not None and not agency.active:
            return f"{head}: cơ quan “{agency.name}” đã ngừng sử dụng trong danh bạ; chọn cơ quan khác."
    return None


def available(session: Session, petition_id: int) -> list[tuple[HandlingAction, str | None]]:
    """Every action of the menu with ``None`` when it may be taken now, else why not (for the panel)."""
    petition = petitions.get(session, petition_id)
    return [(action, why_not(session, petition, CATALOGUE[action])) for action in MENU]


def offered(session: Session, petition_id: int) -> list[tuple[HandlingAction, str | None]]:
    """The actions the petition's status and kind allow, in menu order, each with why it is refused now.

    An action the catalogue never allows from this status (resuming a petition that is not
    suspended) or for this kind (extending a complaint) is left out; one that another rule stops
    for this petition (accepting an anonymous complaint) stays, with the rule that stops it.
    """
    petition = petitions.get(session, petition_id)
    return [
        (action, why_not(session, petition, spec))
        for action, spec in ((a, CATALOGUE[a]) for a in MENU)
        if petition.status in spec.sources
        and petition.kind in spec.kinds
        and (not spec.desk_only or petition.visit_id is not None)
    ]


def _agency_of(petition: Petition, spec: ActionSpec, data: ActionInput) -> int | None:
    """The body the action concerns: the one chosen, or for a reminder the body holding the petition."""
    return data.agency_id or (petition.handling_agency_id if spec.action == HandlingAction.REMIND else None)


def _reason_of(petition: Petition, spec: ActionSpec, data: ActionInput) -> str | None:
    """The reason typed or picked from the list; filing falls back to why the petition is ineligible."""
    reason = nfc_or_none(data.reason) or eligibility.label(data.reason_code) or None
    if spec.action == HandlingAction.FILE and not reason:
        reason = eligibility.label(petition.ineligible_reason) or None
    return reason


def _check_input(session: Session, petition: Petition, spec: ActionSpec, data: ActionInput, today: dt.date) -> None:
    errors: dict[str, str] = {}
    on = data.on or today
    if on > today:
        errors["on"] = "Ngày thực hiện không được sau ngày hôm nay."
    elif on < petition.received_on:
        errors["on"] = f"Ngày thực hiện không được trước ngày nhận đơn ({petition.received_on:%d/%m/%Y})."
    agency_id = _agency_of(petition, spec, data)
    if spec.needs_agency and agency_id is None:
        errors["agency_id"] = "Chọn cơ quan nhận."
    if agency_id is not None and session.get(Agency, agency_id) is None:
        errors["agency_id"] = "Cơ quan đã chọn không có trong danh bạ."
    reason = _reason_of(petition, spec, data)
    if spec.needs_reason and not reason:
        errors["reason"] = "Nhập lý do."
    if data.reason_code is not None and data.reason_code not in eligibility.BY_CODE:
        errors["reason"] = "Lý do không có trong danh mục."
    if spec.action == HandlingAction.DECIDE and petition.kind in (K.COMPLAINT, K.DENUNCIATION) and data.result is None:
        errors["result"] = "Chọn kết quả giải quyết: đúng, có đúng có sai, hoặc sai."
    if spec.action == HandlingAction.EXTEND and (data.days is None or data.days < 1):
        errors["days"] = "Nhập số ngày gia hạn (từ 1 ngày trở lên)."
    for key, message in DETAILS_REQUIRED.get(spec.action, {}).items():
        if not _detail_text((data.details or {}).get(key)):
            errors[key] = message
    if errors:
        raise ValidationError(errors)


def perform(
    session: Session, actor: Actor, petition_id: int, data: ActionInput, *, today: dt.date | None = None
) -> ActionOutcome:
    """Take a handling action; refused actions raise ``RuleViolation`` and change nothing."""
    require(actor, Permission.PROCESS_PETITION)
    spec = CATALOGUE.get(data.action)
    if spec is None:
        raise RuleViolation(f"“{label(data.action)}” không phải là một thao tác xử lý đơn chọn được ở đây.")
    petition = petitions.get(session, petition_id)
    refusal = why_not(session, petition, spec, data)
    if refusal:
        raise RuleViolation(refusal)
    today = today or now_local().date()
    _check_input(session, petition, spec, data, today)
    # Anything failing from here on (a clock refusing an extension…) rolls back to this point.
    with session.begin_nested():
        return _apply(session, actor, petition, spec, data, today)


def _apply(
    session: Session, actor: Actor, petition: Petition, spec: ActionSpec, data: ActionInput, today: dt.date
) -> ActionOutcome:
    on = data.on or today
    before = petitions.snapshot(petition)
    agency_id = _agency_of(petition, spec, data)
    reason = _reason_of(petition, spec, data)
    warnings: list[str] = []
    facts: dict[str, Any] = {"from": petition.status}
    if spec.result is not None:
        petition.status = spec.result
    facts["to"] = petition.status
    if spec.action == HandlingAction.FORWARD:
        assert agency_id is not None
        petition.forward_count += 1
        petition.handling_agency_id = agency_id
        limit = int(settings.get(session, petitions.MAX_FORWARDS))
        if petition.forward_count > limit:
            warnings.append(
                f"Đơn đã được chuyển {petition.forward_count} lần (quá {limit} lần): đề nghị lãnh đạo xem xét."
            )
    if spec.action == HandlingAction.DECIDE:
        petition.result = data.result
        petition.decided_on = on
        facts["result"] = data.result
    if spec.action == HandlingAction.ENFORCE:
        petition.enforced_on = on
    if spec.action == HandlingAction.WITHDRAW:
        petition.result = ResolutionResult.WITHDRAWN
    if spec.action == HandlingAction.EXTEND:
        facts["days"] = data.days
    if petition.status in TERMINAL or spec.action == HandlingAction.CLOSE:
        petition.closed_on = on
    session.flush()
    event = petitions.add_event(
        session,
        actor,
        petition,
        spec.action,
        on,
        agency_id=agency_id,
        reason=reason,
        note=nfc_or_none(data.note),
        data=facts,
    )
    _move_clocks(session, actor, petition, spec, data, on, event.id, agency_id)
    documents = tuple(
        _issue(session, actor, petition, spec, doc_type, event, agency_id, reason, data)
        for doc_type in _documents_for(spec, petition)
    )
    after = petitions.snapshot(petition)
    old, new = audit.changes(before, after)
    audit.record(
        session,
        actor,
        spec.action.value,
        "petition",
        petition.id,
        before=old,
        after={**new, "event_id": event.id, "documents": [d.symbol for d in documents]},
        reason=reason,
    )
    return ActionOutcome(event.id, petition.status, documents, tuple(warnings))


def _documents_for(spec: ActionSpec, petition: Petition) -> tuple[DocumentType, ...]:
    if spec.action == HandlingAction.ACCEPT and petition.kind not in (K.COMPLAINT, K.DENUNCIATION):
        # A recommendation is taken up for an answer: the proposal is internal, no notice of acceptance.
        return (DocumentType.ACCEPTANCE_PROPOSAL,)
    return spec.documents


# What the dialogue documents must say (Luật Khiếu nại 2011, Điều 30 khoản 3): {detail key: message}.
DETAILS_REQUIRED: dict[HandlingAction, dict[str, str]] = {
    HandlingAction.INVITE_DIALOGUE: {
        "dialogue_at": "Chọn ngày giờ đối thoại.",
        "place": "Nhập địa điểm đối thoại.",
    },
    HandlingAction.HOLD_DIALOGUE: {
        "dialogue_at": "Chọn ngày giờ đối thoại.",
        "place": "Nhập địa điểm đối thoại.",
        "participants": "Nhập thành phần tham gia đối thoại.",
        "content": "Nhập nội dung đối thoại.",
        "results": "Nhập kết quả đối thoại.",
    },
}


def _detail_text(value: Any) -> Any:
    """A detail as stored: text in NFC, lists of non-empty texts, dates and times in ISO form."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [t for t in (nfc_or_none(str(v)) for v in value) if t]
    if value is None:
        return None
    text = str(value)
    if "\n" in text:  # typed on several lines: each line is a paragraph of the document
        return [t for t in (nfc_or_none(line) for line in text.splitlines()) if t] or None
    return nfc_or_none(text)


def _move_clocks(
    session: Session,
    actor: Actor,
    petition: Petition,
    spec: ActionSpec,
    data: ActionInput,
    on: dt.date,
    event_id: int,
    agency_id: int | None,
) -> None:
    if spec.meets:
        clocks.meet_clocks(session, petition.id, on, list(spec.meets))
    if ANSWERING_DOCUMENTS & set(_documents_for(spec, petition)):
        # The document answers the person received at the reception (Luật Tiếp công dân, Điều 28 khoản 1).
        clocks.meet_clocks(session, petition.id, on, [ANSWER_CLOCK])
    if spec.suspends:
        clocks.suspend_clocks(session, petition.id, on)
    if spec.resumes:
        clocks.resume_clocks(session, petition.id, on)
    if spec.action == HandlingAction.EXTEND:
        assert data.days is not None
        clocks.extend_clock(session, petition.id, resolution_rule(petition), data.days)
    if spec.action == HandlingAction.ACCEPT:
        clocks.start_clock(
            session,
            petition.id,
            resolution_rule(petition),
            on,
            officer_id=petition.assigned_officer_id or actor.user_id,
            event_id=event_id,
            complicated=petition.is_complicated,
            remote=petition.is_remote_area,
        )
    if spec.action == HandlingAction.FORWARD:
        # A new forwarding replaces the wait on the previous body.
        clocks.cancel_clocks(session, petition.id, [WAITING_CLOCK])
        clocks.start_clock(
            session,
            petition.id,
            WAITING_CLOCK,
            on,
            officer_id=petition.assigned_officer_id or actor.user_id,
            agency_id=agency_id,
            event_id=event_id,
        )
    if spec.action == HandlingAction.DECIDE:
        legal_effect.start_on_decision(
            session, petition, on, officer_id=petition.assigned_officer_id or actor.user_id, event_id=event_id
        )
    if spec.cancels_rest:
        clocks.cancel_clocks(session, petition.id)


def _due_of(session: Session, petition_id: int, rule_code: str) -> str | None:
    """The due date of the petition's latest clock of ``rule_code`` (ISO), for the document text."""
    rows = [r for r in clocks.clock_rows(session, petition_id) if r.rule_code == rule_code]
    return rows[-1].due_on.isoformat() if rows else None


def _sender_content(session: Session, petition: Petition) -> dict[str, Any]:
    """Who sent the petition, for documents; a denouncer is never written into a document's content.

    Documents addressed to the denouncer themself are completed by the printing service from the
    confidential record, under its own masking rules.
    """
    if petition.kind == K.DENUNCIATION or (petition.citizen is not None and petition.citizen.confidential):
        return {"confidential": True}
    if petition.is_anonymous:
        return {"petitioner_name": "Nặc danh"}
    if petition.organisation_name:
        return {"petitioner_name": petition.organisation_name}
    citizen = petition.citizen
    if citizen is None:
        return {}
    names = catalogues.unit_names(session, {c for c in (citizen.commune_code, citizen.province_code) if c})
    return {
        "petitioner_name": citizen.full_name,
        "petitioner_address": format_address(
            citizen.address_detail, names.get(citizen.commune_code or ""), names.get(citizen.province_code or "")
        ),
    }


def _issue(
    session: Session,
    actor: Actor,
    petition: Petition,
    spec: ActionSpec,
    doc_type: DocumentType,
    event: PetitionEvent,
    agency_id: int | None,
    reason: str | None,
    data: ActionInput,
) -> IssuedRef:
    agency = session.get(Agency, agency_id) if agency_id else None
    on = event.occurred_on
    content: dict[str, Any] = {
        "kind": petition.kind.value,
        "petition_number": petitions.number_of(petition.reg_seq, petition.reg_year),
        "received_on": petition.received_on.isoformat(),
        "summary": petition.summary,
        "legal_basis": spec.basis,
        "action": spec.action.value,
        **_sender_content(session, petition),
    }
    if petition.respondent_name:
        content["respondent_name"] = petition.respondent_name
    if agency is not None:
        content["agency"] = agency.name
        if agency.address:
            content["agency_address"] = agency.address
    if reason:
        content["reason"] = reason
    if data.note:
        content["note"] = data.note
    for key, value in (data.details or {}).items():
        if _detail_text(value):
            content[key] = _detail_text(value)
    recipient: str | None = agency.name if agency is not None else None
    if doc_type == DocumentType.ACCEPTANCE:
        content["accepted_on"] = on.isoformat()
        due = _due_of(session, petition.id, resolution_rule(petition))
        if due:
            content["due_on"] = due
        recipient = None
    elif doc_type == DocumentType.ACCEPTANCE_PROPOSAL:
        content["proposal"] = f"Thụ lý giải quyết đơn {label(petition.kind).lower()} số {content['petition_number']}"
        content["handler_name"] = actor.full_name
        recipient = None
    elif doc_type == DocumentType.FORWARDING:
        if petition.competence == Competence.OUTSIDE:
            content.setdefault("reason", "Nội dung đơn không thuộc thẩm quyền giải quyết của cơ quan")
        content["forward_count"] = petition.forward_count
    elif doc_type == DocumentType.RETURN:
        content["items"] = [part.strip() for part in (petition.documents_received or "").split(";") if part.strip()]
        recipient = None
    elif doc_type == DocumentType.REMINDER:
        earlier = session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.petition_id == petition.id, IssuedDocument.doc_type == DocumentType.FORWARDING)
            .order_by(IssuedDocument.id.desc())
            .limit(1)
        ).first()
        if earlier is not None:
            content["forwarded_symbol"] = earlier.symbol
            content["forwarded_on"] = earlier.issued_on.isoformat()
        due = _due_of(session, petition.id, WAITING_CLOCK)
        if due:
            content["due_on"] = due
    elif doc_type in (DocumentType.NOTICE, DocumentType.DIALOGUE_NOTICE):
        recipient = None  # to the petitioner
    elif doc_type == DocumentType.DIALOGUE_MINUTES:
        content["handler_name"] = actor.full_name
        recipient = None
    elif doc_type == DocumentType.DECISION:
        content["title"] = _DECISION_TITLES.get(spec.action, "Quyết định")
        if data.result is not None:
            content["result"] = data.result.value
        if data.days:
            content["days"] = data.days
    return issue_document(
        session,
        actor,
        doc_type,
        petition_id=petition.id,
        event_id=event.id,
        recipient=recipient,
        content=content,
        issued_on=on,
    )


_DECISION_TITLES = {
    HandlingAction.SUSPEND: "Quyết định tạm đình chỉ việc giải quyết",
    HandlingAction.RESUME: "Quyết định tiếp tục giải quyết",
    HandlingAction.TERMINATE: "Quyết định đình chỉ việc giải quyết",
    HandlingAction.EXTEND: "Quyết định gia hạn giải quyết tố cáo",
    HandlingAction.DECIDE: "Quyết định giải quyết khiếu nại / Kết luận nội dung tố cáo",
}
