"""Citizens registered for a leader's reception day, and holding the day: a booking becomes a visit.

Holding goes through the reception desk's own ``visits.register_visit``: the visit is validated,
stored, audited and listed in the register like any other, with the day's kind (định kỳ / đột xuất),
its leader, online when the day is online, and ``reception_day_id`` pointing at the day.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Booking, Citizen, Petition, ReceptionDay, Visit
from app.models.enums import MatterKind, VisitOutcome
from app.models.mixins import now_local
from app.models.reception_days import BookingStatus, DayMode, DayStatus
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import nfc
from app.services.common.vocab import label
from app.services.reception import citizens, visits
from app.services.reception.citizens import CitizenInput, check_citizen, citizen_input
from app.services.security import audit
from app.services.security.permissions import Permission, require

MAX_DELEGATION = 10_000
DEFAULT_START = dt.time(8, 0)


@dataclass(frozen=True)
class BookingInput:
    """What the clerk typed when a citizen registers to be received."""

    full_name: str
    matter: str
    phone: str | None = None
    id_number: str | None = None
    matter_kind: MatterKind | None = None
    citizen_id: int | None = None
    petition_id: int | None = None
    delegation_size: int = 1
    connection_point_id: int | None = None


@dataclass(frozen=True)
class BookingView:
    id: int
    position: int
    full_name: str
    phone: str | None
    id_number: str | None
    matter: str
    matter_kind: MatterKind | None
    citizen_id: int | None
    petition_id: int | None
    delegation_size: int
    status: BookingStatus
    connection_point_id: int | None
    connection_point: str
    visit_id: int | None

    @property
    def status_label(self) -> str:
        return label(self.status)


def _get(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError(f"Không tìm thấy đăng ký tiếp số {booking_id}.")
    return booking


def _day(session: Session, day_id: int) -> ReceptionDay:
    day = session.get(ReceptionDay, day_id)
    if day is None:
        raise NotFoundError(f"Không tìm thấy ngày tiếp số {day_id}.")
    return day


def bookings_of(session: Session, day_id: int) -> list[BookingView]:
    """The day's bookings in the order they registered."""
    day = _day(session, day_id)
    points = {p.id: p.unit_name for p in day.connection_points}
    return [
        BookingView(
            id=b.id,
            position=n,
            full_name=b.full_name,
            phone=b.phone,
            id_number=b.id_number,
            matter=b.matter,
            matter_kind=b.matter_kind,
            citizen_id=b.citizen_id,
            petition_id=b.petition_id,
            delegation_size=b.delegation_size,
            status=b.status,
            connection_point_id=b.connection_point_id,
            connection_point=points.get(b.connection_point_id or 0, ""),
            visit_id=b.visit_id,
        )
        for n, b in enumerate(day.bookings, 1)
    ]


def _check(session: Session, day: ReceptionDay, data: BookingInput) -> BookingInput:
    checked = check_citizen(
        CitizenInput(full_name=data.full_name, id_number=data.id_number, phone=data.phone), prefix="citizen"
    )
    # The booking form has its own field names, without the citizen form's prefix.
    errors = {key.removeprefix("citizen."): message for key, message in checked.errors.items()}
    matter = nfc(data.matter or "")
    if not matter:
        errors["matter"] = "Nhập nội dung công dân đăng ký trình bày."
    if not 1 <= data.delegation_size <= MAX_DELEGATION:
        errors["delegation_size"] = "Số người đến phải từ 1 trở lên."
    if data.matter_kind is not None:
        try:
            MatterKind(data.matter_kind)
        except ValueError:
            errors["matter_kind"] = "Loại nội dung không hợp lệ."
    if data.citizen_id is not None and session.get(Citizen, data.citizen_id) is None:
        errors["citizen_id"] = f"Không tìm thấy công dân số {data.citizen_id}."
    if data.petition_id is not None:
        petition = session.get(Petition, data.petition_id)
        if petition is None or petition.deleted_at is not None:
            errors["petition_id"] = f"Không tìm thấy đơn số {data.petition_id}."
    if data.connection_point_id is not None:
        if day.mode != DayMode.ONLINE:
            errors["connection_point_id"] = "Ngày tiếp trực tiếp không có điểm cầu."
        elif data.connection_point_id not in {p.id for p in day.connection_points}:
            errors["connection_point_id"] = "Điểm cầu đã chọn không thuộc ngày tiếp này."
    if errors:
        raise ValidationError(errors)
    return dataclasses.replace(
        data,
        full_name=checked.data.full_name,
        id_number=checked.data.id_number,
        phone=checked.data.phone,
        matter=matter,
        citizen_id=data.citizen_id or _known_citizen(session, checked.data.id_number),
    )


def _known_citizen(session: Session, id_number: str | None) -> int | None:
    """The citizen already on file under this CCCD, so the agenda can list their pending cases."""
    if not id_number:
        return None
    return session.scalar(
        select(Citizen.id)
        .where(
            # The digest under the session's own database key, as the desk's lookup does.
            Citizen.id_number_digest == citizens._digest(session, id_number),
            Citizen.deleted_at.is_(None),
            Citizen.confidential.is_(False),
        )
        .order_by(Citizen.id.desc())
        .limit(1)
    )


def _snapshot(booking: Booking) -> dict[str, Any]:
    return {
        "reception_day_id": booking.reception_day_id,
        "citizen_id": booking.citizen_id,
        "petition_id": booking.petition_id,
        "delegation_size": booking.delegation_size,
        "status": booking.status,
        "visit_id": booking.visit_id,
        "connection_point_id": booking.connection_point_id,
    }


def _apply(booking: Booking, data: BookingInput) -> None:
    booking.full_name = data.full_name
    booking.phone = data.phone
    booking.id_number = data.id_number
    booking.matter = data.matter
    booking.matter_kind = data.matter_kind
    booking.citizen_id = data.citizen_id
    booking.petition_id = data.petition_id
    booking.delegation_size = data.delegation_size
    booking.connection_point_id = data.connection_point_id


def add_booking(session: Session, actor: Actor, day_id: int, data: BookingInput) -> int:
    """Register a citizen for the day; raises ``ValidationError`` naming every field to fix."""
    require(actor, Permission.REGISTER_VISIT)
    day = _day(session, day_id)
    if day.status == DayStatus.CANCELLED:
        raise RuleViolation(f"Ngày tiếp {day.held_on:%d/%m/%Y} đã hủy: không đăng ký thêm được.")
    cleaned = _check(session, day, data)
    booking = Booking(status=BookingStatus.BOOKED)
    _apply(booking, cleaned)
    day.bookings.append(booking)
    session.flush()
    audit.record(session, actor, "create", "reception_booking", booking.id, after=_snapshot(booking))
    return booking.id


def update_booking(session: Session, actor: Actor, booking_id: int, data: BookingInput) -> None:
    require(actor, Permission.REGISTER_VISIT)
    booking = _get(session, booking_id)
    if booking.status == BookingStatus.RECEIVED:
        raise RuleViolation("Công dân đã được tiếp: sửa nội dung trong lượt tiếp đã ghi.")
    cleaned = _check(session, booking.day, data)
    before = _snapshot(booking)
    _apply(booking, cleaned)
    session.flush()
    old, new = audit.changes(before, _snapshot(booking))
    audit.record(session, actor, "update", "reception_booking", booking.id, before=old, after=new)


def mark_absent(session: Session, actor: Actor, booking_id: int, absent: bool = True) -> None:
    """The citizen did not come (or, ``absent=False``, came after all: back to booked)."""
    require(actor, Permission.REGISTER_VISIT)
    booking = _get(session, booking_id)
    if booking.status == BookingStatus.RECEIVED:
        raise RuleViolation("Công dân đã được tiếp: không đánh dấu vắng mặt được.")
    before = booking.status
    booking.status = BookingStatus.ABSENT if absent else BookingStatus.BOOKED
    audit.record(
        session,
        actor,
        "status",
        "reception_booking",
        booking.id,
        before={"status": before},
        after={"status": booking.status},
    )


# ---- holding the day -----------------------------------------------------------------------------------


def _received_at(day: ReceptionDay, now: dt.datetime) -> dt.datetime:
    """Now, on the day itself; the day's start time when the reception is recorded afterwards."""
    if day.held_on == now.astimezone(LOCAL_TZ).date():
        return now
    return dt.datetime.combine(day.held_on, day.start_time or DEFAULT_START, LOCAL_TZ)


def booking_visit_input(session: Session, booking_id: int, *, now: dt.datetime | None = None) -> visits.VisitInput:
    """The visit form pre-filled from a booking and its day, for the clerk to complete."""
    booking = _get(session, booking_id)
    day = booking.day
    if booking.citizen_id is not None:
        person = citizen_input(session, booking.citizen_id)
        person = dataclasses.replace(
            person, phone=person.phone or booking.phone, id_number=person.id_number or booking.id_number
        )
    else:
        person = CitizenInput(full_name=booking.full_name, id_number=booking.id_number, phone=booking.phone)
    return visits.VisitInput(
        reception_kind=day.kind,
        citizen=person,
        summary=booking.matter,
        matter_kind=booking.matter_kind or MatterKind.RECOMMENDATION,
        outcome=VisitOutcome.EXPLAINED,
        received_at=_received_at(day, now or now_local()),
        citizen_id=booking.citizen_id,
        leader_name=day.leader_name,
        head_count=booking.delegation_size,
        is_online=day.mode == DayMode.ONLINE,
    )


def hold_booking(
    session: Session,
    actor: Actor,
    booking_id: int,
    data: visits.VisitInput | None = None,
    *,
    now: dt.datetime | None = None,
) -> visits.SavedVisit:
    """Receive a booked citizen: register the visit (the form's ``data``, else the booking as it is) as a
    reception of the day — its kind, its leader, online when the day is — and mark the booking received."""
    require(actor, Permission.REGISTER_VISIT)
    booking = _get(session, booking_id)
    day = booking.day
    if day.status == DayStatus.CANCELLED:
        raise RuleViolation(f"Ngày tiếp {day.held_on:%d/%m/%Y} đã hủy: không ghi lượt tiếp vào ngày này được.")
    if booking.status == BookingStatus.RECEIVED:
        raise RuleViolation(f"Công dân {booking.full_name} đã được tiếp (lượt tiếp số {booking.visit_id}).")
    moment = now or now_local()
    if day.held_on > moment.astimezone(LOCAL_TZ).date():
        raise RuleViolation(
            f"Ngày tiếp {day.held_on:%d/%m/%Y} chưa đến: chỉ ghi lượt tiếp khi lãnh đạo đã tiếp công dân."
        )
    form = data or booking_visit_input(session, booking_id, now=moment)
    form = dataclasses.replace(
        form,
        reception_kind=day.kind,
        leader_name=day.leader_name,
        is_online=day.mode == DayMode.ONLINE,
        received_at=form.received_at or _received_at(day, moment),
        # The form's own choice of person stands: a clerk who typed someone else meant someone else.
        citizen_id=form.citizen_id if data is not None else booking.citizen_id,
    )
    saved = visits.register_visit(session, actor, form, now=moment)
    visit = session.get(Visit, saved.id)
    assert visit is not None
    visit.reception_day_id = day.id
    before = _snapshot(booking)
    booking.status = BookingStatus.RECEIVED
    booking.visit_id = saved.id
    booking.citizen_id = saved.citizen_id
    if day.status == DayStatus.PLANNED:
        day.status = DayStatus.HELD
    session.flush()
    old, new = audit.changes(before, _snapshot(booking))
    audit.record(session, actor, "hold", "reception_booking", booking.id, before=old, after=new)
    return saved


def hold_day(session: Session, actor: Actor, day_id: int) -> int:
    """Close the day as held: the bookings still waiting are marked absent; returns how many."""
    require(actor, Permission.REGISTER_VISIT)
    day = _day(session, day_id)
    if day.status == DayStatus.CANCELLED:
        raise RuleViolation("Ngày tiếp đã hủy.")
    waiting = [b for b in day.bookings if b.status == BookingStatus.BOOKED]
    for booking in waiting:
        booking.status = BookingStatus.ABSENT
    before = day.status
    day.status = DayStatus.HELD
    audit.record(
        session,
        actor,
        "status",
        "reception_day",
        day.id,
        before={"status": before},
        after={"status": day.status, "absent": len(waiting)},
    )
    return len(waiting)


def link_visit(session: Session, actor: Actor, day_id: int, visit_id: int) -> None:
    """File a visit already recorded at the desk under a reception day (same date)."""
    require(actor, Permission.EDIT_VISIT)
    day = _day(session, day_id)
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    if visit.received_on != day.held_on:
        raise ValidationError(
            {
                "visit": f"Lượt tiếp số {visit_id} ngày {visit.received_on:%d/%m/%Y}, "
                f"khác ngày tiếp {day.held_on:%d/%m/%Y}."
            }
        )
    before = visit.reception_day_id
    visit.reception_day_id = day.id
    audit.record(
        session,
        actor,
        "link",
        "visit",
        visit.id,
        before={"reception_day_id": before},
        after={"reception_day_id": day.id},
    )
