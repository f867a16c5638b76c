"""The directory of competent bodies: seeded for the office's province, editable in Danh mục."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AdminUnit, Agency
from app.models.enums import AdminLevel, AgencyLevel
from app.paths import resource
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import fold, nfc, nfc_or_none
from app.services.security import audit
from app.services.security.permissions import Permission, require

# The province the directory was last seeded for: seeding again for the same province is a no-op.
SEEDED_FOR = settings.define("agencies.seeded_for", "", "Tỉnh đã nạp danh bạ cơ quan (mã)")

KIND_LABELS = {
    "ubnd": "Ủy ban nhân dân",
    "so": "Sở, ngành",
    "bo": "Bộ, ngành trung ương",
    "thanh_tra": "Thanh tra",
    "tiep_cong_dan": "Tiếp công dân",
    "van_phong": "Văn phòng",
    "cong_an": "Công an",
    "toa_an": "Tòa án",
    "vks": "Viện kiểm sát",
    "dang": "Cơ quan Đảng",
    "khac": "Khác",
}


@dataclass(frozen=True)
class AgencyRow:
    id: int
    code: str | None
    name: str
    short_name: str | None
    level: AgencyLevel
    kind: str
    admin_unit_code: str | None
    parent_id: int | None
    address: str | None
    active: bool


@dataclass(frozen=True)
class AgencyInput:
    name: str
    level: AgencyLevel
    kind: str = "khac"
    short_name: str | None = None
    code: str | None = None
    admin_unit_code: str | None = None
    parent_id: int | None = None
    address: str | None = None
    active: bool = True


def _row(agency: Agency) -> AgencyRow:
    return AgencyRow(
        agency.id,
        agency.code,
        agency.name,
        agency.short_name,
        agency.level,
        agency.kind,
        agency.admin_unit_code,
        agency.parent_id,
        agency.address,
        agency.active,
    )


# ---- seed ------------------------------------------------------------------------------------------


def province_code(session: Session) -> str:
    return str(settings.get(session, settings.OFFICE_PROVINCE))


def _province_words(unit: AdminUnit) -> dict[str, str]:
    """Name fragments for the templates: "tỉnh Bắc Ninh" or "thành phố Hà Nội", "Tỉnh ủy" or "Thành ủy"."""
    is_city = unit.division_type.startswith("thành phố")
    short = unit.name.removeprefix("Thành phố ").strip()
    level = "thành phố" if is_city else "tỉnh"
    party_short = "Thành ủy" if is_city else "Tỉnh ủy"
    return {
        "unit": f"{level} {short}",
        "level": level,
        "party": f"{party_short} {short}",
        "party_short": party_short,
    }


def commune_agency_name(unit_name: str) -> str:
    """ "Phường Kinh Bắc" → "Ủy ban nhân dân phường Kinh Bắc" (the unit word in lower case)."""
    word, _, rest = unit_name.partition(" ")
    if word == "Đặc" and rest.startswith("khu "):
        return f"Ủy ban nhân dân đặc khu {rest[4:]}"
    return f"Ủy ban nhân dân {word.lower()} {rest}".strip()


def _seed_rows(session: Session, code: str) -> list[dict[str, Any]]:
    data = json.loads(resource("seeds", "agencies.json").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = [
        {**item, "level": AgencyLevel.CENTRAL, "admin_unit_code": None, "parent": None} for item in data["central"]
    ]
    province = session.get(AdminUnit, code)
    if province is None or province.level != AdminLevel.PROVINCE:
        return rows
    words = _province_words(province)
    for item in data["province"]:
        # Every province body other than the People's Committee sits at the department tier for routing.
        level = AgencyLevel.PROVINCE if item["code"] == "UBND" else AgencyLevel.DEPARTMENT
        rows.append(
            {
                "code": f"P{code}.{item['code']}",
                "name": item["name"].format(**words),
                "short_name": item["short_name"].format(**words),
                "kind": item["kind"],
                "level": level,
                "admin_unit_code": code,
                "parent": f"P{code}.{item['parent']}" if item.get("parent") else None,
            }
        )
    communes = session.execute(
        select(AdminUnit.code, AdminUnit.name)
        .where(AdminUnit.parent_code == code, AdminUnit.level == AdminLevel.COMMUNE, AdminUnit.valid_to.is_(None))
        .order_by(AdminUnit.name_folded)
    ).all()
    for unit_code, unit_name in communes:
        rows.append(
            {
                "code": f"X{unit_code}",
                "name": commune_agency_name(unit_name),
                "short_name": f"UBND {unit_name}",
                "kind": "ubnd",
                "level": AgencyLevel.COMMUNE,
                "admin_unit_code": unit_code,
                "parent": f"P{code}.UBND",
            }
        )
    return rows


def ensure_seeded(session: Session) -> int:
    """Add the bodies of the directory that are missing (by code); returns how many were added.

    Idempotent and cheap after the first call (one setting read). Rows the office edited are
    left as they are: only missing codes are inserted.
    """
    code = province_code(session)
    if settings.get(session, SEEDED_FOR) == code:
        return 0
    existing = dict(session.execute(select(Agency.code, Agency.id).where(Agency.code.is_not(None))).all())
    added = 0
    pending_parents: list[tuple[Agency, str]] = []
    for row in _seed_rows(session, code):
        if row["code"] in existing:
            continue
        agency = Agency(
            code=row["code"],
            name=row["name"],
            name_folded=fold(row["name"]),
            short_name=row.get("short_name"),
            level=row["level"],
            kind=row["kind"],
            admin_unit_code=row["admin_unit_code"],
            active=True,
        )
        session.add(agency)
        if row["parent"]:
            pending_parents.append((agency, row["parent"]))
        added += 1
    session.flush()
    codes = dict(session.execute(select(Agency.code, Agency.id).where(Agency.code.is_not(None))).all())
    for agency, parent_code in pending_parents:
        agency.parent_id = codes.get(parent_code)
    settings.put(session, SEEDED_FOR, code)
    session.flush()
    return added


# ---- lookups ---------------------------------------------------------------------------------------


def list_agencies(
    session: Session, *, text: str = "", level: AgencyLevel | None = None, include_inactive: bool = False
) -> list[AgencyRow]:
    ensure_seeded(session)
    stmt = select(Agency)
    if not include_inactive:
        stmt = stmt.where(Agency.active.is_(True))
    if level is not None:
        stmt = stmt.where(Agency.level == level)
    for word in fold(text).split():
        stmt = stmt.where(Agency.name_folded.contains(word, autoescape=True))
    order = {AgencyLevel.CENTRAL: 0, AgencyLevel.PROVINCE: 1, AgencyLevel.DEPARTMENT: 2, AgencyLevel.COMMUNE: 3}
    rows = [_row(a) for a in session.scalars(stmt)]
    return sorted(rows, key=lambda r: (order.get(r.level, 4), r.kind != "ubnd", fold(r.name)))


def get_agency(session: Session, agency_id: int) -> AgencyRow:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFoundError(f"Không tìm thấy cơ quan số {agency_id} trong danh bạ.")
    return _row(agency)


def by_code(session: Session, code: str) -> AgencyRow | None:
    ensure_seeded(session)
    agency = session.scalar(select(Agency).where(Agency.code == code))
    return _row(agency) if agency else None


def province_committee(session: Session) -> AgencyRow | None:
    """The People's Committee of the office's province."""
    return by_code(session, f"P{province_code(session)}.UBND")


def commune_committee(session: Session, unit_code: str) -> AgencyRow | None:
    return by_code(session, f"X{unit_code}")


def names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all())


# ---- editing (Danh mục) ----------------------------------------------------------------------------


def _check(session: Session, data: AgencyInput, agency_id: int | None) -> AgencyInput:
    errors: dict[str, str] = {}
    name = nfc(data.name or "")
    if not name:
        errors["name"] = "Nhập tên cơ quan."
    elif len(name) > 300:
        errors["name"] = "Tên cơ quan dài quá 300 ký tự."
    code = nfc_or_none(data.code)
    if code:
        clash = session.scalar(
            select(func.count()).select_from(Agency).where(Agency.code == code, Agency.id != (agency_id or 0))
        )
        if clash:
            errors["code"] = f"Mã “{code}” đã dùng cho cơ quan khác."
    if data.kind not in KIND_LABELS:
        errors["kind"] = "Chọn loại cơ quan trong danh sách."
    if data.parent_id is not None and data.parent_id == agency_id:
        errors["parent_id"] = "Cơ quan cấp trên không thể là chính nó."
    if errors:
        raise ValidationError(errors)
    return AgencyInput(
        name=name,
        level=data.level,
        kind=data.kind,
        short_name=nfc_or_none(data.short_name),
        code=code,
        admin_unit_code=data.admin_unit_code,
        parent_id=data.parent_id,
        address=nfc_or_none(data.address),
        active=data.active,
    )


def _snapshot(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "level": agency.level,
        "kind": agency.kind,
        "admin_unit_code": agency.admin_unit_code,
        "parent_id": agency.parent_id,
        "address": agency.address,
        "active": agency.active,
    }


def _apply(agency: Agency, data: AgencyInput) -> None:
    agency.code = data.code
    agency.name = data.name
    agency.name_folded = fold(data.name)
    agency.short_name = data.short_name
    agency.level = data.level
    agency.kind = data.kind
    agency.admin_unit_code = data.admin_unit_code
    agency.parent_id = data.parent_id
    agency.address = data.address
    agency.active = data.active


def save_agency(session: Session, actor: Actor, data: AgencyInput, agency_id: int | None = None) -> AgencyRow:
    """Add a body (``agency_id`` None) or correct one; every change is audited."""
    require(actor, Permission.MANAGE_CATALOGUES)
    cleaned = _check(session, data, agency_id)
    if agency_id is None:
        agency = Agency()
        _apply(agency, cleaned)
        session.add(agency)
        session.flush()
        audit.record(session, actor, "create", "agency", agency.id, after=_snapshot(agency))
        return _row(agency)
    found = session.get(Agency, agency_id)
    if found is None:
        raise NotFoundError(f"Không tìm thấy cơ quan số {agency_id} trong danh bạ.")
    before = _snapshot(found)
    _apply(found, cleaned)
    session.flush()
    old, new = audit.changes(before, _snapshot(found))
    if old or new:
        audit.record(session, actor, "update", "agency", found.id, before=old, after=new)
    return _row(found)


def set_active(session: Session, actor: Actor, agency_id: int, active: bool) -> AgencyRow:
    """Deactivate (or reactivate) a body: it stays on old petitions but is no longer offered."""
    require(actor, Permission.MANAGE_CATALOGUES)
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise NotFoundError(f"Không tìm thấy cơ quan số {agency_id} trong danh bạ.")
    if agency.active != active:
        agency.active = active
        session.flush()
        audit.record(
            session, actor, "update", "agency", agency.id, before={"active": not active}, after={"active": active}
        )
    return _row(agency)
