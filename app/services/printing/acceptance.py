"""Thông báo thụ lý giải quyết (Luật Khiếu nại Điều 27, Luật Tố cáo Điều 29)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc, short_date
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, petition_opening


def build(facts: Facts) -> list[Flowable]:
    resolver = facts.text("resolver", office_in_text(facts))
    accepted = facts.date("accepted_on") or facts.issued_on
    due = facts.date("due_on")
    body: list[Flowable] = [
        *petition_opening(facts),
        layout.para(
            f"Sau khi xem xét, đơn đủ điều kiện thụ lý. {esc(resolver)} thông báo thụ lý giải quyết "
            f"{esc(facts.kind_label)} kể từ ngày {b(short_date(accepted))}."
        ),
        *([layout.para(f"Thời hạn giải quyết: đến ngày {b(short_date(due))}.")] if due else []),
    ]
    return citizen_notice(facts, title="Thông báo", subtitle=f"Về việc thụ lý giải quyết {facts.kind_label}", body=body)


TEMPLATE = Template(DocumentType.ACCEPTANCE, "acceptance", "Thông báo thụ lý", Audience.CITIZEN, build)
