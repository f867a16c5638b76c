"""Phiếu chuyển đơn (Thông tư 05/2021/TT-TTCP): to the competent body; a denouncer is never named."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.common.legal_refs import DENOUNCER_SECRECY
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import esc
from app.services.printing.template import (
    Audience,
    Template,
    filed,
    office_in_text,
    optional,
    page,
    petition_opening,
)


def build(facts: Facts) -> list[Flowable]:
    agency = facts.text("agency", facts.recipient or "…")
    body: list[Flowable] = [
        *petition_opening(facts),
        layout.para(
            f"Xét thấy nội dung đơn thuộc thẩm quyền giải quyết của {esc(agency)}, "
            f"{esc(office_in_text(facts))} chuyển đơn đến {esc(agency)} để xem xét, giải quyết theo quy định "
            "của pháp luật và thông báo kết quả cho cơ quan chuyển đơn."
        ),
        *optional(facts, "note"),
    ]
    if facts.is_denouncer:
        body.append(
            layout.para(
                "Đề nghị cơ quan tiếp nhận giữ bí mật họ tên, địa chỉ, bút tích và các thông tin cá nhân khác "
                f"của người tố cáo theo quy định tại {DENOUNCER_SECRECY.text()}."
            )
        )
    recipients = ["Như trên"]
    if not facts.masked and facts.petitioner is not None:
        # A complainant is told where the petition went; a denouncer's name never appears here.
        recipients.append(f"Ông/bà {facts.petitioner.name} (để biết)")
    recipients.append(filed(facts))
    return page(
        facts,
        title="Phiếu chuyển đơn",
        to=[agency],
        body=body,
        recipients=recipients,
    )


TEMPLATE = Template(DocumentType.FORWARDING, "forwarding", "Phiếu chuyển đơn", Audience.AGENCY, build)
