"""The facts a report counts: one plain row per visit or petition of a period, read in one scan.

Each kind of record offers named fact columns (stored codes, flags, amounts, and dates reduced to
where they fall against the period). A report asks only for the columns its forms read; the rows come
back as plain tuples (no enum or boolean conversion: stored codes are compared as stored), with the
record id first. Conditions are evaluated in Python over the few thousand distinct combinations of
these values (engine.py), which measured far cheaper than testing every condition on every row in SQL.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.types import NullType

from app.models import Case, IssuedDocument, Petition, PetitionEvent, Visit
from app.models.enums import HandlingAction, PetitionStatus
from app.services.casework.first_dates import DIRECTION_ACTIONS
from app.services.reports.periods import Period

# Where a date falls against the period, as a small number (so that records group well).
NONE, BEFORE, DURING, AFTER = 0, 1, 2, 3

# The actions a form may ask about ("event": …): bit i of a petition's ``actions`` fact says that
# FLAGGED_ACTIONS[i] happened during the period.
FLAGGED_ACTIONS = (
    *DIRECTION_ACTIONS,
    HandlingAction.REMIND,
    HandlingAction.DECIDE,
    HandlingAction.ENFORCE,
    HandlingAction.ANSWER_RECEIVED,
)
ACTION_BIT = {action.value: 1 << i for i, action in enumerate(FLAGGED_ACTIONS)}
ACCEPTED_STATUSES = (PetitionStatus.ACCEPTED, PetitionStatus.RESOLVED)
ID_CHUNK = 900  # ids per IN list (SQLite's default limit of bound parameters is 999 on old builds)


@dataclass(frozen=True)
class FactTable:
    names: tuple[str, ...]  # names[0] == "id"
    rows: list[Any]  # Row objects, indexable like tuples

    def position(self, name: str) -> int:
        return self.names.index(name)


def bucket(day: Any, period: Period) -> ColumnElement[int]:
    return case(
        (day.is_(None), NONE),
        (day < period.start, BEFORE),
        (day <= period.end, DURING),
        else_=AFTER,
    )


def _code(column: Any) -> ColumnElement[Any]:
    """A stored code as the driver returns it (a str), without converting it to its enum."""
    return type_coerce(column, String())


def _flag(column: Any) -> ColumnElement[Any]:
    """A stored boolean as the driver returns it: 0/1 on SQLite, bool on PostgreSQL (True == 1)."""
    return type_coerce(column, Integer())


def _raw(column: Any) -> ColumnElement[Any]:
    return type_coerce(column, NullType())


class FactSource:
    """Named fact columns of one kind of record and the query that reads them for a period."""

    entity: ClassVar[str]
    # Columns whose value is a number to add up, by the measure that adds them.
    amounts: ClassVar[dict[str, str]]
    # Measures counting distinct values of a column rather than records.
    distinct: ClassVar[dict[str, str]] = {}

    def columns(self, period: Period) -> dict[str, ColumnElement[Any]]:
        raise NotImplementedError

    def load(self, session: Session, period: Period, wanted: Collection[str]) -> FactTable:
        raise NotImplementedError

    def _sql(self, period: Period, wanted: Iterable[str]) -> tuple[list[str], list[ColumnElement[Any]]]:
        available, wanted = self.columns(period), set(wanted)
        names = [name for name in available if name in wanted]
        return names, [available[name].label(name) for name in names]


class VisitFacts(FactSource):
    """Visits of the period: the same rows as the reception register (the daily log)."""

    entity = "visit"
    amounts: ClassVar[dict[str, str]] = {"people": "head_count"}
    # One matter per case, and a visit not linked to a case is a matter of its own; a reception
    # session (kỳ tiếp) is the leader's reception day the visit was held on (lịch tiếp), else, for a
    # visit recorded without one, the day on which it was received.
    distinct: ClassVar[dict[str, str]] = {"matters": "matter_key", "sessions": "session_key"}

    def columns(self, period: Period) -> dict[str, ColumnElement[Any]]:
        old_case = and_(Case.id.is_not(None), Case.first_received_on < period.start)
        earlier = aliased(Visit)
        # Received before about the same case: the citizen comes again (tiếp nhiều lần).
        repeat = (
            select(earlier.id)
            .where(
                earlier.case_id == Visit.case_id,
                earlier.deleted_at.is_(None),
                or_(
                    earlier.received_at < Visit.received_at,
                    and_(earlier.received_at == Visit.received_at, earlier.id < Visit.id),
                ),
            )
            .exists()
        )
        return {
            "repeat": case((and_(Visit.case_id.is_not(None), repeat), 1), else_=0),
            "received_on": _raw(Visit.received_on),
            "reception_kind": _code(Visit.reception_kind),
            "matter_kind": _code(Visit.matter_kind),
            "matter_state": _code(Visit.matter_state),
            "outcome": _code(Visit.outcome),
            "is_crowd": _flag(Visit.is_crowd),
            "delegated": _flag(Visit.delegated),
            "is_online": _flag(Visit.is_online),
            "field_code": _code(Visit.field_code),
            "case_old": case((old_case, 1), else_=0),
            "head_count": _raw(Visit.head_count),
            # Ids are positive, so a negated visit id never meets a case id.
            "matter_key": case((Visit.case_id.is_(None), -Visit.id), else_=Visit.case_id),
            "session_key": case(
                (Visit.reception_day_id.is_not(None), literal("d") + cast(Visit.reception_day_id, String())),
                else_=literal("v") + cast(Visit.received_on, String()),
            ),
        }

    def load(self, session: Session, period: Period, wanted: Collection[str]) -> FactTable:
        names, columns = self._sql(period, wanted)
        stmt: Select[Any] = select(_raw(Visit.id).label("id"), *columns).select_from(Visit)
        if "case_old" in names:
            stmt = stmt.outerjoin(Case, Case.id == Visit.case_id)
        stmt = stmt.where(
            Visit.deleted_at.is_(None), Visit.received_on >= period.start, Visit.received_on <= period.end
        )
        return FactTable(("id", *names), _fetch(session, stmt))


class PetitionFacts(FactSource):
    """Petitions that can count in the period: received in it, still open at its start, or acted on
    (a counted action or an issued document) during it. Everything closed earlier is left out unread.
    """

    entity = "petition"
    amounts: ClassVar[dict[str, str]] = {
        "people": "head_count",
        "money": "money_recovered",
        "land": "land_recovered_m2",
        "people_handled": "people_handled",
        "documents": "documents",
    }
    # Facts that come from other tables, joined in Python by petition id.
    VIRTUAL: ClassVar[tuple[str, ...]] = ("actions", "documents")

    def columns(self, period: Period) -> dict[str, ColumnElement[Any]]:
        p = Petition
        received_b = bucket(p.received_on, period)
        return {
            **{name: _code(getattr(p, name)) for name in _PETITION_CODES},
            **{name: _flag(getattr(p, name)) for name in _PETITION_FLAGS},
            "field_code": _code(p.field_code),
            "received_b": received_b,
            "handled_b": bucket(p.handled_on, period),
            # Imported or legacy petitions may be accepted without an acceptance event.
            "accepted_b": case(
                (p.accepted_on.is_not(None), bucket(p.accepted_on, period)),
                (p.status.in_([s.value for s in ACCEPTED_STATUSES]), received_b),
                else_=NONE,
            ),
            "resolved_b": case(
                (p.result.is_(None), NONE),
                (p.closed_on.is_not(None), bucket(p.closed_on, period)),
                else_=bucket(p.decided_on, period),
            ),
            "enforced_b": bucket(p.enforced_on, period),
            "head_count": _raw(p.head_count),
            "money_recovered": _raw(p.money_recovered),
            "land_recovered_m2": _raw(p.land_recovered_m2),
            "people_handled": _raw(p.people_handled),
        }

    def load(self, session: Session, period: Period, wanted: Collection[str]) -> FactTable:
        actions = _actions_in(session, period)
        documents = _documents_in(session, period)
        names, columns = self._sql(period, wanted)
        stmt = select(_raw(Petition.id).label("id"), *columns).where(
            Petition.deleted_at.is_(None), Petition.received_on <= period.end
        )
        open_or_new = or_(
            Petition.received_on >= period.start, Petition.closed_on.is_(None), Petition.closed_on >= period.start
        )
        rows = _fetch(session, stmt.where(open_or_new))
        # Petitions closed before the period but acted on during it (a reminder, an enforcement).
        fetched = {r[0] for r in rows}
        touched = sorted((actions.keys() | documents.keys()) - fetched)
        for chunk in range(0, len(touched), ID_CHUNK):
            ids = touched[chunk : chunk + ID_CHUNK]
            rows.extend(_fetch(session, stmt.where(Petition.id.in_(ids))))
        virtual = [v for v in self.VIRTUAL if v in wanted]
        if virtual:
            sources = {"actions": actions, "documents": documents}
            ids = [r[0] for r in rows]
            extra = [[sources[v].get(i, 0) for i in ids] for v in virtual]
            rows = [(*r, *more) for r, *more in zip(rows, *extra, strict=True)]
        return FactTable(("id", *names, *virtual), rows)


_PETITION_CODES = ("kind", "source", "competence", "status", "sender_kind", "result", "instance", "matter_state")
_PETITION_FLAGS = ("eligible", "is_anonymous", "is_beyond_level", "is_prolonged")


def _fetch(session: Session, stmt: Select[Any]) -> list[Any]:
    """The rows as the driver returns them (tuples). Every fact column is typed so that SQLAlchemy has
    no conversion to apply (codes as String, flags as Integer), so the driver's rows are the values;
    skipping the ORM and the wrapping of each row halved the cost of reading a year of petitions."""
    result = session.connection().execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _actions_in(session: Session, period: Period) -> dict[int, int]:
    """Each petition acted on during the period, with the bits of the counted actions it saw."""
    e = PetitionEvent
    stmt = select(_raw(e.petition_id), _code(e.action)).where(
        e.action.in_(list(ACTION_BIT)), e.occurred_on >= period.start, e.occurred_on <= period.end
    )
    masks: dict[int, int] = {}
    get = masks.get
    for petition_id, action in _fetch(session, stmt):
        masks[petition_id] = get(petition_id, 0) | ACTION_BIT[action]
    return masks


def _documents_in(session: Session, period: Period) -> dict[int, int]:
    """How many documents the period issued for each petition."""
    d = IssuedDocument
    stmt = (
        select(_raw(d.petition_id), func.count())
        .where(d.issued_on >= period.start, d.issued_on <= period.end, d.petition_id.is_not(None))
        .group_by(d.petition_id)
    )
    return dict(_fetch(session, stmt))


SOURCES: dict[str, FactSource] = {"visit": VisitFacts(), "petition": PetitionFacts()}
