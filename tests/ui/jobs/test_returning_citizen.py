"""A citizen comes back: the clerk types part of the name without tones, recognises her in the
returning-citizen panel by the last digits of her CCCD and phone, takes her record with the keyboard,
and the new visit is filed under the same person (no second record); her list shows both visits."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import Citizen, Visit
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from tests.ui.jobs.helpers import (
    CTRL,
    ENTER,
    choose,
    click,
    reception_page,
    screens,
    shown_rows,
    type_visit,
)
from tests.ui.typing import focused, press, type_text

NAME = "Nguyễn Thị Hồng Nhung"
CCCD = "024185001234"
PHONE = "0912345678"
NAMESAKE = "Nguyễn Thị Hồng Vân"


def _first_visits(page: ReceptionPage) -> None:
    """Last month's visitors, typed at the desk (the phone first: type_visit does not type one)."""
    page.form.phone.setFocus()
    type_text(focused(), PHONE)
    type_visit(page, NAME, CCCD, "Khiếu nại quyết định thu hồi đất của UBND xã Yên Phong", "Khiếu", "Hướng")
    type_visit(page, NAMESAKE, "024190005678", "Phản ánh đường liên thôn xuống cấp", "Phản", "Giải")


def test_a_returning_citizen_is_found_by_a_toneless_name_and_her_new_visit_joins_her_record(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    page = reception_page(qtbot, desk)
    _first_visits(page)
    with desk_ctx.db.session() as session:
        [her_id] = session.scalars(select(Citizen.id).where(Citizen.name_folded.like("%nhung"))).all()

    form, panel = page.form, page.returning
    form.full_name.setFocus()
    type_text(focused(), "nguyen thi hong")
    qtbot.waitUntil(lambda: panel.list.count() == 2)
    assert panel.status.text().startswith("2 công dân khớp với “nguyen thi hong”")
    [row] = [r for r in range(panel.list.count()) if panel.text_of(r).startswith(NAME)]
    shown = panel.text_of(row)
    # Enough to say "that is me", not the whole number of everyone named alike.
    assert "••••••••1234" in shown and "•••••••678" in shown, shown
    assert CCCD not in shown and PHONE not in shown
    desk.grab().save(str(screens(tmp_path) / "returning_citizen.png"))
    assert "sinh 1985" in shown and "Đã đến 1 lượt" in shown and "Khiếu nại quyết định thu hồi đất" in shown

    press(focused(), Qt.Key.Key_F3)
    assert panel.list.hasFocus() and panel.list.currentRow() == 0
    for _ in range(row):
        press(panel.list, Qt.Key.Key_Down)
    press(panel.list, ENTER)

    assert form.full_name.text() == NAME and form.id_number.text() == CCCD and form.phone.text() == PHONE
    assert form.birth_year.text() == "1985" and form.gender.currentText() == "Nữ"
    assert form.citizen_note.isVisible() and "hồ sơ công dân đã có" in form.citizen_note.text()
    # Straight to what is still to be said, not nine Enters through her known details.
    assert form.summary.hasFocus()
    type_text(focused(), "Hỏi kết quả giải quyết đơn khiếu nại đã nộp")
    choose(form.matter_kind, "Khiếu nại")
    choose(form.outcome, "Giải thích, trả lời trực tiếp")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()

    with desk_ctx.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Citizen)) == 2
        assert session.scalar(select(func.count()).where(Visit.citizen_id == her_id)) == 2

    # Her history in the list of all visits, searched as the clerk would.
    tab_bar = page.tabs.tabBar()
    click(tab_bar, tab_bar.tabRect(1).center())
    assert page.tabs.currentWidget() is page.list
    page.list.text.setFocus()
    type_text(focused(), "hong nhung")
    model = page.list.model
    qtbot.waitUntil(lambda: len(shown_rows(model)) == 2 and all(r["Công dân"] == NAME for r in shown_rows(model)))
    assert [r["Tóm tắt nội dung"] for r in shown_rows(model)] == [
        "Hỏi kết quả giải quyết đơn khiếu nại đã nộp",
        "Khiếu nại quyết định thu hồi đất của UBND xã Yên Phong",
    ]
    assert {r["CCCD/CMND"] for r in shown_rows(model)} == {CCCD}
