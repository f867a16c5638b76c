"""The register of issued documents: each slip, notice or letter gets the next number of its series."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import IssuedDocument
from app.models.enums import DocumentType
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.security import audit
from app.services.security.audit import to_json

# Symbol prefixes (Nghị định 30/2020 abbreviations); documents sharing a prefix share a series.
SERIES = settings.define(
    "documents.series",
    {
        DocumentType.RECEIPT.value: "GBN",
        DocumentType.APPOINTMENT.value: "PH",
        DocumentType.REFUSAL.value: "TB",
        DocumentType.GUIDANCE.value: "PHD",
        DocumentType.FORWARDING.value: "PCĐ",
        DocumentType.ACCEPTANCE_PROPOSAL.value: "PĐX",
        DocumentType.ACCEPTANCE.value: "TB",
        DocumentType.NON_ACCEPTANCE.value: "TB",
        DocumentType.RETURN.value: "TB",
        DocumentType.REMINDER.value: "CV",
        DocumentType.DECISION.value: "QĐ",
        DocumentType.DAILY_LOG.value: "STCD",
    },
    "Ký hiệu viết tắt của từng loại văn bản (dùng để đánh số)",
)


def format_symbol(seq: int, series: str, office: str) -> str:
    """ "Số" and "ký hiệu" of a document: "01/PCĐ-BTCD". Nghị định 30/2020 writes numbers below 10
    with a leading zero; a series without an office symbol is written alone ("01/PCĐ")."""
    return f"{seq:02d}/{series}-{office}" if office else f"{seq:02d}/{series}"


@dataclass(frozen=True)
class IssuedRef:
    id: int
    doc_type: DocumentType
    seq: int
    year: int
    symbol: str
    issued_on: dt.date


def issue_document(
    session: Session,
    actor: Actor,
    doc_type: DocumentType,
    *,
    petition_id: int | None = None,
    visit_id: int | None = None,
    event_id: int | None = None,
    recipient: str | None = None,
    content: dict[str, Any] | None = None,
    issued_on: dt.date | None = None,
) -> IssuedRef:
    """Take the next number of the document's series for the year and record what was issued."""
    issued_on = issued_on or local_today()
    series = str(settings.get(session, SERIES).get(doc_type.value, "VB"))
    office = str(settings.get(session, settings.OFFICE_SYMBOL))
    last = session.scalar(
        select(func.max(IssuedDocument.seq)).where(
            IssuedDocument.series == series, IssuedDocument.year == issued_on.year
        )
    )
    seq = (last or 0) + 1
    doc = IssuedDocument(
        doc_type=doc_type,
        series=series,
        year=issued_on.year,
        seq=seq,
        symbol=format_symbol(seq, series, office),
        issued_on=issued_on,
        petition_id=petition_id,
        visit_id=visit_id,
        event_id=event_id,
        recipient=recipient,
        content_json=to_json(content or {}) or "{}",
        created_by=actor.user_id,
    )
    session.add(doc)
    session.flush()
    audit.record(session, actor, "issue", "document", doc.id, after={"symbol": doc.symbol, "type": doc_type})
    return IssuedRef(doc.id, doc_type, seq, doc.year, doc.symbol, issued_on)


def document_content(session: Session, document_id: int) -> dict[str, Any]:
    doc = session.get(IssuedDocument, document_id)
    return json.loads(doc.content_json) if doc else {}
