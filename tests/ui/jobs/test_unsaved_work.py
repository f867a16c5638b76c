"""Half-typed work at the desk: Ctrl+N asks before emptying it, a crash loses nothing (the draft
comes back in the next window), and the visit time follows the clock while the form waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select, text

from app.models import FormDraft
from app.services.records import drafts
from app.ui import drafts as draft_keeping
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.page import PetitionsPage, RegistrationDialog
from app.ui.reception.page import ReceptionPage
from app.ui.widgets.dates import DateTimeEdit
from tests.ui.jobs.helpers import CTRL, answer_box, on_modal, open_desk, screens
from tests.ui.typing import focused, press, type_text


@pytest.fixture(autouse=True)
def quick_drafts(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Drafts are looked at every 3 s on a real desk; a test need not wait that long."""
    monkeypatch.setattr(draft_keeping, "INTERVAL_MS", 100)
    yield


def reception(window: MainWindow) -> ReceptionPage:
    page = window.section("reception")
    assert isinstance(page, ReceptionPage)
    return page


def draft_of(ctx: UiContext, form: str) -> drafts.Draft | None:
    with ctx.db.session() as session:
        return drafts.find(session, ctx.actor, form)


def crash(window: MainWindow) -> None:
    """The program dies: the window is gone at once, no close event, no question, nothing saved."""
    shiboken6.delete(window)


def test_ctrl_n_asks_before_emptying_a_half_typed_visit(qtbot: QtBot, desk: MainWindow) -> None:
    page = reception(desk)
    page.form.full_name.setFocus()
    type_text(focused(), "Lê Thị Hoà")
    page.form.summary.setFocus()
    type_text(focused(), "Đề nghị cấp giấy chứng nhận")
    assert page.unsaved_work() == "một lượt tiếp đang nhập dở, chưa lưu"

    asked = answer_box("Tiếp tục nhập")
    press(focused(), Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == ["Lượt tiếp đang nhập chưa được lưu. Bỏ những gì đã nhập để nhập lượt mới?"]
    qtbot.waitUntil(page.form.summary.hasFocus)  # back where the clerk was typing
    assert page.form.full_name.text() == "Lê Thị Hoà"
    assert page.form.summary.toPlainText() == "Đề nghị cấp giấy chứng nhận"

    answer_box("Bỏ, nhập lượt mới")
    press(focused(), Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: page.form.full_name.text() == "")
    assert page.form.summary.toPlainText() == "" and page.unsaved_work() is None
    assert page.form.full_name.hasFocus()

    # An empty form is emptied without a question (a box left open would fail the wait below).
    seen: list[str] = []
    on_modal(QMessageBox, lambda box: (seen.append(box.text()), box.reject()), tries=10)
    press(focused(), Qt.Key.Key_N, CTRL)
    qtbot.wait(300)
    assert seen == []


def test_a_visit_typed_before_a_crash_comes_back_in_the_next_window(
    qtbot: QtBot, desk_ctx: UiContext, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, desk_ctx, closed_by_test=False)
    page = reception(desk)
    type_text(page.form.full_name, "Phùng Văn Đức")
    type_text(page.form.id_number, "024085001199")
    type_text(page.form.summary, "Khiếu nại việc cấp đổi sổ đỏ")
    page.form.matter_kind.setCurrentIndex(page.form.matter_kind.findText("Khiếu nại"))
    qtbot.waitUntil(lambda: draft_of(desk_ctx, drafts.VISIT_FORM) is not None)
    # The typed identity is personal data: stored encrypted, like the citizen's own record.
    with desk_ctx.db.session() as session:
        raw = session.execute(text("SELECT state_json FROM form_draft")).scalar_one()
    assert "Phùng" not in raw and "024085001199" not in raw

    # The program dies. The clerk starts it again.
    crash(desk)
    window = open_desk(qtbot, desk_ctx)
    again = reception(window)
    form = again.form
    assert form.full_name.text() == "Phùng Văn Đức"
    assert form.id_number.text() == "024085001199"
    assert form.summary.toPlainText() == "Khiếu nại việc cấp đổi sổ đỏ"
    assert form.matter_kind.currentText() == "Khiếu nại"
    assert again.status.text().startswith("Đã khôi phục lượt tiếp đang nhập dở (tự lưu lúc ")
    window.grab().save(str(screens(tmp_path) / "reception-draft-restored.png"))

    form.outcome.setCurrentIndex(1)
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert "Đã lưu lượt tiếp số" in again.status.text()
    assert draft_of(desk_ctx, drafts.VISIT_FORM) is None, "a saved visit leaves no draft behind"


def test_a_petition_typed_before_a_crash_is_offered_back_and_closing_it_asks(qtbot: QtBot, desk_ctx: UiContext) -> None:
    desk = open_desk(qtbot, desk_ctx, closed_by_test=False)
    petitions_page = desk.show_section("petitions")
    assert isinstance(petitions_page, PetitionsPage)
    dialog = petitions_page.register()
    qtbot.waitExposed(dialog)
    type_text(dialog.form.name, "Hoàng Thị Mơ")
    type_text(dialog.form.summary, "Tố cáo cán bộ địa chính")
    qtbot.waitUntil(lambda: draft_of(desk_ctx, drafts.PETITION_FORM) is not None)
    assert petitions_page.unsaved_work() == "một đơn đang nhập dở, chưa lưu"

    crash(desk)
    window = open_desk(qtbot, desk_ctx)
    page = window.show_section("petitions")
    assert isinstance(page, PetitionsPage)
    assert page.draft_line.isVisible() and "Có một đơn đang nhập dở chưa lưu" in page.draft_line.text()
    page.draft_line.linkActivated.emit("draft")
    restored = [d for d in page.findChildren(RegistrationDialog) if d.isVisible()]
    assert len(restored) == 1
    form = restored[0].form
    assert form.name.text() == "Hoàng Thị Mơ" and form.summary.toPlainText() == "Tố cáo cán bộ địa chính"
    assert "Đã khôi phục đơn đang nhập dở" in form.message.text()

    asked = answer_box("Tiếp tục nhập")
    press(form.summary, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(asked))
    assert asked == ["Đơn đang nhập chưa được lưu. Đóng và bỏ những gì đã nhập?"]
    assert restored[0].isVisible() and form.name.text() == "Hoàng Thị Mơ"

    answer_box("Bỏ đơn đang nhập")
    press(form.summary, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not restored[0].isVisible())
    qtbot.wait(300)  # a few looks of the draft keeper: nothing comes back
    assert draft_of(desk_ctx, drafts.PETITION_FORM) is None


def test_one_clerks_draft_is_not_another_clerks(desk_ctx: UiContext) -> None:
    other = desk_ctx.actor.__class__(user_id=None, username="khach", full_name="Khách", role=desk_ctx.actor.role)
    with desk_ctx.db.transaction() as session:
        drafts.keep(session, desk_ctx.actor, drafts.VISIT_FORM, {"inputs": {"full_name": "Ngô Bảo Châu"}})
        drafts.keep(session, other, drafts.VISIT_FORM, {"inputs": {"full_name": "không lưu"}})
    with desk_ctx.db.session() as session:
        assert session.scalars(select(FormDraft)).one().user_id == desk_ctx.actor.user_id
        found = drafts.find(session, desk_ctx.actor, drafts.VISIT_FORM)
        assert found is not None and found.state == {"inputs": {"full_name": "Ngô Bảo Châu"}}
        assert drafts.find(session, other, drafts.VISIT_FORM) is None


def test_the_visit_time_follows_the_clock_until_the_clerk_sets_it(
    qtbot: QtBot, desk_ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(DateTimeEdit, "FOLLOW_MS", 50)
    page = reception(open_desk(qtbot, desk_ctx))
    when = page.form.received_at
    assert when.following_clock()
    when.setFocus()
    press(when, Qt.Key.Key_Down)  # the clerk corrects the time: from now on it is theirs
    typed = when.dateTime()
    assert not when.following_clock()
    qtbot.wait(200)  # the clock would have moved it back four times
    assert when.dateTime() == typed
    page.form.reset(keep=True)  # the next citizen: the clock again
    assert when.following_clock() and when.dateTime() != typed


def test_a_section_left_half_typed_keeps_a_mark_on_the_rail(qtbot: QtBot, desk: MainWindow) -> None:
    page = reception(desk)
    type_text(page.form.full_name, "Trịnh Văn Sơn")
    desk.show_section("petitions")  # nothing is lost by switching: no question, a mark instead
    item = desk.rail.item(desk.keys.index("reception"))
    assert item.text() == "Tiếp công dân  ●"
    assert item.toolTip() == "Tiếp công dân: còn một lượt tiếp đang nhập dở, chưa lưu"
    desk.show_section("reception")
    assert item.text() == "Tiếp công dân" and page.form.full_name.text() == "Trịnh Văn Sơn"


def test_closing_the_window_over_a_half_typed_visit_asks_and_leaving_drops_the_draft(
    qtbot: QtBot, desk_ctx: UiContext
) -> None:
    window = open_desk(qtbot, desk_ctx, closed_by_test=False)
    page = reception(window)
    type_text(page.form.full_name, "Kiều Thị Nga")
    qtbot.waitUntil(lambda: draft_of(desk_ctx, drafts.VISIT_FORM) is not None)

    asked = answer_box("Quay lại")
    window.close()
    qtbot.waitUntil(lambda: bool(asked))
    assert asked[0].startswith("Còn việc chưa lưu:\n• một lượt tiếp đang nhập dở, chưa lưu")
    assert window.isVisible() and draft_of(desk_ctx, drafts.VISIT_FORM) is not None

    answer_box("Bỏ và thoát")
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert draft_of(desk_ctx, drafts.VISIT_FORM) is None, "what the clerk chose to drop is not offered back"
    window.deleteLater()
