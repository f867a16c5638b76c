"""Follow-up (Theo dõi): what is overdue, due today, due soon; forwarded petitions awaiting the other
body's answer; decisions awaiting enforcement. One query layer for the board, the command line and
the morning brief.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.models import Agency, Citizen, Deadline, Petition, PetitionEvent, User
from app.models.enums import DeadlineStatus, HandlingAction, PetitionStatus, SenderKind
from app.services import clocks, confidential, settings
from app.services.actor import Actor
from app.services.deadlines import CHO_KET_QUA_CHUYEN_DON

HORIZON_DAYS = settings.define(
    "followup.horizon_days", 7, "Số ngày tới được coi là “sắp đến hạn” trên bảng theo dõi (mặc định 7)"
)

NO_OFFICER = "Chưa phân công cán bộ"
NO_AGENCY = "Chưa xác định cơ quan"
ANONYMOUS = "Đơn nặc danh"
ENFORCEMENT = "Thi hành quyết định giải quyết"
ENFORCEMENT_CODE = "thi_hanh"
FORWARDED_NO_CLOCK = "Đã chuyển đơn, chưa đặt thời hạn chờ kết quả"
# A petition in these states no longer waits for anything.
_FINISHED = (PetitionStatus.WITHDRAWN, PetitionStatus.TERMINATED, PetitionStatus.CLOSED)


@dataclass(frozen=True)
class FollowupItem:
    petition_id: int
    petition_number: str  # "12/2026": the petition's number in the office's register for the year
    sender: str  # masked for a denouncer when the actor may not see it
    summary: str
    rule_code: str
    rule_name: str
    start_on: dt.date | None
    due_on: dt.date | None
    days_late: int  # > 0: overdue by that many days
    days_left: int | None  # days until due (0 = today); None without a due date
    officer_id: int | None
    officer_name: str
    agency_id: int | None
    agency_name: str
    deadline_id: int | None = None

    @property
    def overdue(self) -> bool:
        return self.days_late > 0


@dataclass(frozen=True)
class Group:
    key: int | None
    title: str
    items: list[FollowupItem] = field(default_factory=list)


@dataclass(frozen=True)
class FollowupBoard:
    as_of: dt.date
    horizon_days: int
    overdue: list[FollowupItem]
    due_today: list[FollowupItem]
    due_soon: list[FollowupItem]  # after today, within the horizon ("trong tuần")
    awaiting_answer: list[FollowupItem]
    awaiting_enforcement: list[FollowupItem]

    @property
    def horizon_end(self) -> dt.date:
        return self.as_of + dt.timedelta(days=self.horizon_days)


# --- queries -------------------------------------------------------------------------------------


def overdue_count(session: Session, as_of: dt.date | None = None) -> int:
    """Open clocks past their due date (the figure the main window shows)."""
    as_of = as_of or dt.date.today()
    stmt = (
        select(func.count(Deadline.id))
        .join(Petition, Petition.id == Deadline.petition_id)
        .where(Deadline.status == DeadlineStatus.OPEN, Deadline.due_on < as_of, Petition.deleted_at.is_(None))
    )
    return int(session.scalar(stmt) or 0)


def board(session: Session, actor: Actor, as_of: dt.date | None = None) -> FollowupBoard:
    as_of = as_of or dt.date.today()
    horizon = int(settings.get(session, HORIZON_DAYS))
    end = as_of + dt.timedelta(days=horizon)
    due_rows = _open_clocks(session, Deadline.due_on <= end)
    items = _clock_items(session, actor, due_rows, as_of)
    waiting_rows = _open_clocks(session, Deadline.rule_code == CHO_KET_QUA_CHUYEN_DON)
    waiting = _clock_items(session, actor, waiting_rows, as_of) + _forwarded_without_clock(session, actor, as_of)
    return FollowupBoard(
        as_of=as_of,
        horizon_days=horizon,
        overdue=_by_due([i for i in items if i.due_on is not None and i.due_on < as_of]),
        due_today=_by_due([i for i in items if i.due_on == as_of]),
        due_soon=_by_due([i for i in items if i.due_on is not None and as_of < i.due_on <= end]),
        awaiting_answer=_by_due(waiting),
        awaiting_enforcement=_awaiting_enforcement(session, actor, as_of),
    )


def group(items: Iterable[FollowupItem], by: str) -> list[Group]:
    """Items grouped per officer (``by="officer"``) or per competent body (``by="agency"``); the
    unassigned group comes last, the others in name order."""
    key: Callable[[FollowupItem], tuple[int | None, str]]
    if by == "officer":
        key = lambda i: (i.officer_id, i.officer_name)  # noqa: E731
    elif by == "agency":
        key = lambda i: (i.agency_id, i.agency_name)  # noqa: E731
    else:
        raise ValueError(by)
    groups: dict[tuple[int | None, str], list[FollowupItem]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0] is None, kv[0][1].casefold()))
    return [Group(k[0], k[1], v) for k, v in ordered]


@dataclass(frozen=True)
class Section:
    """One titled list of the board, grouped: what the CLI prints and the morning brief lays out."""

    key: str
    title: str
    groups: list[Group]
    count: int


def sections(result: FollowupBoard, by: str = "officer") -> list[Section]:
    """The board's lists in reading order; forwarded petitions are always grouped per body."""
    lists = [
        ("overdue", "Quá hạn", result.overdue, by),
        ("due_today", "Đến hạn hôm nay", result.due_today, by),
        ("due_soon", f"Đến hạn trong {result.horizon_days} ngày tới", result.due_soon, by),
        ("awaiting_answer", "Đơn đã chuyển, chờ kết quả", result.awaiting_answer, "agency"),
        ("awaiting_enforcement", "Quyết định chờ thi hành", result.awaiting_enforcement, by),
    ]
    return [Section(key, title, group(items, grouping), len(items)) for key, title, items, grouping in lists]


def status_text(item: FollowupItem, as_of: dt.date) -> str:
    """ "trễ 4 ngày", "đến hạn hôm nay", "còn 3 ngày", or for a decision "ban hành 01/03/2026, đã 19 ngày"."""
    if item.rule_code == ENFORCEMENT_CODE:
        since = days_since(item, as_of)
        return f"ban hành {item.start_on:%d/%m/%Y}, đã {since} ngày" if item.start_on else "chưa rõ ngày ban hành"
    if item.due_on is None:
        return f"chuyển ngày {item.start_on:%d/%m/%Y}, chưa có hạn" if item.start_on else "chưa có hạn"
    if item.days_late:
        return f"hạn {item.due_on:%d/%m/%Y}, trễ {item.days_late} ngày"
    if item.days_left == 0:
        return f"hạn hôm nay {item.due_on:%d/%m/%Y}"
    return f"hạn {item.due_on:%d/%m/%Y}, còn {item.days_left} ngày"


# --- building rows -------------------------------------------------------------------------------


def _open_clocks(session: Session, condition: object) -> list[Deadline]:
    stmt = (
        select(Deadline)
        .join(Petition, Petition.id == Deadline.petition_id)
        .where(Deadline.status == DeadlineStatus.OPEN, Petition.deleted_at.is_(None), condition)  # type: ignore[arg-type]
        .order_by(Deadline.due_on, Deadline.id)
    )
    return list(session.scalars(stmt))


def _by_due(items: list[FollowupItem]) -> list[FollowupItem]:
    return sorted(items, key=lambda i: (i.due_on or dt.date.max, i.petition_number))


def petition_number(petition: Petition) -> str:
    return f"{petition.reg_seq}/{petition.reg_year}"


def sender_text(petition: Petition, citizen: Citizen | None) -> tuple[str, bool]:
    """Who sent it, and whether that is a denouncer's identity (to be masked)."""
    protect = confidential.must_protect(petition.kind) or bool(citizen and citizen.confidential)
    if petition.is_anonymous:
        return ANONYMOUS, False
    if petition.sender_kind == SenderKind.ORGANISATION and petition.organisation_name:
        return petition.organisation_name, protect
    name = citizen.full_name if citizen else (petition.organisation_name or "")
    if petition.sender_kind == SenderKind.CROWD and petition.head_count > 1:
        name = f"{name} (đoàn {petition.head_count} người)"
    return name, protect


class _Lookup:
    """Names of petitions, senders, officers and bodies, fetched once per board."""

    def __init__(self, session: Session, actor: Actor, petition_ids: Iterable[int]) -> None:
        self.actor = actor
        ids = sorted(set(petition_ids))
        self.petitions: dict[int, Petition] = (
            {p.id: p for p in session.scalars(select(Petition).where(Petition.id.in_(ids)))} if ids else {}
        )
        citizen_ids = {p.citizen_id for p in self.petitions.values() if p.citizen_id}
        self.citizens: dict[int, Citizen] = (
            {c.id: c for c in session.scalars(select(Citizen).where(Citizen.id.in_(citizen_ids)))}
            if citizen_ids
            else {}
        )
        self.users = {u.id: u.full_name for u in session.scalars(select(User))}
        self.agencies = {a.id: (a.short_name or a.name) for a in session.scalars(select(Agency))}
        self.rules = clocks.rules(session)

    def item(
        self,
        petition_id: int,
        *,
        rule_code: str,
        rule_name: str,
        start_on: dt.date | None,
        due_on: dt.date | None,
        as_of: dt.date,
        officer_id: int | None = None,
        agency_id: int | None = None,
        deadline_id: int | None = None,
    ) -> FollowupItem:
        petition = self.petitions[petition_id]
        citizen = self.citizens.get(petition.citizen_id) if petition.citizen_id else None
        sender, protect = sender_text(petition, citizen)
        officer_id = officer_id or petition.assigned_officer_id
        agency_id = agency_id or petition.handling_agency_id
        return FollowupItem(
            petition_id=petition_id,
            petition_number=petition_number(petition),
            sender=confidential.shown(self.actor, sender, protect) or "",
            summary=petition.summary,
            rule_code=rule_code,
            rule_name=rule_name,
            start_on=start_on,
            due_on=due_on,
            days_late=max(0, (as_of - due_on).days) if due_on else 0,
            days_left=(due_on - as_of).days if due_on else None,
            officer_id=officer_id,
            officer_name=self.users.get(officer_id, NO_OFFICER) if officer_id else NO_OFFICER,
            agency_id=agency_id,
            agency_name=self.agencies.get(agency_id, NO_AGENCY) if agency_id else NO_AGENCY,
            deadline_id=deadline_id,
        )


def _clock_items(session: Session, actor: Actor, rows: Sequence[Deadline], as_of: dt.date) -> list[FollowupItem]:
    look = _Lookup(session, actor, (r.petition_id for r in rows))
    result = []
    for row in rows:
        known = look.rules.get(row.rule_code)
        result.append(
            look.item(
                row.petition_id,
                rule_code=row.rule_code,
                rule_name=known.name if known else row.rule_code,
                start_on=row.start_on,
                due_on=row.due_on,
                as_of=as_of,
                officer_id=row.officer_id,
                agency_id=row.agency_id,
                deadline_id=row.id,
            )
        )
    return result


def _forwarded_without_clock(session: Session, actor: Actor, as_of: dt.date) -> list[FollowupItem]:
    """Forwarded petitions never given a waiting clock (imported, or forwarded before clocks ran)."""
    has_clock = exists().where(Deadline.petition_id == Petition.id, Deadline.rule_code == CHO_KET_QUA_CHUYEN_DON)
    forwarded_on = (
        select(func.max(PetitionEvent.occurred_on))
        .where(PetitionEvent.petition_id == Petition.id, PetitionEvent.action == HandlingAction.FORWARD)
        .scalar_subquery()
    )
    stmt = select(Petition.id, forwarded_on).where(
        Petition.status == PetitionStatus.FORWARDED, Petition.deleted_at.is_(None), ~has_clock
    )
    found = list(session.execute(stmt))
    look = _Lookup(session, actor, (pid for pid, _ in found))
    return [
        look.item(
            pid,
            rule_code="",
            rule_name=FORWARDED_NO_CLOCK,
            start_on=on,
            due_on=None,
            as_of=as_of,
            agency_id=_last_forward_agency(session, pid),
        )
        for pid, on in found
    ]


def _last_forward_agency(session: Session, petition_id: int) -> int | None:
    return session.scalar(
        select(PetitionEvent.agency_id)
        .where(PetitionEvent.petition_id == petition_id, PetitionEvent.action == HandlingAction.FORWARD)
        .order_by(PetitionEvent.occurred_on.desc(), PetitionEvent.id.desc())
        .limit(1)
    )


def _awaiting_enforcement(session: Session, actor: Actor, as_of: dt.date) -> list[FollowupItem]:
    """Petitions with a resolution decision issued and no enforcement recorded on or after it."""
    stmt = (
        select(PetitionEvent.petition_id, PetitionEvent.action, func.max(PetitionEvent.occurred_on))
        .join(Petition, Petition.id == PetitionEvent.petition_id)
        .where(
            PetitionEvent.action.in_([HandlingAction.DECIDE, HandlingAction.ENFORCE]),
            Petition.deleted_at.is_(None),
            Petition.status.not_in(_FINISHED),
            Petition.enforced_on.is_(None),
        )
        .group_by(PetitionEvent.petition_id, PetitionEvent.action)
    )
    decided: dict[int, dt.date] = {}
    enforced: dict[int, dt.date] = {}
    for pid, action, on in session.execute(stmt):
        (decided if action == HandlingAction.DECIDE else enforced)[pid] = on
    # A decision recorded only on the petition (decided_on), e.g. imported without events.
    for pid, on_petition in session.execute(
        select(Petition.id, Petition.decided_on).where(
            Petition.decided_on.is_not(None),
            Petition.enforced_on.is_(None),
            Petition.deleted_at.is_(None),
            Petition.status.not_in(_FINISHED),
        )
    ):
        if on_petition is not None:
            decided[pid] = max(on_petition, decided.get(pid, on_petition))
    waiting = {pid: on for pid, on in decided.items() if pid not in enforced or enforced[pid] < on}
    look = _Lookup(session, actor, waiting)
    items = [
        look.item(pid, rule_code=ENFORCEMENT_CODE, rule_name=ENFORCEMENT, start_on=on, due_on=None, as_of=as_of)
        for pid, on in waiting.items()
    ]
    return sorted(items, key=lambda i: (i.start_on or dt.date.min, i.petition_number))


def days_since(item: FollowupItem, as_of: dt.date) -> int | None:
    return (as_of - item.start_on).days if item.start_on else None
