"""Reading one cell of a legacy register: dates, CCCD numbers, names, numbers, kinds (pure; Hypothesis-tested)."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from app.models.enums import MatterKind, ReceptionKind, VisitOutcome
from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.common.text import fold, nfc

HEADER_SCAN_ROWS = 30
RECEIVED_HOUR = 8  # a register keeps the day only; the visit is placed at 08:00 that day
ERROR_SUFFIX = "_loi"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class CellError(ValueError):
    """A cell that cannot be read; the message (Vietnamese) says what is wrong and how to fix it."""


class ImportCancelled(AppError):
    def __init__(self) -> None:
        super().__init__("Đã hủy nhập dữ liệu; không có gì được ghi vào cơ sở dữ liệu.")


# ---- cell parsers (pure; tested with Hypothesis) --------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"^(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{2}|\d{4})$", re.ASCII),
    re.compile(r"^ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$", re.ASCII),
)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$", re.ASCII)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date:
    """An Excel date, an Excel serial number or text such as 05/03/2024, 5-3-24, 2024-03-05."""
    today = today or local_today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("Ngày tiếp không hợp lệ: ô chứa giá trị đúng/sai.")
    if isinstance(value, int | float):
        if not math.isfinite(value) or not 1 <= value < 2_958_466:
            raise CellError(f"Ngày tiếp “{value}” không phải ngày Excel hợp lệ.")
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = fold(str(value)) if value is not None else ""
    if not text:
        raise CellError("Thiếu ngày tiếp.")
    iso = _ISO.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        return _make_date(year, month, day, str(value))
    for pattern in _DATE_PATTERNS:
        found = pattern.match(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            if year < 100:
                year += 2000 if year <= today.year % 100 else 1900
            return _make_date(year, month, day, str(value))
    raise CellError(
        f"Ngày tiếp “{nfc(str(value))[:40]}” không đọc được; ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2024."
    )


def _make_date(year: int, month: int, day: int, raw: str) -> dt.date:
    try:
        result = dt.date(year, month, day)
    except ValueError:
        raise CellError(f"Ngày tiếp “{nfc(raw)[:40]}” không có thật (kiểm tra ngày và tháng).") from None
    if year < 1945:
        raise CellError(f"Ngày tiếp “{nfc(raw)[:40]}” quá xa (trước năm 1945); kiểm tra lại năm.")
    return result


_SEPARATORS = re.compile(r"[\s.\-]")


def parse_id_number(value: Any) -> str | None:
    """A CCCD (12 digits) or CMND (9 digits); a number that lost its leading zero(s) is padded back.

    Every CCCD starts with 0 (the province codes are 001–096), so an 11- or 10-digit number read
    from a numeric cell is a CCCD that Excel stripped; an 8-digit one is a CMND that lost its zero.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("Số CCCD/CMND không hợp lệ: ô chứa giá trị đúng/sai.")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or value < 0:
            raise CellError(f"Số CCCD/CMND “{value}” không phải số nguyên.")
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise CellError(f"Số CCCD/CMND “{value}” không hợp lệ.")
        digits = str(value)
        if len(digits) in (10, 11):
            return digits.zfill(12)
        if len(digits) == 8:
            return digits.zfill(9)
        return _check_length(digits)
    text = nfc(str(value)).lstrip("'")
    if re.fullmatch(r"\d+(?:[.,]\d+)?e\+?\d+", text.lower()):
        raise CellError(f"Số CCCD/CMND “{text}” đã bị Excel đổi sang dạng số mũ nên mất chữ số; nhập lại dạng văn bản.")
    digits = _SEPARATORS.sub("", text)
    if not digits.isdigit() or not digits.isascii():
        raise CellError(f"Số CCCD/CMND “{text[:30]}” chỉ được gồm chữ số.")
    if len(digits) == 11:
        return "0" + digits
    return _check_length(digits)


def _check_length(digits: str) -> str:
    if len(digits) not in (9, 12):
        raise CellError(f"Số CCCD/CMND phải có 12 chữ số (CMND cũ: 9); ô có {len(digits)} chữ số: {digits[:20]}.")
    return digits


_HAS_LETTER = re.compile(r"[^\W\d_]")


def parse_name(value: Any) -> str:
    """A person's name in NFC (decomposed text from old software is recomposed), spaces collapsed."""
    if is_blank(value):
        raise CellError("Thiếu họ và tên.")
    if not isinstance(value, str):
        raise CellError(f"Họ và tên “{value}” không phải chữ.")
    name = nfc(value)
    if not _HAS_LETTER.search(name):
        raise CellError(f"Họ và tên “{name[:40]}” không có chữ cái.")
    if len(name) > 200:
        raise CellError("Họ và tên dài quá 200 ký tự.")
    return name


def parse_int(value: Any, what: str, low: int, high: int) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"{what} không hợp lệ.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdecimal():
        value = int(value.strip())
    if not isinstance(value, int) or not low <= value <= high:
        raise CellError(f"{what} “{_text(value)[:20]}” phải là số từ {low} đến {high}.")
    return value


_KIND_WORDS = (
    ("khieu nai", MatterKind.COMPLAINT),
    ("to cao", MatterKind.DENUNCIATION),
    ("kien nghi", MatterKind.RECOMMENDATION),
    ("phan anh", MatterKind.REFLECTION),
)


def parse_kind(value: Any) -> MatterKind:
    text = fold(_text(value))
    if not text:
        raise CellError("Thiếu phân loại (khiếu nại, tố cáo, kiến nghị hoặc phản ánh).")
    found = [kind for word, kind in _KIND_WORDS if word in text or word.replace(" ", "") in text.replace(" ", "")]
    if text in ("kn",):
        found = [MatterKind.COMPLAINT]
    elif text in ("tc",):
        found = [MatterKind.DENUNCIATION]
    elif text in ("knpa", "kn, pa", "kn-pa", "pakn"):
        found = [MatterKind.RECOMMENDATION]
    if not found:
        raise CellError(
            f"Phân loại “{_text(value)[:40]}” không rõ; ghi một trong: khiếu nại, tố cáo, kiến nghị, phản ánh."
        )
    if set(found) == {MatterKind.RECOMMENDATION, MatterKind.REFLECTION}:
        return MatterKind.RECOMMENDATION  # the forms count "kiến nghị, phản ánh" together
    return found[0] if len(found) == 1 else MatterKind.MIXED


_OUTCOME_WORDS = (
    ("huong dan", VisitOutcome.GUIDED),
    ("chuyen", VisitOutcome.FORWARDED),
    ("nhan don", VisitOutcome.PETITION_RECEIVED),
    ("tiep nhan", VisitOutcome.PETITION_RECEIVED),
    ("giai thich", VisitOutcome.EXPLAINED),
    ("tra loi", VisitOutcome.EXPLAINED),
    ("hen", VisitOutcome.APPOINTMENT),
    ("tu choi", VisitOutcome.REFUSED),
)


def parse_outcome(value: Any) -> VisitOutcome:
    text = fold(_text(value))
    for word, outcome in _OUTCOME_WORDS:
        if word in text:
            return outcome
    return VisitOutcome.OTHER


def parse_reception_kind(value: Any) -> ReceptionKind:
    text = fold(_text(value))
    if "dinh ky" in text:
        return ReceptionKind.PERIODIC
    if "dot xuat" in text:
        return ReceptionKind.AD_HOC
    return ReceptionKind.REGULAR
