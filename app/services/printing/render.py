"""Render an issued document: pick its template, assemble its facts, record the print."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import IssuedDocument, Petition, Visit
from app.models.enums import DocumentType
from app.models.mixins import now_local
from app.services.casework.documents import IssuedRef, issue_document
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import nfc
from app.services.printing import (
    acceptance,
    answer_notice,
    appointment,
    decision,
    dialogue,
    facts,
    forwarding,
    guidance,
    layout,
    non_acceptance,
    proposal,
    receipt,
    reception_minutes,
    refusal,
    reminder,
    return_notice,
)
from app.services.printing.template import Audience, Template
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

TEMPLATES: dict[DocumentType, Template] = {
    t.doc_type: t
    for t in (
        receipt.TEMPLATE,
        appointment.TEMPLATE,
        refusal.TEMPLATE,
        guidance.TEMPLATE,
        forwarding.TEMPLATE,
        proposal.TEMPLATE,
        acceptance.TEMPLATE,
        non_acceptance.TEMPLATE,
        return_notice.TEMPLATE,
        reminder.TEMPLATE,
        decision.TEMPLATE,
        answer_notice.TEMPLATE,
        dialogue.NOTICE,
        dialogue.MINUTES,
        reception_minutes.MINUTES,
        reception_minutes.CONCLUSION,
    )
}
BY_COMMAND: dict[str, Template] = {t.command: t for t in TEMPLATES.values()}


def template_for(doc_type: DocumentType) -> Template:
    template = TEMPLATES.get(doc_type)
    if template is None:
        raise RuleViolation(f"Chưa có mẫu in cho loại văn bản “{doc_type.value}”.")
    return template


def _pdf(session: Session, actor: Actor, document: IssuedDocument) -> bytes:
    template = template_for(document.doc_type)
    office = layout.office_from_settings(session)
    data = facts.load(
        session,
        document,
        office,
        withhold_denouncer=template.audience == Audience.AGENCY,
        # The petitioner may read their own papers; internal papers follow the reader's rights.
        may_see=template.audience == Audience.CITIZEN or confidential.can_see(actor),
    )
    return pdf_of(template, data)


def pdf_of(template: Template, data: facts.Facts) -> bytes:
    """The PDF of ``template`` filled with ``data`` (also used by the sổ mật workstation, whose facts
    come from its own store)."""
    return layout.build_pdf(
        template.build(data),
        title_text=f"{template.name} số {data.symbol}",
        author=data.office.name,
        canvasmaker=layout.LetterCanvas,
    )


def render_document(session: Session, actor: Actor, document_id: int) -> bytes:
    """The document as PDF bytes; records who printed it and when (row + audit entry)."""
    require(actor, Permission.PRINT_SLIP)
    document = session.get(IssuedDocument, document_id)
    if document is None:
        raise NotFoundError(f"Không tìm thấy văn bản số {document_id} trong sổ văn bản đã cấp.")
    pdf = _pdf(session, actor, document)
    document.printed_at = now_local()
    document.printed_by = actor.user_id
    audit.record(
        session, actor, "print", "document", document.id, after={"symbol": document.symbol, "type": document.doc_type}
    )
    return pdf


def latest_document(
    session: Session, doc_type: DocumentType, *, petition_id: int | None = None, visit_id: int | None = None
) -> int:
    """Id of the newest document of ``doc_type`` issued for a petition or a visit."""
    stmt = select(IssuedDocument.id).where(IssuedDocument.doc_type == doc_type)
    if petition_id is not None:
        stmt = stmt.where(IssuedDocument.petition_id == petition_id)
        owner = f"đơn số {petition_id}"
    elif visit_id is not None:
        stmt = stmt.where(IssuedDocument.visit_id == visit_id)
        owner = f"lượt tiếp số {visit_id}"
    else:
        raise ValidationError({"petition": "Chọn đơn hoặc lượt tiếp cần in."})
    found = session.scalar(stmt.order_by(IssuedDocument.issued_on.desc(), IssuedDocument.id.desc()).limit(1))
    if found is None:
        name = TEMPLATES[doc_type].name.lower() if doc_type in TEMPLATES else doc_type.value
        raise NotFoundError(f"{owner.capitalize()} chưa có {name} nào được cấp số; hãy lập văn bản trước khi in.")
    return found


# What the desk must fill in for each document it issues at a visit: {content key: message}.
DESK_REQUIRED: dict[DocumentType, dict[str, str]] = {
    DocumentType.RECEIPT: {
        "items": "Nhập ít nhất một thông tin, tài liệu, bằng chứng công dân đã nộp để lập giấy biên nhận."
    },
    DocumentType.APPOINTMENT: {"appointment_at": "Chọn ngày giờ hẹn công dân đến làm việc."},
    DocumentType.REFUSAL: {"reason": "Nhập lý do từ chối tiếp (Điều 9 Luật Tiếp công dân)."},
    DocumentType.GUIDANCE: {"agency": "Nhập cơ quan có thẩm quyền mà công dân cần gửi đơn đến."},
}


def issue_for_visit(
    session: Session, actor: Actor, visit_id: int, doc_type: DocumentType, content: dict[str, object]
) -> tuple[IssuedRef, bytes]:
    """Issue a numbered desk document (receipt, appointment, refusal, guidance) for a visit, and render it.

    ``content`` holds the document's own fields (facts.py lists the keys); the visit's date, summary
    and officer are added. The citizen's identity is not copied: those columns are stored encrypted,
    so the document reads the person from the visit when it is rendered.
    """
    require(actor, Permission.PRINT_SLIP)
    if doc_type not in DESK_REQUIRED:
        raise RuleViolation(f"Loại văn bản “{template_for(doc_type).name}” không lập tại nơi tiếp công dân.")
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    cleaned: dict[str, object] = {}
    for key, value in content.items():
        if isinstance(value, list | tuple):
            cleaned[key] = [nfc(str(v)) for v in value if nfc(str(v))]
        elif isinstance(value, dt.datetime | dt.date):
            cleaned[key] = value.isoformat()
        elif value is not None:
            cleaned[key] = nfc(str(value))
    if doc_type == DocumentType.RECEIPT and not cleaned.get("items"):
        cleaned["items"] = facts.split_items(visit.documents_received)
    missing = {key: message for key, message in DESK_REQUIRED[doc_type].items() if not cleaned.get(key)}
    if missing:
        raise ValidationError(missing)
    petition_id = session.scalar(
        select(Petition.id).where(Petition.visit_id == visit.id, Petition.deleted_at.is_(None)).order_by(Petition.id)
    )
    base: dict[str, object] = {
        "kind": visit.matter_kind,
        "received_at": visit.received_at.isoformat(),
        "received_on": visit.received_on.isoformat(),
        "summary": visit.summary,
        "receiver_name": visit.officer_name or actor.full_name,
    }
    ref = issue_document(
        session,
        actor,
        doc_type,
        visit_id=visit.id,
        petition_id=petition_id,
        recipient=str(cleaned["agency"]) if doc_type == DocumentType.GUIDANCE else None,
        content={**base, **cleaned},
    )
    return ref, render_document(session, actor, ref.id)


def receipt_for_visit(session: Session, actor: Actor, visit_id: int, items: list[str]) -> tuple[IssuedRef, bytes]:
    """Issue a numbered receipt for what the citizen handed in at a visit (default: what the visit
    recorded), and render it."""
    return issue_for_visit(session, actor, visit_id, DocumentType.RECEIPT, {"items": items})


def describe(session: Session, document_id: int) -> tuple[str, str]:
    """(Vietnamese name of the document type, number/symbol) for window titles and file names."""
    document = session.get(IssuedDocument, document_id)
    if document is None:
        raise NotFoundError(f"Không tìm thấy văn bản số {document_id} trong sổ văn bản đã cấp.")
    return template_for(document.doc_type).name, document.symbol
