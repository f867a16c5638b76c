"""The reception register (Sổ tiếp công dân, Mẫu số 03 of Thông tư 04/2021/TT-TTCP) for a day or a range.

A4 landscape, the template's 12 columns with "Hướng xử lý" over its three sub-columns, the heading
rows and the numbering row (1)…(12) repeated on every page, "Trang x/y", leader receptions noted
with the leader's name, crowd delegations with their head-count and representatives, and the
lead's signature at the end. Headings and widths are data (resources/templates.json). The same
data always gives the same bytes: rows are ordered by (received_at, id) and the PDF is built with
``invariant``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from app.models import Agency, IssuedDocument, Petition, Visit, VisitParticipant
from app.models.enums import DocumentType, MatterState, PetitionStatus, VisitOutcome
from app.services.common import catalogues
from app.services.common.actor import Actor
from app.services.common.errors import ValidationError
from app.services.common.text import nfc
from app.services.common.vocab import MATTER_KIND_REGISTER, label
from app.services.printing import form_numbers, layout
from app.services.printing.grid import Lines, Segment, plain, register_table
from app.services.printing.layout import Signature, esc, short_date
from app.services.reception.citizens import format_address
from app.services.reception.versions import Holder, Recorded, as_recorded
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

LEADER_NOTE = "Lãnh đạo tiếp: {name}"
ONLINE_NOTE = "Tiếp trực tuyến"
DOCUMENTS_NOTE = "Tài liệu nộp kèm: {documents}"
MARK = "x"
FRAME_WIDTH = landscape(A4)[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT

# The three "Hướng xử lý" sub-columns (8)–(10), by the keys of resources/templates.json.
ACCEPT, RETURN_GUIDE, FORWARD = "accept", "return_guide", "forward"
DIRECTIONS = (ACCEPT, RETURN_GUIDE, FORWARD)
# What the desk did, as the register's direction. Explaining on the spot, an appointment, a refusal
# take no direction column: they are written in "Ghi chú".
OUTCOME_DIRECTION = {
    VisitOutcome.PETITION_RECEIVED: ACCEPT,
    VisitOutcome.GUIDED: RETURN_GUIDE,
    VisitOutcome.FORWARDED: FORWARD,
}
# A petition taken at the visit and handled since: its direction is the one the register keeps.
STATUS_DIRECTION = {
    PetitionStatus.ACCEPTED: ACCEPT,
    PetitionStatus.RESOLVED: ACCEPT,
    PetitionStatus.GUIDED: RETURN_GUIDE,
    PetitionStatus.RETURNED: RETURN_GUIDE,
    PetitionStatus.FORWARDED: FORWARD,
}
# A document issued since, when the petition's state says nothing (a slip issued, status unchanged).
DOCUMENT_DIRECTION = {
    DocumentType.ACCEPTANCE: ACCEPT,
    DocumentType.GUIDANCE: RETURN_GUIDE,
    DocumentType.RETURN: RETURN_GUIDE,
    DocumentType.FORWARDING: FORWARD,
}
# The matter was resolved before it came here: column (7) says so beside the body's name.
RESOLVED_STATES = (
    MatterState.RESOLVED_NO_DECISION,
    MatterState.FIRST_DECISION,
    MatterState.SECOND_DECISION,
    MatterState.COURT_JUDGMENT,
)


@dataclass(frozen=True)
class LogRow:
    number: int
    received_at: dt.datetime
    who: tuple[Segment, ...]  # the person column: (bold?, text) pieces, each starting a line
    summary: str
    kind: str
    resolved_by: str
    direction: str  # ACCEPT, RETURN_GUIDE, FORWARD or ""
    forwarded_to: str  # the body in "Chuyển đơn", when known
    follow_up: str
    remarks: str
    head_count: int = 1
    is_crowd: bool = False

    @property
    def who_text(self) -> str:
        return " ".join(text for _, text in self.who)

    def mark(self, direction: str) -> str:
        """What the sub-column ``direction`` shows: "x", the body forwarded to, or nothing."""
        if direction != self.direction:
            return ""
        return self.forwarded_to if direction == FORWARD and self.forwarded_to else MARK


@dataclass
class _Handling:
    """What became of a visit after the desk: follow-up lines, a later direction, the body forwarded to."""

    follow: list[str]
    by_status: str = ""
    by_document: str = ""
    forwarded_to: str = ""

    @property
    def direction(self) -> str:
        return self.by_status or self.by_document


def _handling(session: Session, ids: list[int]) -> dict[int, _Handling]:
    found: dict[int, _Handling] = defaultdict(lambda: _Handling([]))
    if not ids:
        return found
    visit_ids = set(ids)
    petition_visit: dict[int, int] = {}
    for pet in session.execute(
        select(Petition.id, Petition.visit_id, Petition.reg_seq, Petition.reg_year, Petition.status, Agency.name)
        .outerjoin(Agency, Agency.id == Petition.handling_agency_id)
        .where(Petition.visit_id.in_(ids), Petition.deleted_at.is_(None))
        .order_by(Petition.id)
    ):
        petition_visit[pet.id] = pet.visit_id
        handled = found[pet.visit_id]
        handled.follow.append(f"Đơn số {pet.reg_seq}/{pet.reg_year}: {label(pet.status)}")
        handled.by_status = STATUS_DIRECTION.get(pet.status, handled.by_status)
        if pet.status == PetitionStatus.FORWARDED and pet.name:
            handled.forwarded_to = pet.name
    for doc in session.execute(
        select(IssuedDocument.visit_id, IssuedDocument.petition_id, IssuedDocument.doc_type)
        .add_columns(IssuedDocument.symbol, IssuedDocument.recipient)
        .where(
            or_(IssuedDocument.visit_id.in_(ids), IssuedDocument.petition_id.in_(list(petition_visit))),
            IssuedDocument.doc_type != DocumentType.DAILY_LOG,
        )
        .order_by(IssuedDocument.id)
    ):
        # A petition's document (a forwarding slip) belongs to the visit the petition came from.
        visit_id = doc.visit_id if doc.visit_id in visit_ids else petition_visit[doc.petition_id]
        handled = found[visit_id]
        handled.follow.append(f"{_DOC_WORDS.get(doc.doc_type, 'Văn bản')} số {doc.symbol}")
        handled.by_document = DOCUMENT_DIRECTION.get(doc.doc_type, handled.by_document)
        if doc.doc_type == DocumentType.FORWARDING and doc.recipient:
            handled.forwarded_to = doc.recipient
    return found


def _resolved_by(visit: Visit) -> str:
    """Column (7): the body that already resolved the matter, and how far, as the citizen stated it."""
    lines = [visit.resolved_by or ""]
    if visit.matter_state in RESOLVED_STATES:
        lines.append(label(visit.matter_state))
    return "\n".join(nfc(line) for line in lines if line)


def _remarks(visit: Visit, direction: str) -> str:
    lines = [] if direction else [label(visit.outcome)]
    if visit.outcome_note:
        lines.append(visit.outcome_note)
    lines.append(label(visit.reception_kind))
    if visit.is_online:
        lines.append(ONLINE_NOTE)
    if visit.leader_name:
        lines.append(LEADER_NOTE.format(name=visit.leader_name))
    return "\n".join(nfc(line) for line in lines)


def collect_rows(session: Session, actor: Actor, date_from: dt.date, date_to: dt.date) -> list[LogRow]:
    """The register's rows, oldest first, denouncers masked unless ``actor`` may see them."""
    visits = list(
        session.scalars(
            select(Visit)
            .where(Visit.deleted_at.is_(None), Visit.received_on >= date_from, Visit.received_on <= date_to)
            .options(
                selectinload(Visit.citizen_version),
                selectinload(Visit.participants).joinedload(VisitParticipant.citizen),
                selectinload(Visit.participants).selectinload(VisitParticipant.citizen_version),
            )
            .order_by(Visit.received_at, Visit.id)
        )
    )
    # A register page shows each person as the visit recorded them, not as their record says today.
    shown: dict[int, Recorded] = {}
    holders: list[Holder] = [*visits, *(p for v in visits for p in v.participants)]
    for holder in holders:
        recorded = as_recorded(holder)
        assert recorded is not None
        shown[id(holder)] = recorded
    people = list(shown.values())
    units = catalogues.unit_names(session, {c for p in people for c in (p.commune_code, p.province_code) if c})
    handling = _handling(session, [v.id for v in visits])

    def person(c: Recorded, number: str = "") -> list[Segment]:
        name = confidential.shown(actor, c.full_name, c.confidential) or ""
        id_number = confidential.shown(actor, c.id_number, c.confidential)
        address = format_address(c.address_detail, units.get(c.commune_code or ""), units.get(c.province_code or ""))
        address = confidential.shown(actor, address, c.confidential) or ""
        parts: list[Segment] = [(True, f"{number}{name}")]
        if id_number:
            parts.append((False, f"CCCD: {id_number}"))
        if address:
            parts.append((False, address))
        return parts

    rows: list[LogRow] = []
    for n, v in enumerate(visits, 1):
        crowd = v.is_crowd or v.head_count > 1
        presenter = shown[id(v)]
        who = person(presenter)
        if crowd:
            # The presenter is often also entered as a representative: list each person once.
            main = (presenter.full_name, presenter.id_number)
            reps = [
                shown[id(p)]
                for p in v.participants
                if p.citizen_id != v.citizen_id and (shown[id(p)].full_name, shown[id(p)].id_number) != main
            ]
            who = [(True, f"Đoàn đông người: {v.head_count} người."), (False, "Đại diện:"), *person(presenter, "1. ")]
            for k, rep in enumerate(reps, 2):
                who += person(rep, f"{k}. ")
        handled = handling.get(v.id) or _Handling([])
        direction = handled.direction or OUTCOME_DIRECTION.get(v.outcome, "")
        summary = [v.summary]
        if v.documents_received:
            summary.append(DOCUMENTS_NOTE.format(documents=v.documents_received))
        rows.append(
            LogRow(
                number=n,
                received_at=v.received_at,
                who=tuple((bold, nfc(text)) for bold, text in who),
                summary="\n".join(nfc(x) for x in summary),
                kind=MATTER_KIND_REGISTER.get(v.matter_kind, label(v.matter_kind)),
                resolved_by=_resolved_by(v),
                direction=direction,
                forwarded_to=nfc(handled.forwarded_to),
                follow_up="\n".join(nfc(x) for x in handled.follow),
                remarks=_remarks(v, direction),
                head_count=v.head_count,
                is_crowd=crowd,
            )
        )
    return rows


_DOC_WORDS = {
    DocumentType.RECEIPT: "Giấy biên nhận",
    DocumentType.APPOINTMENT: "Phiếu hẹn",
    DocumentType.REFUSAL: "Thông báo từ chối tiếp",
    DocumentType.GUIDANCE: "Phiếu hướng dẫn",
    DocumentType.FORWARDING: "Phiếu chuyển đơn",
}


def period_text(date_from: dt.date, date_to: dt.date) -> str:
    if date_from == date_to:
        return f"Ngày {short_date(date_from)}"
    return f"Từ ngày {short_date(date_from)} đến ngày {short_date(date_to)}"


def _cell(row: LogRow, key: str, width: float) -> object:
    """One cell of a row: a mark alone is a centred string, any text is broken into the column's lines."""
    if key == "number":
        return str(row.number)
    if key == "received":
        return f"{row.received_at:%d/%m/%Y}\n{row.received_at:%H:%M}"
    if key == "person":
        return Lines(row.who, width)
    if key == "people":
        return str(row.head_count)
    if key in DIRECTIONS:
        text = row.mark(key)
        return text if text in ("", MARK) else plain(text, width)
    return plain(str(getattr(row, key)), width)


def _table(rows: list[LogRow]) -> LongTable:
    columns = form_numbers.register_layout().columns
    body: list[list[object]] = [[_cell(r, c.key, c.width) for c in columns] for r in rows]
    centred = [k for k, c in enumerate(columns) if c.key in ("number", "people", *DIRECTIONS)]
    return register_table(
        [(c.heading, c.width) for c in columns],
        body,
        empty="Không có lượt tiếp công dân nào trong thời gian này.",
        groups=[c.group for c in columns],
        centred=centred,
    )


def build_log(office: layout.Office, rows: list[LogRow], date_from: dt.date, date_to: dt.date) -> bytes:
    st = layout.styles()
    people = sum(r.head_count for r in rows)
    crowds = sum(1 for r in rows if r.is_crowd)
    story: list[Flowable] = [
        *layout.form_number(form_numbers.form_line(DocumentType.DAILY_LOG)),
        layout.OfficeHeader(office, None, None, national=False, width=FRAME_WIDTH),
        Paragraph(esc(form_numbers.register_layout().title), st.title),
        Paragraph(esc(period_text(date_from, date_to)), st.subtitle),
        Spacer(1, 6),
        _table(rows),
    ]
    total = Paragraph(f"Tổng số: {len(rows)} lượt tiếp, {people} người; trong đó {crowds} đoàn đông người.", st.plain)
    signatures = layout.parties(
        Signature(title="Người ghi sổ", note="(Ký, ghi rõ họ tên)"),
        Signature(
            title=office.signer_title,
            authority=office.signer_authority,
            name=office.signer_name,
            dateline=layout.place_date(office.place, date_to),
        ),
        width=FRAME_WIDTH,
        keep_with=[total],  # the closing line and the signatures travel together
    )
    story.append(signatures)
    return layout.build_pdf(
        story,
        title_text=f"Sổ tiếp công dân — {period_text(date_from, date_to)}",
        author=office.name,
        landscape_page=True,
        canvasmaker=layout.NumberedCanvas,
    )


def render_daily_log(session: Session, actor: Actor, date_from: dt.date, date_to: dt.date | None = None) -> bytes:
    """The register for ``date_from``…``date_to`` as PDF; the print is recorded in the audit trail."""
    require(actor, Permission.PRINT_LOG)
    date_to = date_to or date_from
    if date_to < date_from:
        raise ValidationError({"date_to": "Ngày kết thúc phải từ ngày bắt đầu trở đi."})
    rows = collect_rows(session, actor, date_from, date_to)
    pdf = build_log(layout.office_from_settings(session), rows, date_from, date_to)
    audit.record(
        session,
        actor,
        "print",
        "daily_log",
        None,
        after={"date_from": date_from, "date_to": date_to, "visits": len(rows)},
    )
    return pdf
