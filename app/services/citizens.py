"""Citizens: validation, matching a returning citizen, creating and updating records."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Citizen, Petition, Visit
from app.models.enums import Gender, PetitionStatus
from app.services import catalogues, search
from app.services.errors import NotFoundError
from app.services.identity import IdCheck, check_id_number, strip_separators
from app.services.text import fold, nfc, nfc_or_none, search_tokens

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


def id_digest(number: str) -> str:
    """Exact-lookup key of an identity number (the number itself may be stored encrypted)."""
    return hashlib.sha256(f"tiepdan-id:{strip_separators(number)}".encode()).hexdigest()


def check_citizen(data: CitizenInput, *, prefix: str = "citizen", today: dt.date | None = None) -> CheckedCitizen:
    """Clean (NFC, trimmed) and check one person's fields; errors are keyed ``prefix.field``."""
    today = today or dt.date.today()
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
    if data.commune_code and not data.province_code:
        errors[f"{prefix}.province_code"] = "Chọn tỉnh, thành phố trước khi chọn xã, phường."
    id_check = check_id_number(data.id_number, birth_year=data.birth_year, gender=data.gender, today=today)
    if id_check.error:
        errors[f"{prefix}.id_number"] = id_check.error
    cleaned = replace(
        data,
        full_name=name,
        id_number=id_check.number if id_check.ok else nfc_or_none(data.id_number),
        phone=phone,
        address_detail=nfc_or_none(data.address_detail),
    )
    return CheckedCitizen(cleaned, errors, id_check.warnings, id_check)


def _apply(citizen: Citizen, data: CitizenInput, id_check: IdCheck) -> None:
    citizen.full_name = data.full_name
    citizen.name_folded = fold(data.full_name)
    citizen.id_number = data.id_number
    citizen.id_number_digest = id_digest(data.id_number) if data.id_number else None
    citizen.id_kind = id_check.kind
    citizen.gender = data.gender
    citizen.birth_year = data.birth_year
    citizen.phone = data.phone
    citizen.province_code = data.province_code
    citizen.commune_code = data.commune_code
    citizen.address_detail = data.address_detail


def save_citizen(
    session: Session, checked: CheckedCitizen, citizen_id: int | None = None, *, confidential: bool = False
) -> Citizen:
    """Update ``citizen_id``, else the citizen with the same identity number, else a new record.

    A confidential (denouncer's) record is matched only with confidential records, so that a
    denunciation never links to, or reveals itself through, the person's ordinary record.
    """
    citizen: Citizen | None = None
    if citizen_id is not None:
        citizen = session.get(Citizen, citizen_id)
        if citizen is None:
            raise NotFoundError(f"Không tìm thấy công dân số {citizen_id}.")
        if citizen.confidential != confidential:
            citizen = None
    if citizen is None and checked.data.id_number:
        citizen = session.scalar(
            select(Citizen)
            .where(
                Citizen.id_number_digest == id_digest(checked.data.id_number),
                Citizen.confidential.is_(confidential),
                Citizen.deleted_at.is_(None),
            )
            .limit(1)
        )
    if citizen is None:
        citizen = Citizen(confidential=confidential)
        session.add(citizen)
    _apply(citizen, checked.data, checked.id_check)
    session.flush()
    return citizen


def citizen_snapshot(citizen: Citizen) -> dict[str, object]:
    return {
        "full_name": citizen.full_name,
        "id_number": citizen.id_number,
        "gender": citizen.gender,
        "birth_year": citizen.birth_year,
        "phone": citizen.phone,
        "province_code": citizen.province_code,
        "commune_code": citizen.commune_code,
        "address_detail": citizen.address_detail,
    }


def citizen_input(session: Session, citizen_id: int) -> CitizenInput:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotFoundError(f"Không tìm thấy công dân số {citizen_id}.")
    return CitizenInput(
        full_name=citizen.full_name,
        id_number=citizen.id_number,
        gender=citizen.gender,
        birth_year=citizen.birth_year,
        phone=citizen.phone,
        province_code=citizen.province_code,
        commune_code=citizen.commune_code,
        address_detail=citizen.address_detail,
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


def find_returning(session: Session, query: str, *, limit: int = 8, history: int = 3) -> list[CitizenMatch]:
    """Earlier citizens matching a typed name or a complete CCCD/CMND, newest first."""
    digits = strip_separators(query)
    # Confidential (denouncers') records never surface on the desk's returning-citizen panel.
    stmt = select(Citizen).where(Citizen.deleted_at.is_(None), Citizen.confidential.is_(False))
    if digits.isdigit() and digits.isascii():
        if len(digits) not in (9, 12):
            return []
        stmt = stmt.where(Citizen.id_number_digest == id_digest(digits))
    else:
        if not search_tokens(query):
            return []
        stmt = stmt.where(search.citizen_name_matches(session, query))
    citizens = list(session.scalars(stmt.order_by(Citizen.id.desc()).limit(limit)))
    return _with_history(session, citizens, history)


def _with_history(session: Session, citizens: list[Citizen], history: int) -> list[CitizenMatch]:
    ids = [c.id for c in citizens]
    if not ids:
        return []
    names = catalogues.unit_names(
        session, {code for c in citizens for code in (c.province_code, c.commune_code) if code}
    )
    counts = dict(
        session.execute(
            select(Visit.citizen_id, func.count())
            .where(Visit.citizen_id.in_(ids), Visit.deleted_at.is_(None))
            .group_by(Visit.citizen_id)
        ).all()
    )
    matches = []
    for c in citizens:
        visits = session.execute(
            select(Visit.id, Visit.received_on, Visit.summary)
            .where(Visit.citizen_id == c.id, Visit.deleted_at.is_(None))
            .order_by(Visit.received_at.desc())
            .limit(history)
        ).all()
        petitions = session.execute(
            select(
                Petition.id,
                Petition.reg_seq,
                Petition.reg_year,
                Petition.received_on,
                Petition.status,
                Petition.summary,
            )
            .where(
                Petition.citizen_id == c.id, Petition.deleted_at.is_(None), Petition.status.in_(OPEN_PETITION_STATUSES)
            )
            .order_by(Petition.received_on.desc())
            .limit(history)
        ).all()
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
                last_visits=tuple(VisitBrief(v.id, v.received_on, v.summary) for v in visits),
                open_petitions=tuple(
                    PetitionBrief(p.id, f"{p.reg_seq}/{p.reg_year}", p.received_on, p.status, p.summary)
                    for p in petitions
                ),
            )
        )
    return matches
