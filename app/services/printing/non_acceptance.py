"""Thông báo không thụ lý, with the reason (Luật Khiếu nại Điều 11, 27)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from app.models.enums import DocumentType
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import esc
from app.services.printing.template import Audience, Template, citizen_notice, office_in_text, petition_opening


def build(facts: Facts) -> list[Flowable]:
    body: list[Flowable] = [
        *petition_opening(facts),
        layout.para(
            f"{esc(office_in_text(facts))} thông báo không thụ lý giải quyết {esc(facts.kind_label)} "
            f"vì lý do: {esc(facts.text('reason', '…'))}"
        ),
    ]
    return citizen_notice(
        facts, title="Thông báo", subtitle=f"Về việc không thụ lý giải quyết {facts.kind_label}", body=body
    )


TEMPLATE = Template(DocumentType.NON_ACCEPTANCE, "non-acceptance", "Thông báo không thụ lý", Audience.CITIZEN, build)
