"""Write report grids in the official layout: one sheet per form, Times New Roman, merged headers.

Layout of a sheet (Thông tư 02/2021 forms, Nghị định 30/2020 conventions): governing body and office
top left, the form number top right; the title, the reporting period and the period line
("Số liệu tính từ ngày … đến ngày …") centred; the table with merged multi-level headers and a
numbered column row (A, B, 1, 2, 3 …); the signature block at the bottom. Figures are values,
never formulas: the engine already made every total the sum of its parts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.services.records.xlsx_safe import atomic_path, write_text
from app.services.reports.engine import ReportGrid

FONT = "Times New Roman"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
LEAD_COLUMNS = ("STT", "Đơn vị")  # the two columns before the figures, numbered A and B
FIRST_FIGURE_COLUMN = len(LEAD_COLUMNS) + 1


@dataclass(frozen=True)
class Letterhead:
    governing_body: str
    office: str
    place: str
    signer_title: str
    signer_authority: str
    signer_name: str
    prepared_by: str = ""


def _font(size: int = 12, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _merge_text(
    ws: Worksheet, row: int, first: int, last: int, text: str, font: Font, align: Alignment = CENTER
) -> None:
    write_text(ws, row, first, text, font=font, alignment=align)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def sheet_title(code: str) -> str:
    return code.replace("/", "-")[:31]


def write_sheet(ws: Worksheet, grid: ReportGrid, head: Letterhead, today: dt.date) -> None:
    n = len(grid.leaves)
    last = len(LEAD_COLUMNS) + n
    left_end = max(3, min(last // 3, 8))
    right_start = max(left_end + 1, last - 7)
    _merge_text(ws, 1, 1, left_end, head.governing_body.upper(), _font(12))
    _merge_text(ws, 2, 1, left_end, head.office.upper(), _font(12, bold=True))
    _merge_text(ws, 1, right_start, last, grid.form.form_no, _font(12, bold=True))
    _merge_text(ws, 2, right_start, last, grid.form.circular_on(grid.period.end), _font(10, italic=True))
    ws.row_dimensions[2].height = 30
    _merge_text(ws, 4, 1, last, grid.form.title, _font(13, bold=True))
    row = 5
    if grid.period.label:
        _merge_text(ws, row, 1, last, f"Kỳ báo cáo: {grid.period.label}", _font(12, bold=True))
        row += 1
    _merge_text(ws, row, 1, last, grid.period.line, _font(12, italic=True))
    row += 1
    if grid.form.unit:
        _merge_text(ws, row, right_start, last, grid.form.unit, _font(11, italic=True), Alignment(horizontal="right"))
    top = row + 1
    _write_table(ws, grid, top)
    bottom = top + grid.header_rows + 1 + len(grid.row_labels)
    if grid.form.note:
        _merge_text(ws, bottom + 1, 1, last, f"Ghi chú: {grid.form.note}", _font(11, italic=True), LEFT)
        ws.row_dimensions[bottom + 1].height = 30
    _signature(ws, head, today, bottom + 3, last, right_start)
    _page_setup(ws, grid, top, last)


def _write_table(ws: Worksheet, grid: ReportGrid, top: int) -> None:
    depth = grid.header_rows
    bold = _font(12, bold=True)
    for col, text in enumerate(LEAD_COLUMNS, start=1):
        write_text(ws, top, col, text, font=bold, alignment=CENTER)
        ws.merge_cells(start_row=top, start_column=col, end_row=top + depth - 1, end_column=col)
    for cell in grid.header:
        r, c = top + cell.row, FIRST_FIGURE_COLUMN + cell.col
        write_text(ws, r, c, cell.text, font=bold if cell.row == 0 else _font(11, bold=True), alignment=CENTER)
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + cell.rowspan - 1, end_column=c + cell.colspan - 1)
    numbers = top + depth
    italic = _font(11, italic=True)
    for col, mark in enumerate(("A", "B"), start=1):
        write_text(ws, numbers, col, mark, font=italic, alignment=CENTER)
    for i in range(len(grid.leaves)):
        ws.cell(row=numbers, column=FIRST_FIGURE_COLUMN + i, value=i + 1).font = italic
    for r, (label, values) in enumerate(zip(grid.row_labels, grid.values, strict=True)):
        row = numbers + 1 + r
        ws.cell(row=row, column=1, value=r + 1).font = _font(12)
        write_text(ws, row, 2, label, font=_font(12), alignment=LEFT)
        for i, value in enumerate(values):
            cell = ws.cell(row=row, column=FIRST_FIGURE_COLUMN + i, value=value)
            cell.font = _font(12)
            cell.number_format = grid.leaves[i].number_format
    last_row = numbers + len(grid.row_labels)
    for row_cells in ws.iter_rows(
        min_row=top, max_row=last_row, min_col=1, max_col=len(LEAD_COLUMNS) + len(grid.leaves)
    ):
        for cell in row_cells:
            cell.border = BORDER
            if cell.row >= numbers:
                cell.alignment = LEFT if cell.column == 2 and cell.row > numbers else CENTER
    for r in range(top, numbers):
        ws.row_dimensions[r].height = 48 if r == numbers - 1 else 32
    ws.row_dimensions[numbers + 1].height = 30


def _signature(ws: Worksheet, head: Letterhead, today: dt.date, row: int, last: int, right_start: int) -> None:
    place = f"{head.place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    _merge_text(ws, row, right_start, last, place, _font(12, italic=True))
    left_end = min(6, right_start - 1)  # a narrow form: the preparer's block stops short of the signer's
    _merge_text(ws, row + 1, 1, left_end, "NGƯỜI LẬP BIỂU", _font(12, bold=True))
    _merge_text(ws, row + 2, 1, left_end, "(Ký, ghi rõ họ tên)", _font(11, italic=True))
    authority = f"{head.signer_authority} {head.signer_title}".strip() if head.signer_authority else head.signer_title
    _merge_text(ws, row + 1, right_start, last, authority.upper(), _font(12, bold=True))
    _merge_text(ws, row + 2, right_start, last, "(Ký, ghi rõ họ tên, đóng dấu)", _font(11, italic=True))
    if head.prepared_by:
        _merge_text(ws, row + 6, 1, left_end, head.prepared_by, _font(12, bold=True))
    if head.signer_name:
        _merge_text(ws, row + 6, right_start, last, head.signer_name, _font(12, bold=True))


def _page_setup(ws: Worksheet, grid: ReportGrid, top: int, last: int) -> None:
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 30
    for i, leaf in enumerate(grid.leaves):
        width = 13 if leaf.number_format != "#,##0" or leaf.measure in ("money", "land") else 9
        ws.column_dimensions[get_column_letter(FIRST_FIGURE_COLUMN + i)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if last > 20 else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_title_rows = f"{top}:{top + grid.header_rows}"
    ws.freeze_panes = ws.cell(row=top + grid.header_rows + 1, column=FIRST_FIGURE_COLUMN)


def write_workbook(grids: Sequence[ReportGrid], head: Letterhead, path: Path, today: dt.date) -> Path:
    """All ``grids`` into one workbook, one sheet per form; written atomically (no half file)."""
    wb = Workbook()
    first = wb.active
    for grid in grids:
        ws = wb.create_sheet(sheet_title(grid.form.code))
        write_sheet(ws, grid, head, today)
    if first is not None:
        wb.remove(first)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def write_list(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], path: Path) -> Path:
    """A plain list (the records behind a figure): its title, a bold header row, one row per record."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Danh sách"
    last = max(len(headers), 1)
    _merge_text(ws, 1, 1, last, title, _font(12, bold=True), LEFT)
    ws.row_dimensions[1].height = 32
    for col, text in enumerate(headers, start=1):
        write_text(ws, 3, col, text, font=_font(12, bold=True), alignment=CENTER, border=BORDER)
    for r, values in enumerate(rows, start=4):
        for col, text in enumerate(values, start=1):
            write_text(ws, r, col, text, font=_font(12), alignment=LEFT, border=BORDER)
    for col, header in enumerate(headers, start=1):
        longest = max([len(header), *(len(row[col - 1]) for row in rows)])
        ws.column_dimensions[get_column_letter(col)].width = min(max(longest + 2, 8), 60)
    ws.freeze_panes = "A4"
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
