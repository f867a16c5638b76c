"""A walk-in gives a CCCD already recorded for someone of another name. The desk asks whether they are
the same person, with the real question box answered by clicking its buttons:
- "no": nothing is saved, everything typed stays, the message sits beside the CCCD; the clerk fixes the
  number and saves; the earlier citizen is untouched;
- "yes": the earlier record takes the new details, with an audit line before/after, and the earlier
  visit still shows the name it recorded."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import AuditEntry, Citizen, Visit
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from tests.ui.jobs import helpers
from tests.ui.jobs.helpers import (
    CTRL,
    answer_box,
    reception_page,
    shown_rows,
    type_visit,
)
from tests.ui.typing import focused, press, type_text

EARLIER = "Trần Văn Bình"
WALK_IN = "Lê Văn Cường"
CCCD = "024085004321"
WALK_IN_SUMMARY = "Đề nghị cấp lại giấy chứng nhận quyền sử dụng đất bị mất"


def _desk_with_earlier_visit(qtbot: QtBot, desk: MainWindow) -> ReceptionPage:
    page = reception_page(qtbot, desk)
    type_visit(page, EARLIER, CCCD, "Phản ánh đường liên thôn xuống cấp", "Phản", "Giải")
    return page


def _type_walk_in_and_save(page: ReceptionPage, answer: str) -> list[str]:
    form = page.form
    for widget, text in ((form.full_name, WALK_IN), (form.id_number, CCCD), (form.summary, WALK_IN_SUMMARY)):
        widget.setFocus()
        type_text(focused(), text)
    helpers.choose(form.matter_kind, "Kiến nghị")
    helpers.choose(form.outcome, "Hướng dẫn gửi cơ quan có thẩm quyền")
    asked = answer_box(answer)
    press(focused(), Qt.Key.Key_S, CTRL)
    assert asked, "the desk asked nothing"
    assert f"Số CCCD này đã ghi cho công dân “{EARLIER}”, sinh năm 1985." in asked[0]
    assert f"“{WALK_IN}” và “{EARLIER}” có phải cùng một người không?" in asked[0]
    return asked


def _names_shown(qtbot: QtBot, page: ReceptionPage, count: int) -> list[str]:
    model = page.board.model
    qtbot.waitUntil(lambda: model.rowCount() == count)
    return [r["Công dân"] for r in reversed(shown_rows(model))]  # oldest first


def test_another_person_keeps_the_typing_and_the_earlier_citizen_untouched(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    page = _desk_with_earlier_visit(qtbot, desk)
    _type_walk_in_and_save(page, "Không phải, sửa số CCCD")

    form = page.form
    assert "Đã lưu" not in page.status.text()
    assert f"đã ghi cho công dân “{EARLIER}”" in (form.error_of("citizen.id_number") or "")
    assert form.full_name.text() == WALK_IN and form.summary.toPlainText() == WALK_IN_SUMMARY
    assert form.matter_kind.currentText() == "Kiến nghị" and form.id_number.text() == CCCD
    with desk_ctx.db.session() as session:
        assert [c.full_name for c in session.scalars(select(Citizen))] == [EARLIER]
        assert len(session.scalars(select(Visit)).all()) == 1
        assert not session.scalars(select(AuditEntry).where(AuditEntry.entity == "citizen")).all()

    # The focus is on the number, selected: the clerk types the right one over it and saves.
    assert form.id_number.hasFocus() and form.id_number.selectedText() == CCCD
    type_text(focused(), "024085004322")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    assert _names_shown(qtbot, page, 2) == [EARLIER, WALK_IN]
    with desk_ctx.db.session() as session:
        assert sorted(c.full_name for c in session.scalars(select(Citizen))) == sorted([EARLIER, WALK_IN])
        earlier = session.scalars(select(Citizen).where(Citizen.name_folded == "tran van binh")).one()
        assert earlier.id_number == CCCD


def test_the_same_person_updates_the_record_with_an_audit_line_and_the_earlier_visit_keeps_its_name(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    page = _desk_with_earlier_visit(qtbot, desk)
    with desk_ctx.db.session() as session:
        [citizen_id] = session.scalars(select(Citizen.id)).all()
    _type_walk_in_and_save(page, "Cùng một người")

    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    # What the earlier visit recorded stays as it was on the day.
    assert _names_shown(qtbot, page, 2) == [EARLIER, WALK_IN]
    with desk_ctx.db.session() as session:
        [citizen] = session.scalars(select(Citizen)).all()
        assert (citizen.id, citizen.full_name) == (citizen_id, WALK_IN)
        assert {v.citizen_id for v in session.scalars(select(Visit))} == {citizen_id}
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "citizen", AuditEntry.action == "update")
        ).all()
        assert entry.username == "quantri" and entry.entity_id == str(citizen_id)
        assert json.loads(entry.before_json or "{}")["full_name"] == EARLIER
        assert json.loads(entry.after_json or "{}")["full_name"] == WALK_IN
        assert CCCD not in (entry.before_json or "") + (entry.after_json or "")  # never a CCCD on the trail
