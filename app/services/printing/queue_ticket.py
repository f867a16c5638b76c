"""Phiếu số thứ tự: the slip a citizen gets at the entrance, on an 80 mm receipt roll.

The office's names on top (from the same settings as every document), the day's number large,
who it is for and what about, when they checked in and how many were waiting before them. Laid
out by ``layout.build_pdf`` on a small page with the bundled Times-metric font.
"""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.waiting_queue import QueueTicket, TicketStatus
from app.services.common.actor import Actor
from app.services.printing import fonts, layout
from app.services.printing.layout import b, esc
from app.services.reception import queue
from app.services.security import audit
from app.services.security.permissions import Permission, require

SLIP_WIDTH = 80 * mm
SLIP_HEIGHT = 95 * mm
SLIP_MARGIN = 5 * mm
TITLE = "PHIẾU SỐ THỨ TỰ"
SIZE_NUMBER = 54
SIZE_SMALL = 10
SIZE_TEXT = 11.5


def _style(name: str, size: float, font: str = fonts.REGULAR) -> ParagraphStyle:
    fonts.register()
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.2, alignment=TA_CENTER)


def ahead_of(session: Session, ticket: queue.TicketView) -> int:
    """How many of the day's citizens still wait before this one."""
    count = session.scalar(
        select(func.count())
        .select_from(QueueTicket)
        .where(
            QueueTicket.day == ticket.day,
            QueueTicket.status == TicketStatus.WAITING,
            QueueTicket.number < ticket.number,
        )
    )
    return int(count or 0)


def story(office: layout.Office, ticket: queue.TicketView, ahead: int) -> list[Flowable]:
    small = _style("slip_small", SIZE_SMALL)
    small_bold = _style("slip_small_bold", SIZE_SMALL, fonts.BOLD)
    text = _style("slip_text", SIZE_TEXT)
    title = _style("slip_title", SIZE_TEXT + 1, fonts.BOLD)
    number = _style("slip_number", SIZE_NUMBER, fonts.BOLD)
    at = ticket.checked_in_at
    crowd = f"(đoàn {ticket.crowd_size} người)" if ticket.crowd_size > 1 else ""
    waiting = f"Trước quý vị còn {ahead} người đang chờ." if ahead else "Quý vị là người được mời tiếp theo."
    return [
        *([Paragraph(esc(office.governing_body.upper()), small)] if office.governing_body else []),
        *([Paragraph(esc(office.name.upper()), small_bold)] if office.name else []),
        layout.Rule(20 * mm, width=SLIP_WIDTH - 2 * SLIP_MARGIN, above=1, below=5),
        Paragraph(esc(TITLE), title),
        Spacer(1, 2 * mm),
        Paragraph(esc(ticket.label), number),
        Spacer(1, 3 * mm),
        Paragraph(f"{b(ticket.full_name)} {esc(crowd)}".strip(), text),
        Paragraph(f"Nội dung: {esc(ticket.matter)}", text),
        Spacer(1, 1.5 * mm),
        Paragraph(esc(f"Lấy số lúc {at:%H:%M} ngày {at:%d/%m/%Y}"), small),
        Paragraph(esc(waiting), small),
        Spacer(1, 1.5 * mm),
        Paragraph(esc("Xin quý vị ngồi chờ đến khi được mời theo số thứ tự."), small),
    ]


def ticket_pdf(session: Session, actor: Actor, ticket_id: int) -> bytes:
    """The slip of one ticket, as PDF bytes (the same data always gives the same bytes)."""
    require(actor, Permission.PRINT_SLIP)
    ticket = queue.get_ticket(session, ticket_id)
    office = layout.office_from_settings(session)
    pdf = layout.build_pdf(
        story(office, ticket, ahead_of(session, ticket)),
        title_text=f"Phiếu số thứ tự {ticket.label} ngày {ticket.day:%d/%m/%Y}",
        author=office.name or "TiếpDân",
        page_size=(SLIP_WIDTH, SLIP_HEIGHT),
        margins=(SLIP_MARGIN, SLIP_MARGIN, SLIP_MARGIN, SLIP_MARGIN),
    )
    audit.record(session, actor, "print", queue.ENTITY, ticket.id, after={"number": ticket.number})
    return pdf
