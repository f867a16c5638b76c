"""The office calendar: public holidays, compensatory days off and make-up working days.

Seeded per year from the ``holidays`` package (Vietnam, Vietnamese names), on demand the first
time a year is needed; the office then corrects it (a government notice moving a day off, a
provincial decision) through ``calendar_edits``, which recomputes the due dates of open clocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CalendarDay
from app.models.enums import CalendarDayKind
from app.services.common import settings
from app.services.common.clock import local_today
from app.services.common.text import nfc
from app.services.deadlines.engine import WEEKDAYS, WorkCalendar

SOURCE_PACKAGE = "holidays"
SOURCE_OFFICE = "office"

KIND_LABELS: dict[CalendarDayKind, str] = {
    CalendarDayKind.HOLIDAY: "Nghỉ lễ, Tết",
    CalendarDayKind.DAY_OFF: "Nghỉ bù, hoán đổi",
    CalendarDayKind.WORKDAY: "Làm việc bù",
}

# Which years were already seeded: a year is seeded once, so that a day the office removed
# does not come back on the next start.
SEEDED_YEARS = settings.define(
    "calendar.seeded_years", [], "Các năm đã nạp lịch nghỉ lễ từ gói holidays (tự động, không cần sửa)"
)
# Years kept ready around today (the engine asks for more on demand).
YEARS_BEFORE = 1
YEARS_AFTER = 2


@dataclass(frozen=True)
class CalendarEntry:
    day: dt.date
    kind: CalendarDayKind
    kind_label: str
    name: str
    source: str
    decision_ref: str | None

    @property
    def weekday_label(self) -> str:
        return WEEKDAYS[self.day.weekday()]


def package_days(years: Iterable[int]) -> list[tuple[dt.date, CalendarDayKind, str]]:
    """The calendar the ``holidays`` package knows for ``years``, classified for ``calendar_day``.

    Days that appear only with the observed rule (Tết extensions, "nghỉ bù") and the swapped days
    ("Ngày nghỉ (thay cho …)") are compensatory days off; the rest are holidays; the package's
    ``weekend_workdays`` are make-up working days.
    """
    wanted = sorted(set(years))
    if not wanted:
        return []
    # Imported here: the package loads every country's calendars (~0.4 s), needed only when a
    # year is first seeded, never at an ordinary start.
    from holidays import country_holidays

    observed = country_holidays("VN", years=wanted, language="vi")
    plain = country_holidays("VN", years=wanted, language="vi", observed=False)
    rows: list[tuple[dt.date, CalendarDayKind, str]] = []
    for day, name in sorted(observed.items()):
        swapped = "thay cho" in name or "nghỉ bù" in name
        kind = CalendarDayKind.DAY_OFF if swapped or day not in plain else CalendarDayKind.HOLIDAY
        rows.append((day, kind, nfc(name)))
    for day in sorted(getattr(observed, "weekend_workdays", ())):
        if day.year in wanted:
            # The day off it pays for names it: "Ngày nghỉ (thay cho ngày 22/08/2026)".
            paid = [d for d, n in observed.items() if day.strftime("%d/%m/%Y") in n]
            name = f"Ngày làm việc bù (cho ngày nghỉ {paid[0]:%d/%m/%Y})" if paid else "Ngày làm việc bù"
            rows.append((day, CalendarDayKind.WORKDAY, name))
    return rows


def calendar_from_rows(rows: Iterable[tuple[dt.date, CalendarDayKind, str]]) -> WorkCalendar:
    days_off: dict[dt.date, str] = {}
    workdays: dict[dt.date, str] = {}
    for day, kind, name in rows:
        (workdays if kind == CalendarDayKind.WORKDAY else days_off)[day] = name
    return WorkCalendar(days_off, workdays)


def package_calendar(years: Iterable[int]) -> WorkCalendar:
    """The calendar straight from the ``holidays`` package, without the office's edits (no database)."""
    return calendar_from_rows(package_days(years))


def default_years(today: dt.date | None = None) -> range:
    year = (today or local_today()).year
    return range(year - YEARS_BEFORE, year + YEARS_AFTER + 1)


def ensure_years(session: Session, years: Iterable[int]) -> int:
    """Seed every year of ``years`` not seeded yet; returns the number of days added. Idempotent."""
    seeded = {int(y) for y in settings.get(session, SEEDED_YEARS)}
    missing = sorted(set(years) - seeded)
    if not missing:
        return 0
    existing = set(
        session.scalars(
            select(CalendarDay.day).where(
                CalendarDay.day >= dt.date(missing[0], 1, 1), CalendarDay.day <= dt.date(missing[-1], 12, 31)
            )
        )
    )
    added = 0
    for day, kind, name in package_days(missing):
        if day in existing:
            continue  # the office's own entry wins
        session.add(CalendarDay(day=day, kind=kind, name=name, source=SOURCE_PACKAGE))
        existing.add(day)
        added += 1
    settings.put(session, SEEDED_YEARS, sorted(seeded | set(missing)))
    session.flush()
    return added


def years_spanning(start: dt.date, end: dt.date) -> range:
    return range(start.year, end.year + 1)


# The calendar read in the current transaction, reused by every clock computed in it (a bulk import
# starts thousands); an edit through this module drops it, a new transaction reads afresh.
_CACHE = "tiepdan.work_calendar"


def work_calendar(session: Session, years: Iterable[int]) -> WorkCalendar:
    """The office calendar for ``years`` (seeding any year not seen before)."""
    wanted = sorted(set(years))
    if not wanted:
        return WorkCalendar()
    cached = session.info.get(_CACHE)
    txn = session.get_transaction()
    if cached is not None and txn is not None and cached[0] is txn:
        if set(wanted) <= cached[1]:
            return cast(WorkCalendar, cached[2])
        wanted = sorted(set(wanted) | cached[1])
    cal = _read_calendar(session, wanted)
    session.info[_CACHE] = (session.get_transaction(), frozenset(wanted), cal)
    return cal


def _read_calendar(session: Session, wanted: list[int]) -> WorkCalendar:
    ensure_years(session, wanted)
    rows = session.scalars(
        select(CalendarDay).where(
            CalendarDay.day >= dt.date(wanted[0], 1, 1), CalendarDay.day <= dt.date(wanted[-1], 12, 31)
        )
    )
    return calendar_from_rows((r.day, r.kind, r.name) for r in rows)


def entries(session: Session, year: int) -> list[CalendarEntry]:
    """The calendar's entries for one year, in date order (for the holiday table)."""
    ensure_years(session, [year])
    rows = session.scalars(
        select(CalendarDay)
        .where(CalendarDay.day >= dt.date(year, 1, 1), CalendarDay.day <= dt.date(year, 12, 31))
        .order_by(CalendarDay.day)
    )
    return [entry_of(r) for r in rows]


def entry_of(row: CalendarDay) -> CalendarEntry:
    return CalendarEntry(row.day, row.kind, KIND_LABELS[row.kind], row.name, row.source, row.decision_ref)


def forget_cached(session: Session) -> None:
    """Drop the calendar this transaction has read, after an edit of its days."""
    session.info.pop(_CACHE, None)
