"""What a template prints: the issued document's content, completed from the petition or visit.

``issue_document(content=...)`` stores what the document said when it was issued; those keys win.
Missing keys fall back to the stored petition / visit / citizen. The keys a template reads
(all optional, strings unless noted)::

    kind                 MatterKind code (khieu_nai, to_cao, …)
    petitioner_name, petitioner_id_number, petitioner_address, petitioner_phone
    petition_number      "12/2026" (register number of the petition)
    received_on          ISO date the petition/visit was received
    summary              content of the petition / what the citizen presented
    agency               the body a document is addressed to or points to (forwarding, guidance, reminder)
    agency_address
    reason               why (refusal, non-acceptance, return, guidance)
    legal_basis          what the issuing action rests on, kept for the record; the printed "Căn cứ"
                         lines come from legal_basis.py, by document and kind
    action               HandlingAction code of the issuing action (a decision cites by it)
    note                 an extra paragraph
    received_at          ISO datetime of the visit (receipt: "Hồi 09 giờ 30 phút, ngày …")
    items                list[str]: documents handed in (receipt) or returned (return notice; also
                         returned_items)
    attachments          list[str]: receipt: the files attached to the petition / visit (default: read
                         from ``attachment`` when the receipt is rendered)
    lookup_code          receipt: the short code the citizen quotes later (issue_document sets it)
    receiver_name        officer who received (receipt); defaults to the visit's officer / the actor
    appointment_at       ISO datetime of the appointment; place, purpose, bring (appointment slip)
    accepted_on          ISO date of acceptance (acceptance notice; default: the issue date)
    due_on               ISO date: resolution time limit (acceptance), answer-by date (reminder)
    resolver             who resolves (acceptance), default: the office
    forwarded_symbol, forwarded_on   the earlier forwarding slip a reminder refers to
    proposal             the proposed handling (proposal to accept); handler_name
    title, result, days  decision: "Quyết định tạm đình chỉ …", ResolutionResult code, a number of days
    recipients           list[str]: overrides the template's "Nơi nhận" list
    confidential         bool: force the denouncer rule

A denouncer's identity (Luat To cao) is withheld from documents that leave the office for another
body: ``Facts.masked`` drops the person and scrubs their name, ID and phone from every printed text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Agency, Attachment, IssuedDocument, Petition, PetitionEvent, Visit
from app.models.enums import DocumentType, MatterKind
from app.services.common import catalogues
from app.services.common.legal_refs import DENOUNCER_SECRECY
from app.services.common.text import nfc
from app.services.printing.layout import Office
from app.services.reception.citizens import format_address
from app.services.reception.versions import Holder, as_recorded
from app.services.security import secret_references

MASK_NOTE = f"(Thông tin người tố cáo được giữ bí mật theo {DENOUNCER_SECRECY.text()})"
_SCRUBBED = "[…]"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Facts:
    office: Office
    doc_type: DocumentType
    document_id: int
    symbol: str
    issued_on: dt.date
    recipient: str
    content: Mapping[str, Any]
    kind: MatterKind | None
    petitioner: Person | None
    representatives: tuple[Person, ...] = ()
    head_count: int = 1
    organisation: str = ""
    is_denouncer: bool = False
    masked: bool = False
    officer_name: str = ""
    petition_id: int | None = None
    visit_id: int | None = None
    _secrets: tuple[str, ...] = field(default=(), repr=False)

    def text(self, key: str, default: str = "") -> str:
        value = self.content.get(key)
        out = nfc(str(value)) if value not in (None, "") else default
        return self.scrub(out)

    def scrub(self, text: str) -> str:
        """Remove the withheld person's identifiers from free text (a summary may quote them)."""
        for secret in self._secrets:
            text = re.sub(re.escape(secret), _SCRUBBED, text, flags=re.IGNORECASE)
        return text

    def items(self, key: str) -> list[str]:
        value = self.content.get(key)
        if isinstance(value, str):
            value = split_items(value)
        if not isinstance(value, list | tuple):
            return []
        return [self.scrub(nfc(str(v))) for v in value if str(v).strip()]

    def date(self, key: str) -> dt.date | None:
        value = self.content.get(key)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(str(value)[:10])
        except ValueError:
            return None

    def datetime(self, key: str) -> dt.datetime | None:
        value = self.content.get(key)
        if not value:
            return None
        try:
            return dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None

    @property
    def kind_label(self) -> str:
        return KIND_WORDS.get(self.kind, "kiến nghị, phản ánh") if self.kind else "đơn"

    @property
    def sender(self) -> str:
        """Who sent the petition, as a phrase: "ông/bà Nguyễn Văn A" or the masked form."""
        if self.masked:
            return "người tố cáo"
        if self.organisation:
            return self.organisation
        if self.petitioner is None:
            return "người gửi đơn (không rõ họ tên)"
        crowd = f" và {self.head_count - 1} người khác" if self.head_count > 1 else ""
        return f"ông/bà {self.petitioner.name}{crowd}"


KIND_WORDS = {
    MatterKind.COMPLAINT: "khiếu nại",
    MatterKind.DENUNCIATION: "tố cáo",
    MatterKind.RECOMMENDATION: "kiến nghị",
    MatterKind.REFLECTION: "phản ánh",
    MatterKind.MIXED: "khiếu nại, tố cáo, kiến nghị, phản ánh",
}


def split_items(text: str | None) -> list[str]:
    """A free-text list of documents ("Đơn; bản sao CCCD\\n…") as items."""
    if not text:
        return []
    return [nfc(part) for part in re.split(r"[;\n]+", text) if part.strip()]


def _person(session: Session, holder: Holder | None) -> Person | None:
    """The person of a visit, a petition or one of their parties, as that record kept them."""
    citizen = as_recorded(holder) if holder is not None else None
    if citizen is None:
        return None
    names = catalogues.unit_names(session, {c for c in (citizen.commune_code, citizen.province_code) if c})
    return Person(
        name=citizen.full_name,
        id_number=citizen.id_number or "",
        address=format_address(
            citizen.address_detail, names.get(citizen.commune_code or ""), names.get(citizen.province_code or "")
        ),
        phone=citizen.phone or "",
    )


def _content_person(content: Mapping[str, Any], fallback: Person | None) -> Person | None:
    name = nfc(str(content.get("petitioner_name") or ""))
    if not name:
        return fallback
    base = fallback or Person(name=name)
    return Person(
        name=name,
        id_number=nfc(str(content.get("petitioner_id_number") or base.id_number)),
        address=nfc(str(content.get("petitioner_address") or base.address)),
        phone=nfc(str(content.get("petitioner_phone") or base.phone)),
    )


def _secrets_of(people: Iterable[Person | None]) -> tuple[str, ...]:
    found: set[str] = set()
    for person in people:
        if person is None:
            continue
        for value in (person.name, person.id_number, person.phone):
            if value and len(value) >= 3:
                found.add(value)
    # Longest first, so a full name is removed before any part of it.
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


def load(
    session: Session, document: IssuedDocument, office: Office, *, withhold_denouncer: bool, may_see: bool
) -> Facts:
    """Assemble a document's facts; ``withhold_denouncer`` is the template's audience rule."""
    content: dict[str, Any] = json.loads(document.content_json or "{}")
    petition = session.get(Petition, document.petition_id) if document.petition_id else None
    visit = session.get(Visit, document.visit_id) if document.visit_id else None
    if visit is None and petition is not None and petition.visit_id:
        visit = session.get(Visit, petition.visit_id)

    kind_code = content.get("kind")
    kind = MatterKind(kind_code) if kind_code in {k.value for k in MatterKind} else None
    kind = kind or (petition.kind if petition else None) or (visit.matter_kind if visit else None)

    citizen = petition.citizen if petition and petition.citizen_id else (visit.citizen if visit else None)
    anonymous = petition is not None and petition.is_anonymous
    # An anonymous petition has no person to print, whatever placeholder the content carries.
    holder: Holder | None = petition if petition and petition.citizen_id else visit
    petitioner = None if anonymous else _content_person(content, _person(session, holder))
    reps: list[Person] = []
    if petition is not None:
        reps = [p for p in (_person(session, party) for party in petition.parties) if p]
    elif visit is not None:
        reps = [p for p in (_person(session, part) for part in visit.participants) if p]

    is_denouncer = bool(
        content.get("confidential") or kind == MatterKind.DENUNCIATION or (citizen is not None and citizen.confidential)
    )
    # Sổ mật: the identity is on the standalone workstation; the record here holds only its reference.
    secret_ref = secret_references.parse(citizen.full_name) if citizen is not None and citizen.confidential else None
    masked = is_denouncer and (withhold_denouncer or not may_see or secret_ref is not None)
    secrets = _secrets_of([petitioner, *reps]) if masked else ()

    content = _with_fallbacks(session, content, document, petition, visit)
    if secret_ref is not None:
        content["secret_reference"] = secret_ref
    return Facts(
        office=office,
        doc_type=document.doc_type,
        document_id=document.id,
        symbol=document.symbol,
        issued_on=document.issued_on,
        recipient=nfc(document.recipient or ""),
        content=content,
        kind=kind,
        petitioner=None if masked else petitioner,
        representatives=() if masked else tuple(reps),
        head_count=(petition.head_count if petition else visit.head_count if visit else 1),
        organisation=nfc(petition.organisation_name or "") if petition else "",
        is_denouncer=is_denouncer,
        masked=masked,
        officer_name=nfc(str(content.get("receiver_name") or (visit.officer_name if visit else "") or "")),
        petition_id=petition.id if petition else None,
        visit_id=visit.id if visit else None,
        _secrets=secrets,
    )


def _with_fallbacks(
    session: Session,
    content: dict[str, Any],
    document: IssuedDocument,
    petition: Petition | None,
    visit: Visit | None,
) -> dict[str, Any]:
    """Fill the keys the issuing action left out from the stored records."""
    out = dict(content)

    def default(key: str, value: Any) -> None:
        if out.get(key) in (None, "", []) and value not in (None, "", []):
            out[key] = value

    if petition is not None:
        default("petition_number", f"{petition.reg_seq}/{petition.reg_year}")
        default("received_on", petition.received_on.isoformat())
        default("summary", petition.summary)
        default("items", split_items(petition.documents_received))
        if petition.handling_agency_id:
            agency = session.get(Agency, petition.handling_agency_id)
            default("agency", agency.name if agency else None)
    if visit is not None:
        default("received_on", visit.received_on.isoformat())
        default("received_at", visit.received_at.isoformat())
        default("summary", visit.summary)
        default("items", split_items(visit.documents_received))
    if document.event_id:
        event = session.get(PetitionEvent, document.event_id)
        if event is not None:
            if event.agency_id:
                agency = session.get(Agency, event.agency_id)
                default("agency", agency.name if agency else None)
                default("agency_address", agency.address if agency else None)
            default("reason", event.reason)
            default("note", event.note)
    if document.doc_type == DocumentType.REMINDER and petition is not None and not out.get("forwarded_symbol"):
        earlier = session.execute(
            select(IssuedDocument.symbol, IssuedDocument.issued_on)
            .where(
                IssuedDocument.petition_id == petition.id,
                IssuedDocument.doc_type == DocumentType.FORWARDING,
                IssuedDocument.id != document.id,
            )
            .order_by(IssuedDocument.issued_on.desc(), IssuedDocument.id.desc())
            .limit(1)
        ).first()
        if earlier is not None:
            out["forwarded_symbol"] = earlier.symbol
            out["forwarded_on"] = earlier.issued_on.isoformat()
    default("agency", document.recipient if document.doc_type in _AGENCY_ADDRESSED else None)
    if document.doc_type == DocumentType.RECEIPT:
        default("attachments", attachment_names(session, petition, visit))
    return out


def attachment_names(session: Session, petition: Petition | None, visit: Visit | None) -> list[str]:
    """The files attached to the petition and its visit, as a receipt lists them ("đơn.pdf (3 trang)")."""
    owners = [Attachment.petition_id == petition.id] if petition is not None else []
    owners += [Attachment.visit_id == visit.id] if visit is not None else []
    if not owners:
        return []
    rows = session.execute(
        select(Attachment.file_name, Attachment.media_type, Attachment.page_count)
        .where(or_(*owners), Attachment.deleted_at.is_(None))
        .order_by(Attachment.id)
    )
    return [f"{name} ({pages} trang)" if media == "application/pdf" else name for name, media, pages in rows]


_AGENCY_ADDRESSED = {DocumentType.FORWARDING, DocumentType.REMINDER}
