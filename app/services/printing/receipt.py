"""Giấy biên nhận thông tin, tài liệu, bằng chứng (Thông tư 04/2021/TT-TTCP): signed by both sides."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import Signature, esc
from app.services.printing.template import Audience, Template, office_in_text, page, person_markup


def build(facts: Facts) -> list[Flowable]:
    at = facts.datetime("received_at")
    when = f"Hồi {at:%H} giờ {at:%M} phút, {layout.long_date(at.date())}" if at else "Hôm nay"
    receiver = facts.officer_name or "…"
    items = facts.items("items") or ["…"]
    body: list[Flowable] = [
        layout.para(f"{esc(when)}, tại {esc(office_in_text(facts))}."),
        layout.para(f"Tôi là: {layout.b(receiver)}, cán bộ tiếp công dân."),
        layout.para(f"Đã nhận của {person_markup(facts)}."),
        layout.para(f"Các thông tin, tài liệu, bằng chứng đã nhận gồm {len(facts.items('items'))} mục:"),
        *layout.numbered(items),
        *([layout.para(f"Nội dung trình bày: {esc(facts.text('summary'))}")] if facts.text("summary") else []),
        layout.para("Giấy biên nhận được lập thành 02 bản, người nộp giữ 01 bản, cơ quan tiếp nhận giữ 01 bản."),
    ]
    citizen = facts.petitioner.name if facts.petitioner else ""
    signatures = layout.parties(
        Signature(title="Người nộp", note="(Ký, ghi rõ họ tên)", name=citizen),
        Signature(title="Người nhận", note="(Ký, ghi rõ họ tên)", name=facts.officer_name),
    )
    return page(
        facts,
        title="Giấy biên nhận",
        subtitle="Thông tin, tài liệu, bằng chứng",
        body=body,
        closing=signatures,
    )


TEMPLATE = Template(DocumentType.RECEIPT, "receipt", "Giấy biên nhận", Audience.CITIZEN, build)
