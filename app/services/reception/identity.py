"""Citizen identity numbers (CCCD / old CMND): shape checks and inferred warnings (domain.md §9).

A CCCD has no check digit, so only its shape can be enforced; what the digits imply
(province of birth registration, sex and century, birth year) can only warn.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from app.models.enums import Gender, IdKind
from app.services.common.clock import local_today

# The 63 pre-2025 province codes used in digits 1–3 (an ID never changes after a merger).
BIRTH_PROVINCES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_SEPARATORS = re.compile(r"[\s.\-]")
_CENTURY_START = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 2300, 9: 2300}


@dataclass(frozen=True)
class IdCheck:
    """The result of checking an identity number: an error blocks, warnings do not."""

    number: str | None
    kind: IdKind | None
    error: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    birth_year: int | None = None
    gender: Gender | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def strip_separators(raw: str) -> str:
    return _SEPARATORS.sub("", raw)


def check_id_number(
    raw: str | None,
    *,
    birth_year: int | None = None,
    gender: Gender | None = None,
    today: dt.date | None = None,
) -> IdCheck:
    """Check a CCCD (12 digits) or old CMND (9 digits); empty input is allowed (no paper shown)."""
    if raw is None or not raw.strip():
        return IdCheck(number=None, kind=None)
    number = strip_separators(raw)
    if not number.isdigit() or not number.isascii():
        return IdCheck(number, None, error="Số CCCD/CMND chỉ gồm chữ số (có thể có dấu cách, chấm, gạch).")
    if len(number) == 9:
        return IdCheck(number, IdKind.CMND, warnings=("Số 9 chữ số: ghi nhận là CMND cũ.",))
    if len(number) != 12:
        return IdCheck(
            number,
            None,
            error=f"Số CCCD phải có đúng 12 chữ số (CMND cũ: 9 chữ số); đã nhập {len(number)} chữ số.",
        )
    return _check_cccd(number, birth_year, gender, today or local_today())


def _check_cccd(number: str, birth_year: int | None, gender: Gender | None, today: dt.date) -> IdCheck:
    warnings: list[str] = []
    province = number[:3]
    if province not in BIRTH_PROVINCES:
        warnings.append(
            f"Mã tỉnh nơi đăng ký khai sinh “{province}” không thuộc 63 mã tỉnh; "
            "kiểm tra lại nếu công dân không sinh ở nước ngoài."
        )
    code = int(number[3])
    inferred_gender = Gender.MALE if code % 2 == 0 else Gender.FEMALE
    inferred_year = _CENTURY_START[code] + int(number[4:6])
    if inferred_year > today.year:
        warnings.append(f"Năm sinh suy ra từ số CCCD ({inferred_year}) ở tương lai; kiểm tra lại chữ số thứ 4–6.")
    if birth_year is not None and birth_year != inferred_year:
        warnings.append(f"Năm sinh đã nhập ({birth_year}) khác năm sinh theo số CCCD ({inferred_year}).")
    if gender is not None and gender != Gender.OTHER and gender != inferred_gender:
        label = "nam" if inferred_gender == Gender.MALE else "nữ"
        warnings.append(f"Giới tính đã nhập khác giới tính theo số CCCD ({label}).")
    return IdCheck(number, IdKind.CCCD, warnings=tuple(warnings), birth_year=inferred_year, gender=inferred_gender)
