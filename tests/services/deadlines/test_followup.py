"""Follow-up lists: overdue / today / soon per officer and body, forwarded, awaiting enforcement."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from app.models import Petition
from app.models.enums import HandlingAction, MatterKind, PetitionStatus, Role
from app.services.common.actor import Actor
from app.services.deadlines import clocks, followup
from app.services.security.confidential import MASK
from tests.deadline_builders import add_agency, add_event, add_officer, add_petition

D = dt.date
AS_OF = D(2026, 3, 20)
HANDLER = Actor(user_id=None, username="xu.ly", full_name="Cán bộ xử lý", role=Role.HANDLER)
LEAD = Actor(user_id=None, username="lanh.dao", full_name="Lãnh đạo ban", role=Role.LEAD)


@dataclass
class Office:
    numbers: dict[str, str]


@pytest.fixture
def office(session: Session) -> Office:
    hung = add_officer(session, "Lê Văn Hùng")
    mai = add_officer(session, "Phạm Thị Mai")
    xa = add_agency(session, "UBND xã Tiên Du")
    so = add_agency(session, "Sở Nông nghiệp và Môi trường")
    numbers: dict[str, str] = {}

    def petition(key: str, **kwargs: object) -> int:
        p = add_petition(session, summary=f"Nội dung {key}", **kwargs)  # type: ignore[arg-type]
        numbers[key] = f"{p.reg_seq}/{p.reg_year}"
        return p.id

    p1 = petition("late_hung", officer_id=hung.id)
    clocks.start_clock(session, p1, "xu_ly_don", D(2026, 3, 2))  # due 16/03
    p2 = petition("today_mai", officer_id=mai.id, agency_id=xa.id)
    clocks.start_clock(session, p2, "thu_ly_khieu_nai", D(2026, 3, 10))  # due 20/03
    p3 = petition("soon_nobody")
    clocks.start_clock(session, p3, "gq_khieu_nai_lan_1", D(2026, 2, 20))  # day 30 Sunday 22/03 → 23/03
    p4 = petition("late_denounced", officer_id=hung.id, kind=MatterKind.DENUNCIATION, sender="Đỗ Văn Tố")
    clocks.start_clock(session, p4, "thu_ly_to_cao", D(2026, 3, 9))  # due 18/03
    p5 = petition("forwarded_late", status=PetitionStatus.FORWARDED)
    clocks.start_clock(session, p5, "cho_ket_qua_chuyen_don", D(2026, 1, 5), agency_id=so.id)  # due 04/02
    p6 = petition("forwarded_no_clock", status=PetitionStatus.FORWARDED)
    event = add_event(session, _p(session, p6), HandlingAction.FORWARD, D(2026, 3, 1))
    event.agency_id = xa.id
    p7 = petition("decided")
    add_event(session, _p(session, p7), HandlingAction.DECIDE, D(2026, 3, 1))
    p8 = petition("enforced")
    add_event(session, _p(session, p8), HandlingAction.DECIDE, D(2026, 2, 1))
    add_event(session, _p(session, p8), HandlingAction.ENFORCE, D(2026, 2, 20))
    # Not on the board: met, suspended, far away.
    p9 = petition("met")
    clocks.start_clock(session, p9, "xu_ly_don", D(2026, 3, 2))
    clocks.meet_clocks(session, p9, D(2026, 3, 10))
    p10 = petition("suspended")
    clocks.start_clock(session, p10, "xu_ly_don", D(2026, 3, 2))
    clocks.suspend_clocks(session, p10, D(2026, 3, 4))
    p11 = petition("far")
    clocks.start_clock(session, p11, "gq_khieu_nai_lan_2", D(2026, 3, 15))
    session.flush()
    return Office(numbers)


def _p(session: Session, petition_id: int) -> Petition:
    return session.get_one(Petition, petition_id)


def keys(items: list[followup.FollowupItem], office: Office) -> list[str]:
    by_number = {v: k for k, v in office.numbers.items()}
    return [by_number[i.petition_number] for i in items]


def test_board_sorts_open_steps_into_overdue_today_and_soon(session: Session, office: Office) -> None:
    board = followup.board(session, LEAD, AS_OF)
    assert keys(board.overdue, office) == ["forwarded_late", "late_hung", "late_denounced"]
    assert [i.days_late for i in board.overdue] == [44, 4, 2]
    assert keys(board.due_today, office) == ["today_mai"]
    assert keys(board.due_soon, office) == ["soon_nobody"]
    assert board.due_soon[0].due_on == D(2026, 3, 23) and board.due_soon[0].days_left == 3
    assert board.overdue[1].rule_name == "Xử lý đơn (phân loại, đề xuất hướng xử lý)"
    assert followup.overdue_count(session, AS_OF) == 3
    assert followup.overdue_count(session, D(2026, 3, 1)) == 1


def test_overdue_grouped_per_officer_and_per_body(session: Session, office: Office) -> None:
    board = followup.board(session, LEAD, AS_OF)
    per_officer = followup.group(board.overdue, "officer")
    assert [(g.title, keys(g.items, office)) for g in per_officer] == [
        ("Lê Văn Hùng", ["late_hung", "late_denounced"]),
        ("Chưa phân công cán bộ", ["forwarded_late"]),
    ]
    per_body = followup.group(board.overdue + board.due_today, "agency")
    assert [(g.title, keys(g.items, office)) for g in per_body] == [
        ("Sở Nông nghiệp và Môi trường", ["forwarded_late"]),
        ("UBND xã Tiên Du", ["today_mai"]),
        ("Chưa xác định cơ quan", ["late_hung", "late_denounced"]),
    ]


def test_a_denouncer_is_masked_for_a_handler_and_shown_to_a_lead(session: Session, office: Office) -> None:
    def sender(actor: Actor) -> str:
        items = followup.board(session, actor, AS_OF).overdue
        return next(i.sender for i in items if i.petition_number == office.numbers["late_denounced"])

    assert sender(HANDLER) == MASK
    assert sender(LEAD) == "Đỗ Văn Tố"


def test_forwarded_petitions_awaiting_the_other_bodys_answer(session: Session, office: Office) -> None:
    waiting = followup.board(session, LEAD, AS_OF).awaiting_answer
    assert keys(waiting, office) == ["forwarded_late", "forwarded_no_clock"]
    assert waiting[0].agency_name == "Sở Nông nghiệp và Môi trường" and waiting[0].days_late == 44
    assert waiting[1].due_on is None and waiting[1].agency_name == "UBND xã Tiên Du"
    assert waiting[1].start_on == D(2026, 3, 1)


def test_decisions_awaiting_enforcement(session: Session, office: Office) -> None:
    items = followup.board(session, LEAD, AS_OF).awaiting_enforcement
    assert keys(items, office) == ["decided"]
    assert items[0].start_on == D(2026, 3, 1)
    assert followup.days_since(items[0], AS_OF) == 19
