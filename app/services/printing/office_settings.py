"""The office settings printed on every document: read them all, change them with a check and an audit entry.

The office's seat (province, commune) is stored with them: the directory of competent bodies and the
routing suggestions follow the province. A fresh install is *not configured* until an administrator
saves this form once (the first-start wizard asks), so the defaults are never printed unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.errors import ValidationError
from app.services.common.text import nfc
from app.services.printing.office import OFFICE_NAME_IN_TEXT
from app.services.security import audit
from app.services.security.permissions import Permission, require


@dataclass(frozen=True)
class OfficeField:
    definition: settings.SettingDef
    label: str  # short, for the form
    required: bool
    hint: str = ""


FIELDS: tuple[OfficeField, ...] = (
    OfficeField(settings.GOVERNING_BODY, "Cơ quan chủ quản", True, "UBND TỈNH BẮC NINH"),
    OfficeField(settings.OFFICE_NAME, "Tên cơ quan", True, "BAN TIẾP CÔNG DÂN TỈNH"),
    OfficeField(OFFICE_NAME_IN_TEXT, "Tên cơ quan trong câu văn", False, "Ban Tiếp công dân tỉnh"),
    OfficeField(settings.OFFICE_SYMBOL, "Ký hiệu cơ quan", True, "BTCD"),
    OfficeField(settings.PLACE_NAME, "Địa danh", True, "Bắc Ninh"),
    OfficeField(settings.SIGNER_AUTHORITY, "Thẩm quyền ký", False, "KT. TRƯỞNG BAN (để trống nếu ký thay mặt chính)"),
    OfficeField(settings.SIGNER_TITLE, "Chức vụ người ký", True, "PHÓ TRƯỞNG BAN"),
    OfficeField(settings.SIGNER_NAME, "Họ tên người ký", False, "Nguyễn Văn An"),
)
# The seat: codes of the administrative units, picked from the catalogue (not typed as text).
ADDRESS: tuple[settings.SettingDef, ...] = (settings.OFFICE_PROVINCE, settings.OFFICE_COMMUNE)
CONFIGURED = settings.define("office.configured", False, "Thông tin cơ quan đã được quản trị xác nhận")
_SYMBOL = re.compile(r"^[0-9A-ZĐ&.\-]+$")


def _definitions() -> tuple[settings.SettingDef, ...]:
    return (*(f.definition for f in FIELDS), *ADDRESS)


def read_office(session: Session) -> dict[str, str]:
    """What the documents print now: the saved value, else the default."""
    return {d.key: nfc(str(settings.get(session, d) or "")) for d in _definitions()}


def read_saved_office(session: Session) -> dict[str, str]:
    """Only what the office saved (blank elsewhere): the first start shows no other office's defaults."""
    saved = read_office(session)
    return {d.key: saved[d.key] if settings.is_stored(session, d) else "" for d in _definitions()}


def is_configured(session: Session) -> bool:
    """True once an administrator saved the office form (or saved every required field before the flag existed)."""
    if settings.get(session, CONFIGURED):
        return True
    return all(settings.is_stored(session, f.definition) for f in FIELDS if f.required)


def _address_errors(session: Session, cleaned: dict[str, str]) -> dict[str, str]:
    province, commune = (cleaned[d.key] or None for d in ADDRESS)
    if province is None:
        return {settings.OFFICE_PROVINCE.key: "Chọn tỉnh, thành phố nơi cơ quan đặt trụ sở."}
    found = catalogues.address_error(session, province, commune)
    keys = {"province_code": settings.OFFICE_PROVINCE.key, "commune_code": settings.OFFICE_COMMUNE.key}
    return {keys[k]: message for k, message in found.items()}


def save_office(session: Session, actor: Actor, values: dict[str, str]) -> None:
    """Store the changed office settings; every field error is reported at once."""
    require(actor, Permission.MANAGE_SETTINGS)
    cleaned = {d.key: nfc(values.get(d.key, "")).strip() for d in _definitions()}
    errors: dict[str, str] = {}
    for f in FIELDS:
        value = cleaned[f.definition.key]
        if f.required and not value:
            errors[f.definition.key] = f"Nhập “{f.label}”."
        elif len(value) > 200:
            errors[f.definition.key] = f"“{f.label}” dài quá 200 ký tự."
    symbol = cleaned[settings.OFFICE_SYMBOL.key]
    if symbol and not _SYMBOL.match(symbol):
        errors[settings.OFFICE_SYMBOL.key] = (
            "Ký hiệu cơ quan chỉ gồm chữ in hoa, chữ số và các dấu - & . (ví dụ BTCD), không có khoảng trắng."
        )
    errors.update(_address_errors(session, cleaned))
    if errors:
        raise ValidationError(errors)
    before = read_office(session)
    old, new = audit.changes(before, cleaned)
    # Saving confirms the values, the unchanged defaults included: the first start is over.
    settings.put(session, CONFIGURED, True)
    if not new:
        return
    for d in _definitions():
        if d.key in new:
            settings.put(session, d, cleaned[d.key])
    audit.record(session, actor, "update", "setting", "office", before=old, after=new)
