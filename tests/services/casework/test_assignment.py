"""Giving petitions to a handling officer; a petition prefilled from its visit; the actions offered."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Citizen, Deadline, Petition, User
from app.models.enums import (
    DeadlineStatus,
    Gender,
    HandlingAction,
    MatterKind,
    ParticipantRole,
    PetitionSource,
    Role,
    SenderKind,
    VisitOutcome,
)
from app.services.casework import actions, assignment, petitions
from app.services.casework.actions import ActionInput
from app.services.common.errors import PermissionDenied, RuleViolation, ValidationError
from app.services.common.text import fold
from app.services.deadlines import followup
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput
from tests.helpers import visit_input
from tests.petition_builders import CLERK, HANDLER, LEAD, TODAY, classify, register

A = HandlingAction


def _user(session: Session, full_name: str, role: Role = Role.HANDLER, *, active: bool = True) -> User:
    user = User(username=fold(full_name).replace(" ", "."), full_name=full_name, role=role, active=active)
    session.add(user)
    session.flush()
    return user


def _clock_officers(session: Session, petition_id: int) -> dict[str, tuple[DeadlineStatus, int | None]]:
    rows = session.scalars(select(Deadline).where(Deadline.petition_id == petition_id))
    return {d.rule_code: (d.status, d.officer_id) for d in rows}


def test_officers_are_the_active_accounts_that_process_petitions(session: Session) -> None:
    _user(session, "Trần Văn Xử")
    _user(session, "Phạm Văn Lãnh", Role.LEAD)
    _user(session, "Lê Thị Tiếp", Role.CLERK)
    _user(session, "Đỗ Văn Nghỉ", active=False)
    assert [o.full_name for o in assignment.officers(session)] == ["Phạm Văn Lãnh", "Trần Văn Xử"]


def test_bulk_assignment_moves_the_clocks_is_audited_and_shows_on_the_board(session: Session) -> None:
    hung = _user(session, "Lê Văn Hùng")
    mai = _user(session, "Phạm Thị Mai")
    first = register(session)
    second = register(session, summary="Kiến nghị sửa đường liên thôn", kind=MatterKind.RECOMMENDATION)
    classify(session, first.id)
    actions.perform(session, HANDLER, first.id, ActionInput(A.ACCEPT), today=TODAY)

    result = assignment.assign_officer(session, HANDLER, [first.id, second.id], hung.id)

    assert result.numbers == (first.number, second.number) and result.unchanged == ()
    assert assignment.assigned_text(result) == f"Đã giao 2 đơn cho Lê Văn Hùng: số {first.number}, {second.number}."
    for saved in (first, second):
        assert session.get_one(Petition, saved.id).assigned_officer_id == hung.id
    clocks = _clock_officers(session, first.id)
    # The running resolution clock moves; the processing clock, met by the acceptance, stays as it was.
    assert clocks["gq_khieu_nai_lan_1"] == (DeadlineStatus.OPEN, hung.id)
    assert clocks["xu_ly_don"] == (DeadlineStatus.MET, None)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "assign")).all()
    assert [(e.entity_id, json.loads(e.before_json or "{}"), json.loads(e.after_json or "{}")) for e in entries] == [
        (str(first.id), {"assigned_officer": "Chưa phân công"}, {"assigned_officer": "Lê Văn Hùng"}),
        (str(second.id), {"assigned_officer": "Chưa phân công"}, {"assigned_officer": "Lê Văn Hùng"}),
    ]
    rows = petitions.list_petitions(session, HANDLER)
    assert {r.officer_name for r in rows} == {"Lê Văn Hùng"}
    assert petitions.detail(session, HANDLER, second.id).assigned_officer == "Lê Văn Hùng"

    again = assignment.assign_officer(session, HANDLER, [first.id, second.id, second.id], mai.id)
    board = followup.board(session, HANDLER, TODAY)
    items = board.overdue + board.due_today + board.due_soon
    assert items and {i.officer_name for i in items} == {"Phạm Thị Mai"}
    assert again.numbers == (first.number, second.number)
    latest = select(AuditEntry).where(AuditEntry.action == "assign").order_by(AuditEntry.id.desc())
    last = session.scalars(latest).first()
    assert last is not None and json.loads(last.before_json or "{}") == {"assigned_officer": "Lê Văn Hùng"}
    same = assignment.assign_officer(session, HANDLER, [second.id], mai.id)
    assert same.numbers == ()
    assert assignment.assigned_text(same) == f"Đơn số {second.number} đã do Phạm Thị Mai xử lý từ trước."


def test_assignment_refusals_change_nothing(session: Session) -> None:
    hung = _user(session, "Lê Văn Hùng")
    clerk = _user(session, "Lê Thị Tiếp", Role.CLERK)
    locked = _user(session, "Đỗ Văn Nghỉ", active=False)
    open_one = register(session)
    filed = register(session, summary="Đơn không ký tên")
    actions.perform(session, HANDLER, filed.id, ActionInput(A.FILE, reason="Đơn không ký tên"), today=TODAY)
    with pytest.raises(PermissionDenied):
        assignment.assign_officer(session, CLERK, [open_one.id], hung.id)
    with pytest.raises(ValidationError) as err:
        assignment.assign_officer(session, HANDLER, [open_one.id], clerk.id)
    assert "không có quyền xử lý đơn" in err.value.fields["officer_id"]
    with pytest.raises(ValidationError) as err:
        assignment.assign_officer(session, HANDLER, [open_one.id], locked.id)
    assert "đã bị khóa" in err.value.fields["officer_id"]
    with pytest.raises(ValidationError):
        assignment.assign_officer(session, HANDLER, [], hung.id)
    with pytest.raises(RuleViolation) as refused:
        assignment.assign_officer(session, HANDLER, [open_one.id, filed.id], hung.id)
    assert f"đơn số {filed.number}" in refused.value.user_message
    assert session.get_one(Petition, open_one.id).assigned_officer_id is None
    assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "assign")).all()


def test_draft_from_a_visit_carries_citizen_content_kind_field_and_documents(session: Session) -> None:
    visit = visits.register_visit(
        session,
        HANDLER,
        visit_input(
            summary="Khiếu nại việc bồi thường khi thu hồi đất",
            field_code="HC_DD",
            documents_received="Đơn khiếu nại (02 trang); Bản sao quyết định",
        ),
    )
    draft = petitions.draft_from_visit(session, HANDLER, visit.id)
    data = draft.data
    assert draft.earlier == () and draft.outcome == VisitOutcome.GUIDED and not draft.sender_hidden
    assert (data.source, data.kind, data.field_code, data.visit_id, data.citizen_id) == (
        PetitionSource.DESK,
        MatterKind.COMPLAINT,
        "HC_DD",
        visit.id,
        visit.citizen_id,
    )
    assert data.summary == "Khiếu nại việc bồi thường khi thu hồi đất"
    assert data.documents_received == "Đơn khiếu nại (02 trang); Bản sao quyết định"
    assert data.citizen is not None and data.citizen.full_name == "Nguyễn Văn Dũng"
    assert (data.citizen.gender, data.citizen.birth_year, data.citizen.province_code) == (Gender.MALE, 1985, "24")

    # The petition form has no gender or birth year: saving with them blank keeps the citizen's record.
    shown = CitizenInput(full_name="Nguyễn Văn Dũng", id_number="024085001234", province_code="24")
    saved = petitions.register_petition(session, HANDLER, dataclasses.replace(data, citizen=shown))
    citizen = session.get_one(Citizen, visit.citizen_id)
    assert (citizen.gender, citizen.birth_year, citizen.province_code) == (Gender.MALE, 1985, "24")
    petition = session.get_one(Petition, saved.id)
    assert (petition.visit_id, petition.citizen_id) == (visit.id, visit.citizen_id)
    assert petitions.draft_from_visit(session, HANDLER, visit.id).earlier == (saved.number,)


def test_draft_from_a_crowd_visit_names_its_representatives(session: Session) -> None:
    visit = visits.register_visit(
        session,
        HANDLER,
        visit_input(
            summary="Kiến nghị về ô nhiễm từ cụm công nghiệp",
            kind=MatterKind.RECOMMENDATION,
            head_count=12,
            is_crowd=True,
            representatives=(CitizenInput(full_name="Ngô Văn Đại"), CitizenInput(full_name="Lý Thị Diện")),
        ),
    )
    data = petitions.draft_from_visit(session, HANDLER, visit.id).data
    assert (data.sender_kind, data.head_count, data.citizen) == (SenderKind.CROWD, 12, None)
    assert [(p.citizen.full_name, p.role) for p in data.parties] == [
        ("Ngô Văn Đại", ParticipantRole.REPRESENTATIVE),
        ("Lý Thị Diện", ParticipantRole.REPRESENTATIVE),
    ]


def test_draft_from_a_denunciation_visit_hides_the_denouncer_from_who_may_not_see_them(session: Session) -> None:
    visit = visits.register_visit(
        session, HANDLER, visit_input(summary="Tố cáo cán bộ xã nhận tiền", kind=MatterKind.DENUNCIATION)
    )
    lead = petitions.draft_from_visit(session, LEAD, visit.id)
    assert not lead.sender_hidden and lead.data.citizen is not None
    assert lead.data.citizen.full_name == "Nguyễn Văn Dũng"
    draft = petitions.draft_from_visit(session, CLERK, visit.id)
    assert draft.sender_hidden and draft.data.citizen is None and draft.data.citizen_id is None
    assert (draft.data.kind, draft.data.summary) == (MatterKind.DENUNCIATION, "Tố cáo cán bộ xã nhận tiền")
    saved = petitions.register_petition(session, CLERK, draft.data)
    petition = session.get_one(Petition, saved.id)
    # The sender is the visit's person, kept confidential.
    assert petition.citizen is not None and petition.citizen.confidential
    assert petition.citizen.full_name == "Nguyễn Văn Dũng"


def test_offered_actions_follow_the_status_and_kind(session: Session) -> None:
    saved = register(session)
    received = [a for a, _why in actions.offered(session, saved.id)]
    assert received == [A.RETURN, A.FILE, A.WITHDRAW]
    classify(session, saved.id)
    offered = dict(actions.offered(session, saved.id))
    assert list(offered) == [A.ACCEPT, A.REFUSE, A.FORWARD, A.GUIDE, A.RETURN, A.FILE, A.WITHDRAW]
    # Another rule than the status may still stop an offered action: it stays, with that rule.
    assert offered[A.ACCEPT] is None and offered[A.FORWARD] is not None and "Điều 27" in offered[A.FORWARD]
    actions.perform(session, HANDLER, saved.id, ActionInput(A.ACCEPT), today=TODAY)
    assert [a for a, _why in actions.offered(session, saved.id)] == [
        A.WITHDRAW,
        A.SUSPEND,
        A.TERMINATE,
        A.DECIDE,
        A.INVITE_DIALOGUE,
        A.HOLD_DIALOGUE,
    ]
    recommendation = register(session, summary="Kiến nghị sửa đường", kind=MatterKind.RECOMMENDATION)
    classify(session, recommendation.id)
    assert A.REFUSE not in dict(actions.offered(session, recommendation.id))  # complaints and denunciations only
