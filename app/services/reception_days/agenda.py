"""The facts of a reception day's programme (chương trình, nội dung buổi tiếp): who registered, what they
come about, and each one's petitions still pending here, with their state and the running legal clocks.

A denunciation stays out of the programme for users without the right to see the denouncer: the
programme is read aloud and handed to the leader's staff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Deadline, Petition
from app.models.enums import DeadlineStatus, MatterKind
from app.models.reception_days import BookingStatus
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.vocab import label
from app.services.deadlines import clocks
from app.services.reception.citizens import OPEN_PETITION_STATUSES
from app.services.reception_days import bookings, days
from app.services.reception_days.bookings import BookingView
from app.services.reception_days.days import DayView
from app.services.security import confidential

RUNNING = (DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED)


@dataclass(frozen=True)
class ClockView:
    rule_name: str
    due_on: dt.date
    suspended: bool
    days_left: int

    def text(self) -> str:
        if self.suspended:
            return f"{self.rule_name}: tạm dừng (hạn cũ {self.due_on:%d/%m/%Y})"
        if self.days_left < 0:
            state = f"quá hạn {-self.days_left} ngày"
        elif self.days_left == 0:
            state = "đến hạn hôm nay"
        else:
            state = f"còn {self.days_left} ngày"
        return f"{self.rule_name}: hạn {self.due_on:%d/%m/%Y} ({state})"


@dataclass(frozen=True)
class PendingCase:
    petition_id: int
    number: str
    received_on: dt.date
    kind: MatterKind
    status_label: str
    summary: str
    clocks: tuple[ClockView, ...]

    def text(self) -> str:
        return (
            f"Đơn số {self.number} ngày {self.received_on:%d/%m/%Y} ({label(self.kind).lower()}): {self.status_label}"
        )


@dataclass(frozen=True)
class AgendaItem:
    booking: BookingView
    pending: tuple[PendingCase, ...]


@dataclass(frozen=True)
class Agenda:
    day: DayView
    items: tuple[AgendaItem, ...]
    as_of: dt.date

    @property
    def people(self) -> int:
        return sum(i.booking.delegation_size for i in self.items)


def pending_cases(
    session: Session, actor: Actor, citizen_ids: set[int], petition_ids: set[int], as_of: dt.date
) -> list[tuple[int | None, PendingCase]]:
    """Open petitions of these citizens (and these petitions), with their citizen, oldest first."""
    if not citizen_ids and not petition_ids:
        return []
    conds = []
    if citizen_ids:
        conds.append(Petition.citizen_id.in_(citizen_ids))
    if petition_ids:
        conds.append(Petition.id.in_(petition_ids))
    found = list(
        session.scalars(
            select(Petition)
            .where(or_(*conds), Petition.deleted_at.is_(None), Petition.status.in_(OPEN_PETITION_STATUSES))
            .order_by(Petition.received_on, Petition.id)
        )
    )
    if not confidential.can_see(actor):
        found = [p for p in found if not confidential.must_protect(p.kind)]
    rules = clocks.rules(session)
    running: dict[int, list[ClockView]] = {}
    if found:
        for d in session.scalars(
            select(Deadline)
            .where(Deadline.petition_id.in_([p.id for p in found]), Deadline.status.in_(RUNNING))
            .order_by(Deadline.due_on)
        ):
            known = rules.get(d.rule_code)
            running.setdefault(d.petition_id, []).append(
                ClockView(
                    rule_name=known.name if known else d.rule_code,
                    due_on=d.due_on,
                    suspended=d.status == DeadlineStatus.SUSPENDED,
                    days_left=(d.due_on - as_of).days,
                )
            )
    return [
        (
            p.citizen_id,
            PendingCase(
                petition_id=p.id,
                number=f"{p.reg_seq}/{p.reg_year}",
                received_on=p.received_on,
                kind=p.kind,
                status_label=label(p.status),
                summary=p.summary,
                clocks=tuple(running.get(p.id, ())),
            ),
        )
        for p in found
    ]


def _masked(actor: Actor, booking: BookingView) -> BookingView:
    """A denouncer's booking without their identity, for users without the right to see it."""
    if not confidential.must_protect(booking.matter_kind) or confidential.can_see(actor):
        return booking
    return dataclasses.replace(
        booking,
        full_name=confidential.shown(actor, booking.full_name, True) or "",
        id_number=None,
        phone=None,
    )


def agenda(session: Session, actor: Actor, day_id: int, *, as_of: dt.date | None = None) -> Agenda:
    """The day's bookings (absent ones left out) with each citizen's pending cases."""
    as_of = as_of or local_today()
    view = days.day_view(session, day_id)
    booked = [_masked(actor, b) for b in bookings.bookings_of(session, day_id) if b.status != BookingStatus.ABSENT]
    citizen_ids = {b.citizen_id for b in booked if b.citizen_id}
    petition_ids = {b.petition_id for b in booked if b.petition_id}
    found = pending_cases(session, actor, citizen_ids, petition_ids, as_of)
    items = []
    for b in booked:
        mine = [
            case
            for owner, case in found
            if case.petition_id == b.petition_id or (b.citizen_id is not None and owner == b.citizen_id)
        ]
        items.append(AgendaItem(b, tuple(mine)))
    return Agenda(view, tuple(items), as_of)
