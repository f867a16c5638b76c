"""Builders for report, export and import tests: visits through the reception service, petitions
and their events as direct model rows (the petition service is another helper's), and a fast bulk
generator for realistic volumes (also used by bench/)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Case, Citizen, Petition, PetitionEvent, Visit
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
from app.services import first_dates, visits
from app.services.actor import SYSTEM
from app.services.citizens import CitizenInput, storage_fields
from app.services.text import fold

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


# ---- bulk volumes ---------------------------------------------------------------------------------

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Quốc", "Thanh", "Hữu", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hương", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân"]
SUMMARIES = [
    "Khiếu nại quyết định thu hồi đất, đề nghị bồi thường theo giá thị trường",
    "Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục cấp giấy chứng nhận",
    "Kiến nghị sửa chữa đường liên thôn bị xuống cấp",
    "Phản ánh cơ sở sản xuất gây ô nhiễm tiếng ồn ban đêm",
    "Khiếu nại việc không giải quyết chế độ trợ cấp người có công",
    '=HYPERLINK("http://x","y")',
]


def bulk(session: Session, n_visits: int, *, start: dt.date, days: int, seed: int = 7) -> None:
    """``n_visits`` visits (and about half as many petitions with events) over ``days`` days.

    Bulk inserts (docs/ecosystem.md §5): about 25k visits a second on this machine.
    """
    rnd = random.Random(seed)
    n_citizens = max(10, n_visits // 8)
    citizens = []
    for i in range(n_citizens):
        name = f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"
        number = f"0{rnd.randint(1, 96):02d}{rnd.randint(0, 3)}{rnd.randint(40, 99):02d}{i:06d}"
        citizens.append(
            storage_fields(
                CitizenInput(full_name=name, id_number=number, birth_year=1940 + rnd.randint(0, 60)),
                confidential=rnd.random() < 0.05,
            )
        )
    session.execute(insert(Citizen), citizens)
    citizen_ids = list(session.scalars(select(Citizen.id).order_by(Citizen.id.desc()).limit(n_citizens)))
    case_rows = [
        {"title": f"Vụ việc {i}", "first_received_on": start - dt.timedelta(days=rnd.randint(-days, 400))}
        for i in range(max(1, n_visits // 20))
    ]
    session.execute(insert(Case), case_rows)
    case_ids = list(session.scalars(select(Case.id).order_by(Case.id.desc()).limit(len(case_rows))))
    kinds = list(MatterKind)
    states = [*MatterState, None]
    rows: list[dict[str, Any]] = []
    for _ in range(n_visits):
        day = start + dt.timedelta(days=rnd.randrange(days))
        reception = rnd.choices(list(ReceptionKind), weights=[8, 1, 1])[0]
        crowd = rnd.random() < 0.04
        summary = rnd.choice(SUMMARIES)
        rows.append(
            {
                "received_at": at(day, rnd.randint(7, 16)),
                "received_on": day,
                "reception_kind": reception,
                "leader_name": "Trần Văn Lãnh" if reception != ReceptionKind.REGULAR else None,
                "citizen_id": rnd.choice(citizen_ids),
                "head_count": rnd.randint(5, 40) if crowd else 1,
                "is_crowd": crowd,
                "summary": summary,
                "summary_folded": fold(summary),
                "matter_kind": rnd.choice(kinds),
                "field_code": rnd.choice(FIELDS),
                "matter_state": rnd.choice(states),
                "outcome": rnd.choice(list(VisitOutcome)),
                "case_id": rnd.choice(case_ids) if rnd.random() < 0.3 else None,
            }
        )
        if len(rows) == 20_000:
            session.execute(insert(Visit), rows)
            rows = []
    if rows:
        session.execute(insert(Visit), rows)
    _bulk_petitions(session, rnd, n_visits // 2, start, days, citizen_ids)


def _bulk_petitions(
    session: Session, rnd: random.Random, n: int, start: dt.date, days: int, citizen_ids: list[int]
) -> None:
    base_seq = (session.scalar(select(Petition.reg_seq).order_by(Petition.reg_seq.desc()).limit(1)) or 0) + 1
    rows = []
    for i in range(n):
        received = start + dt.timedelta(days=rnd.randrange(days))
        kind = rnd.choice([MatterKind.COMPLAINT, MatterKind.DENUNCIATION, MatterKind.RECOMMENDATION])
        resolved = rnd.random() < 0.3
        rows.append(
            {
                "reg_year": received.year,
                "reg_seq": base_seq + i,
                "received_on": received,
                "source": rnd.choice(list(PetitionSource)),
                "sender_kind": SenderKind.INDIVIDUAL,
                "citizen_id": rnd.choice(citizen_ids),
                "summary": "Đơn thư",
                "summary_folded": "don thu",
                "kind": kind,
                "field_code": rnd.choice(FIELDS),
                "eligible": rnd.choice([True, True, True, False, None]),
                "competence": rnd.choice(list(Competence)),
                "status": PetitionStatus.RESOLVED if resolved else PetitionStatus.ACCEPTED,
                "result": rnd.choice(list(ResolutionResult)) if resolved else None,
                "closed_on": received + dt.timedelta(days=rnd.randint(10, 60)) if resolved else None,
                "money_recovered": rnd.randint(0, 50) * 1_000_000 if resolved else None,
                "land_recovered_m2": rnd.randint(0, 500) if resolved else None,
                "people_handled": rnd.randint(0, 3) if resolved else None,
            }
        )
    for chunk in range(0, len(rows), 20_000):
        session.execute(insert(Petition), rows[chunk : chunk + 20_000])
    ids = list(session.scalars(select(Petition.id).where(Petition.reg_seq >= base_seq)))
    events = []
    actions = [HandlingAction.ACCEPT, HandlingAction.FORWARD, HandlingAction.GUIDE, HandlingAction.FILE]
    for pid in ids:
        day = start + dt.timedelta(days=rnd.randrange(days))
        events.append({"petition_id": pid, "action": HandlingAction.RECEIVE, "occurred_on": day})
        events.append({"petition_id": pid, "action": rnd.choice(actions), "occurred_on": day + dt.timedelta(days=5)})
        if rnd.random() < 0.1:
            events.append({"petition_id": pid, "action": HandlingAction.REMIND, "occurred_on": day})
    for chunk in range(0, len(events), 20_000):
        session.execute(insert(PetitionEvent), events[chunk : chunk + 20_000])
