"""Office settings: one registry of keys with their defaults, stored as JSON in ``setting``.

Points that domain.md marks "(to confirm)" are settings here, with the documented default.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.models import Setting


@dataclass(frozen=True)
class SettingDef:
    key: str
    default: Any
    label: str


REGISTRY: dict[str, SettingDef] = {}


def define(key: str, default: Any, label: str) -> SettingDef:
    definition = SettingDef(key, default, label)
    REGISTRY[key] = definition
    return definition


OFFICE_PROVINCE = define("office.province_code", "24", "Tỉnh, thành phố nơi đặt trụ sở (mã)")
OFFICE_COMMUNE = define("office.commune_code", "", "Xã, phường nơi đặt trụ sở (mã; trống với cơ quan cấp tỉnh)")
GOVERNING_BODY = define("office.governing_body", "UBND TỈNH BẮC NINH", "Cơ quan chủ quản")
OFFICE_NAME = define("office.name", "BAN TIẾP CÔNG DÂN TỈNH", "Tên cơ quan")
OFFICE_SYMBOL = define("office.symbol", "BTCD", "Ký hiệu cơ quan trên văn bản")
PLACE_NAME = define("office.place_name", "Bắc Ninh", "Địa danh ghi trên văn bản")
SIGNER_NAME = define("office.signer_name", "", "Họ tên người ký")
SIGNER_TITLE = define("office.signer_title", "TRƯỞNG BAN", "Chức vụ người ký")
SIGNER_AUTHORITY = define("office.signer_authority", "", "Thẩm quyền ký (KT., TL., TM. …)")
CROWD_MIN_PEOPLE = define("reception.crowd_min_people", 5, "Số người tối thiểu của đoàn đông người")
CROWD_MAX_REPRESENTATIVES = define(
    "reception.crowd_max_representatives", 5, "Số người đại diện tối đa của đoàn đông người"
)
# How many representatives a crowd delegation chooses, by its size: a warning at entry, never a
# refusal (the clerk records what happened). "max_people": null is "and more".
CROWD_REPRESENTATIVES = define(
    "reception.crowd_representatives",
    {
        "bands": [
            {"min_people": 5, "max_people": 10, "min": 1, "max": 2},
            {"min_people": 11, "max_people": None, "min": 1, "max": 5},
        ],
        "source": "Luật Tiếp công dân 2013, Điều 30; Nghị định 64/2014/NĐ-CP",
        "to_confirm": "Điều, khoản của Nghị định 64/2014/NĐ-CP chưa được đối chiếu văn bản gốc.",
    },
    "Số người đại diện của đoàn đông người theo số người",
)
# Filed petitions (lưu đơn) are kept at least this long before the paper may be disposed of.
FILED_RETENTION = define(
    "petition.filed_retention",
    {
        "years": 1,
        "source": "Thông tư 05/2021/TT-TTCP",
        "to_confirm": "Điều, khoản quy định thời hạn lưu đơn chưa được đối chiếu văn bản gốc.",
    },
    "Thời hạn lưu đơn trước khi được tiêu hủy",
)


def get(session: Session, definition: SettingDef) -> Any:
    row = session.get(Setting, definition.key)
    if row is None:
        return definition.default
    return json.loads(row.value)


def is_stored(session: Session, definition: SettingDef) -> bool:
    """True when the office saved a value (``get`` falls back to the default otherwise)."""
    return session.get(Setting, definition.key) is not None


def put(session: Session, definition: SettingDef, value: Any) -> None:
    encoded = json.dumps(value, ensure_ascii=False)
    row = session.get(Setting, definition.key)
    if row is None:
        session.add(Setting(key=definition.key, value=encoded))
    else:
        row.value = encoded
    session.flush()
