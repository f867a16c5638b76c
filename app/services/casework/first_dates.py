"""The first dates of a petition's timeline, kept on the petition row.

The report forms ask of every petition when it was first given a direction (accepted, refused,
forwarded, guided, returned or filed) and when it was first accepted. Reading that from the events
means grouping every event of every petition in each report; keeping the two dates on the petition as
each event is recorded turns a report into a plain scan. Every event goes through
``petitions.add_event``, which calls ``note``; bulk writers (demo data, tests) build the dates with
``from_events``, and ``refresh`` recomputes them from the events (what migration 0003 did once);
``python -m app check`` lists the petitions whose dates drifted (``stale``) and ``--repair`` fixes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.models import Petition, PetitionEvent
from app.models.enums import HandlingAction

DIRECTION_ACTIONS = (
    HandlingAction.ACCEPT,
    HandlingAction.REFUSE,
    HandlingAction.FORWARD,
    HandlingAction.GUIDE,
    HandlingAction.RETURN,
    HandlingAction.FILE,
)


def _earlier(current: dt.date | None, on: dt.date) -> dt.date:
    return on if current is None or on < current else current


def note(petition: Petition, action: HandlingAction, on: dt.date) -> None:
    """Keep the petition's first dates up to date with one more event."""
    if action in DIRECTION_ACTIONS:
        petition.handled_on = _earlier(petition.handled_on, on)
    if action == HandlingAction.ACCEPT:
        petition.accepted_on = _earlier(petition.accepted_on, on)


def from_events(events: Iterable[tuple[HandlingAction, dt.date]]) -> dict[str, dt.date | None]:
    """The first-date columns of a petition whose whole timeline is ``events`` (bulk inserts)."""
    handled: dt.date | None = None
    accepted: dt.date | None = None
    for action, on in events:
        if action in DIRECTION_ACTIONS:
            handled = _earlier(handled, on)
        if action == HandlingAction.ACCEPT:
            accepted = _earlier(accepted, on)
    return {"handled_on": handled, "accepted_on": accepted}


def _first(*actions: HandlingAction) -> Any:
    e = PetitionEvent
    return (
        select(func.min(e.occurred_on))
        .where(e.petition_id == Petition.id, e.action.in_([a.value for a in actions]))
        .scalar_subquery()
    )


def stale(session: Session) -> list[int]:
    """Petitions whose stored first dates disagree with their events (there should be none)."""
    drifted = or_(
        Petition.handled_on.is_distinct_from(_first(*DIRECTION_ACTIONS)),
        Petition.accepted_on.is_distinct_from(_first(HandlingAction.ACCEPT)),
    )
    return list(session.scalars(select(Petition.id).where(drifted).order_by(Petition.id)))


def refresh(session: Session, petition_ids: Sequence[int] | None = None) -> None:
    """Recompute the first dates from the stored events (all petitions, or the ones given)."""
    stmt = update(Petition).values(handled_on=_first(*DIRECTION_ACTIONS), accepted_on=_first(HandlingAction.ACCEPT))
    if petition_ids is not None:
        stmt = stmt.where(Petition.id.in_(list(petition_ids)))
    session.execute(stmt.execution_options(synchronize_session=False))
