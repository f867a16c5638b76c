"""Builders for test data that go through the real services."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.models import LOCAL_TZ
from app.models.enums import Gender, MatterKind, ReceptionKind, VisitOutcome
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput


def visit_input(
    name: str = "Nguyễn Văn Dũng",
    *,
    id_number: str | None = "024085001234",
    summary: str = "Khiếu nại về bồi thường khi thu hồi đất",
    kind: MatterKind = MatterKind.COMPLAINT,
    reception: ReceptionKind = ReceptionKind.REGULAR,
    received_at: dt.datetime | None = None,
    head_count: int = 1,
    **extra: object,
) -> visits.VisitInput:
    return visits.VisitInput(
        reception_kind=reception,
        citizen=CitizenInput(
            full_name=name, id_number=id_number, gender=Gender.MALE, birth_year=1985, province_code="24"
        ),
        summary=summary,
        matter_kind=kind,
        outcome=VisitOutcome.GUIDED,
        received_at=received_at,
        head_count=head_count,
        **extra,  # type: ignore[arg-type]
    )


def add_visit(session: Session, **kwargs: object) -> visits.SavedVisit:
    saved = visits.register_visit(session, SYSTEM, visit_input(**kwargs))  # type: ignore[arg-type]
    session.commit()
    return saved


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)
