"""The office's corrections to its calendar; each one moves the due dates of open clocks.

Kept apart from ``calendar`` (which only reads and seeds) because an edit needs ``clocks`` while
``clocks`` needs the calendar: reading sits below the clocks, editing above them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import CalendarDay
from app.models.enums import CalendarDayKind
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import nfc
from app.services.deadlines import clocks
from app.services.deadlines.calendar import (
    SOURCE_OFFICE,
    SOURCE_PACKAGE,
    CalendarEntry,
    ensure_years,
    entries,
    entry_of,
    forget_cached,
    package_days,
)
from app.services.deadlines.engine import WEEKDAYS
from app.services.security import audit
from app.services.security.permissions import Permission, require


@dataclass(frozen=True)
class CalendarChange:
    """What an edit did: the entry now (None when removed), days added back, open clocks whose due moved."""

    entry: CalendarEntry | None
    moved: int
    added: int = 0


def _snapshot(row: CalendarDay) -> dict[str, object]:
    return {"day": row.day, "kind": row.kind, "name": row.name, "source": row.source, "decision_ref": row.decision_ref}


def set_day(
    session: Session,
    actor: Actor,
    day: dt.date,
    kind: CalendarDayKind,
    name: str,
    *,
    decision_ref: str | None = None,
) -> CalendarChange:
    """Add or change one day (a day off, a compensatory day, a make-up working day); open clocks move."""
    require(actor, Permission.MANAGE_CATALOGUES)
    name = nfc(name.strip())
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Nhập tên ngày nghỉ hoặc lý do làm bù (ví dụ: “Nghỉ bù Quốc khánh”)."
    if kind == CalendarDayKind.WORKDAY and day.weekday() < 5:
        errors["kind"] = (
            f"Ngày {day:%d/%m/%Y} là {WEEKDAYS[day.weekday()]}, vốn đã là ngày làm việc: "
            "chỉ thứ Bảy hoặc Chủ nhật mới là ngày làm việc bù."
        )
    if errors:
        raise ValidationError(errors)
    ensure_years(session, [day.year])
    decision_ref = nfc(decision_ref.strip()) if decision_ref and decision_ref.strip() else None
    row = session.get(CalendarDay, day)
    before = _snapshot(row) if row else None
    if row is None:
        row = CalendarDay(day=day, kind=kind, name=name, source=SOURCE_OFFICE, decision_ref=decision_ref)
        session.add(row)
    else:
        row.kind, row.name, row.source, row.decision_ref = kind, name, SOURCE_OFFICE, decision_ref
    session.flush()
    audit.record(
        session,
        actor,
        "update" if before else "create",
        "calendar_day",
        day.isoformat(),
        before=before,
        after=_snapshot(row),
    )
    return CalendarChange(entry_of(row), _recompute(session))


def remove_day(session: Session, actor: Actor, day: dt.date, *, reason: str | None = None) -> CalendarChange:
    """Make ``day`` an ordinary day again (its weekday decides); open clocks move."""
    require(actor, Permission.MANAGE_CATALOGUES)
    ensure_years(session, [day.year])
    row = session.get(CalendarDay, day)
    if row is None:
        raise NotFoundError(f"Ngày {day:%d/%m/%Y} không có trong lịch nghỉ lễ, làm bù của cơ quan.")
    before = _snapshot(row)
    session.delete(row)
    session.flush()
    audit.record(session, actor, "delete", "calendar_day", day.isoformat(), before=before, reason=reason)
    return CalendarChange(None, _recompute(session))


def restore_year(session: Session, actor: Actor, year: int) -> CalendarChange:
    """Add back the package's days of ``year`` that are missing (office entries stay); returns days added."""
    require(actor, Permission.MANAGE_CATALOGUES)
    existing = {e.day for e in entries(session, year)}
    added = 0
    for day, kind, name in package_days([year]):
        if day not in existing:
            session.add(CalendarDay(day=day, kind=kind, name=name, source=SOURCE_PACKAGE))
            added += 1
    session.flush()
    audit.record(session, actor, "restore", "calendar_day", str(year), after={"added": added})
    return CalendarChange(None, _recompute(session) if added else 0, added)


def _recompute(session: Session) -> int:
    forget_cached(session)
    return clocks.recompute_open(session)
