"""Thông báo trả lại đơn: the originals go back to the sender, with the reason."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc
from app.services.printing.template import (
    Audience,
    Template,
    citizen_addressee,
    citizen_recipient,
    office_in_text,
    optional,
    page,
    received_sentence,
    summary_paragraph,
)


def build(facts: Facts) -> list[Flowable]:
    items = facts.items("returned_items") or facts.items("items")
    agency = facts.text("agency")
    body: list[Flowable] = [
        layout.para(received_sentence(facts)),
        summary_paragraph(facts),
        layout.para(
            f"{esc(office_in_text(facts))} trả lại đơn và tài liệu kèm theo cho ông/bà với lý do: "
            f"{esc(facts.text('reason', '…'))}"
        ),
    ]
    if items:
        body.append(layout.para("Tài liệu trả lại gồm:"))
        body += layout.numbered(items)
    if agency:
        body.append(layout.para(f"Đề nghị ông/bà gửi đơn đến {b(agency)} để được xem xét, giải quyết theo quy định."))
    body += optional(facts, "note")
    return page(
        facts,
        title="Thông báo",
        subtitle="Về việc trả lại đơn và tài liệu",
        to=[citizen_addressee(facts)],
        body=body,
        recipients=citizen_recipient(facts),
    )


TEMPLATE = Template(DocumentType.RETURN, "return", "Thông báo trả lại đơn", Audience.CITIZEN, build)
