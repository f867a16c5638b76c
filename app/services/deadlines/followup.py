"""Follow-up (Theo dõi): what is overdue, due today, due soon; forwarded petitions awaiting the other
body's answer; decisions awaiting enforcement. One query layer for the board, the command line and
the morning brief.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from app.models import Agency, Citizen, Deadline, Petition, PetitionEvent, ReceptionConclusion, User, Visit
from app.models.enums import DeadlineStatus, HandlingAction, MatterKind, PetitionStatus, SenderKind
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.deadlines import clocks, legal_effect
from app.services.deadlines.engine import CHO_KET_QUA_CHUYEN_DON, HIEU_LUC_QUYET_DINH
from app.services.security import confidential

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
    petition_id: int | None  # None: a reception conclusion about a visit with no petition
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
    # A leader's conclusion at a reception (its own dated follow-up, not a legal clock).
    conclusion_id: int | None = None
    visit_id: int | None = None

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
    as_of = as_of or local_today()
    stmt = (
        select(func.count(Deadline.id))
        .join(Petition, Petition.id == Deadline.petition_id)
        .where(
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.due_on < as_of,
            Petition.deleted_at.is_(None),
            # A window for a second complaint that ran out is not late work: the decision took effect.
            Deadline.rule_code != HIEU_LUC_QUYET_DINH,
        )
    )
    return int(session.scalar(stmt) or 0)


def board(session: Session, actor: Actor, as_of: dt.date | None = None) -> FollowupBoard:
    """The whole board in a fixed number of queries (each list joins the petition and sender it
    shows), whatever the number of items: no per-item query, no list of ids sent back."""
    as_of = as_of or local_today()
    # Decisions whose window for a second complaint ran out now have effect: their enforcement is followed.
    legal_effect.settle(session, as_of)
    horizon = int(settings.get(session, HORIZON_DAYS))
    end = as_of + dt.timedelta(days=horizon)
    names = _Names(session, actor, as_of)
    items = _clock_items(session, names, Deadline.due_on <= end)
    items += _conclusion_items(session, names, end)
    waiting = _clock_items(session, names, Deadline.rule_code == CHO_KET_QUA_CHUYEN_DON)
    waiting += _forwarded_without_clock(session, names)
    return FollowupBoard(
        as_of=as_of,
        horizon_days=horizon,
        overdue=_by_due([i for i in items if i.due_on is not None and i.due_on < as_of]),
        due_today=_by_due([i for i in items if i.due_on == as_of]),
        due_soon=_by_due([i for i in items if i.due_on is not None and as_of < i.due_on <= end]),
        awaiting_answer=_by_due(waiting),
        awaiting_enforcement=_awaiting_enforcement(session, names),
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

# The petition and sender columns an item shows, selected next to each list's own columns (a
# petition's handling officer comes first; its body stands in when the clock names none).
_PETITION_COLUMNS = (
    Petition.id,
    Petition.reg_seq,
    Petition.reg_year,
    Petition.summary,
    Petition.kind,
    Petition.is_anonymous,
    Petition.sender_kind,
    Petition.organisation_name,
    Petition.head_count,
    Petition.assigned_officer_id,
    Petition.handling_agency_id,
    Citizen.full_name,
    Citizen.confidential,
)
_WIDTH = len(_PETITION_COLUMNS)


@dataclass(frozen=True)
class _Sender:
    """What ``sender_text`` reads of a petition and its citizen (a row of ``_PETITION_COLUMNS``)."""

    kind: MatterKind
    is_anonymous: bool
    sender_kind: SenderKind
    organisation_name: str | None
    head_count: int
    citizen_name: str | None
    citizen_confidential: bool


def _with_petition(*columns: Any) -> Select[*tuple[Any, ...]]:
    """``columns`` plus the item's petition and sender columns, for live (not deleted) petitions."""
    return (
        select(*_PETITION_COLUMNS, *columns)
        .select_from(Petition)
        .outerjoin(Citizen, Citizen.id == Petition.citizen_id)
        .where(Petition.deleted_at.is_(None))
    )


def _clock_query(condition: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    return (
        _with_petition(
            Deadline.id, Deadline.rule_code, Deadline.start_on, Deadline.due_on, Deadline.officer_id, Deadline.agency_id
        )
        .join(Deadline, Deadline.petition_id == Petition.id)
        .where(Deadline.status == DeadlineStatus.OPEN, condition)
        .order_by(Deadline.due_on, Deadline.id)
    )


def _by_due(items: list[FollowupItem]) -> list[FollowupItem]:
    return sorted(items, key=lambda i: (i.due_on or dt.date.max, i.petition_number))


def petition_number(petition: Petition) -> str:
    return f"{petition.reg_seq}/{petition.reg_year}"


def sender_text(petition: Petition | _Sender, citizen: Citizen | None = None) -> tuple[str, bool]:
    """Who sent it, and whether that is a denouncer's identity (to be masked)."""
    if isinstance(petition, Petition):
        petition = _Sender(
            petition.kind,
            petition.is_anonymous,
            petition.sender_kind,
            petition.organisation_name,
            petition.head_count,
            citizen.full_name if citizen else None,
            bool(citizen and citizen.confidential),
        )
    protect = confidential.must_protect(petition.kind) or petition.citizen_confidential
    if petition.is_anonymous:
        return ANONYMOUS, False
    if petition.sender_kind == SenderKind.ORGANISATION and petition.organisation_name:
        return petition.organisation_name, protect
    name = petition.citizen_name if petition.citizen_name is not None else (petition.organisation_name or "")
    if petition.sender_kind == SenderKind.CROWD and petition.head_count > 1:
        name = f"{name} (đoàn {petition.head_count} người)"
    return name, protect


class _Names:
    """Officers, bodies and rules by id, read once per board; turns a row into an item."""

    def __init__(self, session: Session, actor: Actor, as_of: dt.date) -> None:
        self.actor = actor
        self.as_of = as_of
        self.users = {uid: name for uid, name in session.execute(select(User.id, User.full_name))}
        self.agencies = {
            aid: (short or name)
            for aid, short, name in session.execute(select(Agency.id, Agency.short_name, Agency.name))
        }
        self.rules = clocks.rules(session)

    def item(
        self,
        row: Sequence[Any],
        *,
        rule_code: str,
        rule_name: str,
        start_on: dt.date | None,
        due_on: dt.date | None,
        officer_id: int | None = None,
        agency_id: int | None = None,
        deadline_id: int | None = None,
    ) -> FollowupItem:
        """An item from a row starting with ``_PETITION_COLUMNS``."""
        (pid, seq, year, summary, kind, anonymous, sender_kind, organisation, heads, officer, agency, name, secret) = (
            row[:_WIDTH]
        )
        sender, protect = sender_text(
            _Sender(kind, anonymous, sender_kind, organisation, heads, name, bool(secret)),
        )
        # The officer the petition is given to now answers for it; a clock keeps who started it.
        officer_id = officer or officer_id
        agency_id = agency_id or agency
        as_of = self.as_of
        return FollowupItem(
            petition_id=pid,
            petition_number=f"{seq}/{year}",
            sender=confidential.shown(self.actor, sender, protect) or "",
            summary=summary,
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


def _clock_items(session: Session, names: _Names, condition: ColumnElement[bool]) -> list[FollowupItem]:
    """Open clocks of live petitions meeting ``condition``, with their petition, in one query."""
    result = []
    for row in session.execute(_clock_query(condition)):
        deadline_id, code, start_on, due_on, officer_id, agency_id = row[_WIDTH:]
        known = names.rules.get(code)
        result.append(
            names.item(
                row,
                rule_code=code,
                rule_name=known.name if known else code,
                start_on=start_on,
                due_on=due_on,
                officer_id=officer_id,
                agency_id=agency_id,
                deadline_id=deadline_id,
            )
        )
    return result


CONCLUSION_CODE = "ket_luan_tiep_cong_dan"
CONCLUSION = "Báo cáo kết quả thực hiện kết luận tiếp công dân"


def _conclusion_items(session: Session, names: _Names, end: dt.date) -> list[FollowupItem]:
    """Open conclusions of leaders' receptions due by ``end``: the assigned body has to report."""
    stmt = (
        select(
            ReceptionConclusion.id,
            ReceptionConclusion.visit_id,
            ReceptionConclusion.petition_id,
            ReceptionConclusion.leader_name,
            ReceptionConclusion.conclusions,
            ReceptionConclusion.assigned_agency_id,
            ReceptionConclusion.due_on,
            ReceptionConclusion.created_by,
            Visit.received_on,
            Visit.matter_kind,
            Citizen.full_name,
            Citizen.confidential,
            Petition.reg_seq,
            Petition.reg_year,
            Petition.assigned_officer_id,
        )
        .join(Visit, Visit.id == ReceptionConclusion.visit_id)
        .join(Citizen, Citizen.id == Visit.citizen_id)
        .outerjoin(Petition, Petition.id == ReceptionConclusion.petition_id)
        .where(
            ReceptionConclusion.status == DeadlineStatus.OPEN,
            ReceptionConclusion.due_on <= end,
            Visit.deleted_at.is_(None),
        )
        .order_by(ReceptionConclusion.due_on, ReceptionConclusion.id)
    )
    as_of = names.as_of
    result = []
    for (
        cid,
        vid,
        pid,
        leader,
        text,
        agency_id,
        due_on,
        creator,
        received_on,
        kind,
        name,
        secret,
        seq,
        year,
        officer,
    ) in session.execute(stmt):
        protect = confidential.must_protect(kind) or bool(secret)
        officer_id = officer or creator
        result.append(
            FollowupItem(
                petition_id=pid,
                petition_number=f"{seq}/{year}" if seq is not None else f"Lượt tiếp {received_on:%d/%m/%Y}",
                sender=confidential.shown(names.actor, name, protect) or "",
                summary=f"Kết luận: {text}",
                rule_code=CONCLUSION_CODE,
                rule_name=f"{CONCLUSION} ({leader})" if leader else CONCLUSION,
                start_on=received_on,
                due_on=due_on,
                days_late=max(0, (as_of - due_on).days),
                days_left=(due_on - as_of).days,
                officer_id=officer_id,
                officer_name=names.users.get(officer_id, NO_OFFICER) if officer_id else NO_OFFICER,
                agency_id=agency_id,
                agency_name=names.agencies.get(agency_id, NO_AGENCY) if agency_id else NO_AGENCY,
                conclusion_id=cid,
                visit_id=vid,
            )
        )
    return result


def _forwarded_without_clock(session: Session, names: _Names) -> list[FollowupItem]:
    """Forwarded petitions never given a waiting clock (imported, or forwarded before clocks ran)."""
    has_clock = exists().where(Deadline.petition_id == Petition.id, Deadline.rule_code == CHO_KET_QUA_CHUYEN_DON)
    forwards = (PetitionEvent.petition_id == Petition.id, PetitionEvent.action == HandlingAction.FORWARD)
    forwarded_on = select(func.max(PetitionEvent.occurred_on)).where(*forwards).scalar_subquery()
    # The body of the latest forwarding, as a correlated subquery: one statement for all petitions.
    last_agency = (
        select(PetitionEvent.agency_id)
        .where(*forwards)
        .order_by(PetitionEvent.occurred_on.desc(), PetitionEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    stmt = _with_petition(forwarded_on, last_agency).where(Petition.status == PetitionStatus.FORWARDED, ~has_clock)
    result = []
    for row in session.execute(stmt):
        on, agency_id = row[_WIDTH:]
        result.append(
            names.item(row, rule_code="", rule_name=FORWARDED_NO_CLOCK, start_on=on, due_on=None, agency_id=agency_id)
        )
    return result


def _awaiting_enforcement(session: Session, names: _Names) -> list[FollowupItem]:
    """Petitions with a resolution decision issued and no enforcement recorded on or after it."""

    def last(action: HandlingAction) -> ScalarSelect[Any]:
        return (
            select(func.max(PetitionEvent.occurred_on))
            .where(PetitionEvent.petition_id == Petition.id, PetitionEvent.action == action)
            .scalar_subquery()
        )

    decided_event = exists().where(
        PetitionEvent.petition_id == Petition.id, PetitionEvent.action == HandlingAction.DECIDE
    )
    stmt = _with_petition(Petition.decided_on, last(HandlingAction.DECIDE), last(HandlingAction.ENFORCE)).where(
        Petition.status.not_in(_FINISHED),
        Petition.enforced_on.is_(None),
        # A decision recorded only on the petition (decided_on) counts too, e.g. imported without events.
        or_(Petition.decided_on.is_not(None), decided_event),
    )
    items = []
    for row in session.execute(stmt):
        on_petition, on_event, enforced = row[_WIDTH:]
        decided = max(d for d in (on_petition, on_event) if d is not None)
        if enforced is None or enforced < decided:
            items.append(
                names.item(row, rule_code=ENFORCEMENT_CODE, rule_name=ENFORCEMENT, start_on=decided, due_on=None)
            )
    return sorted(items, key=lambda i: (i.start_on or dt.date.min, i.petition_number))


def days_since(item: FollowupItem, as_of: dt.date) -> int | None:
    return (as_of - item.start_on).days if item.start_on else None
