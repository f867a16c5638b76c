"""The QR code of a chip-based CCCD card, as a USB 2D scanner types it into a form.

The text is ``|``-separated: CCCD (12 digits), old CMND (9 digits, may be empty), full name,
birth date ddMMyyyy, gender (Nam/Nữ), permanent address, issue date ddMMyyyy; newer cards add
trailing fields, which are ignored. ``parse`` checks every field and refuses the whole scan on
the first doubt (a partial or garbled scan must not half-fill a form); ``map_address`` turns the
printed address (often of pre-2025 units: commune, district, province) into the current two-level
units (province + commune, from 01/7/2025) of the ``admin_unit`` table.

Mapping a commune: a known legacy unit (``LEGACY_COMMUNES``) gives its successor; else a current
commune of the mapped province with the same name (type and name, tones ignored) is taken. The
complete legacy table (about 10,000 old communes) is not in the project's seed yet, so an old commune
that was merged under a new name is often not found: the form then says so and the clerk chooses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdminUnit
from app.models.enums import AdminLevel, Gender, IdKind
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.common.text import fold, nfc
from app.services.reception.citizens import CitizenInput
from app.services.reception.identity import BIRTH_PROVINCES, check_id_number

SCAN_KEY = "scan"  # the ValidationError key of every message about a scan
MIN_FIELDS = 7
MIN_SEPARATORS = MIN_FIELDS - 1
UNMAPPED_COMMUNE = "không xác định được xã/phường mới, hãy chọn"

# Old (pre-2025, 63) province code (as in the CCCD's first 3 digits, without the leading 0) → current
# province code (34 units, Nghị quyết 202/2025/QH15, from 12/6/2025).
OLD_TO_NEW_PROVINCE: dict[str, str] = {
    "01": "01", "02": "08", "04": "04", "06": "19", "08": "08", "10": "15", "11": "11", "12": "12",
    "14": "14", "15": "15", "17": "25", "19": "19", "20": "20", "22": "22", "24": "24", "25": "25",
    "26": "25", "27": "24", "30": "31", "31": "31", "33": "33", "34": "33", "35": "37", "36": "37",
    "37": "37", "38": "38", "40": "40", "42": "42", "44": "44", "45": "44", "46": "46", "48": "48",
    "49": "48", "51": "51", "52": "52", "54": "66", "56": "56", "58": "56", "60": "68", "62": "51",
    "64": "52", "66": "66", "67": "68", "68": "68", "70": "75", "72": "80", "74": "79", "75": "75",
    "77": "79", "79": "79", "80": "80", "82": "82", "83": "86", "84": "86", "86": "86", "87": "82",
    "89": "91", "91": "91", "92": "92", "93": "92", "94": "92", "95": "96", "96": "96",
}  # fmt: skip

# Known old communes merged under another name: (old province code, folded district, folded commune)
# → current commune code. A seed generated from a full legacy table should replace this.
LEGACY_COMMUNES: dict[tuple[str, str, str], str] = {
    ("01", "quan ba dinh", "phuong phuc xa"): "00097",  # → Phường Hồng Hà
    ("01", "quan hoan kiem", "phuong hang bac"): "00070",  # → Phường Hoàn Kiếm
    ("01", "quan hoan kiem", "phuong hang dao"): "00070",
    ("01", "quan hoan kiem", "phuong hang trong"): "00070",
    ("79", "quan 1", "phuong ben nghe"): "26740",  # → Phường Sài Gòn
}

_PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp\.?)\s+")
_COMMUNE_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu)\s+")
_DISTRICT_PREFIX = re.compile(r"^(quan|huyen|thi xa|thanh pho|tp\.?)\s+")
_ALIASES = {"tp hcm": "ho chi minh", "hcm": "ho chi minh", "tp ho chi minh": "ho chi minh", "hue": "thua thien hue"}
_OLD_BY_NAME = {fold(name): code[1:] for code, name in BIRTH_PROVINCES.items()}
_GENDERS = {"nam": Gender.MALE, "nu": Gender.FEMALE}


@dataclasses.dataclass(frozen=True)
class CardData:
    """The fields of one scan, checked."""

    id_number: str
    id_kind: IdKind
    old_id_number: str | None
    full_name: str
    birth_date: dt.date
    gender: Gender
    address: str
    issued_on: dt.date | None


@dataclasses.dataclass(frozen=True)
class MappedAddress:
    province_code: str | None
    commune_code: str | None
    detail: str
    note: str | None = None  # what could not be mapped, for the form's message


@dataclasses.dataclass(frozen=True)
class Scan:
    card: CardData
    address: MappedAddress
    citizen: CitizenInput

    def message(self) -> str:
        """One line for the form: what was read, and what the clerk still has to do."""
        text = f"Đã đọc mã QR CCCD của {self.card.full_name} (sinh {self.card.birth_date:%d/%m/%Y})."
        return f"{text} Địa chỉ: {self.address.note}." if self.address.note else text


def looks_like_scan(text: str) -> bool:
    """Whether a field's text is (or contains) a scanned card: names and addresses have no ``|``."""
    return "|" in text


def _bad(message: str) -> ValidationError:
    return ValidationError({SCAN_KEY: f"Mã QR CCCD không đọc được: {message} Quét lại thẻ; ô đang nhập giữ nguyên."})


def _date(raw: str, what: str) -> dt.date:
    if not re.fullmatch(r"\d{8}", raw):
        raise _bad(f"{what} “{raw}” phải có 8 chữ số ngày-tháng-năm (ddMMyyyy).")
    try:
        return dt.date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise _bad(f"{what} “{raw}” không phải ngày có thật.") from None


def parse(text: str, *, today: dt.date | None = None) -> CardData:
    """The card's fields from a scanned text; ``ValidationError({"scan": …})`` on a bad or partial scan."""
    today = today or local_today()
    parts = [nfc(p) for p in text.strip().split("|")]
    if len(parts) < MIN_FIELDS:
        raise _bad(f"có {len(parts)} trường, cần ít nhất {MIN_FIELDS} (quét chưa hết mã?).")
    cccd, cmnd, name, birth_raw, gender_raw, address, issued_raw = parts[:MIN_FIELDS]
    if cccd and not re.fullmatch(r"\d{12}", cccd):
        raise _bad(f"số CCCD “{cccd}” phải có đúng 12 chữ số.")
    if cmnd and not re.fullmatch(r"\d{9}", cmnd):
        raise _bad(f"số CMND cũ “{cmnd}” phải có đúng 9 chữ số.")
    if not cccd and not cmnd:
        raise _bad("không có số CCCD hay CMND.")
    if not name or any(ch.isdigit() for ch in name):
        raise _bad(f"họ tên “{name}” không hợp lệ.")
    birth = _date(birth_raw, "ngày sinh")
    if birth > today or birth.year < 1900:
        raise _bad(f"ngày sinh {birth:%d/%m/%Y} không hợp lý.")
    gender = _GENDERS.get(fold(gender_raw))
    if gender is None:
        raise _bad(f"giới tính “{gender_raw}” phải là Nam hoặc Nữ.")
    issued = _date(issued_raw, "ngày cấp") if issued_raw else None
    if issued is not None and (issued > today or issued < birth):
        raise _bad(f"ngày cấp {issued:%d/%m/%Y} không hợp lý.")
    if cccd:
        # No check digit exists; digits 4–6 encode sex, century and birth year: a misread shows there.
        check = check_id_number(cccd, birth_year=birth.year, gender=gender, today=today)
        if check.birth_year != birth.year or check.gender != gender:
            raise _bad(f"số CCCD “{cccd}” không khớp năm sinh, giới tính trên thẻ.")
    return CardData(
        id_number=cccd or cmnd,
        id_kind=IdKind.CCCD if cccd else IdKind.CMND,
        old_id_number=cmnd or None,
        full_name=name,
        birth_date=birth,
        gender=gender,
        address=address,
        issued_on=issued,
    )


def _province(session: Session, raw: str) -> str | None:
    """The current province code of a printed province name (old or current)."""
    key = _PROVINCE_PREFIX.sub("", fold(raw))
    key = _ALIASES.get(key, key)
    old = _OLD_BY_NAME.get(key)
    if old is not None:
        return OLD_TO_NEW_PROVINCE.get(old)
    for code, name in session.execute(
        select(AdminUnit.code, AdminUnit.name).where(
            AdminUnit.level == AdminLevel.PROVINCE, AdminUnit.valid_to.is_(None)
        )
    ):
        if _PROVINCE_PREFIX.sub("", fold(name)) == key:
            return code
    return None


def _old_province(raw: str) -> str | None:
    key = _PROVINCE_PREFIX.sub("", fold(raw))
    return _OLD_BY_NAME.get(_ALIASES.get(key, key))


def map_address(session: Session, address: str) -> MappedAddress:
    """The printed address as current province, commune and the detail before them."""
    parts = [p.strip() for p in nfc(address).split(",") if p.strip()]
    if not parts:
        return MappedAddress(None, None, "", "không có địa chỉ trên thẻ, hãy chọn tỉnh và xã/phường")
    province_code = _province(session, parts[-1])
    if province_code is None:
        return MappedAddress(None, None, address, "không xác định được tỉnh/thành phố, hãy chọn")
    rest = parts[:-1]
    at = next((i for i in range(len(rest) - 1, -1, -1) if _COMMUNE_PREFIX.match(fold(rest[i]))), None)
    if at is None:
        return MappedAddress(province_code, None, ", ".join(rest), UNMAPPED_COMMUNE)
    commune_key = fold(rest[at])
    district = next((fold(p) for p in rest[at + 1 :] if _DISTRICT_PREFIX.match(fold(p))), "")
    detail = ", ".join(rest[:at])
    old = _old_province(parts[-1])
    code = LEGACY_COMMUNES.get((old, district, commune_key)) if old else None
    if code is None:
        same_name = [
            c
            for c, name in session.execute(
                select(AdminUnit.code, AdminUnit.name).where(
                    AdminUnit.parent_code == province_code, AdminUnit.valid_to.is_(None)
                )
            )
            if fold(name) == commune_key
        ]
        code = same_name[0] if len(same_name) == 1 else None
    if code is None:  # the old commune and district stay readable in the detail
        return MappedAddress(province_code, None, ", ".join(rest), UNMAPPED_COMMUNE)
    return MappedAddress(province_code, code, detail)


def read_scan(session: Session, text: str, *, today: dt.date | None = None) -> Scan:
    """Parse a scanned text and map its address: what a form fills in."""
    card = parse(text, today=today)
    address = map_address(session, card.address)
    citizen = CitizenInput(
        full_name=card.full_name,
        id_number=card.id_number,
        gender=card.gender,
        birth_year=card.birth_date.year,
        province_code=address.province_code,
        commune_code=address.commune_code,
        address_detail=address.detail or None,
    )
    return Scan(card, address, citizen)
