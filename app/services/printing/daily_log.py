"""The reception register (Sổ tiếp công dân, Thông tư 04/2021/TT-TTCP) for a day or a range of days.

A4 landscape, the register's columns (domain.md §6), the header row repeated on every page,
"Trang x/y", leader receptions noted with the leader's name, crowd delegations with their
head-count and representatives, and the lead's signature at the end. The same data always gives
the same bytes: rows are ordered by (received_at, id) and the PDF is built with ``invariant``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import IssuedDocument, Petition, Visit, VisitParticipant
from app.models.enums import DocumentType
from app.services.common import catalogues
from app.services.common.actor import Actor
from app.services.common.errors import ValidationError
from app.services.common.text import nfc
from app.services.common.vocab import MATTER_KIND_REGISTER, label
from app.services.printing import layout
from app.services.printing.grid import Lines, Segment, plain, register_table
from app.services.printing.layout import Signature, esc, short_date
from app.services.reception.citizens import format_address
from app.services.reception.versions import Holder, Recorded, as_recorded
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

# (header, width in mm); the widths fill the landscape frame (297 − 30 − 15 = 252 mm).
COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 9),
    ("Ngày tiếp", 20),
    ("Họ tên, số CCCD, địa chỉ (người đại diện, số người của đoàn đông người)", 50),
    ("Tóm tắt nội dung", 55),
    ("Phân loại", 17),
    ("Tài liệu nộp kèm", 24),
    ("Hướng xử lý tại buổi tiếp", 30),
    ("Theo dõi kết quả", 26),
    ("Ghi chú", 21),
)
LEADER_NOTE = "Lãnh đạo tiếp: {name}"
FRAME_WIDTH = landscape(A4)[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT


@dataclass(frozen=True)
class LogRow:
    number: int
    received_at: dt.datetime
    who: tuple[Segment, ...]  # the person column: (bold?, text) pieces, each starting a line
    summary: str
    kind: str
    documents: str
    handling: str
    follow_up: str
    remarks: str
    head_count: int = 1
    is_crowd: bool = False

    @property
    def who_text(self) -> str:
        return " ".join(text for _, text in self.who)


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
    ids = [v.id for v in visits]
    # A register page shows each person as the visit recorded them, not as their record says today.
    shown: dict[int, Recorded] = {}
    holders: list[Holder] = [*visits, *(p for v in visits for p in v.participants)]
    for holder in holders:
        recorded = as_recorded(holder)
        assert recorded is not None
        shown[id(holder)] = recorded
    people = list(shown.values())
    units = catalogues.unit_names(session, {c for p in people for c in (p.commune_code, p.province_code) if c})
    follow: dict[int, list[str]] = defaultdict(list)
    if ids:
        for pet in session.execute(
            select(Petition.visit_id, Petition.reg_seq, Petition.reg_year, Petition.status)
            .where(Petition.visit_id.in_(ids), Petition.deleted_at.is_(None))
            .order_by(Petition.id)
        ):
            follow[pet.visit_id].append(f"Đơn số {pet.reg_seq}/{pet.reg_year}: {label(pet.status)}")
        for doc in session.execute(
            select(IssuedDocument.visit_id, IssuedDocument.doc_type, IssuedDocument.symbol)
            .where(IssuedDocument.visit_id.in_(ids), IssuedDocument.doc_type != DocumentType.DAILY_LOG)
            .order_by(IssuedDocument.id)
        ):
            follow[doc.visit_id].append(f"{_DOC_WORDS.get(doc.doc_type, 'Văn bản')} số {doc.symbol}")

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
        handling = label(v.outcome) + (f". {v.outcome_note}" if v.outcome_note else "")
        remarks = [label(v.reception_kind)]
        if v.leader_name:
            remarks.append(LEADER_NOTE.format(name=v.leader_name))
        rows.append(
            LogRow(
                number=n,
                received_at=v.received_at,
                who=tuple((bold, nfc(text)) for bold, text in who),
                summary=nfc(v.summary),
                kind=MATTER_KIND_REGISTER.get(v.matter_kind, label(v.matter_kind)),
                documents=nfc(v.documents_received or ""),
                handling=nfc(handling),
                follow_up="\n".join(nfc(x) for x in follow.get(v.id, [])),
                remarks="\n".join(nfc(x) for x in remarks),
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


def _table(rows: list[LogRow]) -> LongTable:
    widths = [w for _, w in COLUMNS]
    body: list[list[object]] = [
        [
            str(r.number),
            f"{r.received_at:%d/%m/%Y}\n{r.received_at:%H:%M}",
            Lines(r.who, widths[2]),
            *(
                plain(text, width)
                for text, width in zip(
                    (r.summary, r.kind, r.documents, r.handling, r.follow_up, r.remarks), widths[3:], strict=True
                )
            ),
        ]
        for r in rows
    ]
    return register_table(COLUMNS, body, empty="Không có lượt tiếp công dân nào trong thời gian này.")


def build_log(office: layout.Office, rows: list[LogRow], date_from: dt.date, date_to: dt.date) -> bytes:
    st = layout.styles()
    people = sum(r.head_count for r in rows)
    crowds = sum(1 for r in rows if r.is_crowd)
    story: list[Flowable] = [
        layout.OfficeHeader(office, None, None, national=False, width=FRAME_WIDTH),
        Paragraph("SỔ TIẾP CÔNG DÂN", st.title),
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
