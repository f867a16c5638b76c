"""Import of legacy reception registers (Sổ tiếp công dân kept in Excel).

Real registers have title rows above the table, one- or two-level merged headers in any order and
spelling, a numbered column row, month separators and subtotal rows ("Cộng", "Tổng"), dates as
Excel serials or as dd/mm/yyyy text, CCCD numbers stored as numbers (leading zeros lost), and
names typed in decomposed Unicode. The sheet is read with python-calamine; a mapping step proposes
which column is which (folded keyword match) and the user may correct it; every data row goes
through the reception service (same validation as the desk) or is reported with its row number
and reason in an error workbook beside the source, which the user can fix and import again.
One run is one ``ImportBatch``; ``undo_import`` soft-deletes everything it created.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Citizen, ImportBatch, Petition, Visit
from app.models.enums import MatterKind, ReceptionKind, VisitOutcome
from app.models.mixins import now_local
from app.services.common.actor import Actor
from app.services.common.errors import AppError, NotFoundError, RuleViolation, StorageError, ValidationError
from app.services.common.text import fold, nfc
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput, citizen_input, id_digest
from app.services.records.xlsx_safe import atomic_path, write_text
from app.services.security import audit
from app.services.security.permissions import Permission, require

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


# ---- fields of the register and the header words that name them -----------------------------------


@dataclass(frozen=True)
class TargetField:
    key: str
    label: str
    keywords: tuple[str, ...]  # folded; the longest keyword found in a header wins


TARGETS: tuple[TargetField, ...] = (
    TargetField("stt", "Số thứ tự", ("stt", "so thu tu", "so tt")),
    TargetField("received_on", "Ngày tiếp", ("ngay tiep", "ngay thang", "thoi gian tiep", "ngay den", "ngay")),
    TargetField(
        "full_name",
        "Họ và tên",
        ("ho va ten", "ho ten", "ho, ten", "ten cong dan", "nguoi dung don", "nguoi duoc tiep", "ten nguoi"),
    ),
    TargetField(
        "id_number",
        "Số CCCD/CMND",
        ("cccd", "cmnd", "can cuoc", "chung minh", "so dinh danh", "ma dinh danh", "giay to tuy than"),
    ),
    TargetField("birth_year", "Năm sinh", ("nam sinh",)),
    TargetField("phone", "Điện thoại", ("dien thoai", "sdt", "so dt")),
    TargetField("address", "Địa chỉ", ("dia chi", "noi cu tru", "noi o", "thuong tru", "tru quan", "cho o")),
    TargetField("summary", "Nội dung", ("noi dung", "tom tat", "trinh bay")),
    TargetField("kind", "Phân loại", ("phan loai", "loai don", "loai vu viec", "loai noi dung")),
    TargetField("documents", "Tài liệu nhận", ("tai lieu", "giay to", "ho so kem theo")),
    TargetField("handling", "Hướng xử lý", ("huong xu ly", "xu ly", "ket qua tiep", "hinh thuc xu ly")),
    TargetField("result", "Theo dõi kết quả", ("theo doi", "ket qua giai quyet", "ket qua")),
    TargetField("note", "Ghi chú", ("ghi chu",)),
    TargetField("head_count", "Số người", ("so nguoi", "so luong nguoi")),
    TargetField("reception_kind", "Hình thức tiếp", ("hinh thuc tiep", "loai tiep", "hinh thuc")),
    TargetField("leader", "Lãnh đạo tiếp", ("lanh dao tiep", "lanh dao chu tri", "chu tri", "lanh dao")),
    TargetField("officer", "Cán bộ tiếp", ("can bo tiep", "nguoi tiep", "can bo")),
)
TARGET_KEYS = {t.key for t in TARGETS}
REQUIRED = ("received_on", "full_name", "summary")
LABELS = {t.key: t.label for t in TARGETS}


def match_header(text: str) -> str | None:
    """The register field a header names, by the longest folded keyword it contains."""
    folded = " " + re.sub(r"[^0-9a-z,]+", " ", fold(text)).strip() + " "
    best: tuple[int, str] | None = None
    for target in TARGETS:
        for keyword in target.keywords:
            found = f" {keyword} " in folded or (len(keyword) > 4 and keyword in folded)
            if found and (best is None or len(keyword) > best[0]):
                best = (len(keyword), target.key)
    return best[1] if best else None


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
    today = today or dt.date.today()
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


# ---- reading the sheet and proposing a mapping ----------------------------------------------------


@dataclass(frozen=True)
class ColumnGuess:
    index: int
    letter: str
    header: str
    target: str | None


@dataclass(frozen=True)
class Mapping:
    header_row: int  # 1-based, the last header row
    header_rows: tuple[int, ...]
    columns: tuple[ColumnGuess, ...]

    def column_of(self, target: str) -> int | None:
        for c in self.columns:
            if c.target == target:
                return c.index
        return None

    def missing(self) -> list[str]:
        return [LABELS[key] for key in REQUIRED if self.column_of(key) is None]


@dataclass(frozen=True)
class Sheet:
    path: Path
    name: str
    rows: list[list[Any]]


def read_sheet(path: Path) -> Sheet:
    try:
        book = CalamineWorkbook.from_path(str(path))
        name = book.sheet_names[0]
        rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except FileNotFoundError:
        raise NotFoundError(f"Không tìm thấy tệp {path}.") from None
    except Exception as exc:  # calamine raises its own error types for unreadable files
        raise StorageError(
            f"Không đọc được tệp {Path(path).name} ({exc}). Chỉ nhập được tệp Excel .xlsx/.xls/.ods."
        ) from exc
    width = max((len(r) for r in rows), default=0)
    return Sheet(Path(path), name, [list(r) + [None] * (width - len(r)) for r in rows])


def _row_targets(row: Sequence[Any]) -> dict[int, str]:
    found: dict[int, str] = {}
    for i, value in enumerate(row):
        if isinstance(value, str) and value.strip():
            target = match_header(value)
            if target:
                found[i] = target
    return found


def _is_numbering(row: Sequence[Any]) -> bool:
    """The numbered column row under the headers: (1) (2) (3) … or 1 2 3 …, or A B 1 2 …."""
    cells = [_text(v) for v in row if not is_blank(v)]
    return len(cells) >= 3 and all(re.fullmatch(r"\(?([0-9]{1,2}|[a-zA-Z])\)?", c) for c in cells)


def propose_mapping(sheet: Sheet) -> Mapping:
    """Find the header row(s) and guess the field of every column."""
    scores = [(len(set(_row_targets(row).values())), i) for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS])]
    best_score, best = max(scores, key=lambda s: (s[0], -s[1]), default=(0, 0))
    if best_score < 2:
        # No recognisable header: take the first filled row and let the user map the columns.
        filled = [i for i, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]) if any(not is_blank(v) for v in row)]
        if not filled:
            raise ValidationError({"header": "Sheet đầu tiên của tệp không có dữ liệu."})
        best = filled[0]
    # A two-level header: the group row above or the sub-header row below also names fields.
    header_rows = [best]
    if best + 1 < len(sheet.rows) and _is_sub_header(sheet.rows[best], sheet.rows[best + 1]):
        header_rows.append(best + 1)
    elif best > 0 and any(not is_blank(v) for v in sheet.rows[best - 1]) and _merged_group_row(sheet.rows[best - 1]):
        header_rows.insert(0, best - 1)
    width = len(sheet.rows[0]) if sheet.rows else 0
    columns: list[ColumnGuess] = []
    used: set[str] = set()
    for col in range(width):
        texts = [_text(sheet.rows[r][col]) for r in header_rows if not is_blank(sheet.rows[r][col])]
        # The most specific header (the lowest row) decides; the group label is a fallback.
        target = None
        for text in reversed(texts):
            target = match_header(text)
            if target:
                break
        if target in used:
            target = None
        if target:
            used.add(target)
        columns.append(ColumnGuess(col, get_column_letter(col + 1), " / ".join(texts), target))
    return Mapping(header_rows[-1] + 1, tuple(r + 1 for r in header_rows), tuple(columns))


def _is_sub_header(header: Sequence[Any], below: Sequence[Any]) -> bool:
    """The second row of a two-level header: text only, naming a field under a merged (blank) cell."""
    if any(not is_blank(v) and not isinstance(v, str) for v in below) or _is_numbering(below):
        return False
    return any(is_blank(header[i]) or match_header(str(header[i])) is None for i in _row_targets(below))


def _merged_group_row(row: Sequence[Any]) -> bool:
    filled = [v for v in row if not is_blank(v)]
    return 1 <= len(filled) <= max(1, len(row) // 2)


def apply_mapping(mapping: Mapping, corrections: dict[str, str | None]) -> Mapping:
    """The user's corrections, keyed by column letter or by header text, to a field key or None."""
    columns = []
    for c in mapping.columns:
        target = c.target
        for key in (c.letter, c.header):
            if key in corrections:
                target = corrections[key]
        if target is not None and target not in TARGET_KEYS:
            raise ValidationError(
                {"mapping": f"Cột {c.letter}: trường “{target}” không có. Dùng: {', '.join(sorted(TARGET_KEYS))}."}
            )
        columns.append(replace(c, target=target))
    taken = [c.target for c in columns if c.target]
    duplicates = sorted({t for t in taken if taken.count(t) > 1})
    if duplicates:
        raise ValidationError({"mapping": f"Mỗi trường chỉ gán cho một cột; bị trùng: {', '.join(duplicates)}."})
    return replace(mapping, columns=tuple(columns))


def load_mapping_file(path: Path) -> dict[str, str | None]:
    """A JSON mapping file: {"columns": {"B": "full_name", "Ghi chú": null, …}} (or the dict itself)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError({"mapping": f"Không đọc được tệp ánh xạ cột {path}: {exc}."}) from exc
    columns = data.get("columns", data) if isinstance(data, dict) else None
    if not isinstance(columns, dict):
        raise ValidationError({"mapping": 'Tệp ánh xạ phải có dạng {"columns": {"B": "full_name", …}}.'})
    return {str(k): (None if v in (None, "") else str(v)) for k, v in columns.items()}


# ---- classifying and converting rows -------------------------------------------------------------


@dataclass(frozen=True)
class RowIssue:
    row: int  # 1-based, as Excel shows it
    reasons: tuple[str, ...]
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class PreviewRow:
    row: int
    received_on: dt.date
    full_name: str
    id_number: str | None
    kind: MatterKind
    summary: str
    citizen: str  # "mới" or "đã có (#id)"


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    dry_run: bool
    imported: int
    rejected: int
    skipped: tuple[RowIssue, ...]
    errors: tuple[RowIssue, ...]
    new_citizens: int
    matched_citizens: int
    error_workbook: Path | None
    preview: tuple[PreviewRow, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return self.imported + self.rejected

    @property
    def summary(self) -> str:
        return f"imported {self.imported}, rejected {self.rejected}, total {self.total}"


def _skip_reason(row: Sequence[Any], mapping: Mapping) -> str | None:
    filled = [v for v in row if not is_blank(v)]
    if not filled:
        return "Dòng trống"
    if _is_numbering(row):
        return "Dòng đánh số cột"
    texts = [fold(_text(v)) for v in filled if isinstance(v, str)]
    name_col = mapping.column_of("full_name")
    name = fold(_text(row[name_col])) if name_col is not None else ""
    if any(re.match(r"^(cong|tong|tong cong|cong don)\b", t) for t in texts) and (
        not name or re.match(r"^(cong|tong)\b", name)
    ):
        return "Dòng cộng, tổng"
    date_col = mapping.column_of("received_on")
    if len(filled) == 1 and isinstance(filled[0], str) and (date_col is None or is_blank(row[date_col])):
        return "Dòng tiêu đề nhóm (tháng, quý…)"
    return None


@dataclass(frozen=True)
class _Parsed:
    visit: visits.VisitInput
    received_on: dt.date


def _cell(row: Sequence[Any], mapping: Mapping, target: str) -> Any:
    col = mapping.column_of(target)
    return None if col is None else row[col]


def _parse_row(row: Sequence[Any], mapping: Mapping, today: dt.date) -> tuple[_Parsed | None, list[str]]:
    reasons: list[str] = []

    def attempt(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except CellError as exc:
            reasons.append(str(exc))
            return None

    received = attempt(lambda: parse_date(_cell(row, mapping, "received_on"), today=today))
    name = attempt(lambda: parse_name(_cell(row, mapping, "full_name")))
    id_number = attempt(lambda: parse_id_number(_cell(row, mapping, "id_number")))
    birth_year = attempt(lambda: parse_int(_cell(row, mapping, "birth_year"), "Năm sinh", 1900, today.year))
    head_count = attempt(lambda: parse_int(_cell(row, mapping, "head_count"), "Số người", 1, 10_000))
    kind = attempt(lambda: parse_kind(_cell(row, mapping, "kind")))
    summary = _text(_cell(row, mapping, "summary"))
    if not summary:
        reasons.append("Thiếu nội dung công dân trình bày.")
    if reasons:
        return None, reasons
    handling = _text(_cell(row, mapping, "handling"))
    notes = [t for t in (_text(_cell(row, mapping, "result")), _text(_cell(row, mapping, "note"))) if t]
    crowd_size = head_count or 1
    data = visits.VisitInput(
        reception_kind=parse_reception_kind(_cell(row, mapping, "reception_kind")),
        citizen=CitizenInput(
            full_name=name,
            id_number=id_number,
            birth_year=birth_year,
            phone=_text(_cell(row, mapping, "phone")) or None,
            address_detail=_text(_cell(row, mapping, "address")) or None,
        ),
        summary=summary,
        matter_kind=kind,
        outcome=parse_outcome(handling),
        received_at=dt.datetime.combine(received, dt.time(RECEIVED_HOUR), tzinfo=LOCAL_TZ),
        officer_name=_text(_cell(row, mapping, "officer")) or None,
        leader_name=_text(_cell(row, mapping, "leader")) or None,
        head_count=crowd_size,
        outcome_note="; ".join(([handling] if handling else []) + notes) or None,
        documents_received=_text(_cell(row, mapping, "documents")) or None,
    )
    return _Parsed(data, received), []


# ---- returning citizens -------------------------------------------------------------------------


def _find_citizen(session: Session, data: CitizenInput, protect: bool) -> int | None:
    """An existing citizen: by CCCD digest, else by exact folded name and birth year or address."""
    base = select(Citizen).where(Citizen.deleted_at.is_(None), Citizen.confidential.is_(protect))
    if data.id_number:
        found = session.scalar(
            base.where(Citizen.id_number_digest == id_digest(data.id_number)).order_by(Citizen.id).limit(1)
        )
        return found.id if found else None
    if protect or not (data.birth_year or data.address_detail):
        return None  # a denouncer's record is never matched by name (app.services.reception.citizens)
    candidates = session.scalars(base.where(Citizen.name_folded == fold(data.full_name)).order_by(Citizen.id))
    for c in candidates:
        if data.birth_year and c.birth_year == data.birth_year:
            return c.id
        if data.address_detail and c.address_detail and fold(c.address_detail) == fold(data.address_detail):
            return c.id
    return None


def _merged(session: Session, citizen_id: int, data: CitizenInput) -> CitizenInput:
    """The stored citizen with the register's values only filling what is blank (newer data wins)."""
    stored = citizen_input(session, citizen_id)
    return replace(
        stored,
        id_number=stored.id_number or data.id_number,
        birth_year=stored.birth_year or data.birth_year,
        phone=stored.phone or data.phone,
        address_detail=stored.address_detail or data.address_detail,
    )


# ---- the run ------------------------------------------------------------------------------------


def run_import(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    corrections: dict[str, str | None] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: dt.date | None = None,
    write_errors: bool = True,
) -> ImportResult:
    """Import one register file as one batch (or rehearse it with ``dry_run``: nothing is kept)."""
    require(actor, Permission.IMPORT)
    path = Path(path)
    sheet = read_sheet(path)
    mapping = propose_mapping(sheet)
    if corrections:
        mapping = apply_mapping(mapping, corrections)
    if mapping.missing():
        raise ValidationError(
            {"mapping": f"Chưa xác định được cột: {', '.join(mapping.missing())}. Chọn lại cột ở bước ánh xạ."}
        )
    today = today or now_local().date()
    outer = session.begin_nested()
    try:
        result = _run(session, actor, sheet, mapping, dry_run, progress, cancelled, today)
    except BaseException:
        outer.rollback()
        raise
    if dry_run:
        outer.rollback()
    else:
        outer.commit()
    workbook = None
    if write_errors and (result.errors or result.skipped):
        workbook = write_error_workbook(sheet, mapping, result.errors, result.skipped)
    return replace(result, error_workbook=workbook)


def _run(
    session: Session,
    actor: Actor,
    sheet: Sheet,
    mapping: Mapping,
    dry_run: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
    today: dt.date,
) -> ImportResult:
    batch = ImportBatch(source_name=sheet.path.name[:400], created_by=actor.user_id)
    session.add(batch)
    session.flush()
    last_citizen = session.scalar(select(func.max(Citizen.id))) or 0
    imported = new = matched = 0
    errors: list[RowIssue] = []
    skipped: list[RowIssue] = []
    preview: list[PreviewRow] = []
    rows = sheet.rows[mapping.header_row :]
    for offset, row in enumerate(rows):
        number = mapping.header_row + offset + 1
        if offset % 50 == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                progress(offset, len(rows))
        reason = _skip_reason(row, mapping)
        if reason:
            if reason != "Dòng trống":
                skipped.append(RowIssue(number, (reason,), tuple(row)))
            continue
        parsed, reasons = _parse_row(row, mapping, today)
        if parsed is None:
            errors.append(RowIssue(number, tuple(reasons), tuple(row)))
            continue
        data = parsed.visit
        protect = data.matter_kind == MatterKind.DENUNCIATION
        existing = _find_citizen(session, data.citizen, protect)
        if existing is not None:
            data = replace(data, citizen=_merged(session, existing, data.citizen), citizen_id=existing)
        try:
            with session.begin_nested():
                saved = visits.register_visit(session, actor, data)
                visit = session.get(Visit, saved.id)
                assert visit is not None
                visit.import_batch_id = batch.id
                citizen = session.get(Citizen, saved.citizen_id)
                assert citizen is not None
                is_new = saved.citizen_id > last_citizen and citizen.import_batch_id is None
                if is_new:
                    citizen.import_batch_id = batch.id
                session.flush()
        except ValidationError as exc:
            errors.append(RowIssue(number, tuple(exc.fields.values()), tuple(row)))
            continue
        imported += 1
        new += int(is_new)
        matched += int(existing is not None)
        if len(preview) < 200:
            preview.append(
                PreviewRow(
                    number,
                    parsed.received_on,
                    data.citizen.full_name,
                    data.citizen.id_number,
                    data.matter_kind,
                    data.summary,
                    f"đã có (#{existing})" if existing is not None else ("mới" if is_new else "đã có"),
                )
            )
    batch.imported = imported
    batch.rejected = len(errors)
    session.flush()
    audit.record(
        session,
        actor,
        "import",
        "import_batch",
        batch.id,
        after={"file": sheet.path.name, "imported": imported, "rejected": len(errors), "dry_run": dry_run},
    )
    if progress is not None:
        progress(len(rows), len(rows))
    return ImportResult(
        batch_id=None if dry_run else batch.id,
        dry_run=dry_run,
        imported=imported,
        rejected=len(errors),
        skipped=tuple(skipped),
        errors=tuple(errors),
        new_citizens=new,
        matched_citizens=matched,
        error_workbook=None,
        preview=tuple(preview),
    )


# ---- the error workbook -------------------------------------------------------------------------


def error_workbook_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}{ERROR_SUFFIX}.xlsx")


def write_error_workbook(
    sheet: Sheet, mapping: Mapping, errors: Sequence[RowIssue], skipped: Sequence[RowIssue]
) -> Path:
    """Rejected rows with their original cells, row number and reason; fix them and import this file."""
    target = error_workbook_path(sheet.path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Dòng lỗi"
    bold = Font(name="Times New Roman", size=12, bold=True)
    normal = Font(name="Times New Roman", size=12)
    red = Font(name="Times New Roman", size=12, color="C00000")
    headers = [c.header.split(" / ")[-1] if c.header else "" for c in mapping.columns]
    all_headers = [*headers, "Dòng gốc", "Lý do"]
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, text in enumerate(all_headers, start=1):
        write_text(ws, 1, col, text, font=bold, alignment=Alignment(horizontal="center", wrap_text=True))
        ws.cell(1, col).fill = PatternFill("solid", fgColor="DDEBF7")
    for r, issue in enumerate(errors, start=2):
        for col, value in enumerate(issue.values, start=1):
            _write_value(ws, r, col, value, normal)
        ws.cell(r, len(headers) + 1, issue.row).font = normal
        write_text(ws, r, len(headers) + 2, "; ".join(issue.reasons), font=red, alignment=wrap)
    for col, text in enumerate(all_headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(40, max(9, len(text) + 4))
    ws.column_dimensions[get_column_letter(len(all_headers))].width = 60
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    other = wb.create_sheet("Dòng bỏ qua")
    write_text(other, 1, 1, "Dòng gốc", font=bold)
    write_text(other, 1, 2, "Lý do bỏ qua", font=bold)
    write_text(other, 1, 3, "Nội dung dòng", font=bold)
    for r, issue in enumerate(skipped, start=2):
        other.cell(r, 1, issue.row)
        write_text(other, r, 2, issue.reasons[0])
        write_text(other, r, 3, " | ".join(_text(v) for v in issue.values if not is_blank(v))[:500])
    other.column_dimensions["B"].width = 30
    other.column_dimensions["C"].width = 80
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


def _write_value(ws: Any, row: int, col: int, value: Any, font: Font) -> None:
    if is_blank(value):
        return
    if isinstance(value, str):
        write_text(ws, row, col, value, font=font)
        return
    if isinstance(value, dt.timedelta | dt.time):
        write_text(ws, row, col, str(value), font=font)
        return
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # calamine reads every number as a float; 67.0 was typed as 67
    cell = ws.cell(row, col, value)
    cell.font = font
    if isinstance(value, dt.date | dt.datetime):
        cell.number_format = "dd/mm/yyyy"
    elif isinstance(value, int) and value >= 10**8:
        cell.number_format = "0"  # an identity number stored as a number: show every digit


# ---- undo ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoResult:
    visits: int
    citizens: int


def undo_import(session: Session, actor: Actor, batch_id: int) -> UndoResult:
    """Soft-delete every visit and citizen the batch created (a citizen still used elsewhere stays)."""
    require(actor, Permission.IMPORT)
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"Không tìm thấy lô nhập dữ liệu số {batch_id}.")
    if batch.undone_at is not None:
        raise RuleViolation(f"Lô nhập số {batch_id} đã được hoàn tác lúc {batch.undone_at:%H:%M %d/%m/%Y}.")
    now = now_local()
    reason = f"Hoàn tác lô nhập dữ liệu số {batch_id} ({batch.source_name})"
    removed = 0
    for visit in session.scalars(select(Visit).where(Visit.import_batch_id == batch_id, Visit.deleted_at.is_(None))):
        visit.deleted_at = now
        visit.delete_reason = reason
        removed += 1
    session.flush()
    citizens = 0
    for citizen in session.scalars(
        select(Citizen).where(Citizen.import_batch_id == batch_id, Citizen.deleted_at.is_(None))
    ):
        in_use = session.scalar(
            select(func.count()).select_from(Visit).where(Visit.citizen_id == citizen.id, Visit.deleted_at.is_(None))
        ) or session.scalar(
            select(func.count())
            .select_from(Petition)
            .where(Petition.citizen_id == citizen.id, Petition.deleted_at.is_(None))
        )
        if not in_use:
            citizen.deleted_at = now
            citizen.delete_reason = reason
            citizens += 1
    batch.undone_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "delete",
        "import_batch",
        batch_id,
        after={"visits": removed, "citizens": citizens},
        reason=reason,
    )
    return UndoResult(removed, citizens)


@dataclass(frozen=True)
class BatchRow:
    id: int
    source_name: str
    created_at: dt.datetime
    imported: int
    rejected: int
    undone_at: dt.datetime | None


def list_batches(session: Session) -> list[BatchRow]:
    rows = session.scalars(select(ImportBatch).order_by(ImportBatch.id.desc()))
    return [BatchRow(b.id, b.source_name, b.created_at, b.imported, b.rejected, b.undone_at) for b in rows]
