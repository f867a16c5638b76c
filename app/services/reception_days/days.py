"""Reception days of a leader: plan a month from the legal minimum, edit a day, warn of a shortfall.

The minimum is dated data (``deadlines.reception_days``: the commune chairman receives at least one day
a week until 30/06/2026 and two days a month from 01/07/2026). Planning spreads the days owed over the
office calendar's working days (holidays and compensatory days off skipped, make-up Saturdays allowed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AdminUnit, ConnectionPoint, ReceptionDay, Visit
from app.models.enums import ReceptionKind
from app.models.reception_days import BookingStatus, DayMode, DayStatus
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import fold, nfc, nfc_or_none
from app.services.common.vocab import label
from app.services.deadlines import calendar
from app.services.deadlines import reception_days as frequency
from app.services.deadlines.engine import WEEKDAYS
from app.services.reception import visits
from app.services.security import audit
from app.services.security.permissions import Permission, require

MODE_LABELS = {DayMode.IN_PERSON: "Trực tiếp", DayMode.ONLINE: "Trực tuyến"}
KIND_LABELS = {ReceptionKind.PERIODIC: "Định kỳ", ReceptionKind.AD_HOC: "Đột xuất"}
DAY_KINDS = (ReceptionKind.PERIODIC, ReceptionKind.AD_HOC)
NAME_MAX = 120
TEXT_MAX = 300

DEFAULT_DUTY = settings.define(
    "reception_days.duty",
    "",
    "Quy định tần suất tiếp định kỳ của lãnh đạo (mã trong reception_frequency.json; trống: theo cấp của cơ quan)",
)
DEFAULT_PLACE = settings.define(
    "reception_days.place", "Trụ sở tiếp công dân", "Địa điểm tiếp công dân định kỳ của lãnh đạo (mặc định)"
)


@dataclass(frozen=True)
class DayInput:
    """What the planner typed for one reception day."""

    leader_name: str
    held_on: dt.date
    leader_title: str | None = None
    duty_code: str | None = None
    start_time: dt.time | None = None
    mode: DayMode = DayMode.IN_PERSON
    place: str | None = None
    kind: ReceptionKind = ReceptionKind.PERIODIC
    note: str | None = None
    recording_ref: str | None = None


@dataclass(frozen=True)
class PointInput:
    """A connection point of an online day: a commune of the directory (or a unit typed by name)."""

    unit_code: str | None = None
    unit_name: str = ""
    contact_person: str | None = None


@dataclass(frozen=True)
class PointView:
    id: int
    unit_code: str | None
    unit_name: str
    contact_person: str | None


@dataclass(frozen=True)
class DayView:
    id: int
    leader_name: str
    leader_title: str | None
    duty_code: str | None
    held_on: dt.date
    start_time: dt.time | None
    mode: DayMode
    place: str | None
    kind: ReceptionKind
    status: DayStatus
    note: str | None
    recording_ref: str | None
    bookings: int = 0
    received: int = 0
    points: tuple[PointView, ...] = field(default_factory=tuple)

    @property
    def mode_label(self) -> str:
        return MODE_LABELS[self.mode]

    @property
    def status_label(self) -> str:
        return label(self.status)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, "")

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.held_on.weekday()]

    @property
    def leader_text(self) -> str:
        return f"{self.leader_title} {self.leader_name}" if self.leader_title else self.leader_name

    def when_text(self) -> str:
        time = f"{self.start_time:%H:%M}, " if self.start_time else ""
        return f"{time}{self.weekday.lower()} ngày {self.held_on:%d/%m/%Y}"


# ---- the duty ---------------------------------------------------------------------------------------


def default_duty_code(session: Session) -> str:
    """The office's setting, else by its level: a commune office's head is the commune chairman."""
    chosen = str(settings.get(session, DEFAULT_DUTY) or "")
    if chosen:
        return chosen
    return "chu_tich_ubnd_xa" if settings.get(session, settings.OFFICE_COMMUNE) else "chu_tich_ubnd_tinh"


def leader_duty(session: Session, leader_name: str) -> str | None:
    """The duty the leader's latest reception day was planned under (their office's level)."""
    wanted = fold(leader_name)
    for name, code in session.execute(
        select(ReceptionDay.leader_name, ReceptionDay.duty_code)
        .where(ReceptionDay.duty_code.is_not(None))
        .order_by(ReceptionDay.held_on.desc(), ReceptionDay.id.desc())
    ):
        if fold(name) == wanted:
            return str(code)
    return None


def _duty(session: Session, code: str | None, leader_name: str | None = None) -> frequency.Duty:
    if not code and leader_name:
        code = leader_duty(session, leader_name)
    return frequency.duty(code or default_duty_code(session))


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12:
        raise ValidationError({"month": "Tháng phải từ 1 đến 12."})
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


# ---- reading --------------------------------------------------------------------------------------


def _get(session: Session, day_id: int) -> ReceptionDay:
    day = session.get(ReceptionDay, day_id)
    if day is None:
        raise NotFoundError(f"Không tìm thấy ngày tiếp số {day_id}.")
    return day


def _view(day: ReceptionDay, bookings: int = 0, received: int = 0) -> DayView:
    return DayView(
        id=day.id,
        leader_name=day.leader_name,
        leader_title=day.leader_title,
        duty_code=day.duty_code,
        held_on=day.held_on,
        start_time=day.start_time,
        mode=day.mode,
        place=day.place,
        kind=day.kind,
        status=day.status,
        note=day.note,
        recording_ref=day.recording_ref,
        bookings=bookings,
        received=received,
        points=tuple(PointView(p.id, p.unit_code, p.unit_name, p.contact_person) for p in day.connection_points),
    )


def _received(session: Session, day_ids: list[int]) -> dict[int, int]:
    """How many visits were held on each day."""
    if not day_ids:
        return {}
    rows = session.execute(
        select(Visit.reception_day_id, func.count())
        .where(Visit.reception_day_id.in_(day_ids), Visit.deleted_at.is_(None))
        .group_by(Visit.reception_day_id)
    )
    return {day_id: count for day_id, count in rows if day_id is not None}


def day_view(session: Session, day_id: int) -> DayView:
    day = _get(session, day_id)
    return _view(day, len(day.bookings), _received(session, [day.id]).get(day.id, 0))


def list_days(
    session: Session, start: dt.date, end: dt.date, *, leader_name: str | None = None, include_cancelled: bool = True
) -> list[DayView]:
    """The reception days of a period (of one leader when named), in date order."""
    stmt = select(ReceptionDay).where(ReceptionDay.held_on >= start, ReceptionDay.held_on <= end)
    if not include_cancelled:
        stmt = stmt.where(ReceptionDay.status != DayStatus.CANCELLED)
    days = [d for d in session.scalars(stmt.order_by(ReceptionDay.held_on, ReceptionDay.start_time, ReceptionDay.id))]
    if leader_name:
        wanted = fold(leader_name)
        days = [d for d in days if fold(d.leader_name) == wanted]
    received = _received(session, [d.id for d in days])
    return [_view(d, len(d.bookings), received.get(d.id, 0)) for d in days]


def leaders(session: Session) -> list[tuple[str, str | None]]:
    """Every leader with a reception day, (name, latest title), by name."""
    found: dict[str, tuple[str, str | None]] = {}
    for name, title in session.execute(
        select(ReceptionDay.leader_name, ReceptionDay.leader_title).order_by(ReceptionDay.held_on)
    ):
        found[fold(name)] = (name, title)
    return sorted(found.values(), key=lambda pair: fold(pair[0]))


# ---- editing ---------------------------------------------------------------------------------------


def _check(session: Session, data: DayInput) -> DayInput:
    errors: dict[str, str] = {}
    leader = nfc(data.leader_name or "")
    if not leader:
        errors["leader_name"] = "Nhập họ tên lãnh đạo chủ trì buổi tiếp."
    elif len(leader) > NAME_MAX:
        errors["leader_name"] = f"Họ tên lãnh đạo dài quá {NAME_MAX} ký tự."
    title = nfc_or_none(data.leader_title)
    if title and len(title) > NAME_MAX:
        errors["leader_title"] = f"Chức vụ dài quá {NAME_MAX} ký tự."
    if not isinstance(data.held_on, dt.date):
        errors["held_on"] = "Chọn ngày tiếp (dd/MM/yyyy)."
    if data.kind not in DAY_KINDS:
        errors["kind"] = "Ngày tiếp của lãnh đạo là tiếp định kỳ hoặc đột xuất."
    try:
        mode = DayMode(data.mode)
    except ValueError:
        errors["mode"] = "Chọn hình thức tiếp: trực tiếp hoặc trực tuyến."
        mode = DayMode.IN_PERSON
    if mode == DayMode.ONLINE and isinstance(data.held_on, dt.date):
        since = _online_since()
        if since and data.held_on < since:
            errors["mode"] = (
                f"Tiếp công dân trực tuyến là hình thức tiếp từ ngày {since:%d/%m/%Y} (Luật 136/2025/QH15); "
                "chọn hình thức trực tiếp cho ngày trước đó."
            )
    place, recording = nfc_or_none(data.place), nfc_or_none(data.recording_ref)
    for key, value in (("place", place), ("recording_ref", recording)):
        if value and len(value) > TEXT_MAX:
            errors[key] = f"Nội dung dài quá {TEXT_MAX} ký tự; viết gọn lại."
    if data.duty_code:
        try:
            frequency.duty(data.duty_code)
        except NotFoundError as exc:
            errors["duty_code"] = exc.user_message
    if errors:
        raise ValidationError(errors)
    return DayInput(
        leader_name=leader,
        held_on=data.held_on,
        leader_title=title,
        duty_code=data.duty_code or None,
        start_time=data.start_time,
        mode=mode,
        place=place,
        kind=data.kind,
        note=nfc_or_none(data.note),
        recording_ref=recording if mode == DayMode.ONLINE else None,
    )


def _online_since() -> dt.date | None:
    """Online reception is a form of reception from the same date the delegation ban starts."""
    since, _source = frequency._delegation()
    return since


def _snapshot(day: ReceptionDay) -> dict[str, Any]:
    return {
        "leader_name": day.leader_name,
        "leader_title": day.leader_title,
        "held_on": day.held_on,
        "start_time": day.start_time.isoformat() if day.start_time else None,
        "mode": day.mode,
        "place": day.place,
        "kind": day.kind,
        "status": day.status,
        "note": day.note,
        "recording_ref": day.recording_ref,
    }


def _apply(day: ReceptionDay, data: DayInput) -> None:
    day.leader_name = data.leader_name
    day.leader_title = data.leader_title
    day.duty_code = data.duty_code
    day.held_on = data.held_on
    day.start_time = data.start_time
    day.mode = data.mode
    day.place = data.place
    day.kind = data.kind
    day.note = data.note
    day.recording_ref = data.recording_ref


def create_day(session: Session, actor: Actor, data: DayInput) -> int:
    require(actor, Permission.REGISTER_VISIT)
    cleaned = _check(session, data)
    day = ReceptionDay(status=DayStatus.PLANNED)
    _apply(day, cleaned)
    session.add(day)
    session.flush()
    audit.record(session, actor, "create", "reception_day", day.id, after=_snapshot(day))
    return day.id


def update_day(session: Session, actor: Actor, day_id: int, data: DayInput) -> None:
    require(actor, Permission.REGISTER_VISIT)
    day = _get(session, day_id)
    cleaned = _check(session, data)
    if day.status == DayStatus.HELD and cleaned.held_on != day.held_on:
        raise RuleViolation("Ngày tiếp đã tiếp công dân: không đổi được ngày; hãy lập ngày tiếp khác.")
    if cleaned.mode != DayMode.ONLINE and day.connection_points:
        raise ValidationError(
            {"mode": "Ngày tiếp còn điểm cầu trực tuyến: xóa các điểm cầu trước khi chuyển sang tiếp trực tiếp."}
        )
    before = _snapshot(day)
    _apply(day, cleaned)
    session.flush()
    old, new = audit.changes(before, _snapshot(day))
    if old or new:
        audit.record(session, actor, "update", "reception_day", day.id, before=old, after=new)


def set_status(session: Session, actor: Actor, day_id: int, status: DayStatus, note: str | None = None) -> None:
    """Mark a day held or cancelled (a cancellation needs its reason), or planned again."""
    require(actor, Permission.REGISTER_VISIT)
    day = _get(session, day_id)
    reason = nfc_or_none(note)
    if status == DayStatus.CANCELLED:
        if not reason:
            raise ValidationError({"note": "Nhập lý do hủy ngày tiếp."})
        if any(b.status == BookingStatus.RECEIVED for b in day.bookings):
            raise RuleViolation("Ngày tiếp đã có công dân được tiếp: không hủy được.")
    if status == DayStatus.PLANNED and any(b.status == BookingStatus.RECEIVED for b in day.bookings):
        raise RuleViolation("Ngày tiếp đã có công dân được tiếp: không đưa về dự kiến được.")
    before = day.status
    day.status = status
    if reason:
        day.note = reason
    audit.record(
        session,
        actor,
        "status",
        "reception_day",
        day.id,
        before={"status": before},
        after={"status": status},
        reason=reason,
    )


def set_connection_points(session: Session, actor: Actor, day_id: int, points: Sequence[PointInput]) -> list[int]:
    """Replace the connection points of an online day; a commune is named from the directory."""
    require(actor, Permission.REGISTER_VISIT)
    day = _get(session, day_id)
    if day.mode != DayMode.ONLINE and points:
        raise ValidationError({"points": "Chỉ ngày tiếp trực tuyến mới có điểm cầu; đổi hình thức tiếp trước."})
    errors: dict[str, str] = {}
    cleaned: list[tuple[str | None, str, str | None]] = []
    seen: set[str] = set()
    for n, typed in enumerate(points):
        code = (typed.unit_code or "").strip() or None
        name = nfc(typed.unit_name or "")
        if code:
            unit = session.get(AdminUnit, code)
            if unit is None:
                errors[f"points.{n}"] = f"Mã đơn vị hành chính “{code}” không có trong danh mục."
                continue
            name = name or unit.name
        if not name:
            errors[f"points.{n}"] = f"Điểm cầu thứ {n + 1}: chọn xã, phường hoặc nhập tên điểm cầu."
            continue
        key = code or fold(name)
        if key in seen:
            errors[f"points.{n}"] = f"Điểm cầu “{name}” đã có trong danh sách."
            continue
        seen.add(key)
        cleaned.append((code, name, nfc_or_none(typed.contact_person)))
    if errors:
        raise ValidationError(errors)
    kept = {(p.unit_code, p.unit_name): p for p in day.connection_points}
    new_points: list[ConnectionPoint] = []
    for code, name, contact in cleaned:
        point = kept.pop((code, name), None) or ConnectionPoint(unit_code=code, unit_name=name)
        point.contact_person = contact
        new_points.append(point)
    used = {b.connection_point_id for b in day.bookings if b.connection_point_id}
    if any(p.id in used for p in kept.values()):
        raise RuleViolation("Có công dân đã đăng ký tại điểm cầu bị xóa: chuyển họ sang điểm cầu khác trước.")
    before = [p.unit_name for p in day.connection_points]
    day.connection_points = new_points
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "reception_day",
        day.id,
        before={"connection_points": before},
        after={"connection_points": [p.unit_name for p in new_points]},
    )
    return [p.id for p in new_points]


# ---- planning ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedMonth:
    created: tuple[int, ...]
    required: int
    existing: int
    shortfall: str | None


def _slots(duty: frequency.Duty, first: dt.date, last: dt.date) -> list[tuple[list[dt.date], int]]:
    """The spans of the month each owing days: (calendar days of the span inside the month, days owed)."""
    slots: list[tuple[list[dt.date], int]] = []
    for version, since, until in duty.versions():
        lo, hi = max(first, since), min(last, until or last)
        if lo > hi:
            continue
        if version.per == "week":
            day = lo
            while day <= hi:
                if day.weekday() == 0:
                    span = [day + dt.timedelta(days=n) for n in range(7) if day + dt.timedelta(days=n) <= last]
                    slots.append((span, version.days))
                day += dt.timedelta(days=1)
        elif lo.day == 1:
            slots.append(([lo + dt.timedelta(days=n) for n in range((last - lo).days + 1)], version.days))
    return slots


def _spread(candidates: list[dt.date], count: int, weekday: int | None) -> list[dt.date]:
    """``count`` days spread evenly over ``candidates`` (one chunk each), on ``weekday`` where it can."""
    if count <= 0 or not candidates:
        return []
    count = min(count, len(candidates))
    chosen: list[dt.date] = []
    for n in range(count):
        chunk = candidates[n * len(candidates) // count : (n + 1) * len(candidates) // count]
        if weekday is None:
            chosen.append(chunk[len(chunk) // 2])
            continue
        # The preferred weekday, else the next working day after it (a holiday moves the day on).
        later = [d for d in chunk if d.weekday() >= weekday]
        chosen.append(later[0] if later else chunk[-1])
    return chosen


def plan_month(
    session: Session,
    actor: Actor,
    *,
    leader_name: str,
    year: int,
    month: int,
    leader_title: str | None = None,
    duty_code: str | None = None,
    weekday: int | None = None,
    start_time: dt.time | None = dt.time(8, 0),
    place: str | None = None,
    mode: DayMode = DayMode.IN_PERSON,
) -> PlannedMonth:
    """Plan the periodic reception days a leader owes in a month, on the office's working days.

    Days already planned or held for this leader in the month count; only the missing ones are added,
    each as a "dự kiến" day the planner may then move or cancel. ``weekday`` (0 = Monday) is preferred.
    """
    require(actor, Permission.REGISTER_VISIT)
    if weekday is not None and not 0 <= weekday <= 6:
        raise ValidationError({"weekday": "Thứ trong tuần không hợp lệ."})
    first, last = month_range(year, month)
    duty = _duty(session, duty_code)
    template = _check(
        session,
        DayInput(
            leader_name=leader_name,
            held_on=first,
            leader_title=leader_title,
            duty_code=duty.code,
            start_time=start_time,
            mode=mode,
            place=place or str(settings.get(session, DEFAULT_PLACE)),
        ),
    )
    cal = calendar.work_calendar(session, [year])
    mine = [
        d
        for d in session.scalars(
            select(ReceptionDay).where(
                ReceptionDay.held_on >= first,
                ReceptionDay.held_on <= last,
                ReceptionDay.status != DayStatus.CANCELLED,
                ReceptionDay.kind == ReceptionKind.PERIODIC,
            )
        )
        if fold(d.leader_name) == fold(template.leader_name)
    ]
    taken = {d.held_on for d in mine}
    created: list[int] = []
    for span, owed in _slots(duty, first, last):
        already = sum(1 for d in span if d in taken)
        free = [d for d in span if cal.is_working_day(d) and d not in taken]
        for day in _spread(free, owed - already, weekday):
            created.append(create_day(session, actor, _replace(template, held_on=day)))
            taken.add(day)
    return PlannedMonth(
        created=tuple(created),
        required=duty.required_days(first, last),
        existing=len(mine),
        shortfall=shortfall(session, template.leader_name, first, last, duty.code),
    )


def _replace(data: DayInput, **changes: Any) -> DayInput:
    return DayInput(**{**data.__dict__, **changes})


# ---- the legal minimum ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    required: int
    planned: int
    held: int

    @property
    def missing(self) -> int:
        return max(0, self.required - self.planned - self.held)


def coverage(
    session: Session, leader_name: str, start: dt.date, end: dt.date, duty_code: str | None = None
) -> Coverage:
    duty = _duty(session, duty_code, leader_name)
    days = [d for d in list_days(session, start, end, leader_name=leader_name) if d.kind == ReceptionKind.PERIODIC]
    return Coverage(
        required=duty.required_days(start, end),
        planned=sum(1 for d in days if d.status == DayStatus.PLANNED),
        held=sum(1 for d in days if d.status == DayStatus.HELD),
    )


def shortfall(
    session: Session, leader_name: str, start: dt.date, end: dt.date, duty_code: str | None = None
) -> str | None:
    """Why the leader's periodic reception days over ``start``–``end`` fall below the legal minimum, if they do.

    The minimum counts each part of the period under the version of the duty in force there, so a
    period across 01/07/2026 owes one day a week before and two days a month after.
    """
    duty = _duty(session, duty_code, leader_name)
    found = coverage(session, leader_name, start, end, duty.code)
    if found.missing == 0:
        return None
    rules = []
    for version, since, until in duty.versions():
        if since <= end and (until is None or until >= start):
            span = f"từ {max(since, start):%d/%m/%Y}" + (f" đến {min(until, end):%d/%m/%Y}" if until else "")
            rules.append(f"{version.text()} ({span}; {version.source})")
    held = f"đã tiếp {found.held} ngày, " if start <= local_today() else ""
    return (
        f"{nfc(leader_name)}: từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} có {found.planned + found.held} ngày tiếp định kỳ "
        f"({held}dự kiến {found.planned} ngày), ít hơn mức tối thiểu {found.required} ngày "
        f"({duty.name}): {'; '.join(rules)}. "
        f"Cần bổ sung {found.missing} ngày."
    )


# ---- ad hoc reception from the desk ----------------------------------------------------------------------


@dataclass(frozen=True)
class CrowdVisit:
    """A crowd delegation received at the desk on a day, not yet filed under a reception day."""

    id: int
    received_at: dt.datetime
    head_count: int
    presenter: str
    summary: str
    leader_name: str | None

    def text(self) -> str:
        return f"{self.received_at:%H:%M} — đoàn {self.head_count} người — {self.presenter} — {self.summary}"


def crowd_visits(session: Session, actor: Actor, day: dt.date) -> list[CrowdVisit]:
    """The day's crowd delegations without a reception day: those an ad hoc day may be opened for."""
    linked = set(session.scalars(select(Visit.id).where(Visit.received_on == day, Visit.reception_day_id.is_not(None))))
    return [
        CrowdVisit(r.id, r.received_at, r.head_count, r.citizen_name, r.summary, r.leader_name)
        for r in reversed(visits.visits_on(session, actor, day))
        if r.is_crowd and r.id not in linked
    ]


def open_ad_hoc_day(
    session: Session,
    actor: Actor,
    visit_id: int,
    *,
    leader_name: str | None = None,
    leader_title: str | None = None,
    place: str | None = None,
) -> int:
    """Open an "đột xuất" reception day for today from a crowd delegation's visit at the desk.

    The day is held at once, under the leader who receives the delegation; the visit becomes an ad hoc
    reception by that leader and is linked to the day.
    """
    require(actor, Permission.REGISTER_VISIT)
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    if not visit.is_crowd:
        raise ValidationError(
            {"visit": "Chỉ mở buổi tiếp đột xuất từ lượt tiếp đoàn đông người; lượt tiếp này không phải đoàn."}
        )
    if visit.reception_day_id is not None:
        raise RuleViolation(f"Lượt tiếp số {visit_id} đã thuộc ngày tiếp số {visit.reception_day_id}.")
    leader = nfc_or_none(leader_name) or visit.leader_name
    if not leader:
        raise ValidationError({"leader_name": "Nhập họ tên lãnh đạo tiếp đoàn đông người."})
    day_id = create_day(
        session,
        actor,
        DayInput(
            leader_name=leader,
            held_on=visit.received_on,
            leader_title=leader_title,
            start_time=visit.received_at.time().replace(second=0, microsecond=0, tzinfo=None),
            mode=DayMode.ONLINE if visit.is_online else DayMode.IN_PERSON,
            place=place or str(settings.get(session, DEFAULT_PLACE)),
            kind=ReceptionKind.AD_HOC,
            note=f"Tiếp đột xuất đoàn đông người ({visit.head_count} người), lượt tiếp số {visit.id}.",
        ),
    )
    _get(session, day_id).status = DayStatus.HELD
    if visit.reception_kind != ReceptionKind.AD_HOC or visit.leader_name != leader:
        # Through the desk's own correction, so the change is validated and audited like any other.
        data = visits.visit_input(session, actor, visit.id)
        visits.update_visit(
            session, actor, visit.id, dataclasses.replace(data, reception_kind=ReceptionKind.AD_HOC, leader_name=leader)
        )
    visit.reception_day_id = day_id
    session.flush()
    audit.record(session, actor, "link", "visit", visit.id, after={"reception_day_id": day_id})
    return day_id
