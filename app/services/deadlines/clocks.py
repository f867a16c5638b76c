"""Running legal clocks on petitions: start, meet, cancel, suspend, resume, extend, recompute.

Each clock is a ``Deadline`` row: a rule applied from a start date, with its length and unit fixed
when it starts (the rule that applied then), plus the extensions and suspension periods granted
since. The due date is always recomputed by the engine from those facts and the office calendar,
so a calendar edit moves every open clock (``recompute_open``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Deadline, Petition
from app.models.enums import DayUnit, DeadlineStatus
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import NotFoundError, ValidationError
from app.services.deadlines import calendar, engine
from app.services.deadlines.engine import DueResult, Rule, Suspension, WorkCalendar
from app.services.security import audit
from app.services.security.permissions import Permission, require

RULE_OVERRIDES = settings.define(
    "deadlines.rule_overrides",
    {},
    "Điều chỉnh quy tắc thời hạn theo mã (JSON: độ dài, đơn vị “ngay”/“ngay_lam_viec”, biến thể, gia hạn)",
)

RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED)
STATUS_LABELS: dict[DeadlineStatus, str] = {
    DeadlineStatus.OPEN: "Đang chạy",
    DeadlineStatus.SUSPENDED: "Tạm dừng",
    DeadlineStatus.MET: "Đã hoàn thành",
    DeadlineStatus.CANCELLED: "Đã hủy",
}
# Years of calendar loaded past the last relevant date: the longest rule with extensions and a
# suspension still ends well within it.
_CALENDAR_MARGIN_YEARS = 1


def rules(session: Session) -> dict[str, Rule]:
    """The rules in force for this office: the rules file plus the office's overrides."""
    overrides = settings.get(session, RULE_OVERRIDES) or {}
    return engine.load_rules(overrides=overrides)


def rule(session: Session, code: str) -> Rule:
    return engine.get_rule(code, rules(session))


def save_rule(session: Session, actor: Actor, code: str, changes: Mapping[str, Any]) -> Rule:
    """Correct a rule for this office (length, unit, variants…); clocks started from now on use it.

    Clocks already running keep the length and unit they started with (the rule that applied then).
    """
    require(actor, Permission.MANAGE_SETTINGS)
    before = rule(session, code)
    overrides: dict[str, dict[str, Any]] = dict(settings.get(session, RULE_OVERRIDES) or {})
    patch = {**overrides.get(code, {}), **changes}
    if "variants" in changes:
        patch["variants"] = {**overrides.get(code, {}).get("variants", {}), **changes["variants"]}
    after = engine.load_rules(overrides={**overrides, code: patch})[code]  # validates
    overrides[code] = patch
    settings.put(session, RULE_OVERRIDES, overrides)
    old, new = audit.changes(engine.rule_to_dict(before), engine.rule_to_dict(after))
    if old or new:
        audit.record(session, actor, "update", "deadline_rule", code, before=old, after=new)
    return after


def reset_rule(session: Session, actor: Actor, code: str) -> Rule:
    """Back to the rule as the rules file defines it."""
    require(actor, Permission.MANAGE_SETTINGS)
    before = rule(session, code)
    overrides: dict[str, dict[str, Any]] = dict(settings.get(session, RULE_OVERRIDES) or {})
    if overrides.pop(code, None) is not None:
        settings.put(session, RULE_OVERRIDES, overrides)
    after = rule(session, code)
    old, new = audit.changes(engine.rule_to_dict(before), engine.rule_to_dict(after))
    if old or new:
        audit.record(session, actor, "reset", "deadline_rule", code, before=old, after=new)
    return after


def overridden(session: Session) -> set[str]:
    """Codes of the rules this office has corrected."""
    return set((settings.get(session, RULE_OVERRIDES) or {}).keys())


@dataclass(frozen=True)
class ClockRow:
    id: int
    petition_id: int
    rule_code: str
    rule_name: str
    legal_source: str
    start_on: dt.date
    length: int
    unit: DayUnit
    unit_label: str
    extension_days: int
    extension_count: int
    suspended_days: int
    suspended_on: dt.date | None
    due_on: dt.date
    status: DeadlineStatus
    status_label: str
    met_on: dt.date | None
    officer_id: int | None
    agency_id: int | None
    event_id: int | None
    # Open clocks: days until due (negative = overdue) as of the date asked; met clocks: days late.
    days_left: int | None
    days_late: int


# --- helpers -------------------------------------------------------------------------------------


def _suspensions(row: Deadline) -> list[Suspension]:
    raw: list[list[str | None]] = json.loads(row.suspensions_json or "[]")
    return [(dt.date.fromisoformat(str(s)), dt.date.fromisoformat(e) if e else None) for s, e in raw]


def _store_suspensions(row: Deadline, periods: Sequence[Suspension]) -> None:
    row.suspensions_json = json.dumps([[s.isoformat(), e.isoformat() if e else None] for s, e in periods])


def _years_for(rows: Iterable[Deadline]) -> range:
    """Calendar years that cover every clock of ``rows`` to its end."""
    first: dt.date | None = None
    last: dt.date | None = None
    for row in rows:
        dates = [row.start_on, row.due_on] + [d for period in _suspensions(row) for d in period if d]
        lo, hi = min(dates), max(dates)
        first = lo if first is None or lo < first else first
        last = hi if last is None or hi > last else last
    if first is None or last is None:
        return range(0)
    return range(first.year, last.year + 1 + _CALENDAR_MARGIN_YEARS)


def _calendar_for(session: Session, rows: Sequence[Deadline]) -> WorkCalendar:
    return calendar.work_calendar(session, _years_for(rows))


def _compute(row: Deadline, cal: WorkCalendar) -> DueResult:
    return engine.due_for_length(
        row.start_on,
        row.length,
        row.unit,
        cal,
        extension_days=row.extension_days,
        suspensions=_suspensions(row),
    )


def _refresh(session: Session, row: Deadline, cal: WorkCalendar | None = None) -> bool:
    """Recompute ``row.due_on``; True when it moved."""
    cal = cal or _calendar_for(session, [row])
    result = _compute(row, cal)
    if result.due.year not in _years_for([row]):
        # Ran past the calendar loaded (a long suspension): load the years it reaches and count again.
        row.due_on = result.due
        result = _compute(row, _calendar_for(session, [row]))
    changed = result.due != row.due_on
    row.due_on = result.due
    return changed


def _running(session: Session, petition_id: int, rule_codes: Iterable[str] | None = None) -> list[Deadline]:
    stmt = select(Deadline).where(Deadline.petition_id == petition_id, Deadline.status.in_(RUNNING))
    if rule_codes is not None:
        stmt = stmt.where(Deadline.rule_code.in_(list(rule_codes)))
    return list(session.scalars(stmt.order_by(Deadline.id)))


def _petition(session: Session, petition_id: int) -> Petition:
    petition = session.get(Petition, petition_id)
    if petition is None:
        raise NotFoundError(f"Không tìm thấy đơn #{petition_id}.")
    return petition


# --- the API the petition actions call -----------------------------------------------------------


def start_clock(
    session: Session,
    petition_id: int,
    rule_code: str,
    start_on: dt.date,
    *,
    officer_id: int | None = None,
    agency_id: int | None = None,
    event_id: int | None = None,
    complicated: bool = False,
    remote: bool = False,
) -> int:
    """Start ``rule_code`` on the petition from ``start_on``; returns the Deadline id.

    A clock of the same rule still running on the petition is replaced (cancelled): one running
    clock per rule and petition, so follow-up never counts the same step twice.
    """
    _petition(session, petition_id)
    applied = rule(session, rule_code).in_force(start_on)
    length, _variant = applied.length_for(complicated=complicated, remote=remote)
    for old in _running(session, petition_id, [rule_code]):
        old.status = DeadlineStatus.CANCELLED
    row = Deadline(
        petition_id=petition_id,
        rule_code=rule_code,
        start_on=start_on,
        length=length,
        unit=applied.unit,
        extension_days=0,
        extension_count=0,
        suspensions_json="[]",
        suspended_days=0,
        due_on=start_on,
        status=DeadlineStatus.OPEN,
        officer_id=officer_id,
        agency_id=agency_id,
        event_id=event_id,
    )
    _refresh(session, row)
    session.add(row)
    session.flush()
    return row.id


def meet_clocks(session: Session, petition_id: int, met_on: dt.date, rule_codes: Iterable[str] | None = None) -> int:
    """Mark the petition's running clocks (of ``rule_codes``, or all) as met on ``met_on``."""
    rows = _running(session, petition_id, rule_codes)
    for row in rows:
        row.status = DeadlineStatus.MET
        row.met_on = met_on
        if row.suspended_on is not None:
            _close_suspension(row, met_on)
    session.flush()
    return len(rows)


def cancel_clocks(session: Session, petition_id: int, rule_codes: Iterable[str] | None = None) -> int:
    """Stop the petition's running clocks without meeting them (withdrawn, terminated, split…)."""
    rows = _running(session, petition_id, rule_codes)
    for row in rows:
        row.status = DeadlineStatus.CANCELLED
    session.flush()
    return len(rows)


def suspend_clocks(session: Session, petition_id: int, on: dt.date) -> int:
    """Stop the petition's open clocks on ``on`` (tạm đình chỉ); the remaining days wait."""
    rows = [r for r in _running(session, petition_id) if r.status == DeadlineStatus.OPEN]
    for row in rows:  # check every clock before changing any
        if on < row.start_on:
            raise ValidationError(
                {"on": f"Ngày tạm đình chỉ {on:%d/%m/%Y} trước ngày bắt đầu thời hạn {row.start_on:%d/%m/%Y}."}
            )
    for row in rows:
        _store_suspensions(row, [*_suspensions(row), (on, None)])
        row.status = DeadlineStatus.SUSPENDED
        row.suspended_on = on
        _refresh(session, row)
    session.flush()
    return len(rows)


def resume_clocks(session: Session, petition_id: int, on: dt.date) -> int:
    """Restart the petition's suspended clocks on ``on``; the due date moves by the time suspended."""
    rows = [r for r in _running(session, petition_id) if r.status == DeadlineStatus.SUSPENDED]
    for row in rows:  # check every clock before changing any
        if row.suspended_on is not None and on < row.suspended_on:
            raise ValidationError(
                {"on": f"Ngày tiếp tục {on:%d/%m/%Y} trước ngày tạm đình chỉ {row.suspended_on:%d/%m/%Y}."}
            )
    for row in rows:
        _close_suspension(row, on)
        row.status = DeadlineStatus.OPEN
        _refresh(session, row)
    session.flush()
    return len(rows)


def _close_suspension(row: Deadline, on: dt.date) -> None:
    periods = _suspensions(row)
    closed = [(s, e if e is not None else max(on, s)) for s, e in periods]
    _store_suspensions(row, closed)
    row.suspended_days = sum((e - s).days for s, e in closed if e is not None)
    row.suspended_on = None


def extend_clock(session: Session, petition_id: int, rule_code: str, days: int) -> dt.date:
    """Extend the running clock of ``rule_code`` by ``days``; returns the new due date.

    Refused (``RuleViolation`` naming the rule) beyond the extensions the rule allows.
    """
    rows = _running(session, petition_id, [rule_code])
    applied = rule(session, rule_code)
    if not rows:
        raise NotFoundError(f"Đơn #{petition_id} không có thời hạn “{applied.name}” đang chạy để gia hạn.")
    row = rows[-1]
    applied = applied.in_force(row.start_on)
    engine.check_extension(applied, previous_count=row.extension_count, previous_days=row.extension_days, days=days)
    row.extension_count += 1
    row.extension_days += days
    _refresh(session, row)
    session.flush()
    return row.due_on


def recompute_open(session: Session) -> int:
    """Recompute the due date of every running clock (after a calendar edit); returns how many moved."""
    rows = list(session.scalars(select(Deadline).where(Deadline.status.in_(RUNNING))))
    if not rows:
        return 0
    cal = _calendar_for(session, rows)
    moved = sum(1 for row in rows if _refresh(session, row, cal))
    session.flush()
    return moved


# --- reading ------------------------------------------------------------------------------------


def explain(session: Session, deadline_id: int) -> DueResult:
    """The arithmetic of one clock's due date, in Vietnamese steps (for a tooltip or a detail pane)."""
    row = session.get(Deadline, deadline_id)
    if row is None:
        raise NotFoundError(f"Không tìm thấy thời hạn #{deadline_id}.")
    result = _compute(row, _calendar_for(session, [row]))
    known = rules(session).get(row.rule_code)
    header: list[str] = []
    if known is not None:
        header.append(f"Quy tắc: {known.name} — {known.source}.")
    header.append(f"Thời hạn: {row.length} {engine.unit_label(row.unit)}.")
    if row.extension_count:
        header.append(f"Đã gia hạn {row.extension_count} lần.")
    return DueResult(
        result.due, header + result.steps, result.total, result.unit, result.suspended_since, result.remaining
    )


def _row(row: Deadline, known: dict[str, Rule], as_of: dt.date) -> ClockRow:
    applied = known.get(row.rule_code)
    running = row.status in RUNNING
    return ClockRow(
        id=row.id,
        petition_id=row.petition_id,
        rule_code=row.rule_code,
        rule_name=applied.name if applied else row.rule_code,
        legal_source=applied.source if applied else "",
        start_on=row.start_on,
        length=row.length,
        unit=row.unit,
        unit_label=engine.unit_label(row.unit),
        extension_days=row.extension_days,
        extension_count=row.extension_count,
        suspended_days=row.suspended_days,
        suspended_on=row.suspended_on,
        due_on=row.due_on,
        status=row.status,
        status_label=STATUS_LABELS[row.status],
        met_on=row.met_on,
        officer_id=row.officer_id,
        agency_id=row.agency_id,
        event_id=row.event_id,
        days_left=(row.due_on - as_of).days if running else None,
        days_late=max(0, (row.met_on - row.due_on).days) if row.met_on else 0,
    )


def clock_rows(session: Session, petition_id: int, as_of: dt.date | None = None) -> list[ClockRow]:
    """Every clock of the petition, oldest first, for the timeline."""
    known = rules(session)
    stmt = select(Deadline).where(Deadline.petition_id == petition_id).order_by(Deadline.start_on, Deadline.id)
    return [_row(r, known, as_of or local_today()) for r in session.scalars(stmt)]


def rows_for(session: Session, deadline_rows: Iterable[Deadline], as_of: dt.date) -> list[ClockRow]:
    known = rules(session)
    return [_row(r, known, as_of) for r in deadline_rows]


def describe_rules(session: Session) -> list[dict[str, Any]]:
    """Every rule in force as plain data (code, name, source, length text, unit, extensions, to confirm)."""
    return [
        {
            "code": r.code,
            "name": r.name,
            "source": r.source,
            "length": r.length_text(),
            "unit": engine.unit_label(r.unit),
            "extensions": r.extensions_text(),
            "to_confirm": r.to_confirm,
        }
        for r in rules(session).values()
    ]
