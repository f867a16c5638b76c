"""Thông báo không thụ lý, with the reason (Luật Khiếu nại Điều 11, 27)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import esc
from app.services.printing.template import (
    Audience,
    Template,
    basis,
    citizen_addressee,
    citizen_recipient,
    office_in_text,
    optional,
    page,
    received_sentence,
    summary_paragraph,
)


def build(facts: Facts) -> list[Flowable]:
    body: list[Flowable] = [
        layout.para(received_sentence(facts)),
        summary_paragraph(facts),
        *([layout.para(esc(basis(facts, "")))] if facts.text("legal_basis") else []),
        layout.para(
            f"{esc(office_in_text(facts))} thông báo không thụ lý giải quyết {esc(facts.kind_label)} "
            f"vì lý do: {esc(facts.text('reason', '…'))}"
        ),
        *optional(facts, "note"),
    ]
    return page(
        facts,
        title="Thông báo",
        subtitle=f"Về việc không thụ lý giải quyết {facts.kind_label}",
        to=[citizen_addressee(facts)],
        body=body,
        recipients=citizen_recipient(facts),
    )


TEMPLATE = Template(DocumentType.NON_ACCEPTANCE, "non-acceptance", "Thông báo không thụ lý", Audience.CITIZEN, build)
