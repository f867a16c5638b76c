"""Generate tests/data/legacy_register.xlsx: a reception register as a commune office keeps it in Excel.

Run from the repository root:  .venv/bin/python tests/data/make_legacy_register.py

What makes it realistic (and what the importer must cope with):
- title rows above the table (governing body, office, "SỔ TIẾP CÔNG DÂN", the year);
- a two-level merged header in a non-standard column order and spelling, with a numbered row (1)…(12);
- month separator rows ("Tháng 1/2024"), a subtotal row after each month ("Cộng tháng 1: 23 lượt"), blank rows;
- dates as real Excel dates in most rows and as "dd/mm/yyyy" text in others;
- CCCD numbers stored as numbers, so the leading zero is lost (11 digits), some as text, some blank;
- names typed in decomposed Unicode (NFD), double spaces;
- returning citizens (same CCCD, or same name and birth year) across months;
- bad rows the importer must report: missing name, impossible date, a 10-digit text CCCD, unknown kind,
  missing content, a CCCD shown in scientific notation, a future date.
Deterministic: the same rows and cells every run (fixed random seed); only the zip timestamps differ.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

OUT = Path(__file__).with_name("legacy_register.xlsx")
FONT = "Times New Roman"
THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

PEOPLE = [
    ("Nguyễn Văn Dũng", "024085001234", 1985, "Thôn Đông, xã Tiên Du"),
    ("Trần Thị Hồng Nhung", "027190004567", 1990, "Khu 3, phường Vũ Ninh"),
    ("Lê Đức Hưng", "001072009876", 1972, "Số 12 Lý Thái Tổ, phường Suối Hoa"),
    ("Phạm Quốc Việt", "024080112233", 1980, "Xóm Chùa, xã Phật Tích"),
    ("Đặng Thị Đào", "027165000321", 1965, "Thôn Lũng Giang, xã Lim"),
    ("Hoàng Văn Thắng", None, 1958, "Thôn Bái Uyên, xã Hiên Vân"),
    ("Bùi Thị Ngọc Ánh", "024195007788", 1995, "Khu phố Đình, phường Đình Bảng"),
    ("Vũ Minh Tuấn", "031088004455", 1988, "Thôn Nội Duệ, xã Nội Duệ"),
    ("Ngô Thị Lụa", "024150006699", 1950, "Thôn Hạ, xã Cảnh Hưng"),
    ("Đỗ Văn Quyết", "027079003344", 1979, "Xóm Mới, xã Việt Đoàn"),
]
CONTENTS = [
    ("Khiếu nại", "Khiếu nại quyết định thu hồi đất nông nghiệp, đề nghị bồi thường theo giá thị trường"),
    ("Khiếu nại", "Khiếu nại việc không được cấp giấy chứng nhận quyền sử dụng đất"),
    ("Tố cáo", "Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục đất đai"),
    ("Kiến nghị, phản ánh", "Kiến nghị sửa chữa đường liên thôn bị xuống cấp"),
    ("Phản ánh", "Phản ánh cơ sở sản xuất gây ô nhiễm tiếng ồn ban đêm"),
    ("KN", "Khiếu nại việc chi trả chế độ người có công"),
    ("Kiến nghị", "Đề nghị xem xét hỗ trợ hộ nghèo"),
]
HANDLING = [
    "Giải thích, hướng dẫn công dân",
    "Tiếp nhận đơn, chuyển bộ phận xử lý",
    "Hướng dẫn gửi đơn đến UBND xã",
    "Chuyển đơn đến Công an huyện",
    "Trả lời trực tiếp",
]
HEADERS_TOP = [
    "STT",
    "Ngày tiếp",
    "Người được tiếp",
    None,
    None,
    None,
    "Nội dung vụ việc",
    None,
    "Tài liệu nhận",
    "Hướng xử lý",
    "Theo dõi kết quả",
    "Ghi chú",
]
HEADERS_SUB = [
    None,
    None,
    "Họ và tên",
    "Số CCCD/CMND",
    "Năm sinh",
    "Địa chỉ",
    "Tóm tắt nội dung",
    "Phân loại",
    None,
    None,
    None,
    None,
]


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def main() -> None:
    rnd = random.Random(2024)
    wb = Workbook()
    ws = wb.active
    ws.title = "So tiep CD 2024"
    title = Font(name=FONT, size=13, bold=True)
    normal = Font(name=FONT, size=12)
    ws["A1"] = "UBND XÃ TIÊN DU"
    ws["A1"].font = Font(name=FONT, size=12)
    ws["A2"] = "BỘ PHẬN TIẾP CÔNG DÂN"
    ws["A2"].font = title
    ws.merge_cells("A1:D1")
    ws.merge_cells("A2:D2")
    ws["A4"] = "SỔ TIẾP CÔNG DÂN"
    ws["A4"].font = Font(name=FONT, size=14, bold=True)
    ws.merge_cells("A4:L4")
    ws["A5"] = "Năm 2024"
    ws.merge_cells("A5:L5")
    for cell in (ws["A4"], ws["A5"]):
        cell.alignment = Alignment(horizontal="center")
    header_row = 7
    for col, (top, sub) in enumerate(zip(HEADERS_TOP, HEADERS_SUB, strict=True), start=1):
        if top:
            ws.cell(header_row, col, top)
        if sub:
            ws.cell(header_row + 1, col, sub)
    # Merges: single-level headers span both rows; the two groups span their sub-columns.
    for col in (1, 2, 9, 10, 11, 12):
        ws.merge_cells(start_row=header_row, start_column=col, end_row=header_row + 1, end_column=col)
    ws.merge_cells(start_row=header_row, start_column=3, end_row=header_row, end_column=6)
    ws.merge_cells(start_row=header_row, start_column=7, end_row=header_row, end_column=8)
    for col in range(1, 13):
        ws.cell(header_row + 2, col, f"({col})")
    row = header_row + 3
    stt = 0
    for month in (1, 2, 3):
        ws.cell(row, 1, f"Tháng {month}/2024").font = Font(name=FONT, size=12, bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=12)
        row += 1
        count = 0
        for _ in range(22):
            stt += 1
            count += 1
            day = dt.date(2024, month, rnd.randint(1, 28))
            name, cccd, born, address = rnd.choice(PEOPLE)
            kind, content = rnd.choice(CONTENTS)
            values: list[object] = [
                stt,
                day,
                name,
                None,
                born,
                address,
                content,
                kind,
                None,
                rnd.choice(HANDLING),
                None,
                None,
            ]
            if cccd is not None:
                # Most numbers were typed as numbers: Excel dropped the leading zero.
                values[3] = int(cccd) if rnd.random() < 0.7 else cccd
            if rnd.random() < 0.25:
                values[1] = day.strftime("%d/%m/%Y")  # typed as text
            if rnd.random() < 0.3:
                values[2] = nfd(name)  # pasted from old software in decomposed Unicode
            if rnd.random() < 0.2:
                values[8] = "Đơn và 02 bản photo giấy tờ"
            if rnd.random() < 0.15:
                values[10] = "Đã trả lời bằng văn bản"
            _write(ws, row, values, normal)
            row += 1
        ws.cell(row, 1, f"Cộng tháng {month}: {count} lượt").font = Font(name=FONT, size=12, bold=True)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        row += 2  # a blank row after each subtotal
    bad_rows: list[list[object]] = [
        [
            stt + 1,
            dt.date(2024, 3, 20),
            None,
            None,
            None,
            "Thôn Đông",
            "Hỏi về thủ tục đất",
            "Kiến nghị",
            None,
            "Hướng dẫn",
            None,
            "thiếu họ tên",
        ],
        [
            stt + 2,
            "31/02/2024",
            "Lê Văn Sai Ngày",
            24085001299,
            1985,
            "Xã Lim",
            "Khiếu nại đền bù",
            "Khiếu nại",
            None,
            "Hướng dẫn",
            None,
            None,
        ],
        [
            stt + 3,
            dt.date(2024, 3, 21),
            "Trần Văn Mười",
            "0240850012",
            1985,
            "Xã Lim",
            "Khiếu nại đền bù",
            "Khiếu nại",
            None,
            "Hướng dẫn",
            None,
            "CCCD 10 chữ số",
        ],
        [
            stt + 4,
            dt.date(2024, 3, 22),
            "Phan Thị Lạ",
            None,
            1970,
            "Xã Nội Duệ",
            "Hỏi về lương hưu",
            "Hỏi đáp",
            None,
            "Giải thích",
            None,
            None,
        ],
        [
            stt + 5,
            dt.date(2024, 3, 23),
            "Võ Văn Trống",
            "027079003399",
            1979,
            "Xã Việt Đoàn",
            None,
            "Khiếu nại",
            None,
            None,
            None,
            "thiếu nội dung",
        ],
        [
            stt + 6,
            dt.date(2024, 3, 25),
            "Hồ Văn Mũ",
            "2.70790E+10",
            1979,
            "Xã Việt Đoàn",
            "Tố cáo lấn chiếm",
            "Tố cáo",
            None,
            "Tiếp nhận đơn",
            None,
            None,
        ],
        [
            stt + 7,
            "15/03/2099",
            "Mai Văn Tương Lai",
            None,
            1979,
            "Xã Việt Đoàn",
            "Kiến nghị làm đường",
            "Kiến nghị",
            None,
            "Tiếp nhận",
            None,
            None,
        ],
    ]
    for values in bad_rows:
        _write(ws, row, values, normal)
        row += 1
    ws.cell(row, 1, "Tổng cộng").font = Font(name=FONT, size=12, bold=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    for r in range(header_row, header_row + 3):
        for col in range(1, 13):
            cell = ws.cell(r, col)
            cell.font = Font(name=FONT, size=12, bold=r < header_row + 2, italic=r == header_row + 2)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BORDER
    widths = [5, 11, 22, 15, 8, 30, 45, 14, 18, 26, 20, 14]
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[chr(64 + col)].width = width
    wb.properties.creator = "Bộ phận tiếp công dân"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 4, 1, 8, 0)
    wb.save(OUT)
    print(f"{OUT}: {row} rows")


def _write(ws: object, row: int, values: list[object], font: Font) -> None:
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = ws.cell(row, col, value)  # type: ignore[attr-defined]
        cell.font = font
        cell.border = BORDER
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
        elif isinstance(value, int) and value > 10**9:
            cell.number_format = "0"


if __name__ == "__main__":
    main()
