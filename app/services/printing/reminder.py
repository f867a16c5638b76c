"""Văn bản đôn đốc (công văn): ask the body a petition was forwarded to for its result."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc, short_date
from app.services.printing.template import Audience, Template, filed, office_in_text, optional, page


def build(facts: Facts) -> list[Flowable]:
    agency = facts.text("agency", facts.recipient or "…")
    office = esc(office_in_text(facts))
    symbol = facts.text("forwarded_symbol")
    earlier = f"Phiếu chuyển đơn số {b(symbol)} ngày {short_date(facts.date('forwarded_on'))}" if symbol else "văn bản"
    due = facts.date("due_on")
    sender = "người tố cáo (thông tin được giữ bí mật)" if facts.masked else facts.sender
    body: list[Flowable] = [
        layout.para(
            f"{office} đã có {earlier} chuyển đơn {esc(facts.kind_label)} của {esc(sender)} "
            f"đến {esc(agency)} để xem xét, giải quyết theo thẩm quyền."
        ),
        layout.para(f"Nội dung đơn: {esc(facts.text('summary', '…'))}"),
        layout.para(
            f"Đến nay, {office} chưa nhận được thông báo kết quả xem xét, giải quyết. "
            f"Đề nghị {esc(agency)} khẩn trương xem xét, giải quyết và thông báo kết quả cho {office}"
            + (f" trước ngày {b(short_date(due))}." if due else ".")
        ),
        *optional(facts, "note"),
    ]
    return page(
        facts,
        title="",
        excerpt=f"V/v đôn đốc giải quyết đơn {facts.kind_label}",
        to=[agency],
        body=body,
        recipients=["Như trên", filed(facts)],
    )


TEMPLATE = Template(DocumentType.REMINDER, "reminder", "Văn bản đôn đốc", Audience.AGENCY, build)
