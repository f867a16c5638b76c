"""Running clocks on petitions: the API the petition actions call."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models import Deadline
from app.models.enums import DayUnit, DeadlineStatus, MatterKind
from app.services.common import settings
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.deadlines import clocks
from tests.deadline_builders import add_petition

D = dt.date


def only(session: Session, petition_id: int) -> clocks.ClockRow:
    rows = clocks.clock_rows(session, petition_id, as_of=D(2026, 3, 20))
    assert len(rows) == 1
    return rows[0]


def test_start_clock_computes_the_due_date_with_the_case_variant(session: Session) -> None:
    petition = add_petition(session)
    clock_id = clocks.start_clock(
        session, petition.id, "gq_khieu_nai_lan_1", D(2026, 3, 2), complicated=True, remote=True
    )
    row = only(session, petition.id)
    assert row.id == clock_id
    assert (row.length, row.unit, row.due_on) == (60, DayUnit.CALENDAR, D(2026, 5, 4))
    assert (row.rule_name, row.legal_source) == ("Giải quyết khiếu nại lần đầu", "Luật Khiếu nại 2011, Điều 28")
    assert row.status_label == "Đang chạy" and row.days_left == 45


def test_starting_the_same_rule_again_replaces_the_running_clock(session: Session) -> None:
    petition = add_petition(session)
    first = clocks.start_clock(session, petition.id, "xu_ly_don", D(2026, 3, 2))
    second = clocks.start_clock(session, petition.id, "xu_ly_don", D(2026, 3, 9))
    statuses = {r.id: r.status for r in clocks.clock_rows(session, petition.id)}
    assert statuses == {first: DeadlineStatus.CANCELLED, second: DeadlineStatus.OPEN}


def test_unknown_rule_and_unknown_petition_are_refused(session: Session) -> None:
    petition = add_petition(session)
    with pytest.raises(NotFoundError, match="Các mã hợp lệ"):
        clocks.start_clock(session, petition.id, "giai_quyet", D(2026, 3, 2))
    with pytest.raises(NotFoundError, match="Không tìm thấy đơn #999"):
        clocks.start_clock(session, 999, "xu_ly_don", D(2026, 3, 2))


def test_meet_and_cancel_touch_only_the_rules_named(session: Session) -> None:
    petition = add_petition(session)
    clocks.start_clock(session, petition.id, "thu_ly_khieu_nai", D(2026, 3, 2))
    clocks.start_clock(session, petition.id, "xu_ly_don", D(2026, 3, 2))
    clocks.start_clock(session, petition.id, "cho_ket_qua_chuyen_don", D(2026, 3, 2))
    assert clocks.meet_clocks(session, petition.id, D(2026, 3, 14), ["thu_ly_khieu_nai"]) == 1
    assert clocks.cancel_clocks(session, petition.id, ["cho_ket_qua_chuyen_don"]) == 1
    assert clocks.meet_clocks(session, petition.id, D(2026, 3, 5)) == 1  # what is left: xu_ly_don
    rows = {r.rule_code: r for r in clocks.clock_rows(session, petition.id)}
    assert rows["thu_ly_khieu_nai"].status == DeadlineStatus.MET
    assert rows["thu_ly_khieu_nai"].days_late == 2  # due 12/03, met 14/03
    assert rows["cho_ket_qua_chuyen_don"].status == DeadlineStatus.CANCELLED
    assert rows["xu_ly_don"].met_on == D(2026, 3, 5)
    assert clocks.meet_clocks(session, petition.id, D(2026, 3, 6)) == 0


def test_suspend_and_resume_move_the_due_date_by_the_time_suspended(session: Session) -> None:
    petition = add_petition(session)
    clocks.start_clock(session, petition.id, "gq_khieu_nai_lan_1", D(2026, 3, 2))
    assert clocks.suspend_clocks(session, petition.id, D(2026, 3, 10)) == 1
    row = only(session, petition.id)
    assert (row.status, row.suspended_on, row.due_on) == (DeadlineStatus.SUSPENDED, D(2026, 3, 10), D(2026, 4, 1))
    with pytest.raises(ValidationError, match="trước ngày tạm đình chỉ"):
        clocks.resume_clocks(session, petition.id, D(2026, 3, 9))
    assert clocks.resume_clocks(session, petition.id, D(2026, 3, 20)) == 1
    row = only(session, petition.id)
    assert (row.status, row.suspended_days, row.due_on) == (DeadlineStatus.OPEN, 10, D(2026, 4, 13))
    steps = clocks.explain(session, row.id).steps
    assert any("Tạm đình chỉ từ 10/03/2026 đến 20/03/2026: 10 ngày không được tính" in s for s in steps)


def test_two_suspensions_of_a_working_day_clock(session: Session) -> None:
    petition = add_petition(session)
    clocks.start_clock(session, petition.id, "xu_ly_don", D(2026, 3, 2))
    clocks.suspend_clocks(session, petition.id, D(2026, 3, 5))
    clocks.resume_clocks(session, petition.id, D(2026, 3, 12))
    clocks.suspend_clocks(session, petition.id, D(2026, 3, 13))
    clocks.resume_clocks(session, petition.id, D(2026, 3, 16))
    # Counted: 3, 4, 5 | 13 | 17, 18, 19, 20, 23, 24 → ten working days.
    assert only(session, petition.id).due_on == D(2026, 3, 24)


def test_extensions_of_a_denunciation_and_the_third_is_refused(session: Session) -> None:
    petition = add_petition(session, kind=MatterKind.DENUNCIATION)
    clocks.start_clock(session, petition.id, "gq_to_cao", D(2026, 3, 2))
    assert clocks.extend_clock(session, petition.id, "gq_to_cao", 30) == D(2026, 5, 4)
    assert clocks.extend_clock(session, petition.id, "gq_to_cao", 30) == D(2026, 6, 1)
    with pytest.raises(RuleViolation, match=r"“Giải quyết tố cáo” \(Luật Tố cáo 2018, Điều 30\).*tối đa 2 lần"):
        clocks.extend_clock(session, petition.id, "gq_to_cao", 10)
    row = only(session, petition.id)
    assert (row.extension_count, row.extension_days, row.due_on) == (2, 60, D(2026, 6, 1))


def test_a_rule_without_extensions_refuses_one_and_nothing_changes(session: Session) -> None:
    petition = add_petition(session)
    clocks.start_clock(session, petition.id, "gq_khieu_nai_lan_1", D(2026, 3, 2))
    with pytest.raises(RuleViolation, match=r"“Giải quyết khiếu nại lần đầu”.*không cho phép gia hạn"):
        clocks.extend_clock(session, petition.id, "gq_khieu_nai_lan_1", 15)
    assert only(session, petition.id).due_on == D(2026, 4, 1)
    with pytest.raises(NotFoundError, match="không có thời hạn “Giải quyết tố cáo” đang chạy"):
        clocks.extend_clock(session, petition.id, "gq_to_cao", 15)


def test_the_office_override_applies_to_new_clocks_only(session: Session) -> None:
    petition = add_petition(session)
    old = clocks.start_clock(session, petition.id, "tra_loi_kien_nghi", D(2026, 3, 2))
    settings.put(session, clocks.RULE_OVERRIDES, {"tra_loi_kien_nghi": {"length": 10, "unit": "ngay_lam_viec"}})
    other = add_petition(session, summary="Kiến nghị sửa đường liên xã")
    clocks.start_clock(session, other.id, "tra_loi_kien_nghi", D(2026, 3, 2))
    assert only(session, other.id).due_on == D(2026, 3, 16)  # 10 working days
    assert session.get(Deadline, old) is not None
    assert only(session, petition.id).due_on == D(2026, 3, 17)  # 15 calendar days, fixed when it started
    assert clocks.recompute_open(session) == 0


def test_an_office_corrects_a_rule_with_audit_and_can_reset_it(session: Session) -> None:
    from sqlalchemy import select

    from app.models import AuditEntry
    from app.models.enums import Role
    from app.services.common.actor import SYSTEM, Actor
    from app.services.common.errors import PermissionDenied

    handler = Actor(user_id=None, username="xu.ly", full_name="Cán bộ xử lý", role=Role.HANDLER)
    with pytest.raises(PermissionDenied):
        clocks.save_rule(session, handler, "gq_khieu_nai_lan_1", {"unit": "ngay_lam_viec"})
    with pytest.raises(ValidationError, match="đơn vị phải là"):
        clocks.save_rule(session, SYSTEM, "gq_khieu_nai_lan_1", {"unit": "tuan"})
    corrected = clocks.save_rule(session, SYSTEM, "gq_khieu_nai_lan_1", {"unit": "ngay_lam_viec"})
    assert corrected.unit == DayUnit.WORKING and corrected.complicated == 45
    assert clocks.overridden(session) == {"gq_khieu_nai_lan_1"}
    petition = add_petition(session)
    clocks.start_clock(session, petition.id, "gq_khieu_nai_lan_1", D(2026, 3, 2))
    assert only(session, petition.id).due_on == D(2026, 4, 13)  # 30 working days
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "deadline_rule")).one()
    assert entry.entity_id == "gq_khieu_nai_lan_1" and "ngay_lam_viec" in (entry.after_json or "")
    assert clocks.reset_rule(session, SYSTEM, "gq_khieu_nai_lan_1").unit == DayUnit.CALENDAR
    assert clocks.overridden(session) == set()
