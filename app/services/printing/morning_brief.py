"""Bản tin sáng: what is overdue, due today, due this week, waiting for an answer or for enforcement.

An internal A4 landscape listing built from ``followup.board``; senders are already masked there
for users who may not see a denouncer.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer
from sqlalchemy.orm import Session

from app.services.common.actor import Actor
from app.services.deadlines import followup
from app.services.deadlines.followup import FollowupItem
from app.services.printing import layout
from app.services.printing.grid import plain, register_table
from app.services.printing.layout import esc, short_date
from app.services.security import audit
from app.services.security.permissions import Permission, require

COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 9),
    ("Số đơn", 18),
    ("Người gửi", 40),
    ("Nội dung", 70),
    ("Việc phải làm", 40),
    ("Hạn", 20),
    ("Cán bộ, cơ quan", 35),
    ("Tình trạng", 20),
)
FRAME_WIDTH = landscape(A4)[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT


def _state(item: FollowupItem) -> str:
    if item.days_late > 0:
        return f"Quá hạn {item.days_late} ngày"
    if item.days_left == 0:
        return "Đến hạn hôm nay"
    if item.days_left is not None:
        return f"Còn {item.days_left} ngày"
    return ""


def _section(number: str, heading: str, items: list[FollowupItem]) -> list[Flowable]:
    st = layout.styles()
    widths = [w for _, w in COLUMNS]
    heading_style = ParagraphStyle("brief-heading", parent=st.plain, keepWithNext=1, spaceAfter=4)
    out: list[Flowable] = [Paragraph(f"<b>{number}. {esc(heading)} ({len(items)})</b>", heading_style)]
    body: list[list[object]] = []
    for n, item in enumerate(items, 1):
        who = " – ".join(x for x in (item.officer_name, item.agency_name) if x)
        cells = (
            item.petition_number,
            item.sender,
            item.summary,
            item.rule_name,
            short_date(item.due_on) if item.due_on else "",
            who,
            _state(item),
        )
        body.append([str(n), *(plain(text, w) for text, w in zip(cells, widths[1:], strict=True))])
    out.append(register_table(COLUMNS, body, empty="Không có."))
    return out


def render_morning_brief(session: Session, actor: Actor, as_of: dt.date | None = None) -> bytes:
    """The follow-up board of ``as_of`` as PDF; the print is recorded in the audit trail."""
    require(actor, Permission.PRINT_SLIP)
    board = followup.board(session, actor, as_of)
    office = layout.office_from_settings(session)
    st = layout.styles()
    story: list[Flowable] = [
        layout.OfficeHeader(office, None, None, national=False, width=FRAME_WIDTH),
        Paragraph("BẢN TIN THEO DÕI XỬ LÝ ĐƠN", st.title),
        Paragraph(f"Ngày {short_date(board.as_of)}", st.subtitle),
        Spacer(1, 6),
    ]
    sections = (
        ("Quá hạn", board.overdue),
        ("Đến hạn hôm nay", board.due_today),
        (f"Sắp đến hạn (đến ngày {short_date(board.horizon_end)})", board.due_soon),
        ("Chờ kết quả của cơ quan được chuyển đơn", board.awaiting_answer),
        ("Chờ thi hành quyết định", board.awaiting_enforcement),
    )
    for number, (heading, items) in zip(("I", "II", "III", "IV", "V"), sections, strict=True):
        story += _section(number, heading, items)
        story.append(Spacer(1, 8))
    pdf = layout.build_pdf(
        story,
        title_text=f"Bản tin theo dõi xử lý đơn ngày {short_date(board.as_of)}",
        author=office.name,
        landscape_page=True,
        canvasmaker=layout.NumberedCanvas,
    )
    counts = {
        key: len(items)
        for key, (_, items) in zip(("overdue", "today", "soon", "waiting", "enforce"), sections, strict=True)
    }
    audit.record(session, actor, "print", "morning_brief", None, after={"as_of": board.as_of, **counts})
    return pdf
