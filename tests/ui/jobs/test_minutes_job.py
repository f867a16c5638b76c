"""After the chairman's periodic reception, the clerk writes the leader's conclusions for the citizen:
the visit is typed at the desk with the leader, then "Kết luận tiếp công dân…" takes the conclusions,
the body given the task (from the directory) and the date it reports by; the notice is numbered and
printed, and the date waits on the follow-up board — overdue once passed, gone when the body reports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import ReceptionConclusion
from app.models.enums import DeadlineStatus, HandlingAction
from app.services.casework import actions, petitions
from app.services.casework.actions import ActionInput
from app.services.common.clock import local_today
from app.ui.context import UiContext
from app.ui.followup.board import FollowupPage
from app.ui.main_window import MainWindow
from app.ui.petitions.detail import PetitionDetailWidget
from app.ui.print_preview import PrintPreviewDialog
from app.ui.reception.minutes_dialog import MinutesDialog
from tests import printing_data as data
from tests.petition_builders import HANDLER, TODAY, classify, register
from tests.ui.jobs.helpers import (
    ENTER,
    choose,
    click,
    on_modal,
    reception_page,
    save_to,
    screens,
    type_visit,
)
from tests.ui.typing import focused, press, type_text

__all__ = ["save_to"]

A = HandlingAction

LEADER = "Nguyễn Văn Quang"
CITIZEN = "Đinh Văn Bằng"
BODY = "Sở Xây dựng tỉnh Bắc Ninh"
CONCLUSION = "Giao Sở Xây dựng kiểm tra hồ sơ cấp giấy chứng nhận của hộ ông Đinh Văn Bằng"


def test_the_leaders_conclusions_are_printed_and_followed_until_the_body_reports(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, save_to: list[str], tmp_path: Path
) -> None:
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
    page = reception_page(qtbot, desk)
    form = page.form
    choose(form.kind, "Định kỳ")
    form.leader.setFocus()
    type_text(focused(), LEADER)
    type_visit(
        page,
        CITIZEN,
        "024085007777",
        "Đề nghị giải quyết dứt điểm việc cấp giấy chứng nhận quyền sử dụng đất",
        "Kiến",
        "Giải",
    )
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    page.board.view.selectRow(0)
    assert page.minutes_button.isEnabled()

    due = local_today() + dt.timedelta(days=3)
    seen: dict[str, Any] = {}

    def write(dialog: MinutesDialog) -> None:
        try:
            fill(dialog)
        except BaseException as exc:  # a failed check must not leave the modal dialog open
            seen["failed"] = exc
            dialog.reject()

    def fill(dialog: MinutesDialog) -> None:
        seen["header"] = dialog.header.text()
        assert dialog.document.currentText() == "Thông báo kết luận tiếp công dân"
        dialog.leader_title.insert("Chủ tịch UBND tỉnh")
        dialog.conclusions.setFocus()
        dialog.conclusions.insertPlainText(CONCLUSION)
        # Nothing chosen yet for the body: the dialog says what to fix, nothing typed is lost.
        click(dialog.save_button)
        seen["error"] = dialog.fields.get("assigned_agency_id").error  # type: ignore[union-attr]
        assert dialog.isVisible() and dialog.conclusions.toPlainText() == CONCLUSION
        line = dialog.agency.lineEdit()
        assert line is not None
        line.setFocus()
        type_text(line, "so xay dung")
        press(line, ENTER)
        seen["body"] = dialog.agency.currentText()
        dialog.due_on.setDate(QDate(due.year, due.month, due.day))
        dialog.grab().save(str(screens(tmp_path) / "minutes_dialog.png"))
        click(dialog.save_button)

    def in_preview(dialog: PrintPreviewDialog) -> None:
        seen["title"] = dialog.windowTitle()
        qtbot.wait(200)
        click(dialog.save_button)
        click(dialog.close_button)

    on_modal(MinutesDialog, write)
    on_modal(PrintPreviewDialog, in_preview, tries=1500)
    click(page.minutes_button)
    qtbot.waitUntil(lambda: "title" in seen or "failed" in seen, timeout=15_000)
    if "failed" in seen:
        raise seen["failed"]

    assert CITIZEN in seen["header"] and LEADER in seen["header"] and "Định kỳ" in seen["header"]
    assert seen["error"] == "Chọn cơ quan, đơn vị được giao thực hiện kết luận (trong danh bạ)."
    assert seen["body"] == BODY
    assert seen["title"].startswith("Xem trước khi in — Thông báo kết luận tiếp công dân số 01/TB-")
    [name] = save_to
    assert name.startswith("thong-bao-ket-luan-01-TB-")
    text = data.pdf_text((tmp_path / name).read_bytes())
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "THÔNG BÁO",
        "Kết luận của người chủ trì tiếp công dân",
        f"{LEADER}, Chủ tịch UBND tỉnh",
        CITIZEN,
        CONCLUSION,
        f"Giao {BODY}",
        f"trước ngày {due:%d/%m/%Y}",
    ):
        assert expected in text, expected

    # The follow-up board: due in three days, then overdue the day after the date.
    rail = desk.rail
    [item] = rail.findItems("Theo dõi", Qt.MatchFlag.MatchExactly)
    click(rail.viewport(), rail.visualItemRect(item).center())
    board = desk.section("followup")
    assert isinstance(board, FollowupPage)
    board.refresh()
    [row] = [r for r in board.soon.rows() if r[3].startswith("Báo cáo kết quả thực hiện kết luận")]
    day = local_today()
    assert row[:4] == [
        f"Lượt tiếp {day:%d/%m/%Y}",
        CITIZEN,
        f"Kết luận: {CONCLUSION}",
        f"Báo cáo kết quả thực hiện kết luận tiếp công dân ({LEADER})",
    ]
    assert row[4] == f"{due:%d/%m/%Y}" and row[5] == "Còn 3 ngày"

    board.set_as_of(due + dt.timedelta(days=1))
    [late] = [r for r in board.overdue.rows() if r[0] == f"Lượt tiếp {day:%d/%m/%Y}"]
    assert late[5] == "Trễ 1 ngày"
    board.tabs.setCurrentWidget(board.overdue)
    head = board.overdue.model_.item(0, 0)
    index = head.child(0, 0).index()
    board.overdue.setCurrentIndex(index)
    assert board.report_button.isEnabled() and CITIZEN in board.detail.toPlainText()
    desk.grab().save(str(screens(tmp_path) / "followup_conclusion.png"))

    def report(dialog: QInputDialog) -> None:
        dialog.setTextValue("Sở đã kiểm tra, cấp giấy chứng nhận")
        dialog.accept()

    on_modal(QInputDialog, report)
    click(board.report_button)
    qtbot.waitUntil(lambda: not board.overdue.rows(), timeout=5000)
    with desk_ctx.db.session() as session:
        saved = session.scalars(select(ReceptionConclusion)).one()
    assert saved.status == DeadlineStatus.MET and saved.closed_on == local_today()
    assert saved.report_note == "Sở đã kiểm tra, cấp giấy chứng nhận"


def test_the_handler_records_a_dialogue_from_the_action_panel(qtbot: QtBot, desk_ctx: UiContext) -> None:
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
        saved = register(session, name="Hoàng Thị Đào")
        classify(session, saved.id)
        actions.perform(session, HANDLER, saved.id, ActionInput(A.ACCEPT, on=dt.date(2026, 3, 4)), today=TODAY)
    widget = PetitionDetailWidget(desk_ctx, saved.id)
    qtbot.addWidget(widget)
    panel = widget.action_panel
    assert not widget.minutes_button.isVisibleTo(widget)  # by post: no visit, no reception minutes
    panel.action.set_value(A.HOLD_DIALOGUE)
    assert panel._rows["participants"].isVisibleTo(panel) and not panel._rows["agency_id"].isVisibleTo(panel)
    panel.run()
    assert panel.fields.get("place").error == "Nhập địa điểm đối thoại."  # type: ignore[union-attr]
    panel.place.setText("Phòng họp số 2")
    panel.participants.setText("Bà Hoàng Thị Đào; Ông Trần Văn Xử")
    panel.content.setText("Đề nghị xem lại đơn giá bồi thường")
    panel.results.setText("Thống nhất đo đạc lại thửa đất")
    panel.run()
    assert "Đã cấp số: Biên bản đối thoại số 01/BB-BTCD" in panel.message.text(), panel.message.text()
    with desk_ctx.db.session() as session:
        detail = petitions.detail(session, HANDLER, saved.id)
    assert detail.events[-1].action == A.HOLD_DIALOGUE
