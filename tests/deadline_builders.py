"""Builders for the deadline and follow-up tests: petitions, officers and bodies as plain rows.

Petitions are created directly as rows (the petition services belong to another module) so
that clocks and follow-up can be tested on their own.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Agency, Citizen, Petition, PetitionEvent, User
from app.models.enums import (
    AgencyLevel,
    HandlingAction,
    MatterKind,
    PetitionSource,
    PetitionStatus,
    Role,
    SenderKind,
)
from app.services.casework import first_dates
from app.services.common.text import fold


def add_petition(
    session: Session,
    *,
    sender: str = "Trần Thị Lan",
    summary: str = "Khiếu nại quyết định thu hồi đất",
    kind: MatterKind = MatterKind.COMPLAINT,
    received_on: dt.date = dt.date(2026, 1, 5),
    status: PetitionStatus = PetitionStatus.ACCEPTED,
    officer_id: int | None = None,
    agency_id: int | None = None,
) -> Petition:
    protect = kind == MatterKind.DENUNCIATION
    # A denouncer's record keeps no searchable name (see Citizen.name_folded).
    citizen = Citizen(full_name=sender, name_folded="" if protect else fold(sender), confidential=protect)
    session.add(citizen)
    session.flush()
    seq = (session.scalar(select(func.max(Petition.reg_seq)).where(Petition.reg_year == received_on.year)) or 0) + 1
    petition = Petition(
        reg_year=received_on.year,
        reg_seq=seq,
        received_on=received_on,
        source=PetitionSource.POST,
        sender_kind=SenderKind.INDIVIDUAL,
        citizen_id=citizen.id,
        summary=summary,
        summary_folded=fold(summary),
        kind=kind,
        status=status,
        assigned_officer_id=officer_id,
        handling_agency_id=agency_id,
    )
    session.add(petition)
    session.flush()
    return petition


def add_officer(session: Session, full_name: str = "Lê Văn Hùng", username: str | None = None) -> User:
    user = User(username=username or fold(full_name).replace(" ", "."), full_name=full_name, role=Role.HANDLER)
    session.add(user)
    session.flush()
    return user


def add_agency(session: Session, name: str = "UBND xã Tiên Du") -> Agency:
    agency = Agency(name=name, name_folded=fold(name), level=AgencyLevel.COMMUNE)
    session.add(agency)
    session.flush()
    return agency


def add_event(session: Session, petition: Petition, action: HandlingAction, on: dt.date) -> PetitionEvent:
    event = PetitionEvent(petition_id=petition.id, action=action, occurred_on=on)
    session.add(event)
    first_dates.note(petition, action, on)
    session.flush()
    return event
