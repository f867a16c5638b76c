"""The subordinate units an upper office collects reports from, declared from the directory."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AdminUnit, SubordinateUnit
from app.models.enums import AdminLevel, AgencyLevel
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import fold, nfc
from app.services.directory import agencies
from app.services.security import audit
from app.services.security.permissions import Permission, require
from app.services.upward import signing

KIND_LABELS = {"commune": "Xã, phường", "agency": "Sở, ngành", "other": "Đơn vị khác"}


@dataclass(frozen=True)
class Candidate:
    """A unit of the directory that may be declared: a commune of the province or a department."""

    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class UnitRow:
    id: int
    code: str
    name: str
    kind: str
    active: bool
    public_key: str | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def fingerprint(self) -> str:
        return signing.fingerprint(self.public_key) if self.public_key else "(chưa có: ghim khi nhận gói đầu tiên)"


def _row(unit: SubordinateUnit) -> UnitRow:
    return UnitRow(unit.id, unit.code, unit.name, unit.kind, unit.active, unit.public_key)


def candidates(session: Session) -> list[Candidate]:
    """The communes of the office's province, then its departments (from the directory)."""
    province = str(settings.get(session, settings.OFFICE_PROVINCE))
    found = [Candidate(c.code, c.name, "commune") for c in catalogues.communes(session, province)]
    found += [
        Candidate(a.code, a.name, "agency")
        for a in agencies.list_agencies(session, level=AgencyLevel.DEPARTMENT)
        if a.code
    ]
    return found


def list_units(session: Session, *, include_inactive: bool = False) -> list[UnitRow]:
    stmt = select(SubordinateUnit)
    if not include_inactive:
        stmt = stmt.where(SubordinateUnit.active.is_(True))
    stmt = stmt.order_by(SubordinateUnit.sort_order, SubordinateUnit.id)
    return [_row(u) for u in session.scalars(stmt)]


def by_code(session: Session, code: str) -> SubordinateUnit | None:
    return session.scalar(select(SubordinateUnit).where(SubordinateUnit.code == code.strip()))


def _directory_entry(session: Session, code: str) -> Candidate | None:
    unit = session.get(AdminUnit, code)
    if unit is not None and unit.level == AdminLevel.COMMUNE:
        return Candidate(unit.code, unit.name, "commune")
    agency = agencies.by_code(session, code)
    if agency is not None and agency.code:
        return Candidate(agency.code, agency.name, "agency")
    return None


def declare(session: Session, actor: Actor, codes: list[str]) -> list[UnitRow]:
    """Declare the units with these directory codes (communes or agencies); already declared ones are
    made active again. Unknown codes are refused together, nothing declared."""
    require(actor, Permission.MANAGE_SETTINGS)
    entries: list[Candidate] = []
    unknown: list[str] = []
    for code in dict.fromkeys(c.strip() for c in codes if c.strip()):
        entry = _directory_entry(session, code)
        if entry is None:
            unknown.append(code)
        else:
            entries.append(entry)
    if unknown:
        raise ValidationError(
            {"units": f"Không có trong danh mục đơn vị hành chính hoặc danh bạ cơ quan: {', '.join(unknown)}."}
        )
    return [declare_one(session, actor, e.code, e.name, e.kind) for e in entries]


def declare_one(session: Session, actor: Actor, code: str, name: str, kind: str = "other") -> UnitRow:
    """Declare one unit by its code and name (a unit outside the directory: kind "other")."""
    require(actor, Permission.MANAGE_SETTINGS)
    code, name = nfc(code).strip(), nfc(name).strip()
    errors: dict[str, str] = {}
    if not code:
        errors["code"] = "Nhập mã đơn vị (mã xã, phường hoặc mã cơ quan trong danh bạ)."
    if not name:
        errors["name"] = "Nhập tên đơn vị."
    if kind not in KIND_LABELS:
        errors["kind"] = f"Loại đơn vị phải là một trong: {', '.join(KIND_LABELS.values())}."
    if errors:
        raise ValidationError(errors)
    existing = by_code(session, code)
    if existing is not None:
        if not existing.active:
            existing.active = True
            audit.record(session, actor, "update", "subordinate_unit", existing.id, after={"active": True})
        return _row(existing)
    order = int(session.scalar(select(func.coalesce(func.max(SubordinateUnit.sort_order), 0))) or 0) + 1
    unit = SubordinateUnit(code=code, name=name, kind=kind, sort_order=order, active=True)
    session.add(unit)
    session.flush()
    audit.record(session, actor, "create", "subordinate_unit", unit.id, after={"code": code, "name": name})
    return _row(unit)


def set_active(session: Session, actor: Actor, unit_id: int, active: bool) -> UnitRow:
    """A unit that no longer reports (merged, dissolved) is set inactive; its packages stay."""
    require(actor, Permission.MANAGE_SETTINGS)
    unit = session.get(SubordinateUnit, unit_id)
    if unit is None:
        raise NotFoundError(f"Không tìm thấy đơn vị cấp dưới số {unit_id}.")
    if unit.active != active:
        unit.active = active
        audit.record(session, actor, "update", "subordinate_unit", unit.id, after={"active": active})
    return _row(unit)


def find(session: Session, text: str) -> list[UnitRow]:
    """Declared units whose name or code contains every word of ``text`` (no tones needed)."""
    words = fold(text).split()
    return [u for u in list_units(session) if all(w in fold(f"{u.code} {u.name}") for w in words)]
