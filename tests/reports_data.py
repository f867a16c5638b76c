"""Builders for report, export and import tests: visits through the reception service, petitions
and their events as direct model rows. Realistic volumes come from ``app.services.demo``."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Case, Petition, PetitionEvent, Visit
from app.models.enums import (
    Competence,
    Gender,
    HandlingAction,
    MatterKind,
    MatterState,
    PetitionSource,
    PetitionStatus,
    ReceptionKind,
    ResolutionResult,
    SenderKind,
    VisitOutcome,
)
from app.services.casework import first_dates
from app.services.common.actor import SYSTEM
from app.services.common.text import fold
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput

FIELDS = ["HC_DD_BT", "HC_DD_GCN", "HC_DD_TC", "HC_NO", "HC_CS", "HC_MT", "HC_KHAC", "TP", "DANG", "TN", "KHAC", None]


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=LOCAL_TZ)


def visit(
    session: Session,
    day: dt.date,
    *,
    name: str = "Nguyễn Văn Dũng",
    id_number: str | None = None,
    kind: MatterKind = MatterKind.COMPLAINT,
    reception: ReceptionKind = ReceptionKind.REGULAR,
    head_count: int = 1,
    field_code: str | None = "HC_DD_BT",
    state: MatterState | None = MatterState.UNRESOLVED,
    case_id: int | None = None,
    summary: str = "Khiếu nại về bồi thường khi thu hồi đất",
) -> int:
    saved = visits.register_visit(
        session,
        SYSTEM,
        visits.VisitInput(
            reception_kind=reception,
            citizen=CitizenInput(full_name=name, id_number=id_number, gender=Gender.MALE, birth_year=1980),
            summary=summary,
            matter_kind=kind,
            outcome=VisitOutcome.GUIDED,
            received_at=at(day),
            leader_name="Trần Văn Lãnh" if reception != ReceptionKind.REGULAR else None,
            head_count=head_count,
            is_crowd=head_count >= 5,
            field_code=field_code,
            matter_state=state,
        ),
        now=at(day, 17),
    )
    if case_id is not None:
        session.get(Visit, saved.id).case_id = case_id  # type: ignore[union-attr]
    session.flush()
    return saved.id


def case(session: Session, first: dt.date, title: str = "Vụ việc đất đai") -> int:
    row = Case(title=title, first_received_on=first, matter_kind=MatterKind.COMPLAINT)
    session.add(row)
    session.flush()
    return row.id


_SEQ = {"n": 0}


def petition(
    session: Session,
    received: dt.date,
    *,
    kind: MatterKind = MatterKind.COMPLAINT,
    source: PetitionSource = PetitionSource.POST,
    field_code: str | None = "HC_DD_BT",
    eligible: bool | None = True,
    competence: Competence | None = Competence.WITHIN,
    status: PetitionStatus = PetitionStatus.CLASSIFIED,
    events: list[tuple[HandlingAction, dt.date]] | None = None,
    result: ResolutionResult | None = None,
    closed_on: dt.date | None = None,
    money: float | None = None,
    land: float | None = None,
    people_handled: int | None = None,
    citizen_id: int | None = None,
    summary: str = "Đơn khiếu nại về bồi thường đất",
) -> int:
    _SEQ["n"] += 1
    row = Petition(
        reg_year=received.year,
        reg_seq=_SEQ["n"] + 100_000 * random.randint(1, 9_000),
        received_on=received,
        source=source,
        sender_kind=SenderKind.INDIVIDUAL,
        citizen_id=citizen_id,
        summary=summary,
        summary_folded=fold(summary),
        kind=kind,
        field_code=field_code,
        eligible=eligible,
        competence=competence,
        status=status,
        result=result,
        closed_on=closed_on,
        money_recovered=money,
        land_recovered_m2=land,
        people_handled=people_handled,
    )
    session.add(row)
    session.flush()
    for action, day in events or []:
        session.add(PetitionEvent(petition_id=row.id, action=action, occurred_on=day))
    session.flush()
    first_dates.refresh(session, [row.id])
    return row.id
