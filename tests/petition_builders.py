"""Builders for the petition tests: everything goes through the real petition services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Deadline, IssuedDocument, Petition, PetitionEvent
from app.models.enums import Competence, Gender, MatterKind, PetitionSource, Role
from app.services.casework import petitions
from app.services.common.actor import Actor
from app.services.directory import agencies
from app.services.reception.citizens import CitizenInput

HANDLER = Actor(user_id=None, username="xuly", full_name="Trần Văn Xử", role=Role.HANDLER)
CLERK = Actor(user_id=None, username="tiepdan", full_name="Lê Thị Tiếp", role=Role.CLERK)
LEAD = Actor(user_id=None, username="lanhdao", full_name="Phạm Văn Lãnh", role=Role.LEAD)
TODAY = dt.date(2026, 3, 20)


def person(name: str = "Nguyễn Văn Dũng", id_number: str | None = "024085001234") -> CitizenInput:
    return CitizenInput(full_name=name, id_number=id_number, gender=Gender.MALE, birth_year=1985, province_code="24")


def petition_input(
    *,
    kind: MatterKind = MatterKind.COMPLAINT,
    summary: str = "Khiếu nại quyết định thu hồi đất của UBND phường Kinh Bắc",
    name: str | None = "Nguyễn Văn Dũng",
    received_on: dt.date = dt.date(2026, 3, 2),
    source: PetitionSource = PetitionSource.POST,
    **extra: Any,
) -> petitions.PetitionInput:
    return petitions.PetitionInput(
        source=source,
        summary=summary,
        kind=kind,
        received_on=received_on,
        citizen=person(name, extra.pop("id_number", None)) if name else None,
        **extra,
    )


def register(session: Session, **kwargs: Any) -> petitions.SavedPetition:
    return petitions.register_petition(session, HANDLER, petition_input(**kwargs), today=TODAY)


def classify(session: Session, petition_id: int, **kwargs: Any) -> tuple[str, ...]:
    kind = kwargs.pop("kind", None) or session.get(Petition, petition_id).kind  # type: ignore[union-attr]
    data = petitions.ClassificationInput(
        kind=kind,
        field_code=kwargs.pop("field_code", "HC_DD"),
        competence=kwargs.pop("competence", Competence.WITHIN),
        on=kwargs.pop("on", dt.date(2026, 3, 3)),
        **kwargs,
    )
    return petitions.classify(session, HANDLER, petition_id, data)


def agency_id(session: Session, code: str) -> int:
    row = agencies.by_code(session, code)
    assert row is not None, code
    return row.id


def db_state(session: Session, petition_id: int) -> dict[str, Any]:
    """Everything an action may touch, to prove a refused action changed nothing."""
    session.expire_all()
    petition = session.get(Petition, petition_id)
    assert petition is not None
    return {
        "petition": petitions.snapshot(petition),
        "closed_on": petition.closed_on,
        "events": session.scalar(select(func.count()).select_from(PetitionEvent)),
        "documents": session.scalar(select(func.count()).select_from(IssuedDocument)),
        "deadlines": [
            (d.rule_code, d.status, d.due_on, d.extension_days)
            for d in session.scalars(select(Deadline).order_by(Deadline.id))
        ],
        "audit": session.scalar(select(func.count()).select_from(AuditEntry)),
    }
