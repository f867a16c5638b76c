"""Reading the sheet and proposing which column is which (folded header words); the user corrects it."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from app.services.common.errors import NotFoundError, StorageError, ValidationError
from app.services.common.text import fold
from app.services.records.importer.cells import HEADER_SCAN_ROWS, _text, is_blank

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
    elif best > 0 and _merged_group_row(sheet.rows[best - 1], sheet.rows[best]):
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


def _merged_group_row(row: Sequence[Any], header: Sequence[Any]) -> bool:
    """Group labels over merged cells, above the header row. A lone text in column A over a header
    that has its own first heading is the register's title ("SỔ TIẾP CÔNG DÂN NĂM 2024"), not a
    group: the first column (STT) is never grouped."""
    filled = [i for i, v in enumerate(row) if not is_blank(v)]
    if filled == [0] and not is_blank(header[0]):
        return False
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
