"""Legal clocks wired to the desk and to decisions: the answer to the person received (Luật Tiếp công
dân, Điều 28 khoản 1), the legal effect of a first-instance complaint decision (30 days, 45 in remote
areas), the enforcement follow-up it opens, and the second complaint that stops it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.models import Petition
from app.models.enums import Competence, DeadlineStatus, HandlingAction, Instance, MatterKind, ResolutionResult
from app.services.casework import actions, petitions
from app.services.casework.actions import ActionInput
from app.services.common import settings
from app.services.deadlines import clocks, followup, legal_effect
from app.services.reception import visits
from tests.helpers import local, visit_input
from tests.petition_builders import HANDLER, TODAY, agency_id, classify, register

A = HandlingAction
ANSWER = "tra_loi_tiep_nhan_tai_tiep_cong_dan"
EFFECT = "hieu_luc_quyet_dinh_gq_khieu_nai"
ENFORCE = "thi_hanh_quyet_dinh_gq_khieu_nai"


def act(
    session: Session, petition_id: int, action: HandlingAction, *, today: dt.date = TODAY, **kw: object
) -> actions.ActionOutcome:
    kw.setdefault("on", dt.date(2026, 3, 10))
    return actions.perform(session, HANDLER, petition_id, ActionInput(action, **kw), today=today)  # type: ignore[arg-type]


def clock(session: Session, petition_id: int, rule_code: str) -> clocks.ClockRow:
    rows = [r for r in clocks.clock_rows(session, petition_id) if r.rule_code == rule_code]
    assert rows, (rule_code, [r.rule_code for r in clocks.clock_rows(session, petition_id)])
    return rows[-1]


def from_desk(session: Session, kind: MatterKind = MatterKind.COMPLAINT, summary: str | None = None) -> int:
    """A petition handed in at a reception on Monday 02/03/2026."""
    extra = {"summary": summary} if summary else {}
    visit = visits.register_visit(session, HANDLER, visit_input(kind=kind, received_at=local(2026, 3, 2), **extra))
    data = petitions.draft_from_visit(session, HANDLER, visit.id).data
    return petitions.register_petition(session, HANDLER, data, today=TODAY).id


# --- Luật Tiếp công dân, Điều 28 khoản 1 -----------------------------------------------------------


def test_a_petition_received_at_a_reception_starts_the_ten_working_day_answer(session: Session) -> None:
    pid = from_desk(session)
    row = clock(session, pid, ANSWER)
    # 02/03/2026 is not counted; ten working days: 03–06, 09–13, 16/03.
    assert (row.start_on, row.length, row.due_on, row.status) == (
        dt.date(2026, 3, 2),
        10,
        dt.date(2026, 3, 16),
        DeadlineStatus.OPEN,
    )
    assert "Điều 28" in row.legal_source
    # A petition by post was not received at a reception: no such clock.
    posted = register(session)
    assert ANSWER not in {r.rule_code for r in clocks.clock_rows(session, posted.id)}


def test_the_answer_clock_shows_on_the_follow_up_board_and_goes_overdue(session: Session) -> None:
    pid = from_desk(session)
    board = followup.board(session, HANDLER, dt.date(2026, 3, 17))
    late = [i for i in board.overdue if i.petition_id == pid and i.rule_code == ANSWER]
    assert len(late) == 1 and late[0].days_late == 1
    assert late[0].rule_name.startswith("Trả lời trực tiếp hoặc thông báo bằng văn bản")
    assert followup.overdue_count(session, dt.date(2026, 3, 17)) >= 1


def test_guidance_forwarding_or_acceptance_notice_answers_the_person(session: Session) -> None:
    guided = from_desk(session, MatterKind.RECOMMENDATION, "Kiến nghị sửa đường liên thôn")
    classify(session, guided, competence=Competence.OUTSIDE, field_code=None)
    act(session, guided, A.GUIDE, agency_id=agency_id(session, "P24.UBND"))
    row = clock(session, guided, ANSWER)
    assert (row.status, row.met_on) == (DeadlineStatus.MET, dt.date(2026, 3, 10))

    accepted = from_desk(session, summary="Khiếu nại quyết định thu hồi đất")
    classify(session, accepted)
    act(session, accepted, A.ACCEPT, on=dt.date(2026, 3, 5))
    assert clock(session, accepted, ANSWER).status == DeadlineStatus.MET  # the notice of acceptance


def test_a_written_notice_answers_the_person_and_is_numbered(session: Session) -> None:
    pid = from_desk(session, MatterKind.REFLECTION, "Phản ánh đèn đường hỏng")
    out = act(session, pid, A.NOTIFY, reason="Đã chuyển bộ phận quản lý đô thị kiểm tra, sửa chữa")
    assert [d.doc_type.value for d in out.documents] == ["thong_bao_tra_loi"]
    assert out.documents[0].symbol.endswith("/TB-BTCD")
    row = clock(session, pid, ANSWER)
    assert (row.status, row.met_on) == (DeadlineStatus.MET, dt.date(2026, 3, 10))
    # The other clocks run on: the petition still has to be processed.
    assert clock(session, pid, "xu_ly_don").status == DeadlineStatus.OPEN


# --- legal effect of a first-instance complaint decision --------------------------------------------


def decided_complaint(session: Session, on: dt.date = dt.date(2026, 3, 10), **registration: object) -> int:
    saved = register(session, **registration)
    classify(session, saved.id)
    act(session, saved.id, A.ACCEPT, on=dt.date(2026, 3, 4))
    act(session, saved.id, A.DECIDE, result=ResolutionResult.RIGHT, on=on)
    return saved.id


def test_a_first_instance_decision_takes_effect_after_30_days(session: Session) -> None:
    pid = decided_complaint(session)
    row = clock(session, pid, EFFECT)
    assert (row.start_on, row.length, row.due_on, row.status) == (
        dt.date(2026, 3, 10),
        30,
        dt.date(2026, 4, 9),
        DeadlineStatus.OPEN,
    )
    # During the window the decision has no effect yet: no enforcement clock, nothing late.
    assert not [r for r in clocks.clock_rows(session, pid) if r.rule_code == ENFORCE]
    assert legal_effect.settle(session, dt.date(2026, 4, 9)) == []


def test_45_days_where_the_office_is_in_a_remote_area(session: Session) -> None:
    settings.put(session, legal_effect.REMOTE_AREA, True)
    pid = decided_complaint(session)
    row = clock(session, pid, EFFECT)
    assert (row.length, row.due_on) == (45, dt.date(2026, 4, 24))


def test_when_the_window_runs_out_the_enforcement_follow_up_starts_from_it(session: Session) -> None:
    pid = decided_complaint(session)
    board = followup.board(session, HANDLER, dt.date(2026, 4, 10))
    effect = clock(session, pid, EFFECT)
    assert (effect.status, effect.met_on) == (DeadlineStatus.MET, dt.date(2026, 4, 9))
    enforcement = clock(session, pid, ENFORCE)
    assert (enforcement.start_on, enforcement.status) == (dt.date(2026, 4, 9), DeadlineStatus.OPEN)
    assert enforcement.due_on >= dt.date(2026, 5, 9)
    assert pid in [i.petition_id for i in board.awaiting_enforcement]
    # Building the board again starts nothing twice.
    assert legal_effect.settle(session, dt.date(2026, 4, 20)) == []
    # Recording the enforcement meets that clock.
    act(session, pid, A.ENFORCE, on=dt.date(2026, 4, 15), today=dt.date(2026, 4, 15))
    assert clock(session, pid, ENFORCE).status == DeadlineStatus.MET


def test_an_expired_window_is_never_counted_as_overdue(session: Session) -> None:
    pid = decided_complaint(session)
    assert followup.overdue_count(session, dt.date(2026, 4, 20)) == 0
    assert clock(session, pid, EFFECT).status == DeadlineStatus.OPEN  # the count writes nothing


def test_a_second_complaint_within_the_window_stops_it(session: Session) -> None:
    first = decided_complaint(session)
    case_id = session.get_one(Petition, first).case_id
    second = register(session, received_on=dt.date(2026, 3, 18), case_id=case_id)
    classify(session, second.id, instance=Instance.SECOND, on=dt.date(2026, 3, 19))
    row = clock(session, first, EFFECT)
    assert (row.status, row.met_on) == (DeadlineStatus.CANCELLED, dt.date(2026, 3, 18))
    followup.board(session, HANDLER, dt.date(2026, 4, 20))
    assert not [r for r in clocks.clock_rows(session, first) if r.rule_code == ENFORCE]


def test_a_second_complaint_after_the_window_leaves_the_decision_in_effect(session: Session) -> None:
    first = decided_complaint(session, on=dt.date(2026, 2, 10), received_on=dt.date(2026, 2, 2))
    case_id = session.get_one(Petition, first).case_id
    second = register(session, received_on=dt.date(2026, 3, 18), case_id=case_id)
    classify(session, second.id, instance=Instance.SECOND, on=dt.date(2026, 3, 19))
    assert clock(session, first, EFFECT).status == DeadlineStatus.OPEN  # due 12/03: settles on the board
    followup.board(session, HANDLER, dt.date(2026, 3, 20))
    assert clock(session, first, EFFECT).status == DeadlineStatus.MET
    assert clock(session, first, ENFORCE).start_on == dt.date(2026, 3, 12)


def test_second_instance_and_denunciation_decisions_open_no_window(session: Session) -> None:
    saved = register(session)
    classify(session, saved.id, instance=Instance.SECOND)
    act(session, saved.id, A.ACCEPT, on=dt.date(2026, 3, 4))
    act(session, saved.id, A.DECIDE, result=ResolutionResult.WRONG)
    assert EFFECT not in {r.rule_code for r in clocks.clock_rows(session, saved.id)}
