"""Editing the catalogue of fields (lĩnh vực) in Danh mục: names, order, in use or not.

Codes never change (the report forms count by code); a field no longer used is deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import FieldCategory
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import nfc
from app.services.security import audit
from app.services.security.permissions import Permission, require


@dataclass(frozen=True)
class FieldRow:
    code: str
    name: str
    parent_code: str | None
    applies_to: str
    sort_order: int
    active: bool


def list_fields(session: Session) -> list[FieldRow]:
    rows = session.scalars(select(FieldCategory).order_by(FieldCategory.sort_order, FieldCategory.code))
    return [FieldRow(f.code, f.name, f.parent_code, f.applies_to, f.sort_order, f.active) for f in rows]


def save_field(session: Session, actor: Actor, code: str, name: str, sort_order: int, active: bool) -> FieldRow:
    require(actor, Permission.MANAGE_CATALOGUES)
    found = session.get(FieldCategory, code)
    if found is None:
        raise NotFoundError(f"Không có lĩnh vực mã {code}.")
    cleaned = nfc(name or "")
    errors: dict[str, str] = {}
    if not cleaned:
        errors["name"] = "Nhập tên lĩnh vực."
    elif len(cleaned) > 200:
        errors["name"] = "Tên lĩnh vực dài quá 200 ký tự."
    if not 0 <= sort_order <= 100_000:
        errors["sort_order"] = "Thứ tự là số từ 0 đến 100000."
    if errors:
        raise ValidationError(errors)
    before = {"name": found.name, "sort_order": found.sort_order, "active": found.active}
    found.name, found.sort_order, found.active = cleaned, sort_order, active
    session.flush()
    old, new = audit.changes(before, {"name": cleaned, "sort_order": sort_order, "active": active})
    if old or new:
        audit.record(session, actor, "update", "field_category", code, before=old, after=new)
    return FieldRow(found.code, found.name, found.parent_code, found.applies_to, found.sort_order, found.active)
