"""Thông báo trả lời: the written answer to a person who presented a matter at the reception
(Luật Tiếp công dân 2013, Điều 28 khoản 1: within 10 working days)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import esc, short_date
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, person_markup


def build(facts: Facts) -> list[Flowable]:
    day = facts.date("received_on")
    number = facts.text("petition_number")
    numbered = f" (đơn số {esc(number)})" if number else ""
    body: list[Flowable] = [
        layout.para(
            f"Ngày {short_date(day)}, tại buổi tiếp công dân, {esc(office_in_text(facts))} đã tiếp nhận nội dung "
            f"{esc(facts.kind_label)}{numbered} do {person_markup(facts)} trình bày."
        ),
        layout.para(f"Nội dung: {esc(facts.text('summary', '…'))}"),
        layout.para(f"{esc(office_in_text(facts))} thông báo như sau: {esc(facts.text('reason', '…'))}"),
    ]
    return citizen_notice(
        facts, title="Thông báo", subtitle="Về việc trả lời nội dung trình bày tại buổi tiếp công dân", body=body
    )


TEMPLATE = Template(DocumentType.NOTICE, "answer-notice", "Thông báo trả lời", Audience.CITIZEN, build)
