"""A leader's reception day on paper: "Danh sách công dân đăng ký tiếp" (who comes, about what) and
"Chương trình, nội dung buổi tiếp" (the programme: time, place, form, the connection points of an online
day, then each booked citizen with the petitions still pending here, their state and deadlines).

Internal A4 papers with the national heading, the office's names and signer (layout.py); a denouncer's
name is masked for users without the right (the programme leaves their denunciations out, agenda.py).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer
from sqlalchemy.orm import Session

from app.models.reception_days import DayMode
from app.services.common.actor import Actor
from app.services.common.vocab import label
from app.services.printing import layout
from app.services.printing.grid import Lines, plain, register_table
from app.services.printing.layout import Office, Signature, b, esc
from app.services.reception_days import agenda as agenda_facts
from app.services.reception_days.agenda import Agenda, AgendaItem
from app.services.reception_days.days import DayView
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

LIST_TITLE = "DANH SÁCH CÔNG DÂN ĐĂNG KÝ TIẾP"
AGENDA_TITLE = "CHƯƠNG TRÌNH, NỘI DUNG BUỔI TIẾP CÔNG DÂN"
FRAME_WIDTH = layout.PORTRAIT_WIDTH

LIST_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 10),
    ("Họ và tên, CCCD, điện thoại", 48),
    ("Nội dung đăng ký trình bày", 62),
    ("Số người", 14),
    ("Ghi chú", 31),
)
POINT_COLUMNS: tuple[tuple[str, float], ...] = (("STT", 10), ("Điểm cầu", 85), ("Người phụ trách", 70))
AGENDA_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 10),
    ("Công dân", 40),
    ("Nội dung đăng ký", 50),
    ("Vụ việc đang giải quyết, tình trạng và thời hạn", 65),
)
NO_PENDING = "Chưa có đơn nào đang giải quyết."


def subtitle(day: DayView) -> str:
    return f"Ngày {day.held_on:%d/%m/%Y}, {day.leader_text} tiếp công dân {day.kind_label.lower()}"


def _name(actor: Actor, item: AgendaItem) -> str:
    booking = item.booking
    return confidential.shown(actor, booking.full_name, confidential.must_protect(booking.matter_kind)) or ""


def _person_cell(actor: Actor, item: AgendaItem, width: float) -> Lines:
    booking = item.booking
    protect = confidential.must_protect(booking.matter_kind)
    parts: list[tuple[bool, str]] = [(True, _name(actor, item))]
    for lead, value in (("CCCD: ", booking.id_number), ("ĐT: ", booking.phone)):
        shown = confidential.shown(actor, value, protect)
        if shown:
            parts.append((False, f"{lead}{shown}"))
    return Lines(parts, width)


def _remark(item: AgendaItem) -> str:
    booking = item.booking
    lines = [booking.status_label]
    if booking.connection_point:
        lines.append(f"Điểm cầu: {booking.connection_point}")
    if booking.matter_kind is not None:
        lines.insert(0, label(booking.matter_kind))
    return "\n".join(lines)


def _day_lines(day: DayView) -> list[Flowable]:
    """Time, place, form and chair of the day, one paragraph each."""
    rows = [
        ("Thời gian", day.when_text().capitalize()),
        ("Địa điểm", day.place or "…"),
        ("Hình thức", f"Tiếp công dân {day.mode_label.lower()}"),
        ("Chủ trì", day.leader_text),
    ]
    if day.recording_ref:
        rows.append(("Lưu trữ bản ghi", day.recording_ref))
    return [layout.para(f"{b(lead)}: {esc(value)}", indent=False) for lead, value in rows]


def _points(day: DayView) -> list[Flowable]:
    if day.mode != DayMode.ONLINE:
        return []
    body: list[list[object]] = [
        [str(n), plain(p.unit_name, POINT_COLUMNS[1][1]), plain(p.contact_person or "", POINT_COLUMNS[2][1])]
        for n, p in enumerate(day.points, 1)
    ]
    return [
        layout.para(b(f"Các điểm cầu trực tuyến ({len(day.points)})"), indent=False),
        Spacer(1, 3),
        register_table(POINT_COLUMNS, body, empty="Chưa có điểm cầu nào.", numbered=False, centred=[0]),
    ]


def _header(office: Office, day: DayView, heading: str) -> list[Flowable]:
    return [
        layout.OfficeHeader(office, None, None),
        *layout.title(heading, subtitle(day)),
    ]


def _closing(office: Office, facts: Agenda) -> Flowable:
    total = Paragraph(f"Tổng số: {len(facts.items)} lượt đăng ký, {facts.people} người.", layout.styles().plain)
    return layout.parties(
        Signature(title="Người lập danh sách", note="(Ký, ghi rõ họ tên)"),
        Signature(
            title=office.signer_title,
            authority=office.signer_authority,
            name=office.signer_name,
            dateline=layout.place_date(office.place, facts.as_of),
        ),
        width=FRAME_WIDTH,
        keep_with=[total],
    )


def build_list(office: Office, facts: Agenda, actor: Actor) -> bytes:
    widths = [w for _, w in LIST_COLUMNS]
    body: list[list[object]] = [
        [
            str(n),
            _person_cell(actor, item, widths[1]),
            plain(item.booking.matter, widths[2]),
            str(item.booking.delegation_size),
            plain(_remark(item), widths[4]),
        ]
        for n, item in enumerate(facts.items, 1)
    ]
    story: list[Flowable] = [
        *_header(office, facts.day, LIST_TITLE),
        *_day_lines(facts.day),
        Spacer(1, 6),
        register_table(LIST_COLUMNS, body, empty="Chưa có công dân nào đăng ký.", centred=[0, 3]),
        Spacer(1, 6),
        *_points(facts.day),
        _closing(office, facts),
    ]
    return layout.build_pdf(
        story,
        title_text=f"Danh sách công dân đăng ký tiếp ngày {facts.day.held_on:%d/%m/%Y}",
        author=office.name,
        canvasmaker=layout.LetterCanvas,
    )


def _pending_cell(item: AgendaItem, width: float) -> Lines:
    if not item.pending:
        return Lines([(False, NO_PENDING)], width)
    parts: list[tuple[bool, str]] = []
    for case in item.pending:
        parts.append((True, case.text()))
        parts.append((False, case.summary))
        parts += [(False, f"– {clock.text()}") for clock in case.clocks]
    return Lines(parts, width)


def build_agenda(office: Office, facts: Agenda, actor: Actor) -> bytes:
    widths = [w for _, w in AGENDA_COLUMNS]
    body: list[list[object]] = [
        [
            str(n),
            _person_cell(actor, item, widths[1]),
            plain(f"{item.booking.matter}\n({item.booking.delegation_size} người)", widths[2]),
            _pending_cell(item, widths[3]),
        ]
        for n, item in enumerate(facts.items, 1)
    ]
    st = layout.styles()
    story: list[Flowable] = [
        *_header(office, facts.day, AGENDA_TITLE),
        Paragraph(b("I. THỜI GIAN, ĐỊA ĐIỂM, HÌNH THỨC"), st.plain),
        *_day_lines(facts.day),
        *_points(facts.day),
        Spacer(1, 6),
        Paragraph(b("II. CÔNG DÂN ĐĂNG KÝ VÀ NỘI DUNG TIẾP"), st.plain),
        Spacer(1, 3),
        register_table(AGENDA_COLUMNS, body, empty="Chưa có công dân nào đăng ký.", centred=[0]),
        Paragraph(esc(f"Thời hạn tính đến ngày {facts.as_of:%d/%m/%Y}, theo lịch làm việc của cơ quan."), st.plain),
        _closing(office, facts),
    ]
    return layout.build_pdf(
        story,
        title_text=f"Chương trình tiếp công dân ngày {facts.day.held_on:%d/%m/%Y}",
        author=office.name,
        canvasmaker=layout.LetterCanvas,
    )


def _render(session: Session, actor: Actor, day_id: int, what: str) -> bytes:
    require(actor, Permission.PRINT_SLIP)
    facts = agenda_facts.agenda(session, actor, day_id)
    office = layout.office_from_settings(session)
    pdf = (build_list if what == "list" else build_agenda)(office, facts, actor)
    audit.record(
        session,
        actor,
        "print",
        f"reception_day_{what}",
        day_id,
        after={"held_on": facts.day.held_on, "bookings": len(facts.items)},
    )
    return pdf


def render_booking_list(session: Session, actor: Actor, day_id: int) -> bytes:
    """ "Danh sách công dân đăng ký tiếp" of a reception day as PDF; the print is audited."""
    return _render(session, actor, day_id, "list")


def render_agenda(session: Session, actor: Actor, day_id: int) -> bytes:
    """ "Chương trình, nội dung buổi tiếp" of a reception day as PDF; the print is audited."""
    return _render(session, actor, day_id, "agenda")
