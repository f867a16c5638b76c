"""The office calendar: seeded from the holidays package, edited by the office, moving open clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, CalendarDay
from app.models.enums import CalendarDayKind, Role
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.deadlines import calendar, calendar_edits, clocks
from tests.deadline_builders import add_petition

D = dt.date
CLERK = Actor(user_id=None, username="tiep.dan", full_name="Cán bộ tiếp dân", role=Role.CLERK)


def kinds(session: Session, year: int) -> dict[dt.date, CalendarDayKind]:
    return {e.day: e.kind for e in calendar.entries(session, year)}


def test_seeding_2026_classifies_holidays_days_off_and_make_up_days(session: Session) -> None:
    added = calendar.ensure_years(session, [2026])
    assert added == 15
    days = kinds(session, 2026)
    assert all(days[D(2026, 2, d)] == CalendarDayKind.HOLIDAY for d in range(16, 21))  # Tết
    assert days[D(2026, 4, 27)] == CalendarDayKind.DAY_OFF  # Hùng Kings' day fell on a Sunday
    assert days[D(2026, 8, 31)] == CalendarDayKind.DAY_OFF  # swapped for Saturday 22/08
    assert days[D(2026, 8, 22)] == CalendarDayKind.WORKDAY
    assert days[D(2026, 11, 24)] == CalendarDayKind.HOLIDAY  # Ngày Văn hóa Việt Nam, from 2026
    assert calendar.ensure_years(session, [2026]) == 0  # idempotent


def test_a_year_not_seeded_is_seeded_when_first_needed(session: Session) -> None:
    cal = calendar.work_calendar(session, [2031])
    assert not cal.is_working_day(D(2031, 9, 2))
    assert session.get(CalendarDay, D(2031, 1, 1)) is not None


def test_office_edits_are_audited_and_a_removed_day_does_not_come_back(session: Session) -> None:
    change = calendar_edits.set_day(
        session,
        SYSTEM,
        D(2026, 12, 31),
        CalendarDayKind.DAY_OFF,
        "Nghỉ theo quyết định của tỉnh",
        decision_ref="Quyết định 123/QĐ-UBND",
    )
    entry = change.entry
    assert entry is not None and entry.source == calendar.SOURCE_OFFICE
    assert entry.decision_ref == "Quyết định 123/QĐ-UBND" and change.moved == 0
    calendar_edits.remove_day(session, SYSTEM, D(2026, 8, 31), reason="Thông báo mới không hoán đổi")
    calendar.ensure_years(session, [2025, 2026, 2027])
    days = kinds(session, 2026)
    assert D(2026, 8, 31) not in days
    assert days[D(2026, 12, 31)] == CalendarDayKind.DAY_OFF
    actions = [
        (a.action, a.entity_id) for a in session.scalars(select(AuditEntry).where(AuditEntry.entity == "calendar_day"))
    ]
    assert ("create", "2026-12-31") in actions and ("delete", "2026-08-31") in actions
    assert calendar_edits.restore_year(session, SYSTEM, 2026).added == 1
    assert kinds(session, 2026)[D(2026, 8, 31)] == CalendarDayKind.DAY_OFF


def test_a_weekday_cannot_be_a_make_up_working_day(session: Session) -> None:
    with pytest.raises(ValidationError, match="chỉ thứ Bảy hoặc Chủ nhật"):
        calendar_edits.set_day(session, SYSTEM, D(2026, 3, 4), CalendarDayKind.WORKDAY, "Làm bù")


def test_a_clerk_may_not_edit_the_calendar(session: Session) -> None:
    with pytest.raises(PermissionDenied, match="sửa danh mục"):
        calendar_edits.set_day(session, CLERK, D(2026, 3, 4), CalendarDayKind.DAY_OFF, "Nghỉ")


def test_a_holiday_edit_moves_open_deadlines_and_leaves_met_ones(session: Session) -> None:
    open_one = add_petition(session)
    met_one = add_petition(session, summary="Tố cáo cán bộ địa chính")
    open_id = clocks.start_clock(session, open_one.id, "xu_ly_don", D(2026, 3, 2))
    clocks.start_clock(session, met_one.id, "xu_ly_don", D(2026, 3, 2))
    clocks.meet_clocks(session, met_one.id, D(2026, 3, 6))
    assert clocks.clock_rows(session, open_one.id)[0].due_on == D(2026, 3, 16)

    change = calendar_edits.set_day(
        session, SYSTEM, D(2026, 3, 10), CalendarDayKind.DAY_OFF, "Nghỉ bầu cử", decision_ref="CV 45"
    )
    assert change.moved == 1
    assert clocks.clock_rows(session, open_one.id)[0].due_on == D(2026, 3, 17)
    assert clocks.clock_rows(session, met_one.id)[0].due_on == D(2026, 3, 16)

    calendar_edits.set_day(session, SYSTEM, D(2026, 3, 14), CalendarDayKind.WORKDAY, "Làm bù thứ Bảy")
    assert clocks.clock_rows(session, open_one.id)[0].due_on == D(2026, 3, 16)

    calendar_edits.remove_day(session, SYSTEM, D(2026, 3, 10))
    calendar_edits.remove_day(session, SYSTEM, D(2026, 3, 14))
    row = clocks.clock_rows(session, open_one.id)[0]
    assert (row.id, row.due_on) == (open_id, D(2026, 3, 16))
