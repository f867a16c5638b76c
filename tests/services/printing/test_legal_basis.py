"""Every printed document cites the law of its petition's kind, and no other kind's law."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import Competence, DocumentType, HandlingAction, MatterKind
from app.services import printing
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from app.services.common.actor import SYSTEM
from app.services.printing import legal_basis
from tests import printing_data as data
from tests.petition_builders import HANDLER, TODAY, agency_id, classify, register

# What a reader recognises as each kind's law, and what must never appear on another kind's paper.
OWN_LAW = {
    MatterKind.COMPLAINT: ["Luật Khiếu nại năm 2011"],
    MatterKind.DENUNCIATION: ["Luật Tố cáo năm 2018"],
    MatterKind.RECOMMENDATION: ["Luật Tiếp công dân năm 2013"],
    MatterKind.REFLECTION: ["Luật Tiếp công dân năm 2013"],
    MatterKind.MIXED: ["Luật Khiếu nại năm 2011", "Luật Tố cáo năm 2018", "Luật Tiếp công dân năm 2013"],
}
COMPLAINT_LAW = ["Luật Khiếu nại", "124/2020/NĐ-CP"]
DENUNCIATION_LAW = ["Luật Tố cáo", "31/2019/NĐ-CP"]
FOREIGN_LAW = {
    MatterKind.COMPLAINT: DENUNCIATION_LAW,
    MatterKind.DENUNCIATION: COMPLAINT_LAW,
    MatterKind.RECOMMENDATION: COMPLAINT_LAW + DENUNCIATION_LAW,
    MatterKind.REFLECTION: COMPLAINT_LAW + DENUNCIATION_LAW,
    MatterKind.MIXED: [],
}
ISSUED = dt.date(2026, 11, 24)


@pytest.fixture
def office(session: Session) -> Session:
    data.setup_office(session)
    return session


@pytest.mark.parametrize("kind", list(MatterKind), ids=lambda k: k.value)
@pytest.mark.parametrize("doc_type", list(printing.TEMPLATES), ids=lambda t: t.value)
def test_each_document_cites_the_law_of_the_petitions_kind(
    office: Session, doc_type: DocumentType, kind: MatterKind
) -> None:
    petition = data.add_petition(office, kind=kind)
    ref = data.issue(office, petition, doc_type, ISSUED)
    text = data.pdf_text(printing.render_document(office, SYSTEM, ref.id))

    lines = legal_basis.sentences(doc_type, kind, ISSUED, str(data.CONTENT.get(doc_type, {}).get("action", "")))
    assert lines and all(line.startswith("Căn cứ ") and line.endswith(";") for line in lines)
    for line in lines:
        assert line in text, line
    for law in OWN_LAW[kind]:
        assert f"Căn cứ {law}" in text or f"{law}, được sửa đổi" in text, law
    for law in FOREIGN_LAW[kind]:
        assert law not in text, law


def test_forwarding_slip_cites_article_24_only_for_a_denunciation(office: Session) -> None:
    complaint = data.add_petition(office, kind=MatterKind.COMPLAINT)
    denunciation = data.add_petition(office, name="Hoàng Văn Tố", kind=MatterKind.DENUNCIATION)
    slips = {
        p.kind: data.pdf_text(
            printing.render_document(office, SYSTEM, data.issue(office, p, DocumentType.FORWARDING, ISSUED).id)
        )
        for p in (complaint, denunciation)
    }
    assert "Căn cứ Luật Khiếu nại năm 2011, được sửa đổi, bổ sung năm 2025;" in slips[MatterKind.COMPLAINT]
    assert "Điều 24" not in slips[MatterKind.COMPLAINT]
    assert "Căn cứ Điều 24 Luật Tố cáo năm 2018, được sửa đổi, bổ sung năm 2025;" in slips[MatterKind.DENUNCIATION]
    assert "Căn cứ Nghị định số 31/2019/NĐ-CP ngày 10/4/2019 của Chính phủ;" in slips[MatterKind.DENUNCIATION]


def test_the_2025_amendment_is_cited_only_from_its_effective_date(office: Session) -> None:
    petition = data.add_petition(office, kind=MatterKind.RECOMMENDATION)
    before = data.issue(office, petition, DocumentType.RECEIPT, dt.date(2026, 6, 30))
    after = data.issue(office, petition, DocumentType.RECEIPT, dt.date(2026, 7, 1))
    old = data.pdf_text(printing.render_document(office, SYSTEM, before.id))
    new = data.pdf_text(printing.render_document(office, SYSTEM, after.id))
    assert "Căn cứ Điều 28 Luật Tiếp công dân năm 2013;" in old and "sửa đổi, bổ sung năm 2025" not in old
    assert "Căn cứ Điều 28 Luật Tiếp công dân năm 2013, được sửa đổi, bổ sung năm 2025;" in new
    assert "Căn cứ Thông tư số 04/2021/TT-TTCP ngày 01/10/2021 của Thanh tra Chính phủ;" in new


def test_a_decision_cites_the_article_of_its_action(office: Session) -> None:
    petition = data.add_petition(office, name="Hoàng Văn Tố", kind=MatterKind.DENUNCIATION)
    cited = {
        action: data.pdf_text(
            printing.render_document(
                office,
                SYSTEM,
                data.documents.issue_document(
                    office,
                    SYSTEM,
                    DocumentType.DECISION,
                    petition_id=petition.id,
                    content={"title": "Quyết định", "action": action.value},
                    issued_on=dt.date(2026, 3, 2),
                ).id,
            )
        )
        for action in (HandlingAction.SUSPEND, HandlingAction.EXTEND, HandlingAction.DECIDE)
    }
    assert "Căn cứ Điều 34 Luật Tố cáo năm 2018;" in cited[HandlingAction.SUSPEND]
    assert "Căn cứ Điều 30 Luật Tố cáo năm 2018;" in cited[HandlingAction.EXTEND]
    assert "Căn cứ Điều 35 Luật Tố cáo năm 2018;" in cited[HandlingAction.DECIDE]


def test_a_mixed_petition_merges_the_articles_of_one_law() -> None:
    lines = legal_basis.sentences(DocumentType.RECEIPT, MatterKind.MIXED, dt.date(2026, 1, 5))
    assert lines[0] == "Căn cứ Điều 26, Điều 27 và Điều 28 Luật Tiếp công dân năm 2013;"
    assert len(lines) == len(set(lines))


def test_a_complaint_forwarded_by_the_real_action_does_not_cite_the_denunciation_law(session: Session) -> None:
    """The action records every law it may rest on; the slip prints only the complaint's."""
    data.setup_office(session)
    saved = register(session, kind=MatterKind.COMPLAINT)
    classify(session, saved.id, competence=Competence.OUTSIDE)
    forward = ActionInput(HandlingAction.FORWARD, on=dt.date(2026, 3, 10), agency_id=agency_id(session, "P24.SXD"))
    actions.perform(session, HANDLER, saved.id, forward, today=TODAY)
    slip = printing.latest_document(session, DocumentType.FORWARDING, petition_id=saved.id)
    text = data.pdf_text(printing.render_document(session, SYSTEM, slip))
    assert "PHIẾU CHUYỂN ĐƠN" in text and "Căn cứ Luật Khiếu nại năm 2011;" in text
    assert "Luật Tố cáo" not in text and "Điều 24" not in text
