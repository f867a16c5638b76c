"""A leader's periodic reception held online by a deputy, typed at the desk: the clerk ticks "Trực tuyến"
and "Người đứng đầu ủy quyền cấp phó tiếp", sees the warning of Luật 136/2025/QH15 under the box while
typing and on the status line after saving (the visit is stored all the same), and finds both values
again when the visit is reopened. Then the office lead disposes of filed petitions past their retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import PetitionDisposal, Visit
from app.models.enums import HandlingAction
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.page import PetitionsPage
from app.ui.petitions.retention import RetentionDialog
from app.ui.reception.dialog import VisitDialog
from tests.petition_builders import HANDLER, register
from tests.ui.jobs.helpers import CTRL, ENTER, answer_box, choose, click, reception_page, screens
from tests.ui.typing import focused, press, type_text

BAN = "Từ ngày 01/07/2026 người đứng đầu không được ủy quyền cho cấp phó tiếp công dân định kỳ"


def test_an_online_delegated_periodic_reception_is_warned_saved_and_reopened(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    page = reception_page(qtbot, desk)
    form = page.form
    assert form.in_person.isChecked() and not form.delegated.isVisible()  # regular reception: no box
    choose(form.kind, "Định kỳ")
    assert form.delegated.isVisible()
    form.leader.setFocus()
    type_text(focused(), "Trần Văn Chủ")
    click(form.online)
    click(form.delegated)
    assert form.online.isChecked() and form.delegated.isChecked()
    # A warning on the status line, always in view (not an error: the visit will be saved).
    assert page.status.text().startswith(f"⚠ {BAN}") and form.error_of("delegated") is None
    click(form.delegated)  # unticked: the warning goes away; ticked again: it is back
    assert page.status.text() == ""
    click(form.delegated)
    assert BAN in page.status.text()
    for widget, text in (
        (form.full_name, "Nguyễn Thị Thu"),
        (form.summary, "Kiến nghị sửa đường liên thôn bị sạt lở"),
    ):
        widget.setFocus()
        type_text(focused(), text)
    choose(form.matter_kind, "Kiến nghị")
    choose(form.outcome, "Tiếp nhận đơn, tài liệu")
    desk.grab().save(str(screens(tmp_path) / "visit_form_2026.png"))
    press(focused(), Qt.Key.Key_S, CTRL)

    status = page.status.text()
    assert "Đã lưu lượt tiếp số" in status and "Lưu ý:" in status and BAN in status, status
    with desk_ctx.db.session() as s:
        [visit] = s.scalars(select(Visit)).all()
        assert visit.is_online and visit.delegated and visit.leader_name == "Trần Văn Chủ"
    # The form kept the kind and the mode for the next citizen of the session; the box is cleared.
    assert form.online.isChecked() and not form.delegated.isChecked()

    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    page.board.view.setFocus()
    page.board.view.selectRow(0)
    press(page.board.view, ENTER)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), VisitDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, VisitDialog)
    reopened = dialog.form
    assert reopened.online.isChecked() and not reopened.in_person.isChecked()
    assert reopened.delegated.isChecked() and reopened.delegated.isVisible()
    assert BAN in reopened.warning_text("delegated")
    dialog.reject()


def _filed_petition(ctx: UiContext, filed_on: dt.date) -> None:
    with ctx.db.transaction() as session:
        saved = register(session, received_on=filed_on - dt.timedelta(days=2))
        action = ActionInput(HandlingAction.FILE, on=filed_on, reason="Đơn không ký tên")
        actions.perform(session, HANDLER, saved.id, action, today=filed_on)


def test_the_lead_records_the_disposal_of_filed_petitions_past_their_retention(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    _filed_petition(desk_ctx, dt.date(2025, 2, 3))
    page = desk.show_section("petitions")
    assert isinstance(page, PetitionsPage)
    dialog = page.open_retention()
    assert isinstance(dialog, RetentionDialog)
    qtbot.waitExposed(dialog)
    assert dialog.table.rowCount() == 1 and "1 năm" in dialog.rule_line.text()
    assert dialog.table.item(0, 2).text() == "03/02/2025" and dialog.table.item(0, 3).text() == "03/02/2026"

    # Nothing chosen, no minutes: both said under their fields, nothing recorded.
    click(dialog.dispose_button)
    assert "biên bản" in (dialog.fields.get("minutes_ref").error or "")  # type: ignore[union-attr]
    assert "Chọn ít nhất một đơn" in (dialog.fields.get("petitions").error or "")  # type: ignore[union-attr]

    dialog.table.selectRow(0)
    dialog.minutes.setFocus()
    type_text(dialog.minutes, "Biên bản số 03/BB-HĐ ngày 05/12/2026")
    asked = answer_box("Ghi nhận")
    click(dialog.dispose_button)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)
    assert asked and "1 đơn" in asked[0]
    assert "Đã ghi nhận tiêu hủy 1 đơn" in dialog.count_line.text()
    with desk_ctx.db.session() as s:
        [disposal] = s.scalars(select(PetitionDisposal)).all()
        assert disposal.minutes_ref == "Biên bản số 03/BB-HĐ ngày 05/12/2026"
    dialog.reject()
