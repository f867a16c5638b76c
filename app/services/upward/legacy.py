"""A subordinate unit's form workbook filled in by hand, in the official layout, taken in without a package.

Some units still send the forms as a workbook (typed into last quarter's file, or into the layout
our own writer makes). Each form of the period's set is looked up on its sheet (named by the form
code, as ``reports.xlsx`` names it); the table is found by its numbering row (``A``, ``B``, ``1``,
``2`` … under the headers) and read cell by cell by the form definition: one row per form row, one
column per column of the form, in the engine's column order.

What cannot be read is reported (form, cell, reason) and counted as 0: a blank cell, text that is
not a number, a negative number, a formula the workbook holds no value for. Totals are not taken on
trust: each is recomputed from its parts, and a written total that differs from the sum of parts
that were all read is reported too. The result is kept as a received report of the unit and period
like a package (``receive`` stores it, replacing an earlier one on the audit trail), flagged
"nhập từ bảng tính, không chữ ký": there is no signature to prove who made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, SubordinateUnit
from app.services.common.actor import Actor
from app.services.common.errors import ValidationError
from app.services.reports import forms, service
from app.services.reports.forms import FormDef
from app.services.reports.periods import Period, PeriodKind
from app.services.reports.xlsx import FIRST_FIGURE_COLUMN, sheet_title
from app.services.security.permissions import Permission, require
from app.services.upward import package as pkg
from app.services.upward import receive

ORIGIN = "workbook"
FLAG = "Nhập từ bảng tính, không chữ ký"
MAX_BYTES = 20_000_000
_NUMBER_TEXT = re.compile(r"^\d{1,3}([. ]\d{3})+$|^\d+$")
_PERIOD_LINE = re.compile(r"từ ngày (\d{2}/\d{2}/\d{4}) đến ngày (\d{2}/\d{2}/\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class Unread:
    """One cell the import could not take as a figure."""

    form: str
    cell: str  # "F12"; "" when a whole sheet is missing
    reason: str

    def text(self) -> str:
        where = f"Biểu {self.form}, ô {self.cell}" if self.cell else f"Biểu {self.form}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class WorkbookResult:
    result: receive.ImportResult
    unread: tuple[Unread, ...]
    cells_read: int

    @property
    def accepted(self) -> bool:
        return self.result.accepted


def unread_of(unread_json: str | None) -> list[Unread]:
    """The unread cells kept with a received workbook."""
    return [Unread(str(u["form"]), str(u["cell"]), str(u["reason"])) for u in json.loads(unread_json or "[]")]


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 30 else text[:29] + "…"


def _figure(value: Any, formula: Any) -> tuple[int | float | None, str | None]:
    """A cell as a figure, or the reason it is none."""
    if value is None:
        if isinstance(formula, str) and formula.startswith("="):
            return None, "công thức chưa có giá trị tính sẵn (mở tệp bằng Excel, lưu lại rồi nhập lại)"
        return None, "ô trống"
    if isinstance(value, bool):
        return None, f"không phải số: “{value}”"
    if isinstance(value, int | float):
        if value != value or value < 0:
            return None, f"số không hợp lệ: {value}"
        if isinstance(value, float) and value.is_integer():
            return int(value), None
        return value, None
    text = str(value).strip()
    if not text:
        return None, "ô trống"
    if _NUMBER_TEXT.match(text):
        return int(re.sub(r"[. ]", "", text)), None
    return None, f"không phải số: “{_shown(text)}”"


def _numbering_row(ws: Worksheet, width: int) -> int | None:
    """The row holding ``A``, ``B``, ``1`` … ``width`` under the table's headers."""
    for row in range(1, min(ws.max_row, 60) + 1):
        if str(ws.cell(row, 1).value or "").strip() != "A" or str(ws.cell(row, 2).value or "").strip() != "B":
            continue
        marks = [ws.cell(row, FIRST_FIGURE_COLUMN + i).value for i in range(width)]
        if all(str(m).strip() == str(i + 1) for i, m in enumerate(marks)):
            return row
    return None


def _period_problem(ws: Worksheet, period: Period) -> str | None:
    """The period line of the sheet, when it names another period than the one being imported."""
    for row in ws.iter_rows(min_row=1, max_row=12, max_col=ws.max_column):
        for cell in row:
            found = _PERIOD_LINE.search(str(cell.value or ""))
            if found:
                start, end = (dt.datetime.strptime(d, "%d/%m/%Y").date() for d in found.groups())
                if (start, end) != (period.start, period.end):
                    return (
                        f"bảng tính ghi số liệu từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}, không phải kỳ "
                        f"{period.title} ({period.start:%d/%m/%Y} – {period.end:%d/%m/%Y})"
                    )
                return None
    return None


def read_form(
    values_ws: Worksheet | None, formulas_ws: Worksheet | None, form: FormDef
) -> tuple[list[list[int | float]], list[Unread], int]:
    """One form's figures from its sheet: values (unread cells 0, totals recomputed), what was unread,
    and how many cells were read."""
    shape = pkg.structure(form)
    width = len(shape.paths)
    grid: list[list[int | float]] = [[0] * width for _ in form.rows]
    if values_ws is None:
        return grid, [Unread(form.code, "", f"không có trang tính “{sheet_title(form.code)}”")], 0
    top = _numbering_row(values_ws, width)
    if top is None:
        reason = (
            f"trang tính “{values_ws.title}” không có dòng đánh số cột A, B, 1 … {width} của biểu "
            "(không đúng mẫu biểu chính thức)"
        )
        return grid, [Unread(form.code, "", reason)], 0
    unread: list[Unread] = []
    missing: set[tuple[int, int]] = set()
    written: dict[tuple[int, int], int | float] = {}
    for r in range(len(form.rows)):
        row = top + 1 + r
        for c in range(width):
            column = FIRST_FIGURE_COLUMN + c
            formula = formulas_ws.cell(row, column).value if formulas_ws is not None else None
            value, problem = _figure(values_ws.cell(row, column).value, formula)
            if problem is not None:
                unread.append(Unread(form.code, f"{get_column_letter(column)}{row}", problem))
                missing.add((r, c))
            else:
                assert value is not None
                grid[r][c] = value
                written[(r, c)] = value
    totals = dict(shape.totals)
    for r in range(len(form.rows)):
        # A total's parts may be totals themselves, numbered after it: the last ones first.
        for total in sorted(totals, reverse=True):
            parts = totals[total]
            grid[r][total] = sum(grid[r][p] for p in parts)
            if any((r, p) in missing for p in parts):
                missing.add((r, total))
                continue
            given = written.get((r, total))
            if given is not None and abs(given - grid[r][total]) > 1e-6 * max(1.0, abs(grid[r][total])):
                cell = f"{get_column_letter(FIRST_FIGURE_COLUMN + total)}{top + 1 + r}"
                summed = _num(grid[r][total])
                mismatch = f"tổng ghi {_num(given)} khác tổng các cột thành phần {summed}; lấy {summed}"
                unread.append(Unread(form.code, cell, mismatch))
    return grid, unread, len(written)


def _num(value: int | float) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else f"{value:,.2f}"


def _open(raw: bytes, name: str) -> tuple[Any, Any]:
    try:
        values = load_workbook(io.BytesIO(raw), data_only=True, read_only=False)
        formulas = load_workbook(io.BytesIO(raw), data_only=False, read_only=False)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise ValidationError({"file": f"Tệp {name} không phải bảng tính Excel (.xlsx) đọc được."}) from exc
    return values, formulas


def import_workbook(
    session: Session,
    actor: Actor,
    path: Path,
    unit_code: str,
    period: Period,
    *,
    now: dt.datetime | None = None,
) -> WorkbookResult:
    """Read ``path`` as ``unit_code``'s forms of ``period`` and keep it as the unit's received report."""
    require(actor, Permission.IMPORT)
    path = Path(path)
    unit = session.scalar(select(SubordinateUnit).where(SubordinateUnit.code == unit_code.strip()))
    if unit is None or not unit.active:
        raise ValidationError(
            {"unit": f"Đơn vị mã “{unit_code}” chưa được khai báo là đơn vị cấp dưới. Khai báo đơn vị trước."}
        )
    if period.kind == PeriodKind.CUSTOM:
        raise ValidationError({"period": "Chọn kỳ báo cáo chính thức (quý, 6 tháng, 9 tháng, năm)."})
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValidationError({"file": f"Không đọc được tệp {path.name} ({exc.strerror}).".strip()}) from exc
    if len(raw) > MAX_BYTES:
        raise ValidationError({"file": f"Tệp {path.name} quá lớn để là biểu báo cáo."})
    values_wb, formulas_wb = _open(raw, path.name)
    version = service.form_version(session, period)
    definitions = forms.all_forms(version)
    sheets = {ws.title: ws for ws in values_wb.worksheets}
    if not any(sheet_title(f.code) in sheets for f in definitions):
        raise ValidationError(
            {
                "file": f"Tệp {path.name} không có trang tính nào mang tên biểu của bộ biểu {version} "
                f"({', '.join(sheet_title(f.code) for f in definitions)})."
            }
        )
    for form in definitions:
        ws = sheets.get(sheet_title(form.code))
        problem = _period_problem(ws, period) if ws is not None else None
        if problem:
            raise ValidationError({"period": f"Biểu {form.code}: {problem}. Chọn đúng kỳ rồi nhập lại."})
    figures: list[pkg.FormFigures] = []
    unread: list[Unread] = []
    read = 0
    for form in definitions:
        name = sheet_title(form.code)
        values, problems, count = read_form(sheets.get(name), formulas_wb[name] if name in sheets else None, form)
        figures.append(pkg.FormFigures(form.code, values))
        unread += problems
        read += count
    made_at = now or dt.datetime.now(LOCAL_TZ)
    received = pkg.Package(
        file_name=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        unit_code=unit.code,
        body=unit.name,
        period=period,
        form_version=version,
        made_at=made_at,
        forms=tuple(figures),
        public_key="",
        signed=False,
    )
    unread_json = json.dumps([u.__dict__ for u in unread], ensure_ascii=False)
    result = _keep(session, actor, unit, received, unread_json, made_at)
    return WorkbookResult(result, tuple(unread), read)


def _keep(
    session: Session,
    actor: Actor,
    unit: SubordinateUnit,
    received: pkg.Package,
    unread_json: str,
    now: dt.datetime,
) -> receive.ImportResult:
    """Store the figures the way ``receive`` stores a package (replacing an earlier report, audited)."""
    with session.begin_nested():
        outcome, row = receive._store(session, actor, unit, received, now, origin=ORIGIN, unread_json=unread_json)
    label = received.period.label or received.period.title
    message = {
        receive.Outcome.IMPORTED: f"Đã nhập báo cáo {label} của {unit.name} ({FLAG.lower()}).",
        receive.Outcome.REPLACED: f"Đã nhập báo cáo {label} của {unit.name} ({FLAG.lower()}); báo cáo nhận "
        "trước đó được thay thế (ghi nhật ký).",
        receive.Outcome.UNCHANGED: f"Bảng tính báo cáo {label} của {unit.name} đã được nhập trước đó; không có "
        "thay đổi.",
    }[outcome]
    return receive.ImportResult(received.file_name, outcome, message, unit.code, unit.name, label, row.id)


def report_lines(result: WorkbookResult) -> list[str]:
    """The import's result, then one line per cell that could not be read."""
    lines = [f"{result.result.file_name}\t{result.result.outcome_label}\t{result.result.message}"]
    lines += [f"  {u.text()}" for u in result.unread]
    if result.unread:
        lines.append(f"Đọc được {result.cells_read} ô; {len(result.unread)} ô không đọc được (tính là 0).")
    else:
        lines.append(f"Đọc được {result.cells_read} ô; không có ô nào lỗi.")
    return lines
