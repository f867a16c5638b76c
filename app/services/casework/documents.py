"""The register of issued documents: each slip, notice or letter gets the next number of its series."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import IssuedDocument, Petition
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
        DocumentType.NOTICE.value: "TB",
        DocumentType.DIALOGUE_NOTICE.value: "GM",
        DocumentType.DIALOGUE_MINUTES.value: "BB",
        DocumentType.RECEPTION_MINUTES.value: "BB",
        DocumentType.RECEPTION_CONCLUSION.value: "TB",
    },
    "Ký hiệu viết tắt của từng loại văn bản (dùng để đánh số)",
)


def format_symbol(seq: int, series: str, office: str) -> str:
    """ "Số" and "ký hiệu" of a document: "01/PCĐ-BTCD". Nghị định 30/2020 writes numbers below 10
    with a leading zero; a series without an office symbol is written alone ("01/PCĐ")."""
    return f"{seq:02d}/{series}-{office}" if office else f"{seq:02d}/{series}"


# Crockford base32 without the letters read as digits (I, L, O) or U: a code quoted over the phone
# or typed from the paper cannot be mistaken.
LOOKUP_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LOOKUP_LENGTH = 8
_LOOKUP_TYPOS = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_lookup_code(session: Session) -> str:
    """A random code no other document carries (8 characters: 2^40 codes)."""
    while True:
        code = "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH))
        if session.scalar(select(IssuedDocument.id).where(IssuedDocument.lookup_code == code)) is None:
            return code


def format_lookup_code(code: str) -> str:
    """ "7K3M-Q9TZ": two groups of four, as printed."""
    return f"{code[:4]}-{code[4:]}" if len(code) == LOOKUP_LENGTH else code


def normalize_lookup_code(text: str) -> str | None:
    """The code typed at the desk ("7k3m q9tz", "7K3M-Q9TZ", O for 0…), or None when it cannot be one."""
    code = re.sub(r"[\s\-.]", "", text or "").upper().translate(_LOOKUP_TYPOS)
    if len(code) != LOOKUP_LENGTH or any(c not in LOOKUP_ALPHABET for c in code):
        return None
    return code


def petition_by_lookup_code(session: Session, text: str) -> int | None:
    """The petition a receipt's lookup code belongs to (through the receipt's visit when needed)."""
    code = normalize_lookup_code(text)
    if code is None:
        return None
    doc = session.scalars(select(IssuedDocument).where(IssuedDocument.lookup_code == code)).first()
    if doc is None:
        return None
    if doc.petition_id is not None:
        return doc.petition_id
    if doc.visit_id is None:
        return None
    return session.scalar(
        select(Petition.id)
        .where(Petition.visit_id == doc.visit_id, Petition.deleted_at.is_(None))
        .order_by(Petition.id)
    )


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
    # An office's saved series predates newer document types: those take the default prefix.
    series = str({**SERIES.default, **settings.get(session, SERIES)}.get(doc_type.value, "VB"))
    office = str(settings.get(session, settings.OFFICE_SYMBOL))
    last = session.scalar(
        select(func.max(IssuedDocument.seq)).where(
            IssuedDocument.series == series, IssuedDocument.year == issued_on.year
        )
    )
    seq = (last or 0) + 1
    # A receipt carries the short code the citizen quotes later (printed with its QR).
    code = new_lookup_code(session) if doc_type == DocumentType.RECEIPT else None
    if code is not None:
        content = {**(content or {}), "lookup_code": code}
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
        lookup_code=code,
    )
    session.add(doc)
    session.flush()
    audit.record(session, actor, "issue", "document", doc.id, after={"symbol": doc.symbol, "type": doc_type})
    return IssuedRef(doc.id, doc_type, seq, doc.year, doc.symbol, issued_on)


def document_content(session: Session, document_id: int) -> dict[str, Any]:
    doc = session.get(IssuedDocument, document_id)
    return json.loads(doc.content_json) if doc else {}
