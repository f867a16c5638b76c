"""Citizens: validation, matching a returning citizen, creating and updating records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from app.models import Citizen, CitizenVersion, Petition, Visit
from app.models.enums import Gender, IdKind, PetitionStatus
from app.services.common import catalogues
from app.services.common.actor import SYSTEM, Actor
from app.services.common.clock import local_today
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import fold, keep_last, nfc, nfc_or_none, search_tokens
from app.services.reception import search
from app.services.reception.identity import IdCheck, check_id_number, strip_separators
from app.services.security import audit, crypto
from app.services.security.confidential import MASK
from app.services.security.permissions import Permission, require

OPEN_PETITION_STATUSES = (
    PetitionStatus.RECEIVED,
    PetitionStatus.CLASSIFIED,
    PetitionStatus.ACCEPTED,
    PetitionStatus.FORWARDED,
    PetitionStatus.SUSPENDED,
)
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")
_HAS_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class CitizenInput:
    full_name: str
    id_number: str | None = None
    gender: Gender | None = None
    birth_year: int | None = None
    phone: str | None = None
    province_code: str | None = None
    commune_code: str | None = None
    address_detail: str | None = None


@dataclass(frozen=True)
class CheckedCitizen:
    data: CitizenInput
    errors: dict[str, str]
    warnings: tuple[str, ...]
    id_check: IdCheck


_ID_PURPOSE = "citizen.id_number"


def id_digest(number: str) -> str:
    """Exact-lookup key of an identity number: a keyed hash (HMAC) under the open database's key.

    The number itself is stored encrypted; without the key nobody can test a guessed number.
    """
    return crypto.current().digest(strip_separators(number), _ID_PURPOSE)


def _digest(session: Session, number: str) -> str:
    # The key of the session's own database (several may be open in one process).
    return crypto.key_for(session.get_bind().dialect).digest(strip_separators(number), _ID_PURPOSE)


def storage_fields(
    data: CitizenInput,
    *,
    confidential: bool = False,
    id_kind: IdKind | None = None,
    name_folded: str | None = None,
) -> dict[str, object]:
    """The ``citizen`` column values for already-checked ``data``, for bulk inserts (demo, import).

    ``session.execute(insert(Citizen), [storage_fields(...), ...])`` encrypts the identity
    columns itself; this function adds the lookup digest and a search key that is empty for
    a confidential record (the search index must never hold a denouncer's name).
    ``name_folded`` is ``fold(data.full_name)`` when the caller already has it (bulk loads).
    """
    folded = fold(data.full_name) if name_folded is None else name_folded
    return {
        "full_name": data.full_name,
        "name_folded": "" if confidential else folded,
        "id_number": data.id_number,
        "id_number_digest": id_digest(data.id_number) if data.id_number else None,
        "id_kind": id_kind,
        "gender": data.gender,
        "birth_year": data.birth_year,
        "phone": data.phone,
        "province_code": data.province_code,
        "commune_code": data.commune_code,
        "address_detail": data.address_detail,
        "confidential": confidential,
    }


def check_citizen(
    data: CitizenInput,
    *,
    prefix: str = "citizen",
    today: dt.date | None = None,
    session: Session | None = None,
) -> CheckedCitizen:
    """Clean (NFC, trimmed) and check one person's fields; errors are keyed ``prefix.field``.

    With a ``session`` the province and commune are also checked against the catalogue.
    """
    today = today or local_today()
    errors: dict[str, str] = {}
    name = nfc(data.full_name or "")
    if not name:
        errors[f"{prefix}.full_name"] = "Nhập họ và tên công dân."
    elif not _HAS_LETTER.search(name):
        errors[f"{prefix}.full_name"] = "Họ và tên phải có chữ cái."
    elif len(name) > 200:
        errors[f"{prefix}.full_name"] = "Họ và tên dài quá 200 ký tự."
    if data.birth_year is not None and not 1900 <= data.birth_year <= today.year:
        errors[f"{prefix}.birth_year"] = f"Năm sinh phải từ 1900 đến {today.year}."
    phone = nfc_or_none(data.phone)
    if phone is not None:
        phone = re.sub(r"[\s.\-()]", "", phone)
        if not _PHONE.match(phone):
            errors[f"{prefix}.phone"] = "Số điện thoại gồm 8–15 chữ số (có thể bắt đầu bằng +)."
    # A cleared picker may hand over "" or spaces: that means "not chosen", never a code.
    province_code = (data.province_code or "").strip() or None
    commune_code = (data.commune_code or "").strip() or None
    if commune_code and not province_code:
        errors[f"{prefix}.province_code"] = "Chọn tỉnh, thành phố trước khi chọn xã, phường."
    if session is not None:
        for key, message in catalogues.address_error(session, province_code, commune_code).items():
            errors.setdefault(f"{prefix}.{key}", message)
    id_check = check_id_number(data.id_number, birth_year=data.birth_year, gender=data.gender, today=today)
    if id_check.error:
        errors[f"{prefix}.id_number"] = id_check.error
    cleaned = replace(
        data,
        full_name=name,
        id_number=id_check.number if id_check.ok else nfc_or_none(data.id_number),
        phone=phone,
        province_code=province_code,
        commune_code=commune_code,
        address_detail=nfc_or_none(data.address_detail),
    )
    return CheckedCitizen(cleaned, errors, id_check.warnings, id_check)


def _apply(session: Session, citizen: Citizen, data: CitizenInput, id_check: IdCheck) -> None:
    """Write ``data`` into ``citizen``; on a known citizen a blank never erases what is stored.

    A form that does not show a field (the petition form has no gender or birth year) hands it
    over blank; the record keeps it. The address is replaced as a whole when any part is given.
    """
    known = citizen.id is not None
    citizen.full_name = data.full_name
    citizen.name_folded = "" if citizen.confidential else fold(data.full_name)
    if data.id_number or not known:
        citizen.id_number = data.id_number
        citizen.id_number_digest = _digest(session, data.id_number) if data.id_number else None
        citizen.id_kind = id_check.kind
    if data.gender is not None or not known:
        citizen.gender = data.gender
    if data.birth_year is not None or not known:
        citizen.birth_year = data.birth_year
    if data.phone or not known:
        citizen.phone = data.phone
    if data.province_code or data.commune_code or data.address_detail or not known:
        citizen.province_code = data.province_code
        citizen.commune_code = data.commune_code
        citizen.address_detail = data.address_detail


class IdentityConflict(ValidationError):
    """The identity number typed is recorded for a citizen of another name.

    Never merged silently: the desk asks whether it is the same person, and saves again with
    ``citizen_id`` of that record when the clerk says so; otherwise the number is to be corrected.
    """

    def __init__(self, key: str, citizen_id: int, full_name: str, birth_year: int | None) -> None:
        born = f", sinh năm {birth_year}" if birth_year else ""
        super().__init__(
            {
                key: f"Số giấy tờ này đã ghi cho công dân “{full_name}”{born}. Nếu là cùng một người, "
                "chọn công dân đó (hoặc trả lời “Cùng một người”); nếu không, sửa lại số giấy tờ."
            }
        )
        self.citizen_id = citizen_id
        self.full_name = full_name
        self.birth_year = birth_year


def save_citizen(
    session: Session,
    checked: CheckedCitizen,
    citizen_id: int | None = None,
    *,
    confidential: bool = False,
    actor: Actor = SYSTEM,
    prefix: str = "citizen",
) -> Citizen:
    """Update ``citizen_id``, else the citizen with the same identity number, else a new record.

    A confidential (denouncer's) record is matched only with confidential records, so that a
    denunciation never links to, or reveals itself through, the person's ordinary record. A
    number that belongs to someone of another name raises ``IdentityConflict``. Every change of
    a known record is on the audit trail with its before and after.
    """
    citizen: Citizen | None = None
    if citizen_id is not None:
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFoundError(f"Không tìm thấy công dân số {citizen_id}.")
        if citizen.confidential != confidential:
            citizen = None
    holder = _holder_of_number(session, checked.data.id_number, confidential)
    if citizen is None and holder is not None:
        if fold(holder.full_name) != fold(checked.data.full_name):
            raise _conflict(prefix, holder)
        citizen = holder
    elif citizen is not None and holder is not None and holder.id != citizen.id:
        # A correction giving this record a number another record holds would leave one CCCD on
        # two people: whatever the names, the clerk says which person it is.
        raise _conflict(prefix, holder)
    before = citizen_snapshot(citizen) if citizen is not None else None
    if citizen is None:
        citizen = Citizen(confidential=confidential)
        session.add(citizen)
    _apply(session, citizen, checked.data, checked.id_check)
    session.flush()
    if before is not None:
        old, new = audit.changes(before, citizen_snapshot(citizen))
        if old or new:
            audit.record(session, actor, "update", "citizen", citizen.id, before=old, after=new)
    return citizen


def _holder_of_number(session: Session, number: str | None, confidential: bool) -> Citizen | None:
    if not number:
        return None
    return session.scalar(
        select(Citizen)
        .where(
            Citizen.id_number_digest == _digest(session, number),
            Citizen.confidential.is_(confidential),
            Citizen.deleted_at.is_(None),
        )
        .limit(1)
    )


def _conflict(prefix: str, holder: Citizen) -> IdentityConflict:
    # A denouncer's name stays protected, even in the question.
    name = MASK if holder.confidential else holder.full_name
    return IdentityConflict(f"{prefix}.id_number", holder.id, name, holder.birth_year)


def _sealed(key: crypto.DataKey, value: str | None, purpose: str) -> str | None:
    """What the audit trail keeps of a protected value: a mask plus a keyed fingerprint.

    The fingerprint differs when the value changes, so a correction still shows as a change,
    but the value cannot be read from (or guessed against) the trail.
    """
    if value is None:
        return None
    return f"{MASK} #{key.digest(value, 'audit.' + purpose)[:10]}"


def citizen_snapshot(citizen: Citizen) -> dict[str, object]:
    """The citizen as the audit trail records it: never a CCCD number or a denouncer's identity."""
    protect = bool(citizen.confidential)
    session = object_session(citizen)
    key = crypto.key_for(session.get_bind().dialect if session is not None else None)
    return {
        "full_name": _sealed(key, citizen.full_name, "full_name") if protect else citizen.full_name,
        "id_number": _sealed(key, citizen.id_number, "id_number"),
        "gender": citizen.gender,
        "birth_year": citizen.birth_year,
        "phone": _sealed(key, citizen.phone, "phone") if protect else citizen.phone,
        "province_code": citizen.province_code,
        "commune_code": citizen.commune_code,
        "address_detail": (
            _sealed(key, citizen.address_detail, "address_detail") if protect else citizen.address_detail
        ),
        "confidential": protect,
    }


@dataclass(frozen=True)
class RevealedIdentity:
    citizen_id: int
    full_name: str
    id_number: str | None
    phone: str | None
    address: str


def reveal_identity(session: Session, actor: Actor, citizen_id: int, reason: str) -> RevealedIdentity:
    """A confidential person's identity for someone entitled to it, with the reason on the audit trail."""
    require(actor, Permission.REVEAL_IDENTITY)
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError({"reason": "Nhập lý do xem thông tin người tố cáo (ghi vào nhật ký hệ thống)."})
    citizen = session.get(Citizen, citizen_id)
    if citizen is None or citizen.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy công dân số {citizen_id}.")
    names = catalogues.unit_names(session, {c for c in (citizen.province_code, citizen.commune_code) if c})
    audit.record(session, actor, "reveal", "citizen", citizen.id, reason=reason)
    return RevealedIdentity(
        citizen_id=citizen.id,
        full_name=citizen.full_name,
        id_number=citizen.id_number,
        phone=citizen.phone,
        address=format_address(
            citizen.address_detail,
            names.get(citizen.commune_code or ""),
            names.get(citizen.province_code or ""),
        ),
    )


def citizen_input(session: Session, citizen_id: int) -> CitizenInput:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFoundError(f"Không tìm thấy công dân số {citizen_id}.")
    return person_input(citizen, citizen)


def person_input(person: Citizen | CitizenVersion, citizen: Citizen) -> CitizenInput:
    """Form data from ``person`` (the record, or a recorded version of it); gender and birth year
    always come from ``citizen``, since a version does not keep them."""
    return CitizenInput(
        full_name=person.full_name,
        id_number=person.id_number,
        gender=citizen.gender,
        birth_year=citizen.birth_year,
        phone=person.phone,
        province_code=person.province_code,
        commune_code=person.commune_code,
        address_detail=person.address_detail,
    )


def format_address(detail: str | None, commune: str | None, province: str | None) -> str:
    return ", ".join(part for part in (detail, commune, province) if part)


@dataclass(frozen=True)
class VisitBrief:
    id: int
    received_on: dt.date
    summary: str


@dataclass(frozen=True)
class PetitionBrief:
    id: int
    number: str
    received_on: dt.date
    status: PetitionStatus
    summary: str


@dataclass(frozen=True)
class CitizenMatch:
    id: int
    full_name: str
    id_number: str | None
    birth_year: int | None
    phone: str | None
    address: str
    visit_count: int
    last_visits: tuple[VisitBrief, ...]
    open_petitions: tuple[PetitionBrief, ...]


ID_DIGITS_SHOWN = 4


def find_returning(session: Session, query: str, *, limit: int = 8, history: int = 3) -> list[CitizenMatch]:
    """Earlier citizens matching a typed name or a complete CCCD/CMND, newest first."""
    digits = strip_separators(query)
    # Confidential (denouncers') records never surface on the desk's returning-citizen panel.
    stmt = select(Citizen).where(Citizen.deleted_at.is_(None), Citizen.confidential.is_(False))
    if digits.isdigit() and digits.isascii():
        if len(digits) not in (9, 12):
            return []
        # Through a subquery: without planner statistics SQLite would otherwise walk the low-selectivity
        # ``confidential`` index (125 ms at 200,000 citizens instead of 0.5 ms).
        stmt = stmt.where(
            Citizen.id.in_(select(Citizen.id).where(Citizen.id_number_digest == _digest(session, digits)))
        )
    else:
        if not search_tokens(query):
            return []
        # The newest name matches straight from the index (a few spare for deleted records), instead of
        # every match: "n" matches most of a million citizens.
        stmt = stmt.where(Citizen.id.in_(search.newest_citizen_ids(session, query, limit * 4)))
    citizens = list(session.scalars(stmt.order_by(Citizen.id.desc()).limit(limit)))
    matches = _with_history(session, citizens, history)
    if digits.isdigit():
        return matches  # the clerk typed the number: it is theirs to see
    # Found by name: other people's numbers are shown only by their last digits, enough for the
    # citizen at the desk to confirm "that is me" without the screen showing everyone's CCCD.
    return [
        dataclasses.replace(m, id_number=keep_last(m.id_number, ID_DIGITS_SHOWN), phone=keep_last(m.phone, 3))
        for m in matches
    ]


def _with_history(session: Session, citizens: list[Citizen], history: int) -> list[CitizenMatch]:
    ids = [c.id for c in citizens]
    if not ids:
        return []
    names = catalogues.unit_names(
        session, {code for c in citizens for code in (c.province_code, c.commune_code) if code}
    )
    # Two queries for all the matches (window functions rank each person's rows), not two per
    # person: the panel refreshes on every keystroke (bench/perf_desk.py search).
    visit_rank = func.row_number().over(
        partition_by=Visit.citizen_id, order_by=(Visit.received_at.desc(), Visit.id.desc())
    )
    recent_visits = (
        select(
            Visit.citizen_id,
            Visit.id,
            Visit.received_on,
            Visit.summary,
            visit_rank.label("rank"),
            func.count().over(partition_by=Visit.citizen_id).label("total"),
        )
        .where(Visit.citizen_id.in_(ids), Visit.deleted_at.is_(None))
        .subquery()
    )
    counts: dict[int, int] = {}
    visits_of: dict[int, list[VisitBrief]] = {}
    for v in session.execute(
        select(recent_visits).where(recent_visits.c.rank <= max(history, 1)).order_by(recent_visits.c.rank)
    ):
        counts[v.citizen_id] = v.total
        if v.rank <= history:
            visits_of.setdefault(v.citizen_id, []).append(VisitBrief(v.id, v.received_on, v.summary))
    petition_rank = func.row_number().over(
        partition_by=Petition.citizen_id, order_by=(Petition.received_on.desc(), Petition.id.desc())
    )
    open_petitions = (
        select(
            Petition.citizen_id,
            Petition.id,
            Petition.reg_seq,
            Petition.reg_year,
            Petition.received_on,
            Petition.status,
            Petition.summary,
            petition_rank.label("rank"),
        )
        .where(Petition.citizen_id.in_(ids), Petition.deleted_at.is_(None), Petition.status.in_(OPEN_PETITION_STATUSES))
        .subquery()
    )
    petitions_of: dict[int, list[PetitionBrief]] = {}
    for p in session.execute(
        select(open_petitions).where(open_petitions.c.rank <= history).order_by(open_petitions.c.rank)
    ):
        petitions_of.setdefault(p.citizen_id, []).append(
            PetitionBrief(p.id, f"{p.reg_seq}/{p.reg_year}", p.received_on, p.status, p.summary)
        )
    matches = []
    for c in citizens:
        matches.append(
            CitizenMatch(
                id=c.id,
                full_name=c.full_name,
                id_number=c.id_number,
                birth_year=c.birth_year,
                phone=c.phone,
                address=format_address(
                    c.address_detail, names.get(c.commune_code or ""), names.get(c.province_code or "")
                ),
                visit_count=counts.get(c.id, 0),
                last_visits=tuple(visits_of.get(c.id, ())),
                open_petitions=tuple(petitions_of.get(c.id, ())),
            )
        )
    return matches
