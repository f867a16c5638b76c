"""Thông báo từ chối tiếp công dân (Luật Tiếp công dân, Điều 9)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import esc, short_date
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, person_markup


def build(facts: Facts) -> list[Flowable]:
    office = esc(office_in_text(facts))
    body: list[Flowable] = [
        layout.para(
            f"Ngày {short_date(facts.date('received_on') or facts.issued_on)}, {person_markup(facts)}, "
            f"đến {office} để trình bày nội dung: {esc(facts.text('summary', '…'))}"
        ),
        layout.para(
            f"{office} thông báo từ chối tiếp công dân đối với ông/bà, với lý do: {esc(facts.text('reason', '…'))}"
        ),
    ]
    return citizen_notice(facts, title="Thông báo", subtitle="Về việc từ chối tiếp công dân", body=body)


TEMPLATE = Template(DocumentType.REFUSAL, "refusal", "Thông báo từ chối tiếp", Audience.CITIZEN, build)
