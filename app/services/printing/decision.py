"""Quyết định (suspend, resume, terminate, extend, resolve): a decision with its articles.

The issuing action gives the title in ``content["title"]``; the articles are built from the
petition and the action's reason / note. A denouncer is never named: decisions reach the
respondent and other bodies too.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import b, esc
from app.services.printing.template import Audience, Template, filed, office_in_text, page, received_sentence

RESULTS = {
    "dung": "đúng",
    "dung_mot_phan": "đúng một phần",
    "sai": "sai",
    "rut": "đã được rút",
}


def build(facts: Facts) -> list[Flowable]:
    title = facts.text("title", "Quyết định")
    prefix = "quyết định "
    matter = title[len(prefix) :] if title.lower().startswith(prefix) else title
    office = office_in_text(facts)
    number = esc(facts.text("petition_number", "…"))
    body: list[Flowable] = [
        layout.para(received_sentence(facts)),
        layout.para(f"Nội dung đơn: {esc(facts.text('summary', '…'))}"),
        Paragraph("QUYẾT ĐỊNH:", layout.styles().title),
        layout.para(f"{b('Điều 1.')} {esc(matter[:1].upper() + matter[1:])} đối với đơn số {number}."),
    ]
    result = RESULTS.get(facts.text("result"))
    if result:
        body.append(layout.para(f"Nội dung {esc(facts.kind_label)} là {b(result)}."))
    if facts.text("days"):
        body.append(layout.para(f"Thời hạn: {esc(facts.text('days'))} ngày."))
    for key in ("reason", "note"):
        if facts.text(key):
            body.append(layout.para(esc(facts.text(key))))
    body.append(layout.para(f"{b('Điều 2.')} Quyết định này có hiệu lực kể từ ngày ký."))
    body.append(
        layout.para(
            f"{b('Điều 3.')} {esc(office)} và các cơ quan, tổ chức, cá nhân có liên quan "
            "chịu trách nhiệm thi hành Quyết định này."
        )
    )
    return page(
        facts,
        title="Quyết định",
        subtitle=f"Về việc {matter}" if matter != title else "",
        body=body,
        recipients=["Như Điều 3", filed(facts)],
    )


TEMPLATE = Template(DocumentType.DECISION, "decision", "Quyết định", Audience.AGENCY, build)
