"""Drafts of unsaved forms: what a user had typed survives a crash or a power cut.

The desk saves the form's typed values a moment after each change and drops them once the form is
saved or deliberately emptied; the next time the user opens that form, the draft is offered back.
A draft belongs to one user (another clerk at the same PC never sees it) and is encrypted with the
data key, like the citizen's own columns. The values are the form's plain state (texts, chosen
labels): a draft is never validated, it is what was on the screen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, FormDraft
from app.services.common.actor import Actor

VISIT_FORM = "visit"
PETITION_FORM = "petition"


@dataclasses.dataclass(frozen=True)
class Draft:
    saved_at: dt.datetime
    state: dict[str, Any]


def keep(session: Session, actor: Actor, form: str, state: dict[str, Any]) -> None:
    """Store (or replace) the actor's draft of ``form``. Nothing is kept for an identity with no account."""
    if actor.user_id is None:
        return
    text = json.dumps(state, ensure_ascii=False, sort_keys=True)
    row = session.get(FormDraft, (actor.user_id, form))
    now = dt.datetime.now(LOCAL_TZ)
    if row is None:
        session.add(FormDraft(user_id=actor.user_id, form=form, saved_at=now, state_json=text))
    else:
        row.state_json = text
        row.saved_at = now


def find(session: Session, actor: Actor, form: str) -> Draft | None:
    if actor.user_id is None:
        return None
    row = session.scalar(select(FormDraft).where(FormDraft.user_id == actor.user_id, FormDraft.form == form))
    if row is None:
        return None
    state = json.loads(row.state_json)
    return Draft(saved_at=row.saved_at, state=state if isinstance(state, dict) else {})


def drop(session: Session, actor: Actor, form: str) -> None:
    if actor.user_id is None:
        return
    session.execute(delete(FormDraft).where(FormDraft.user_id == actor.user_id, FormDraft.form == form))
