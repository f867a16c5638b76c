"""Bản tin sáng: a one- or two-page summary of the follow-up board, the full lists as an appendix.

Page 1 opens with the figures (what is overdue, due, waiting; per officer and per receiving body),
then the overdue work, most late first, one line each; the summary stops at SUMMARY_OVERDUE lines
and COUNT_ROWS names per table, so that it never runs past two pages whatever the office's size.
The appendix, from a new page, lists every item of every list with its content.

An internal A4 landscape paper built from ``followup.board``; senders are already masked there
for users who may not see a denouncer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from app.services.common.actor import Actor
from app.services.deadlines import followup
from app.services.deadlines.followup import FollowupBoard, FollowupItem
from app.services.printing import fonts, layout
from app.services.printing.grid import Lines, clip, plain, register_table
from app.services.printing.layout import esc, short_date
from app.services.security import audit
from app.services.security.permissions import Permission, require

TITLE = "BẢN TIN THEO DÕI XỬ LÝ ĐƠN"
APPENDIX = "PHỤ LỤC: DANH SÁCH CHI TIẾT"
SUMMARY_OVERDUE = 20  # overdue lines on the summary; the rest are in the appendix
COUNT_ROWS = 8  # names per count table; the others are added up on one line
FRAME_WIDTH = landscape(A4)[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT

DETAIL_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 9),
    ("Số đơn", 18),
    ("Người gửi", 40),
    ("Nội dung", 70),
    ("Việc phải làm", 40),
    ("Hạn", 20),
    ("Cán bộ, cơ quan", 35),
    ("Tình trạng", 20),
)
OVERDUE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 9),
    ("Số đơn", 20),
    ("Người gửi", 32),
    ("Nội dung", 69),
    ("Việc phải làm", 50),
    ("Hạn", 19),
    ("Số ngày trễ", 13),
    ("Cán bộ (hoặc cơ quan) phụ trách", 40),
)
COUNT_NAME_WIDTH = 40
COUNT_WIDTH = 14
ROOM_FOR_A_LIST = 35 * mm  # a heading lower on the page than this starts the next page


@dataclass(frozen=True)
class Part:
    """One list of the board: its key (audit), its heading, its items."""

    key: str
    heading: str
    items: list[FollowupItem]


def parts(board: FollowupBoard) -> tuple[Part, ...]:
    return (
        Part("overdue", "Quá hạn", board.overdue),
        Part("today", "Đến hạn hôm nay", board.due_today),
        Part("soon", f"Sắp đến hạn (đến ngày {short_date(board.horizon_end)})", board.due_soon),
        Part("waiting", "Chờ kết quả của cơ quan được chuyển đơn", board.awaiting_answer),
        Part("enforce", "Chờ thi hành quyết định", board.awaiting_enforcement),
    )


COUNT_HEADERS = ("Quá hạn", "Hạn hôm nay", "Sắp đến hạn", "Chờ kết quả", "Chờ thi hành")


def _heading(text: str) -> list[Flowable]:
    """A list's heading, on the next page when too little room is left for its first rows.

    Not keepWithNext: that keeps the heading with the whole table, and a table that fits on a
    page would then leave page 1 half empty.
    """
    style = ParagraphStyle("brief-heading", parent=layout.styles().plain, spaceBefore=8, spaceAfter=3)
    return [CondPageBreak(ROOM_FOR_A_LIST), Paragraph(f"<b>{esc(text)}</b>", style)]


def _state(item: FollowupItem) -> str:
    if item.days_late > 0:
        return f"Quá hạn {item.days_late} ngày"
    if item.days_left == 0:
        return "Đến hạn hôm nay"
    if item.days_left is not None:
        return f"Còn {item.days_left} ngày"
    return ""


def _who(item: FollowupItem) -> str:
    return " – ".join(x for x in (item.officer_name, item.agency_name) if x)


def _in_charge(item: FollowupItem) -> str:
    """One name for a one-line row: the officer, or the body while no officer is assigned."""
    return item.officer_name if item.officer_id else item.agency_name


# ---- the summary ---------------------------------------------------------------------------------


def _totals(board: FollowupBoard) -> Paragraph:
    figures = "; ".join(f"{esc(p.heading.lower())}: <b>{len(p.items)}</b>" for p in parts(board))
    return Paragraph(f"Tổng hợp: {figures}.", layout.styles().plain)


def _count_rows(board: FollowupBoard, key: Callable[[FollowupItem], str], other: str) -> list[tuple[str, list[int]]]:
    """(name, counts per list) rows, the busiest first; past COUNT_ROWS names one line adds the rest."""
    counts: dict[str, list[int]] = {}
    for n, part in enumerate(parts(board)):
        for item in part.items:
            counts.setdefault(key(item), [0] * len(COUNT_HEADERS))[n] += 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1][0], -sum(kv[1]), kv[0].casefold()))
    if len(ordered) > COUNT_ROWS:
        rest = ordered[COUNT_ROWS - 1 :]
        summed = [sum(row[n] for _, row in rest) for n in range(len(COUNT_HEADERS))]
        ordered = [*ordered[: COUNT_ROWS - 1], (other.format(n=len(rest)), summed)]
    return ordered


def _count_table(title: str, rows: list[tuple[str, list[int]]]) -> Table:
    columns = [(title, COUNT_NAME_WIDTH), *((h, COUNT_WIDTH) for h in COUNT_HEADERS), ("Cộng", COUNT_WIDTH)]
    total = [sum(row[n] for _, row in rows) for n in range(len(COUNT_HEADERS))]
    body: list[list[object]] = [
        [plain(clip(name, COUNT_NAME_WIDTH), COUNT_NAME_WIDTH), *map(str, row), str(sum(row))] for name, row in rows
    ]
    body.append([Lines([(True, "Tổng cộng")], COUNT_NAME_WIDTH), *map(str, total), str(sum(total))])
    table = register_table(columns, body, empty="Không có.", numbered=False)
    table.setStyle(TableStyle([("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("FONTNAME", (0, -1), (-1, -1), fonts.BOLD)]))
    return table


def _counts(board: FollowupBoard) -> Table:
    """Per officer and per receiving body, side by side."""
    officers = _count_table("Cán bộ", _count_rows(board, lambda i: i.officer_name, "Các cán bộ khác ({n})"))
    bodies = _count_table("Cơ quan", _count_rows(board, lambda i: i.agency_name, "Các cơ quan khác ({n})"))
    half = FRAME_WIDTH / 2
    pair = Table([[officers, bodies]], colWidths=[half, half])
    pair.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (0, 0), "LEFT"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return pair


def _overdue_lines(items: Sequence[FollowupItem]) -> list[Flowable]:
    shown = items[:SUMMARY_OVERDUE]
    widths = [w for _, w in OVERDUE_COLUMNS]
    body: list[list[object]] = []
    for n, item in enumerate(shown, 1):
        cells = (
            item.petition_number,
            item.sender,
            item.summary,
            item.rule_name,
            short_date(item.due_on),
            str(item.days_late),
            _in_charge(item),
        )
        body.append([str(n), *(plain(clip(text, w), w) for text, w in zip(cells, widths[1:], strict=True))])
    out: list[Flowable] = [
        *_heading(f"II. Việc quá hạn ({len(items)}), trễ nhiều nhất trước"),
        register_table(OVERDUE_COLUMNS, body, empty="Không có việc quá hạn.", numbered=False),
    ]
    if len(items) > len(shown):
        more = len(items) - len(shown)
        out.append(Paragraph(f"<i>Còn {more} việc quá hạn khác: xem Phụ lục, mục 1.</i>", layout.styles().plain))
    return out


def _summary(board: FollowupBoard) -> list[Flowable]:
    return [
        _totals(board),
        *_heading("I. Số việc theo cán bộ và theo cơ quan"),
        _counts(board),
        *_overdue_lines(board.overdue),
    ]


# ---- the appendix --------------------------------------------------------------------------------


def _detail(number: int, part: Part) -> list[Flowable]:
    widths = [w for _, w in DETAIL_COLUMNS]
    body: list[list[object]] = []
    for n, item in enumerate(part.items, 1):
        cells = (
            item.petition_number,
            item.sender,
            item.summary,
            item.rule_name,
            short_date(item.due_on) if item.due_on else "",
            _who(item),
            _state(item),
        )
        body.append([str(n), *(plain(text, w) for text, w in zip(cells, widths[1:], strict=True))])
    return [
        *_heading(f"{number}. {part.heading} ({len(part.items)})"),
        register_table(DETAIL_COLUMNS, body, empty="Không có."),
    ]


def _appendix(board: FollowupBoard) -> list[Flowable]:
    out: list[Flowable] = [PageBreak(), Paragraph(APPENDIX, layout.styles().title), Spacer(1, 4)]
    for number, part in enumerate(parts(board), 1):
        out += _detail(number, part)
    return out


def render_morning_brief(session: Session, actor: Actor, as_of: dt.date | None = None) -> bytes:
    """The follow-up board of ``as_of`` as PDF; the print is recorded in the audit trail."""
    require(actor, Permission.PRINT_SLIP)
    board = followup.board(session, actor, as_of)
    office = layout.office_from_settings(session)
    st = layout.styles()
    story: list[Flowable] = [
        layout.OfficeHeader(office, None, None, national=False, width=FRAME_WIDTH),
        Paragraph(TITLE, st.title),
        Paragraph(f"Ngày {short_date(board.as_of)}", st.subtitle),
        Spacer(1, 4),
        *_summary(board),
        *_appendix(board),
    ]
    pdf = layout.build_pdf(
        story,
        title_text=f"Bản tin theo dõi xử lý đơn ngày {short_date(board.as_of)}",
        author=office.name,
        landscape_page=True,
        canvasmaker=layout.NumberedCanvas,
    )
    counts = {part.key: len(part.items) for part in parts(board)}
    audit.record(session, actor, "print", "morning_brief", None, after={"as_of": board.as_of, **counts})
    return pdf
