"""Phiếu hẹn: when and where the citizen comes back, and what to bring."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, optional, person_markup


def build(facts: Facts) -> list[Flowable]:
    at = facts.datetime("appointment_at")
    when = f"{at:%H} giờ {at:%M} phút, {layout.long_date(at.date())}" if at else "…"
    place = facts.text("place", office_in_text(facts))
    body: list[Flowable] = [
        layout.para(f"{esc(office_in_text(facts))} hẹn {person_markup(facts)}."),
        layout.para(f"Đến làm việc vào hồi {b(when)}, tại {esc(place)}."),
        layout.para(f"Nội dung làm việc: {esc(facts.text('purpose', facts.text('summary', '…')))}"),
        *optional(facts, "bring", "Khi đến, đề nghị mang theo: "),
        *optional(facts, "note"),
        layout.para("Nếu không đến được theo lịch hẹn, đề nghị báo trước cho cơ quan tiếp công dân."),
    ]
    return citizen_notice(facts, title="Phiếu hẹn", note=False, body=body)


TEMPLATE = Template(DocumentType.APPOINTMENT, "appointment", "Phiếu hẹn", Audience.CITIZEN, build)
