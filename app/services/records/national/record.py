"""One petition as the national database's case record (Nghị định 55/2022).

The record groups what the database asks for: the case, its source, the petitioners, the
respondent, the previous resolution, the classification, acceptance, the handling result, the
resolution decision and its enforcement, with the documents issued. Every field is described in
``resources/national/case_record.schema.json``.

A record is first built *whole* (every identity in clear), hashed with the database's keyed hash
(nobody without the key can test a guess of a name against the stored mark), and only then
shaped for the user who exports it: ordinary petitioners as the user's right allows, a
denouncer's identity always by the confidentiality rules (``confidential.shown``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import (
    AdminUnit,
    Agency,
    Attachment,
    Case,
    Citizen,
    CitizenVersion,
    FieldCategory,
    IssuedDocument,
    Petition,
    PetitionEvent,
    PetitionParty,
    Visit,
)
from app.models.enums import DocumentType, HandlingAction, ParticipantRole, ReceptionKind
from app.services.common import settings, vocab
from app.services.common.actor import Actor
from app.services.security import confidential, crypto, secret_references

# Handling directions (Thông tư 05/2021): the latest of them is the petition's direction.
DIRECTIONS = (
    HandlingAction.ACCEPT,
    HandlingAction.REFUSE,
    HandlingAction.FORWARD,
    HandlingAction.GUIDE,
    HandlingAction.RETURN,
    HandlingAction.FILE,
)
HASH_PURPOSE = "national/record/v1"
# Identity fields of a person: replaced when the identity may not leave the office in clear.
IDENTITY_FIELDS = ("full_name", "id_number", "birth_year", "address")
# A denouncer's record masked: every personal detail, not only the identifying ones.
PROTECTED_FIELDS = (
    *IDENTITY_FIELDS,
    "id_kind",
    "gender",
    "ethnicity",
    "nationality",
    "province_code",
    "province_name",
    "commune_code",
    "commune_name",
)

IdentityMode = str  # "included" | "masked" | "secret_register"


@dataclass(frozen=True)
class BuiltRecord:
    petition_id: int
    record_id: str
    content: dict[str, Any]  # whole: identities in clear, people carry a "_protect" flag
    digest: str


def office_code(session: Session) -> str:
    """The code the office's records are numbered under: its commune, else its province."""
    commune = str(settings.get(session, settings.OFFICE_COMMUNE) or "").strip()
    return commune or str(settings.get(session, settings.OFFICE_PROVINCE) or "").strip()


def period_petition_ids(session: Session, date_from: dt.date | None, date_to: dt.date | None) -> list[int]:
    """Petitions received in the period, or acted on in it (a later step updates the record too)."""
    received = [Petition.received_on >= date_from] if date_from else []
    received += [Petition.received_on <= date_to] if date_to else []
    acted = [PetitionEvent.petition_id == Petition.id]
    acted += [PetitionEvent.occurred_on >= date_from] if date_from else []
    acted += [PetitionEvent.occurred_on <= date_to] if date_to else []
    stmt = (
        select(Petition.id)
        .where(Petition.deleted_at.is_(None), or_(and_(true(), *received), exists().where(*acted)))
        .order_by(Petition.received_on, Petition.reg_year, Petition.reg_seq)
    )
    return list(session.scalars(stmt))


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value  # type: ignore[no-any-return]


def _code(value: Any) -> str | None:
    return str(value) if value is not None else None


@dataclass
class _Lookups:
    agencies: dict[int, tuple[str | None, str]]
    fields: dict[str, tuple[str, str | None]]  # code → (name, parent code)
    units: dict[str, str]
    visits: dict[int, Visit]
    cases: dict[int, str]
    documents: dict[int, list[IssuedDocument]]
    attachments: dict[int, int]
    regs: dict[int, tuple[int, int]]  # petition id → (year, seq), for duplicate links
    office: str


def _lookups(session: Session, petitions: Sequence[Petition], office: str) -> _Lookups:
    ids = [p.id for p in petitions]
    visit_ids = {p.visit_id for p in petitions if p.visit_id}
    case_ids = {p.case_id for p in petitions if p.case_id}
    duplicate_ids = {p.duplicate_of_id for p in petitions if p.duplicate_of_id}
    documents: dict[int, list[IssuedDocument]] = {}
    attachments: dict[int, int] = {}
    for chunk in _chunks(ids):
        for doc in session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.petition_id.in_(chunk))
            .order_by(IssuedDocument.issued_on, IssuedDocument.id)
        ):
            documents.setdefault(doc.petition_id or 0, []).append(doc)
        for pid, count in session.execute(
            select(Attachment.petition_id, func.count())
            .where(Attachment.petition_id.in_(chunk))
            .group_by(Attachment.petition_id)
        ):
            attachments[pid or 0] = count
    visits: dict[int, Visit] = {}
    for chunk in _chunks(sorted(visit_ids)):
        visits.update({v.id: v for v in session.scalars(select(Visit).where(Visit.id.in_(chunk)))})
    cases: dict[int, str] = {}
    for chunk in _chunks(sorted(case_ids)):
        cases.update(
            {c_id: title for c_id, title in session.execute(select(Case.id, Case.title).where(Case.id.in_(chunk)))}
        )
    regs: dict[int, tuple[int, int]] = {p.id: (p.reg_year, p.reg_seq) for p in petitions}
    for chunk in _chunks(sorted(duplicate_ids - set(regs))):
        for pid, year, seq in session.execute(
            select(Petition.id, Petition.reg_year, Petition.reg_seq).where(Petition.id.in_(chunk))
        ):
            regs[pid] = (year, seq)
    return _Lookups(
        agencies={
            a_id: (code, name) for a_id, code, name in session.execute(select(Agency.id, Agency.code, Agency.name))
        },
        fields={
            code: (name, parent)
            for code, name, parent in session.execute(
                select(FieldCategory.code, FieldCategory.name, FieldCategory.parent_code)
            )
        },
        units={code: name for code, name in session.execute(select(AdminUnit.code, AdminUnit.name))},
        visits=visits,
        cases=cases,
        documents=documents,
        attachments=attachments,
        regs=regs,
        office=office,
    )


def _chunks(ids: Sequence[int], size: int = 900) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def record_id(office: str, year: int, seq: int) -> str:
    """The record's stable identifier: the office's unit code, the register year and number."""
    return f"{office or 'donvi'}-{year}-{seq:06d}"


def _agency(look: _Lookups, agency_id: int | None) -> dict[str, Any] | None:
    if agency_id is None or agency_id not in look.agencies:
        return None
    code, name = look.agencies[agency_id]
    return {"code": code, "name": name}


def _classification_code(look: _Lookups, kind: str, field_code: str | None) -> str:
    """Kind, then the field's chain from its root: "khieu_nai/HC/HC_DD"."""
    chain: list[str] = []
    code = field_code
    while code and code not in chain and len(chain) < 8:
        chain.insert(0, code)
        code = look.fields.get(code, ("", None))[1]
    return "/".join([kind, *chain])


def _person(
    look: _Lookups, citizen: Citizen | None, version: CitizenVersion | None, role: str, protect: bool
) -> dict[str, Any] | None:
    if citizen is None:
        return None
    source: Citizen | CitizenVersion = version or citizen
    return {
        "role": role,
        "role_label": _ROLE_LABELS.get(role, role),
        "full_name": source.full_name,
        "id_number": source.id_number,
        "id_kind": _code(citizen.id_kind),
        "gender": _code(citizen.gender),
        "birth_year": citizen.birth_year,
        "ethnicity": citizen.ethnicity,
        "nationality": citizen.nationality,
        "province_code": source.province_code,
        "province_name": look.units.get(source.province_code or ""),
        "commune_code": source.commune_code,
        "commune_name": look.units.get(source.commune_code or ""),
        "address": source.address_detail,
        "_protect": protect or citizen.confidential or bool(version and version.confidential),
    }


_ROLE_LABELS = {
    "nguoi_dung_don": "Người đứng đơn",
    ParticipantRole.PRESENTER.value: "Người trình bày",
    ParticipantRole.REPRESENTATIVE.value: "Người đại diện",
    ParticipantRole.MEMBER.value: "Thành viên",
    ParticipantRole.SIGNER.value: "Người ký đơn",
}


def _events(petition: Petition, action: HandlingAction) -> list[PetitionEvent]:
    return [e for e in petition.events if e.action == action]


def _last(petition: Petition, actions: Iterable[HandlingAction]) -> PetitionEvent | None:
    wanted = set(actions)
    found = [e for e in petition.events if e.action in wanted]
    return max(found, key=lambda e: (e.occurred_on, e.id)) if found else None


def build(look: _Lookups, petition: Petition) -> BuiltRecord:
    """The whole record of ``petition`` and its keyed hash."""
    protect = confidential.must_protect(petition.kind)
    visit = look.visits.get(petition.visit_id or 0)
    people: list[dict[str, Any]] = []
    main = _person(look, petition.citizen, petition.citizen_version, "nguoi_dung_don", protect)
    if main is not None and not petition.is_anonymous:
        people.append(main)
    for party in petition.parties:
        entry = _person(look, party.citizen, party.citizen_version, str(party.role), protect)
        if entry is not None and party.citizen_id != petition.citizen_id:
            people.append(entry)
    direction = _last(petition, DIRECTIONS)
    forward = _last(petition, (HandlingAction.FORWARD,))
    refuse = _last(petition, (HandlingAction.REFUSE,))
    decide = _last(petition, (HandlingAction.DECIDE,))
    enforce = _last(petition, (HandlingAction.ENFORCE,))
    documents = look.documents.get(petition.id, [])
    decisions = [d for d in documents if d.doc_type == DocumentType.DECISION]
    duplicate = look.regs.get(petition.duplicate_of_id or 0)
    field_name = look.fields.get(petition.field_code or "", (None, None))[0]
    content: dict[str, Any] = {
        "record_id": record_id(look.office, petition.reg_year, petition.reg_seq),
        "case": {
            "petition_number": f"{petition.reg_seq:02d}/{petition.reg_year}",
            "entry_date": _day(petition.received_on),
            "case_id": petition.case_id,
            "case_title": look.cases.get(petition.case_id or 0),
            "summary": petition.summary,
            "receiving_leader": visit.leader_name if visit else None,
            "reception_kind": _code(visit.reception_kind) if visit else None,
            "periodic_reception": bool(visit and visit.reception_kind == ReceptionKind.PERIODIC),
            "crowd": bool((visit and visit.is_crowd) or str(petition.sender_kind) == "dong_nguoi"),
            "complicated": petition.is_complicated,
            "remote_area": petition.is_remote_area,
        },
        "source": {
            "channel": str(petition.source),
            "channel_label": vocab.label(petition.source),
            "forwarding_body": _agency(look, petition.source_agency_id),
            "incoming_doc_number": petition.incoming_doc_number,
            "incoming_doc_date": _day(petition.incoming_doc_date),
            "received_at_reception": visit is not None,
        },
        "petitioners": {
            "sender_kind": str(petition.sender_kind),
            "sender_kind_label": vocab.label(petition.sender_kind),
            "anonymous": petition.is_anonymous,
            "pseudonymous": petition.is_pseudonymous,
            "organisation_name": petition.organisation_name,
            "head_count": petition.head_count,
            "people": people,
        },
        "respondent": {
            "name": petition.respondent_name,
            "level": _code(petition.respondent_level),
            "level_label": vocab.label(petition.respondent_level) or None,
            "agency": _agency(look, petition.respondent_agency_id),
            "detail": petition.respondent_detail,
        },
        "previous_resolution": {
            "matter_state": _code(petition.matter_state),
            "matter_state_label": vocab.label(petition.matter_state) or None,
            "resolved_by": visit.resolved_by if visit else None,
            "instance": _code(petition.instance),
            "beyond_level": petition.is_beyond_level,
            "prolonged": petition.is_prolonged,
        },
        "classification": {
            "kind": str(petition.kind),
            "kind_label": vocab.label(petition.kind),
            "field_code": petition.field_code,
            "field_name": field_name,
            "code": _classification_code(look, str(petition.kind), petition.field_code),
            "competence": _code(petition.competence),
            "eligible": petition.eligible,
            "ineligible_reason": petition.ineligible_reason,
            "duplicate_of": record_id(look.office, *duplicate) if duplicate else None,
            "attachments": look.attachments.get(petition.id, 0),
        },
        "acceptance": {
            "handled_on": _day(petition.handled_on),
            "direction": _code(direction.action) if direction else None,
            "direction_label": vocab.label(direction.action) or None if direction else None,
            "accepted": petition.accepted_on is not None,
            "accepted_on": _day(petition.accepted_on),
            "not_accepted_reason": (refuse.reason if refuse else None) or petition.ineligible_note,
            "handling_agency": _agency(look, petition.handling_agency_id),
            "forwarded_to": _agency(look, forward.agency_id) if forward else None,
            "forward_count": petition.forward_count,
        },
        "handling_result": {
            "status": str(petition.status),
            "status_label": vocab.label(petition.status),
            "result": _code(petition.result),
            "result_label": vocab.label(petition.result) or None,
            "closed_on": _day(petition.closed_on),
            "money_recovered": _number(petition.money_recovered),
            "land_recovered_m2": _number(petition.land_recovered_m2),
            "people_handled": petition.people_handled,
        },
        "decision": {
            "decided_on": _day(petition.decided_on or (decide.occurred_on if decide else None)),
            "symbol": decisions[-1].symbol if decisions else None,
            "issued_on": _day(decisions[-1].issued_on) if decisions else None,
            "note": decide.note if decide else None,
        },
        "enforcement": {
            "enforced": petition.enforced_on is not None or enforce is not None,
            "enforced_on": _day(petition.enforced_on or (enforce.occurred_on if enforce else None)),
            "note": enforce.note if enforce else None,
        },
        "documents": [
            {
                "type": str(d.doc_type),
                "type_label": vocab.label(d.doc_type),
                "symbol": d.symbol,
                "issued_on": _day(d.issued_on),
                "recipient": d.recipient,
            }
            for d in documents
        ],
    }
    return BuiltRecord(petition.id, content["record_id"], content, "")


def digest(session: Session, content: dict[str, Any]) -> str:
    """The keyed hash of a whole record (HMAC-SHA-256 with the database's own key)."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return crypto.key_for(session.get_bind().dialect).digest(canonical, HASH_PURPOSE)


def build_all(session: Session, petition_ids: Sequence[int]) -> list[BuiltRecord]:
    """The whole records of ``petition_ids``, in that order, each with its hash."""
    petitions: list[Petition] = []
    for chunk in _chunks(petition_ids):
        found = {
            p.id: p
            for p in session.scalars(
                select(Petition)
                .where(Petition.id.in_(chunk))
                .options(
                    joinedload(Petition.citizen),
                    joinedload(Petition.citizen_version),
                    selectinload(Petition.parties).joinedload(PetitionParty.citizen),
                    selectinload(Petition.parties).joinedload(PetitionParty.citizen_version),
                    selectinload(Petition.events),
                )
            ).unique()
        }
        petitions += [found[i] for i in chunk if i in found]
    look = _lookups(session, petitions, office_code(session))
    built = []
    for petition in petitions:
        record = build(look, petition)
        built.append(BuiltRecord(record.petition_id, record.record_id, record.content, digest(session, record.content)))
    return built


def identity_mode(actor: Actor, person: dict[str, Any], mask_all: bool) -> IdentityMode:
    """How a person's identity leaves the office: in clear, masked, or as the sổ mật reference."""
    name = person.get("full_name")
    if secret_references.is_label(name):
        return "secret_register"
    if person.get("_protect"):
        return "included" if confidential.shown(actor, name, True) == name and not mask_all else "masked"
    return "masked" if mask_all else "included"


def shaped(actor: Actor, content: dict[str, Any], mask_all: bool) -> dict[str, Any]:
    """The record as ``actor`` may export it (``content`` itself is left untouched)."""
    out = json.loads(json.dumps(content, default=str))
    for person in out["petitioners"]["people"]:
        mode = identity_mode(actor, person, mask_all)
        protect = bool(person.pop("_protect", False))
        person["confidential"] = protect
        person["identity"] = mode
        if mode == "masked":
            # A denouncer's other personal details narrow who they are: withheld with the identity
            # (Luật Tố cáo, Điều 47: họ tên, địa chỉ, bút tích và các thông tin cá nhân khác).
            for key in PROTECTED_FIELDS if protect else IDENTITY_FIELDS:
                person[key] = None
            person["full_name"] = confidential.MASK
        elif mode == "secret_register":
            for key in IDENTITY_FIELDS[1:]:
                person[key] = None
    return out  # type: ignore[no-any-return]
