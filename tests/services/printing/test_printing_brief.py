"""The morning brief (bản tin sáng) prints the follow-up board: overdue work, due dates, waiting answers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.enums import Competence, HandlingAction, MatterKind
from app.services import printing
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from tests import printing_data as data
from tests.petition_builders import HANDLER, TODAY, agency_id, classify, register


def test_brief_lists_the_board_sections_with_the_waiting_forward(session: Session) -> None:
    data.setup_office(session)
    saved = register(session, kind=MatterKind.RECOMMENDATION, summary="Kiến nghị sửa đường liên thôn")
    classify(session, saved.id, field_code="HC_KHAC", competence=Competence.OUTSIDE)
    actions.perform(
        session,
        HANDLER,
        saved.id,
        ActionInput(HandlingAction.FORWARD, on=dt.date(2026, 3, 10), agency_id=agency_id(session, "P24.SXD")),
        today=TODAY,
    )
    register(session, summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất")
    pdf = printing.render_morning_brief(session, HANDLER, dt.date(2026, 6, 1))
    text = data.pdf_text(pdf)
    for expected in [
        "BẢN TIN THEO DÕI XỬ LÝ ĐƠN",
        "Ngày 01/06/2026",
        "I. Quá hạn",
        "II. Đến hạn hôm nay (0)",
        "IV. Chờ kết quả của cơ quan được chuyển đơn (1)",
        "Kiến nghị sửa đường liên thôn",
        "Trang 1/",
    ]:
        assert expected in text, expected
    assert all(name.startswith("LiberationSerif") and emb for name, emb in data.pdf_fonts(pdf))
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "morning_brief")).one()
    assert '"as_of": "2026-06-01"' in (entry.after_json or "")
