"""Phiếu đề xuất thụ lý: the handler proposes acceptance to the head of the office (internal)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import Signature, esc
from app.services.printing.template import Audience, Template, office_in_text, optional, page, received_sentence

DEFAULT = "Đơn đủ điều kiện thụ lý và thuộc thẩm quyền giải quyết; đề xuất thụ lý giải quyết theo quy định."


def build(facts: Facts) -> list[Flowable]:
    body: list[Flowable] = [
        layout.para(received_sentence(facts)),
        layout.para(f"Nội dung đơn: {esc(facts.text('summary', '…'))}"),
        *optional(facts, "reason", "Kết quả nghiên cứu, xem xét: "),
        layout.para(f"Đề xuất: {esc(facts.text('proposal', DEFAULT))}"),
        layout.para(f"Kính trình lãnh đạo {esc(office_in_text(facts))} xem xét, quyết định."),
    ]
    signatures = layout.parties(
        Signature(title="Ý kiến của lãnh đạo", note="(Ký, ghi rõ họ tên)", name=facts.office.signer_name),
        Signature(title="Người đề xuất", note="(Ký, ghi rõ họ tên)", name=facts.text("handler_name")),
    )
    return page(
        facts,
        title="Phiếu đề xuất thụ lý",
        to=[f"Lãnh đạo {office_in_text(facts)}"],
        body=body,
        closing=signatures,
    )


TEMPLATE = Template(DocumentType.ACCEPTANCE_PROPOSAL, "proposal", "Phiếu đề xuất thụ lý", Audience.INTERNAL, build)
