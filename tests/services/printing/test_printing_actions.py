"""Documents issued by the real handling actions print, numbered, in the bundled font, denouncer withheld."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.models.enums import Competence, DocumentType, HandlingAction, MatterKind
from app.services import printing
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from app.services.printing.facts import MASK_NOTE
from tests import printing_data as data
from tests.petition_builders import HANDLER, LEAD, TODAY, agency_id, classify, register


def act(session: Session, petition_id: int, action: HandlingAction, **kw: object) -> actions.ActionOutcome:
    return actions.perform(
        session,
        HANDLER,
        petition_id,
        ActionInput(action, on=dt.date(2026, 3, 10), **kw),
        today=TODAY,  # type: ignore[arg-type]
    )


def test_accepting_a_complaint_prints_the_proposal_and_the_notice(session: Session) -> None:
    data.setup_office(session)
    saved = register(session)
    classify(session, saved.id)
    outcome = act(session, saved.id, HandlingAction.ACCEPT)
    for ref in outcome.documents:
        pdf = printing.render_document(session, HANDLER, ref.id)
        text = data.pdf_text(pdf)
        assert f"Số: {ref.symbol}" in text and "Nguyễn Văn Dũng" in text
        assert all(name.startswith("LiberationSerif") and emb for name, emb in data.pdf_fonts(pdf))
    notice = data.pdf_text(printing.render_document(session, HANDLER, outcome.documents[-1].id))
    assert "thụ lý giải quyết khiếu nại kể từ ngày 10/03/2026" in notice


def test_forwarding_a_denunciation_prints_a_slip_without_the_denouncer(session: Session) -> None:
    data.setup_office(session)
    saved = register(
        session,
        kind=MatterKind.DENUNCIATION,
        summary="Tố cáo chủ tịch xã nhận tiền cấp đất",
        name="Hoàng Văn Tố",
        id_number="024085009999",
    )
    classify(session, saved.id, field_code="TN", competence=Competence.OUTSIDE)
    outcome = act(session, saved.id, HandlingAction.FORWARD, agency_id=agency_id(session, "P24.TT"))
    (slip,) = [d for d in outcome.documents if d.doc_type == DocumentType.FORWARDING]
    for actor in (HANDLER, LEAD):  # even a reader who may see the denouncer prints the slip without them
        text = data.pdf_text(printing.render_document(session, actor, slip.id))
        assert "Hoàng Văn Tố" not in text and "024085009999" not in text
        assert MASK_NOTE in text and "Tố cáo chủ tịch xã nhận tiền cấp đất" in text
        assert "PHIẾU CHUYỂN ĐƠN" in text and f"Số: {slip.symbol}" in text
