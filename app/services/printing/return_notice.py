"""Thông báo trả lại đơn: the originals go back to the sender, with the reason."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, petition_opening


def build(facts: Facts) -> list[Flowable]:
    items = facts.items("returned_items") or facts.items("items")
    agency = facts.text("agency")
    body: list[Flowable] = [
        *petition_opening(facts),
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
    return citizen_notice(facts, title="Thông báo", subtitle="Về việc trả lại đơn và tài liệu", body=body)


TEMPLATE = Template(DocumentType.RETURN, "return", "Thông báo trả lại đơn", Audience.CITIZEN, build)
