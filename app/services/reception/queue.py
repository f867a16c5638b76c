"""The shared waiting queue (hàng chờ) of a multi-desk office.

At the entrance a citizen is checked in and gets the day's next number (số thứ tự, from 1 each
day). Any free desk presses "Mời người tiếp theo": ``take_next`` hands it the first waiting ticket,
and never the same ticket to two desks pressing at the same moment. The desk receives the citizen,
saves the visit and marks the ticket served (linked to the visit), or marks that the citizen left.

Taking a ticket is one conditional ``UPDATE … WHERE id = :first AND status = 'dang_cho'``: the
desk whose update changed the row has it; a desk whose update changed nothing lost the race and
looks again. This needs no locking primitive of its own and behaves the same on SQLite (where a
write transaction holds the file's write lock) and PostgreSQL (where the second update waits for
the first to commit, re-reads the row and no longer matches it).

Desks learn of changes through the live-desk topic ``QUEUE_TOPIC``; each change raises it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Visit
from app.models.mixins import now_local
from app.models.waiting_queue import QueueTicket, TicketStatus
from app.services.common import changes
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import NotFoundError, RuleViolation, StorageError, ValidationError
from app.services.common.text import nfc, nfc_or_none
from app.services.common.vocab import label
from app.services.reception.citizens import CitizenInput, check_citizen
from app.services.security import audit
from app.services.security.permissions import Permission, require

QUEUE_TOPIC = "queue"
ENTITY = "queue_ticket"

OPEN = (TicketStatus.WAITING, TicketStatus.CALLED)
MATTER_MAX = 300  # the column's length (migration 0017)
DESK_MAX = 60
CROWD_MAX = 10_000
TAKE_ATTEMPTS = 50
NUMBER_ATTEMPTS = 10


@dataclass(frozen=True)
class CheckIn:
    """What the entrance clerk typed."""

    full_name: str
    matter: str
    phone: str | None = None
    id_number: str | None = None
    crowd_size: int = 1


@dataclass(frozen=True)
class TicketView:
    id: int
    day: dt.date
    number: int
    full_name: str
    phone: str | None
    id_number: str | None
    matter: str
    crowd_size: int
    checked_in_at: dt.datetime
    status: TicketStatus
    desk: str | None
    taken_by: int | None
    taken_at: dt.datetime | None
    finished_at: dt.datetime | None
    visit_id: int | None

    @property
    def label(self) -> str:
        return ticket_label(self.number)

    @property
    def status_label(self) -> str:
        return label(self.status)

    def waited(self, now: dt.datetime) -> dt.timedelta:
        """How long the citizen waited: until called, or until ``now`` while still waiting."""
        end = self.taken_at or (self.finished_at if self.status == TicketStatus.LEFT else None) or now
        return max(end - self.checked_in_at, dt.timedelta(0))


def ticket_label(number: int) -> str:
    """The number as the slip and the desks show it: "007"."""
    return f"{number:03d}"


def waited_text(span: dt.timedelta) -> str:
    """ "12 phút", "1 giờ 05 phút"."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} phút"
    return f"{minutes // 60} giờ {minutes % 60:02d} phút"


def _view(ticket: QueueTicket) -> TicketView:
    return TicketView(
        id=ticket.id,
        day=ticket.day,
        number=ticket.number,
        full_name=ticket.full_name,
        phone=ticket.phone,
        id_number=ticket.id_number,
        matter=ticket.matter,
        crowd_size=ticket.crowd_size,
        checked_in_at=ticket.checked_in_at.astimezone(LOCAL_TZ),
        status=ticket.status,
        desk=ticket.desk,
        taken_by=ticket.taken_by,
        taken_at=ticket.taken_at.astimezone(LOCAL_TZ) if ticket.taken_at else None,
        finished_at=ticket.finished_at.astimezone(LOCAL_TZ) if ticket.finished_at else None,
        visit_id=ticket.visit_id,
    )


def _get(session: Session, ticket_id: int) -> QueueTicket:
    ticket = session.get(QueueTicket, ticket_id, populate_existing=True)
    if ticket is None:
        raise NotFoundError(f"Không tìm thấy số thứ tự (phiếu số {ticket_id}) trong hàng chờ.")
    return ticket


def get_ticket(session: Session, ticket_id: int) -> TicketView:
    return _view(_get(session, ticket_id))


def _snapshot(ticket: QueueTicket) -> dict[str, Any]:
    return {
        "day": ticket.day,
        "number": ticket.number,
        "status": ticket.status,
        "desk": ticket.desk,
        "taken_by": ticket.taken_by,
        "visit_id": ticket.visit_id,
        "crowd_size": ticket.crowd_size,
    }


# ---- checking in -----------------------------------------------------------------------------------


def check_entry(data: CheckIn, *, today: dt.date | None = None) -> CheckIn:
    """The entry cleaned (NFC, trimmed), or ``ValidationError`` naming every field to fix."""
    checked = check_citizen(
        CitizenInput(full_name=data.full_name, id_number=data.id_number, phone=data.phone),
        prefix="citizen",
        today=today,
    )
    # The entrance form has its own field names, without the citizen form's prefix.
    errors = {key.removeprefix("citizen."): message for key, message in checked.errors.items()}
    matter = nfc(data.matter or "")
    if not matter:
        errors["matter"] = "Nhập vắn tắt việc công dân đến trình bày (vài chữ)."
    elif len(matter) > MATTER_MAX:
        errors["matter"] = f"Việc cần trình bày chỉ ghi vắn tắt, tối đa {MATTER_MAX} ký tự."
    if not 1 <= data.crowd_size <= CROWD_MAX:
        errors["crowd_size"] = "Số người đến cùng phải từ 1 trở lên."
    if errors:
        raise ValidationError(errors)
    return CheckIn(
        full_name=checked.data.full_name,
        matter=matter,
        phone=checked.data.phone,
        id_number=checked.data.id_number,
        crowd_size=data.crowd_size,
    )


def _next_number(session: Session, day: dt.date) -> int:
    last = session.scalar(select(func.max(QueueTicket.number)).where(QueueTicket.day == day))
    return int(last or 0) + 1


def check_in(session: Session, actor: Actor, data: CheckIn, *, now: dt.datetime | None = None) -> TicketView:
    """Give the citizen the day's next number; returns the ticket (``.number``) for the slip."""
    require(actor, Permission.REGISTER_VISIT)
    moment = (now or now_local()).astimezone(LOCAL_TZ)
    day = moment.date()
    cleaned = check_entry(data, today=day)
    # Two entrances checking in at once on PostgreSQL may pick the same number: the unique
    # constraint refuses the second, which takes the next one.
    for _ in range(NUMBER_ATTEMPTS):
        ticket = QueueTicket(
            day=day,
            number=_next_number(session, day),
            full_name=cleaned.full_name,
            phone=cleaned.phone,
            id_number=cleaned.id_number,
            matter=cleaned.matter,
            crowd_size=cleaned.crowd_size,
            checked_in_at=moment,
            status=TicketStatus.WAITING,
        )
        try:
            with session.begin_nested():
                session.add(ticket)
                session.flush()
        except IntegrityError:
            continue
        break
    else:
        raise StorageError("Nhiều nơi cùng lấy số thứ tự một lúc; bấm lại để lấy số.")
    audit.record(session, actor, "create", ENTITY, ticket.id, after=_snapshot(ticket))
    changes.bump(session, [QUEUE_TOPIC])
    return _view(ticket)


# ---- lists -----------------------------------------------------------------------------------------


def tickets_of_day(session: Session, day: dt.date | None = None) -> list[TicketView]:
    """Every ticket of the day (today by default) in number order."""
    rows = session.scalars(
        select(QueueTicket).where(QueueTicket.day == (day or local_today())).order_by(QueueTicket.number)
    )
    return [_view(t) for t in rows]


def waiting(session: Session, day: dt.date | None = None) -> list[TicketView]:
    """The citizens still waiting today, first come first."""
    rows = session.scalars(
        select(QueueTicket)
        .where(QueueTicket.day == (day or local_today()), QueueTicket.status == TicketStatus.WAITING)
        .order_by(QueueTicket.number)
    )
    return [_view(t) for t in rows]


# ---- calling, serving ------------------------------------------------------------------------------


def _desk(desk: str) -> str:
    name = nfc(desk or "")
    if not name:
        raise ValidationError({"desk": "Nhập tên bàn tiếp (ví dụ “Bàn 2”) để công dân biết đến đâu."})
    if len(name) > DESK_MAX:
        raise ValidationError({"desk": f"Tên bàn tiếp tối đa {DESK_MAX} ký tự."})
    return name


def take_next(
    session: Session, actor: Actor, desk: str, *, day: dt.date | None = None, now: dt.datetime | None = None
) -> TicketView | None:
    """Call the first waiting citizen to ``desk``; ``None`` when nobody is waiting.

    Atomic across desks: the ticket goes to the one desk whose conditional update changed it.
    """
    require(actor, Permission.REGISTER_VISIT)
    name = _desk(desk)
    today = day or local_today()
    for _ in range(TAKE_ATTEMPTS):
        first = session.scalar(
            select(QueueTicket.id)
            .where(QueueTicket.day == today, QueueTicket.status == TicketStatus.WAITING)
            .order_by(QueueTicket.number)
            .limit(1)
        )
        if first is None:
            return None
        result = cast(
            CursorResult[Any],
            session.execute(
                update(QueueTicket)
                .where(QueueTicket.id == first, QueueTicket.status == TicketStatus.WAITING)
                .values(
                    status=TicketStatus.CALLED,
                    desk=name,
                    taken_by=actor.user_id,
                    taken_at=now or now_local(),
                )
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            continue  # another desk took it between our look and our update: look again
        ticket = _get(session, first)
        audit.record(
            session,
            actor,
            "call",
            ENTITY,
            ticket.id,
            before={"status": TicketStatus.WAITING},
            after={"status": ticket.status, "desk": name},
        )
        changes.bump(session, [QUEUE_TOPIC])
        return _view(ticket)
    raise StorageError("Nhiều bàn cùng mời một lúc; bấm “Mời người tiếp theo” lại.")


def _finish(session: Session, actor: Actor, ticket: QueueTicket, status: TicketStatus, action: str) -> None:
    if ticket.status not in OPEN:
        raise RuleViolation(
            f"Số {ticket_label(ticket.number)} đã được ghi “{label(ticket.status)}”: không đổi được nữa."
        )
    before = _snapshot(ticket)
    ticket.status = status
    ticket.finished_at = now_local()
    session.flush()
    old, new = audit.changes(before, _snapshot(ticket))
    audit.record(session, actor, action, ENTITY, ticket.id, before=old, after=new)
    changes.bump(session, [QUEUE_TOPIC])


def mark_served(session: Session, actor: Actor, ticket_id: int, visit_id: int | None = None) -> TicketView:
    """The citizen was received; ``visit_id`` links the visit saved for them."""
    require(actor, Permission.REGISTER_VISIT)
    ticket = _get(session, ticket_id)
    if visit_id is not None:
        visit = session.get(Visit, visit_id)
        if visit is None or visit.deleted_at is not None:
            raise ValidationError({"visit_id": f"Không tìm thấy lượt tiếp số {visit_id}."})
        ticket.visit_id = visit_id
    _finish(session, actor, ticket, TicketStatus.SERVED, "serve")
    return _view(ticket)


def mark_left(session: Session, actor: Actor, ticket_id: int) -> TicketView:
    """The citizen went away before (or while) being received."""
    require(actor, Permission.REGISTER_VISIT)
    ticket = _get(session, ticket_id)
    _finish(session, actor, ticket, TicketStatus.LEFT, "leave")
    return _view(ticket)


def visit_prefill(ticket: TicketView) -> CitizenInput:
    """The person the visit form starts from: the name, CCCD and phone given at the entrance."""
    return CitizenInput(full_name=ticket.full_name, id_number=ticket.id_number, phone=nfc_or_none(ticket.phone))
