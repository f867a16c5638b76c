"""Phiếu hướng dẫn: the matter is outside our competence; the citizen files with the competent body."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, petition_opening


def build(facts: Facts) -> list[Flowable]:
    agency = facts.text("agency", "…")
    address = facts.text("agency_address")
    where = f"{b(agency)} (địa chỉ: {esc(address)})" if address else b(agency)
    reason = facts.text("reason", f"nội dung đơn không thuộc thẩm quyền giải quyết của {office_in_text(facts)}")
    body: list[Flowable] = [
        *petition_opening(facts),
        layout.para(f"Xét thấy {esc(reason)}."),
        layout.para(
            f"Đề nghị ông/bà gửi đơn và tài liệu kèm theo đến {where} "
            "để được xem xét, giải quyết theo quy định của pháp luật."
        ),
    ]
    return citizen_notice(
        facts, title="Phiếu hướng dẫn", subtitle="Về việc gửi đơn đến cơ quan có thẩm quyền", body=body
    )


TEMPLATE = Template(DocumentType.GUIDANCE, "guidance", "Phiếu hướng dẫn", Audience.CITIZEN, build)
