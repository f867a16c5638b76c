"""A leader's reception day through the real window: the clerk plans the month on the "Lịch tiếp" page,
books two citizens on today's day, prints the programme, receives them; then an online day with three
connection points whose visits show as online in the register and in the report facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import LOCAL_TZ, Visit
from app.models.enums import ReceptionKind
from app.models.reception_days import DayMode
from app.services import printing
from app.services.common.clock import local_today
from app.services.deadlines import calendar
from app.services.deadlines import reception_days as frequency
from app.services.reception_days import days
from app.services.reports import facts, periods
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.print_preview import PrintPreviewDialog
from app.ui.reception_days.dialogs import AdHocDialog, BookingDialog, DayDialog, HoldDialog, PlanDialog, PointsDialog
from app.ui.reception_days.page import ReceptionDaysPage
from tests import printing_data as data
from tests.ui.jobs.helpers import CTRL, LEFT, choose, on_modal, pick_in_search, save_to, screens
from tests.ui.typing import press, type_text

__all__ = ["save_to"]

LEADER = "Nguyễn Văn Chủ"
DEPUTY = "Trần Thị Phó"


def _open_page(qtbot: QtBot, desk: MainWindow) -> ReceptionDaysPage:
    number = desk.keys.index("reception_days") + 1  # Ctrl+<its place on the rail>
    press(desk.rail, getattr(Qt.Key, f"Key_{number}"), CTRL)
    assert desk.current_key() == "reception_days"
    page = desk.section("reception_days")
    assert isinstance(page, ReceptionDaysPage)
    return page


def _type(widget: Any, text: str) -> None:
    widget.setFocus()
    type_text(widget, text)


def _new_day_today(qtbot: QtBot, page: ReceptionDaysPage, leader: str, online: bool = False) -> None:
    def fill(dialog: DayDialog) -> None:
        _type(dialog.leader, leader)
        _type(dialog.place, "Hội trường UBND")
        if online:
            choose(dialog.mode, "Trực tuyến")
            _type(dialog.recording, "TT-ghi-hinh.mp4")
        qtbot.mouseClick(dialog.ok_button, LEFT)

    on_modal(DayDialog, fill)
    qtbot.mouseClick(page.add_day_button, LEFT)
    # The row of the day just added, as the clerk picks it: the plan may have put another day of
    # the same leader on today, without a place.
    row = next(
        i
        for i, d in enumerate(page.days)
        if d.held_on == local_today() and d.leader_name == leader and d.place == "Hội trường UBND"
    )
    page.days_table.selectRow(row)


def _book(qtbot: QtBot, page: ReceptionDaysPage, name: str, matter: str, point: str | None = None) -> None:
    def fill(dialog: BookingDialog) -> None:
        _type(dialog.full_name, name)
        _type(dialog.phone, "0912345678")
        _type(dialog.matter, matter)
        if point:
            choose(dialog.point, point)
        qtbot.mouseClick(dialog.ok_button, LEFT)

    on_modal(BookingDialog, fill)
    qtbot.mouseClick(page.add_booking_button, LEFT)


def _hold_all(qtbot: QtBot, page: ReceptionDaysPage, screen: Path | None = None) -> None:
    """ "Tiếp công dân" on each booking: the visit form opens filled from it; the clerk saves."""
    for row in range(len(page.bookings)):
        page.bookings_table.selectRow(row)
        shot = screen if row == 0 else None

        def save(dialog: HoldDialog, shot: Path | None = shot) -> None:
            day = page.current_day()
            assert day is not None and dialog.form.leader.text() == day.leader_name
            if shot is not None:
                dialog.grab().save(str(shot))
            qtbot.mouseClick(dialog.save_button, LEFT)

        on_modal(HoldDialog, save)
        qtbot.mouseClick(page.hold_button, LEFT)
        assert page.bookings[row].visit_id is not None, page.bookings[row]


def test_clerk_plans_books_prints_and_holds_a_reception_day(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, save_to: list[str], tmp_path: Path
) -> None:
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
    page = _open_page(qtbot, desk)
    today = local_today()
    first, last = days.month_range(today.year, today.month)

    # Plan the month for the commune chairman: the days owed under the rule in force, on working days.
    def plan(dialog: PlanDialog) -> None:
        _type(dialog.leader, LEADER)
        _type(dialog.title, "Chủ tịch UBND xã")
        choose(dialog.duty, "Chủ tịch Ủy ban nhân dân cấp xã")
        qtbot.mouseClick(dialog.ok_button, LEFT)

    on_modal(PlanDialog, plan)
    qtbot.mouseClick(page.plan_button, LEFT)
    required = frequency.duty("chu_tich_ubnd_xa").required_days(first, last)
    planned = [d for d in page.days if d.kind == ReceptionKind.PERIODIC]
    assert len(planned) == required
    with desk_ctx.db.session() as session:
        cal = calendar.work_calendar(session, [today.year])
    assert all(cal.is_working_day(d.held_on) for d in planned)
    assert not page.warning.isVisible()

    # A month without a day for the chairman: the page says how many days the law still asks for.
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow)
    choose(page.leader_filter, LEADER)
    qtbot.mouseClick(page.next_button, LEFT)
    assert page.warning.isVisible() and "Cần bổ sung" in page.warning.text()
    # The chairman's duty is the one his days were planned under (the commune's), not the office's.
    assert "Chủ tịch Ủy ban nhân dân cấp xã".lower() in page.warning.text().lower()
    page.grab().save(str(screens(tmp_path) / "lich_tiep_thieu.png"))
    qtbot.mouseClick(page.prev_button, LEFT)

    # Today's reception (added by hand: the plan may have put no day on today), two citizens booked.
    _new_day_today(qtbot, page, LEADER)
    _book(qtbot, page, "Lê Thị Hoa", "Đề nghị cấp giấy chứng nhận quyền sử dụng đất")
    _book(qtbot, page, "Vũ Văn Nam", "Phản ánh đường liên thôn xuống cấp")
    assert [b.full_name for b in page.bookings] == ["Lê Thị Hoa", "Vũ Văn Nam"]
    page.resize(1366, 720)
    page.grab().save(str(screens(tmp_path) / "lich_tiep.png"))

    # The programme, saved from the preview and read back.
    seen: dict[str, str] = {}

    def in_preview(dialog: PrintPreviewDialog) -> None:
        seen["title"] = dialog.windowTitle()
        qtbot.mouseClick(dialog.save_button, LEFT)
        qtbot.mouseClick(dialog.close_button, LEFT)

    on_modal(PrintPreviewDialog, in_preview)
    qtbot.mouseClick(page.print_agenda_button, LEFT)
    assert seen["title"] == f"Xem trước khi in — Chương trình buổi tiếp {today:%d/%m/%Y}"
    text = data.pdf_text((tmp_path / save_to[-1]).read_bytes())
    for expected in (
        "CHƯƠNG TRÌNH, NỘI DUNG BUỔI TIẾP CÔNG DÂN",
        LEADER,
        "Lê Thị Hoa",
        "Vũ Văn Nam",
        "Hội trường UBND",
    ):
        assert expected in text, expected

    # Hold the day: each booking becomes a periodic visit of the chairman, on this day.
    _hold_all(qtbot, page, screens(tmp_path) / "lich_tiep_tiep_cong_dan.png")
    day = page.current_day()
    assert day is not None and day.received == 2 and day.status_label == "Đã tiếp"
    with desk_ctx.db.session() as session:
        held = session.scalars(select(Visit).where(Visit.reception_day_id == day.id).order_by(Visit.id)).all()
        assert [(v.citizen.full_name, v.reception_kind, v.leader_name, v.is_online) for v in held] == [
            ("Lê Thị Hoa", ReceptionKind.PERIODIC, LEADER, False),
            ("Vũ Văn Nam", ReceptionKind.PERIODIC, LEADER, False),
        ]


def test_online_day_with_three_connection_points(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    page = _open_page(qtbot, desk)
    _new_day_today(qtbot, page, DEPUTY, online=True)
    day = page.current_day()
    assert day is not None and day.mode == DayMode.ONLINE

    def points(dialog: PointsDialog) -> None:
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        for typed, contact in (("dai son", "Ông Hải"), ("son dong", "Bà Thu"), ("tay yen tu", "")):
            pick_in_search(dialog.commune, typed)
            _type(dialog.contact, contact)
            qtbot.mouseClick(dialog.add_button, LEFT)
        dialog.grab().save(str(screens(tmp_path) / "lich_tiep_diem_cau.png"))
        qtbot.mouseClick(dialog.save_button, LEFT)

    on_modal(PointsDialog, points)
    qtbot.mouseClick(page.points_button, LEFT)
    day = page.current_day()
    assert day is not None
    with desk_ctx.db.session() as session:
        names = [p.unit_name for p in days.day_view(session, day.id).points]
    assert names == ["Xã Đại Sơn", "Xã Sơn Động", "Xã Tây Yên Tử"]

    for name, point in (
        ("Hoàng Văn Minh", "Xã Đại Sơn"),
        ("Lý Thị Thu", "Xã Sơn Động"),
        ("Đào Văn Khánh", "Xã Tây Yên Tử"),
    ):
        _book(qtbot, page, name, "Kiến nghị về đền bù giải phóng mặt bằng", point)
    assert [b.connection_point for b in page.bookings] == ["Xã Đại Sơn", "Xã Sơn Động", "Xã Tây Yên Tử"]
    _hold_all(qtbot, page)
    page.grab().save(str(screens(tmp_path) / "lich_tiep_truc_tuyen.png"))

    today = local_today()
    with desk_ctx.db.transaction() as session:
        visits = session.scalars(select(Visit).where(Visit.reception_day_id == day.id)).all()
        assert len(visits) == 3 and all(v.is_online for v in visits)
        register = data.pdf_text(printing.render_daily_log(session, desk_ctx.actor, today))
        assert register.count("Tiếp trực tuyến") == 3
        # The report facts count them online, and as one reception session (the day).
        period = periods.Period(today, today)
        table = facts.SOURCES["visit"].load(session, period, ["is_online", "session_key"])
        online = [r[table.position("is_online")] for r in table.rows]
        assert online == [1, 1, 1]
        assert {r[table.position("session_key")] for r in table.rows} == {f"d{day.id}"}
    assert QApplication.activeModalWidget() is None or not isinstance(QApplication.activeModalWidget(), QMessageBox)


def test_ad_hoc_day_opened_for_a_crowd_delegation_received_at_the_desk(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    now = dt.datetime.now(LOCAL_TZ)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    with desk_ctx.db.transaction() as session:
        visit_id = data.add_crowd_visit(session, max(midnight, now - dt.timedelta(minutes=30)))
    page = _open_page(qtbot, desk)

    def open_day(dialog: AdHocDialog) -> None:
        assert "đoàn 23 người" in dialog.visit.currentText()
        assert dialog.leader.text() == "Nguyễn Văn Quang"  # the leader the desk recorded
        _type(dialog.title, "Chủ tịch UBND xã")
        qtbot.mouseClick(dialog.ok_button, LEFT)

    on_modal(AdHocDialog, open_day)
    qtbot.mouseClick(page.ad_hoc_button, LEFT)
    day = page.current_day()
    assert day is not None
    assert (day.kind, day.status_label, day.held_on, day.received) == (
        ReceptionKind.AD_HOC,
        "Đã tiếp",
        now.date(),
        1,
    )
    with desk_ctx.db.session() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None and visit.reception_day_id == day.id
        assert visit.reception_kind == ReceptionKind.AD_HOC
