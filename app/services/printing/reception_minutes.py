"""The leader's reception, per citizen: "Biên bản tiếp công dân" (signed by the citizen and the
leader) and "Thông báo kết luận tiếp công dân" (to the citizen and the body given the task), with
the leader's conclusions, the assigned body and the date it reports by (Luật Tiếp công dân 2013,
Điều 12, 13 and 18; Nghị định 64/2014; Thông tư 04/2021). Form numbers: data, none confirmed."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout, meeting
from app.services.printing.facts import Facts
from app.services.printing.layout import Signature, b, esc, short_date
from app.services.printing.template import (
    Audience,
    Template,
    citizen_addressee,
    filed,
    office_in_text,
    page,
    person_markup,
)


def _leader(facts: Facts) -> str:
    """ "ông/bà Phạm Văn Lãnh, Chủ tịch UBND tỉnh" — the leader who chaired the reception."""
    name = facts.text("leader_name", "…")
    title = facts.text("leader_title")
    return f"{b(name)}, {esc(title)}" if title else b(name)


def _task(facts: Facts) -> Flowable:
    agency = facts.text("agency", "…")
    due = short_date(facts.date("due_on"))
    return layout.para(
        f"Giao {b(agency)} tổ chức thực hiện ý kiến kết luận nêu trên và báo cáo kết quả về "
        f"{esc(office_in_text(facts))} trước ngày {b(due)}."
    )


def build_minutes(facts: Facts) -> list[Flowable]:
    at = facts.datetime("received_at")
    place = facts.text("place", f"trụ sở {office_in_text(facts)}")
    others = facts.items("participants")
    officer = facts.officer_name
    people = [
        f"Người chủ trì tiếp: {facts.text('leader_name', '…')}"
        + (f", {facts.text('leader_title')}" if facts.text("leader_title") else ""),
        *([f"Cán bộ tiếp công dân: {officer}"] if officer else []),
        *others,
    ]
    body: list[Flowable] = [
        meeting.opening(facts, at, place),
        layout.para(f"{_leader(facts)} chủ trì tiếp {person_markup(facts)}."),
        *meeting.part(1, "Thành phần tham dự:", items=people),
        *meeting.part(2, "Nội dung công dân trình bày:", meeting.paragraphs(facts, "summary")),
        *meeting.part(3, "Ý kiến kết luận của người chủ trì:", meeting.paragraphs(facts, "conclusions")),
        _task(facts),
    ]
    citizen = facts.petitioner.name if facts.petitioner else ""
    return meeting.minutes_page(
        facts,
        title="Biên bản tiếp công dân",
        subtitle="",
        body=body,
        left=Signature(title="Công dân", note="(Ký, ghi rõ họ tên)", name=citizen),
        right=Signature(title="Người chủ trì tiếp", note="(Ký, ghi rõ họ tên)", name=facts.text("leader_name")),
    )


def build_conclusion(facts: Facts) -> list[Flowable]:
    day = facts.date("received_on")
    body: list[Flowable] = [
        layout.para(f"Ngày {short_date(day)}, {_leader(facts)} đã chủ trì tiếp {person_markup(facts)}."),
        layout.para(f"Nội dung công dân trình bày: {esc(facts.text('summary', '…'))}"),
        layout.para(
            "Sau khi nghe công dân trình bày và ý kiến của các cơ quan, đơn vị có liên quan, "
            "người chủ trì tiếp công dân kết luận như sau:"
        ),
        *[layout.para(esc(line)) for line in meeting.paragraphs(facts, "conclusions")],
        _task(facts),
        layout.para(
            f"{esc(office_in_text(facts))} thông báo để công dân và các cơ quan, đơn vị liên quan biết, thực hiện."
        ),
    ]
    return page(
        facts,
        title="Thông báo",
        subtitle="Kết luận của người chủ trì tiếp công dân",
        body=body,
        recipients=[citizen_addressee(facts), facts.text("agency", "Cơ quan được giao"), filed(facts)],
    )


MINUTES = Template(
    DocumentType.RECEPTION_MINUTES, "reception-minutes", "Biên bản tiếp công dân", Audience.CITIZEN, build_minutes
)
CONCLUSION = Template(
    DocumentType.RECEPTION_CONCLUSION,
    "reception-conclusion",
    "Thông báo kết luận tiếp công dân",
    Audience.AGENCY,
    build_conclusion,
)
