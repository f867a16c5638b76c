"""The follow-up screen (Theo dõi) shows what is overdue, grouped, with the arithmetic of the due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.models.enums import HandlingAction
from app.services.common.clock import local_today
from app.services.deadlines import clocks, engine
from app.ui.context import UiContext
from app.ui.followup.board import FollowupPage
from app.ui.main_window import MainWindow
from app.ui.sections import followup as section
from tests.deadline_builders import add_event, add_officer, add_petition

TODAY = local_today()


@pytest.fixture
def seeded(ctx: UiContext) -> dict[str, str]:
    with ctx.db.transaction() as session:
        officer = add_officer(session, "Lê Văn Hùng")
        late = add_petition(
            session, officer_id=officer.id, summary="Khiếu nại bồi thường khi thu hồi đất", received_on=TODAY
        )
        clocks.start_clock(session, late.id, "xu_ly_don", TODAY - dt.timedelta(days=40))
        decided = add_petition(session, summary="Khiếu nại quyết định xử phạt", received_on=TODAY)
        add_event(session, decided, HandlingAction.DECIDE, TODAY - dt.timedelta(days=3))
        return {"late": f"{late.reg_seq}/{late.reg_year}", "decided": f"{decided.reg_seq}/{decided.reg_year}"}


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext, seeded: dict[str, str]) -> FollowupPage:
    widget = section.create(ctx)
    assert isinstance(widget, FollowupPage)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_follow_up_screen_shows_an_overdue_item(page: FollowupPage, seeded: dict[str, str]) -> None:
    assert page.tabs.tabText(0) == "Quá hạn (1)"
    assert page.overdue.group_titles() == ["Lê Văn Hùng — 1 việc"]
    (row,) = page.overdue.rows()
    assert row[:4] == [
        seeded["late"],
        "Trần Thị Lan",
        "Khiếu nại bồi thường khi thu hồi đất",
        "Xử lý đơn (phân loại, đề xuất hướng xử lý)",
    ]
    assert row[5].startswith("Trễ ") and row[5].endswith(" ngày")
    assert "1 việc quá hạn" in page.summary.text()


def test_selecting_an_item_shows_how_its_due_date_was_counted(page: FollowupPage) -> None:
    head = page.overdue.model_.index(0, 0)
    page.overdue.setCurrentIndex(page.overdue.model_.index(0, 0, head))
    text = page.detail.toPlainText()
    assert "Cách tính thời hạn" in text and "10 ngày làm việc" in text and "Điều 147" in text


def test_as_of_date_and_grouping_change_the_lists(page: FollowupPage, seeded: dict[str, str]) -> None:
    page.set_as_of(TODAY - dt.timedelta(days=60))
    assert page.tabs.tabText(0) == "Quá hạn (0)"
    page.set_as_of(TODAY)
    page.grouping.setCurrentIndex(1)  # per competent body
    assert page.overdue.group_titles() == ["Chưa xác định cơ quan — 1 việc"]
    assert page.tabs.tabText(4) == "Quyết định chờ thi hành (1)"
    assert page.enforcement.rows()[0][0] == seeded["decided"]
    assert page.enforcement.rows()[0][5].startswith("Ban hành ngày ")


def test_main_window_shows_the_overdue_count(qtbot: QtBot, ctx: UiContext, seeded: dict[str, str]) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    section.install_overdue_indicator(window, ctx)
    assert window.overdue_label.text() == "Quá hạn: 1 việc"


def test_screenshot_of_the_board(page: FollowupPage, tmp_path: Path) -> None:
    shot = tmp_path / "theo-doi.png"
    assert page.grab().save(str(shot))
    assert shot.stat().st_size > 0


def test_calendar_dialog_adds_a_day_off_and_open_deadlines_move(qtbot: QtBot, ctx: UiContext) -> None:
    from PySide6.QtCore import QDate

    from app.models.enums import CalendarDayKind
    from app.ui.followup.calendar_dialog import CalendarDialog

    with ctx.db.transaction() as session:
        petition = add_petition(session)
        clocks.start_clock(session, petition.id, "xu_ly_don", dt.date(2026, 3, 2))
        petition_id = petition.id
    dialog = CalendarDialog(None, ctx, 2026)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 15
    assert dialog.table.item(1, 3).text() == "Giao thừa Tết Nguyên Đán"
    dialog.day.setDate(QDate(2026, 3, 10))
    dialog.kind.set_value(CalendarDayKind.DAY_OFF)
    dialog.name.setText("Nghỉ bầu cử")
    dialog.decision.setText("Quyết định 12/QĐ-UBND")
    dialog.save()
    assert dialog.message.text() == "Đã ghi ngày 10/03/2026. 1 thời hạn đang chạy đã được tính lại hạn."
    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "10/03/2026")
    assert [dialog.table.item(row, c).text() for c in range(6)] == [
        "10/03/2026",
        "Thứ Ba",
        "Nghỉ bù, hoán đổi",
        "Nghỉ bầu cử",
        "Cơ quan nhập",
        "Quyết định 12/QĐ-UBND",
    ]
    with ctx.db.session() as session:
        assert clocks.clock_rows(session, petition_id)[0].due_on == dt.date(2026, 3, 17)


def test_rules_dialog_lists_every_rule_and_saves_a_correction(qtbot: QtBot, ctx: UiContext) -> None:
    from PySide6.QtWidgets import QSpinBox

    from app.ui.followup.rules_dialog import RulesDialog

    dialog = RulesDialog(None, ctx)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(engine.load_rules())
    row = next(i for i, r in enumerate(dialog.rules) if r.code == "tra_loi_kien_nghi")
    assert dialog.table.item(row, 1).text().startswith("Luật Tiếp công dân 2013 / quy chế của cơ quan: áp dụng")
    dated = next(i for i, r in enumerate(dialog.rules) if r.code == "xu_ly_don")
    assert dialog.table.item(dated, 1).text() == "Thông tư 05/2021/TT-TTCP: áp dụng từ 16/11/2021"
    assert "chưa được xác nhận" in dialog.table.item(row, 8).text()
    length = dialog.table.cellWidget(row, 2)
    assert isinstance(length, QSpinBox) and length.value() == 15
    length.setValue(20)
    dialog.save()
    assert dialog.message.text().startswith("Đã lưu 1 quy tắc.")
    with ctx.db.session() as session:
        assert clocks.rule(session, "tra_loi_kien_nghi").length == 20
    assert dialog.table.item(row, 8).text().startswith("Cơ quan đã điều chỉnh.")


def test_morning_brief_button_is_there_when_the_printing_service_renders_it(page: FollowupPage) -> None:
    from app.ui.followup.board import morning_brief_renderer

    if morning_brief_renderer() is None:
        assert page.brief_button is None
    else:
        assert page.brief_button is not None and page.brief_button.text() == "&In bản tin sáng"


def test_double_click_opens_the_petition(qtbot: QtBot, page: FollowupPage, seeded: dict[str, str]) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.ui.followup.board import petition_opener

    head = page.overdue.model_.index(0, 0)
    index = page.overdue.model_.index(0, 2, head)
    before = {w for w in QApplication.topLevelWidgets() if w.isVisible()}
    point = page.overdue.visualRect(index).center()
    qtbot.mouseClick(page.overdue.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(page.overdue.viewport(), Qt.MouseButton.LeftButton, pos=point)
    opened = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w not in before]
    if petition_opener() is None:  # no petition screen: the details show on the board
        assert not opened and seeded["late"] in page.detail.toPlainText()
        return
    assert len(opened) == 1
    assert f"Đơn số {seeded['late']}" in " ".join(label.text() for label in opened[0].findChildren(type(page.summary)))
    opened[0].close()
