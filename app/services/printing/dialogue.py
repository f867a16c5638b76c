"""Đối thoại in complaint resolution (Luật Khiếu nại 2011, Điều 30 and Điều 39; Nghị định 124/2020):
the notice inviting the complainant to the dialogue, and the minutes of it — time, place, participants,
content, results and the signatures of both sides (Điều 30 khoản 3).

The form numbers are data (resources/templates.json); the appendix of Nghị định 124/2020 was not
found, so none is printed until an office confirms it.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout, meeting
from app.services.printing.facts import Facts
from app.services.printing.layout import Signature, b, esc
from app.services.printing.template import (
    Audience,
    Template,
    citizen_notice,
    office_in_text,
    optional,
    person_markup,
    received_sentence,
)


def build_notice(facts: Facts) -> list[Flowable]:
    at = facts.datetime("dialogue_at")
    place = facts.text("place", office_in_text(facts))
    body: list[Flowable] = [
        layout.para(received_sentence(facts, "đã thụ lý giải quyết")),
        layout.para(f"Nội dung khiếu nại: {esc(facts.text('summary', '…'))}"),
        layout.para(
            f"Để làm rõ nội dung khiếu nại, yêu cầu của người khiếu nại và hướng giải quyết, "
            f"{esc(office_in_text(facts))} mời {person_markup(facts)} đến tham gia đối thoại."
        ),
        layout.para(f"Thời gian: {b(meeting.at_text(at))}."),
        layout.para(f"Địa điểm: {esc(place)}."),
        *optional(facts, "content", "Nội dung đối thoại:"),
        *optional(facts, "bring", "Khi đến, đề nghị mang theo:"),
        layout.para(
            "Đề nghị ông/bà mang theo giấy tờ tùy thân và đến đúng thời gian, địa điểm nêu trên. "
            "Trường hợp vắng mặt phải báo trước và nêu lý do."
        ),
    ]
    return citizen_notice(facts, title="Giấy mời", subtitle="Về việc đối thoại giải quyết khiếu nại", body=body)


def build_minutes(facts: Facts) -> list[Flowable]:
    at = facts.datetime("dialogue_at")
    place = facts.text("place", office_in_text(facts))
    chair = facts.text("chair_name", facts.text("handler_name"))
    participants = facts.items("participants")
    complainant = facts.petitioner.name if facts.petitioner else ""
    body: list[Flowable] = [
        meeting.opening(facts, at, place),
        layout.para(
            f"{esc(office_in_text(facts))} tổ chức đối thoại giải quyết đơn khiếu nại"
            f"{' số ' + esc(facts.text('petition_number')) if facts.text('petition_number') else ''} "
            f"của {person_markup(facts)}."
        ),
        *meeting.part(1, "Thành phần tham gia đối thoại:", items=participants or ["…"]),
        *meeting.part(2, "Nội dung đối thoại:", meeting.paragraphs(facts, "content")),
        *meeting.part(3, "Kết quả đối thoại:", meeting.paragraphs(facts, "results")),
        *optional(facts, "note", "Ý kiến khác:"),
    ]
    return meeting.minutes_page(
        facts,
        title="Biên bản đối thoại",
        subtitle="Về việc giải quyết khiếu nại",
        body=body,
        left=Signature(title="Người khiếu nại", note="(Ký, ghi rõ họ tên)", name=complainant),
        right=Signature(title="Người chủ trì đối thoại", note="(Ký, ghi rõ họ tên)", name=chair),
    )


NOTICE = Template(DocumentType.DIALOGUE_NOTICE, "dialogue-notice", "Giấy mời đối thoại", Audience.CITIZEN, build_notice)
MINUTES = Template(
    DocumentType.DIALOGUE_MINUTES, "dialogue-minutes", "Biên bản đối thoại", Audience.CITIZEN, build_minutes
)
