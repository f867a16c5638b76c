"""Read access to the catalogues the forms pick from: administrative units and fields."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdminUnit, FieldCategory
from app.models.enums import AdminLevel, MatterKind
from app.services.common.vocab import label


@dataclass(frozen=True)
class Choice:
    code: str
    name: str
    # For the two-level field catalogue: the group this entry belongs to (None for a group).
    parent: str | None = None


def provinces(session: Session) -> list[Choice]:
    rows = session.execute(
        select(AdminUnit.code, AdminUnit.name)
        .where(AdminUnit.level == AdminLevel.PROVINCE, AdminUnit.valid_to.is_(None))
        .order_by(AdminUnit.name_folded)
    )
    return [Choice(code, name) for code, name in rows]


def communes(session: Session, province_code: str) -> list[Choice]:
    rows = session.execute(
        select(AdminUnit.code, AdminUnit.name)
        .where(AdminUnit.parent_code == province_code, AdminUnit.valid_to.is_(None))
        .order_by(AdminUnit.name_folded)
    )
    return [Choice(code, name) for code, name in rows]


def unit_names(session: Session, codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(session.execute(select(AdminUnit.code, AdminUnit.name).where(AdminUnit.code.in_(codes))).all())


def fields(session: Session) -> list[Choice]:
    rows = session.execute(
        select(FieldCategory.code, FieldCategory.name, FieldCategory.parent_code)
        .where(FieldCategory.active.is_(True))
        .order_by(FieldCategory.sort_order)
    )
    # Plain names: a clerk types "dat dai" or picks by first letters; the picker shows the groups
    # in bold (``ui.widgets.choices.field_picker_items``), not with a prefix that hides the name.
    return [Choice(code, name, parent) for code, name, parent in rows]


def address_error(session: Session, province_code: str | None, commune_code: str | None) -> dict[str, str]:
    """Field errors when the chosen province or commune is unknown or does not belong together."""
    errors: dict[str, str] = {}
    if province_code:
        province = session.get(AdminUnit, province_code)
        if province is None or province.level != AdminLevel.PROVINCE:
            errors["province_code"] = "Tỉnh, thành phố không có trong danh mục đơn vị hành chính."
    if commune_code and not errors:
        commune = session.get(AdminUnit, commune_code)
        if commune is None or commune.level != AdminLevel.COMMUNE:
            errors["commune_code"] = "Xã, phường không có trong danh mục đơn vị hành chính."
        elif commune.parent_code != province_code:
            errors["commune_code"] = "Xã, phường đã chọn không thuộc tỉnh, thành phố đã chọn."
    return errors


def field_error(session: Session, field_code: str | None, kind: MatterKind) -> dict[str, str]:
    """The field (lĩnh vực) must be an active catalogue entry that applies to the matter's kind."""
    if field_code is None:
        return {}
    found = session.get(FieldCategory, field_code)
    if found is None or not found.active:
        return {"field_code": "Lĩnh vực không có trong danh mục."}
    applies = {code for code in found.applies_to.split(",") if code}
    if kind != MatterKind.MIXED and applies and kind.value not in applies:
        return {"field_code": f"Lĩnh vực “{found.name}” không áp dụng cho đơn {label(kind).lower()}."}
    return {}
