"""The office settings printed on every document: read them all, change them with a check and an audit entry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.errors import ValidationError
from app.services.common.text import nfc
from app.services.printing.layout import OFFICE_NAME_IN_TEXT
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
_SYMBOL = re.compile(r"^[0-9A-ZĐ&.\-]+$")


def read_office(session: Session) -> dict[str, str]:
    return {f.definition.key: nfc(str(settings.get(session, f.definition) or "")) for f in FIELDS}


def save_office(session: Session, actor: Actor, values: dict[str, str]) -> None:
    """Store the changed office settings; every field error is reported at once."""
    require(actor, Permission.MANAGE_SETTINGS)
    cleaned = {f.definition.key: nfc(values.get(f.definition.key, "")) for f in FIELDS}
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
    if errors:
        raise ValidationError(errors)
    before = read_office(session)
    old, new = audit.changes(before, cleaned)
    if not new:
        return
    for f in FIELDS:
        if f.definition.key in new:
            settings.put(session, f.definition, cleaned[f.definition.key])
    audit.record(session, actor, "update", "setting", "office", before=old, after=new)
