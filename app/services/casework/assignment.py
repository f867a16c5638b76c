"""Giving petitions to a handling officer (cán bộ xử lý), one at a time or many at once.

The officer answers for the petition's running clocks, so the clocks move with the petition: the
follow-up board and the morning brief then list the work under that officer's name. Every change
is on the audit trail with the officer's name before and after (names, not ids: the trail is read
by people).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Deadline, User
from app.models.enums import DeadlineStatus, Role
from app.services.casework.petitions import CLOSED_STATUSES, get, number_of
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.security import audit
from app.services.security.permissions import ROLE_PERMISSIONS, Permission, require

UNASSIGNED = "Chưa phân công"
# Clocks still counting (or paused) belong to whoever handles the petition now.
_LIVE_CLOCKS = (DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED)


@dataclass(frozen=True)
class Officer:
    id: int
    full_name: str
    title: str | None

    @property
    def label(self) -> str:
        return f"{self.full_name} — {self.title}" if self.title else self.full_name


@dataclass(frozen=True)
class Assigned:
    officer_name: str
    numbers: tuple[str, ...]  # the petitions now with the officer ("12/2026")
    unchanged: tuple[str, ...]  # already with that officer: nothing written


def _handler_roles() -> list[Role]:
    return [role for role, granted in ROLE_PERMISSIONS.items() if Permission.PROCESS_PETITION in granted]


def officers(session: Session) -> list[Officer]:
    """Active accounts that may process petitions, by name: the people a petition can be given to."""
    rows = session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(_handler_roles())).order_by(User.full_name, User.id)
    )
    return [Officer(u.id, u.full_name, u.title) for u in rows]


def _officer(session: Session, officer_id: int) -> User:
    user = session.get(User, officer_id)
    if user is None:
        raise NotFoundError(f"Không tìm thấy tài khoản số {officer_id}.")
    if not user.active:
        raise ValidationError({"officer_id": f"Tài khoản “{user.full_name}” đã bị khóa: chọn cán bộ khác."})
    if Permission.PROCESS_PETITION not in ROLE_PERMISSIONS.get(user.role, frozenset()):
        raise ValidationError(
            {"officer_id": f"“{user.full_name}” không có quyền xử lý đơn: chọn cán bộ xử lý hoặc lãnh đạo."}
        )
    return user


def officer_name(session: Session, officer_id: int | None) -> str:
    user = session.get(User, officer_id) if officer_id is not None else None
    return user.full_name if user is not None else UNASSIGNED


def assign_officer(session: Session, actor: Actor, petition_ids: Iterable[int], officer_id: int) -> Assigned:
    """Give every petition of ``petition_ids`` to the officer; all or nothing.

    A closed petition is refused (nothing is left to handle); a petition already with the officer
    is left as it is and reported as unchanged.
    """
    require(actor, Permission.PROCESS_PETITION)
    ids = list(dict.fromkeys(petition_ids))
    if not ids:
        raise ValidationError({"petitions": "Chọn ít nhất một đơn để giao cán bộ xử lý."})
    officer = _officer(session, officer_id)
    petitions = [get(session, pid) for pid in ids]
    closed = [number_of(p.reg_seq, p.reg_year) for p in petitions if p.status in CLOSED_STATUSES]
    if closed:
        raise RuleViolation(
            f"Không giao cán bộ xử lý cho đơn đã kết thúc xử lý: đơn số {', '.join(closed)}. Bỏ chọn các đơn này."
        )
    done: list[str] = []
    unchanged: list[str] = []
    for petition in petitions:
        number = number_of(petition.reg_seq, petition.reg_year)
        if petition.assigned_officer_id == officer.id:
            unchanged.append(number)
            continue
        before = officer_name(session, petition.assigned_officer_id)
        petition.assigned_officer_id = officer.id
        session.execute(
            update(Deadline)
            .where(Deadline.petition_id == petition.id, Deadline.status.in_(_LIVE_CLOCKS))
            .values(officer_id=officer.id)
        )
        audit.record(
            session,
            actor,
            "assign",
            "petition",
            petition.id,
            before={"assigned_officer": before},
            after={"assigned_officer": officer.full_name},
        )
        done.append(number)
    session.flush()
    return Assigned(officer.full_name, tuple(done), tuple(unchanged))


def assigned_text(result: Assigned) -> str:
    """What the screens say after an assignment."""
    parts = []
    if result.numbers:
        parts.append(f"Đã giao {len(result.numbers)} đơn cho {result.officer_name}: số {', '.join(result.numbers)}.")
    if result.unchanged:
        parts.append(f"Đơn số {', '.join(result.unchanged)} đã do {result.officer_name} xử lý từ trước.")
    return " ".join(parts)
