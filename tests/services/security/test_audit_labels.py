"""The audit trail reads in Vietnamese: actions, targets (with their numbers) and labelled field changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import Competence, HandlingAction, MatterKind, Role
from app.services.casework.actions import ActionInput, perform
from app.services.common.actor import SYSTEM, Actor
from app.services.directory import agencies
from app.services.reception import queue
from app.services.security import accounts, audit, audit_labels
from tests.petition_builders import HANDLER, agency_id, classify, register

LEAD = Actor(user_id=None, username="lanhdao", full_name="Lãnh Đạo", role=Role.LEAD)


def _trail(session: Session) -> list[audit.AuditRow]:
    return list(reversed(audit.list_entries(session, LEAD, audit.AuditFilter())))


def test_a_forwarded_petition_reads_as_the_lead_would_say_it(session: Session) -> None:
    saved = register(session, kind=MatterKind.RECOMMENDATION, summary="Kiến nghị sửa đường liên thôn")
    classify(session, saved.id, competence=Competence.OUTSIDE, field_code="HC_DD")
    agencies.ensure_seeded(session)
    target = agency_id(session, "P24.UBND")
    perform(session, HANDLER, saved.id, ActionInput(HandlingAction.FORWARD, on=dt.date(2026, 3, 10), agency_id=target))
    rows = _trail(session)
    created, classified, issued, forwarded = (
        next(r for r in rows if r.action == code) for code in ("create", "classify", "issue", "chuyen_don")
    )
    number = created.changes[0]
    assert number.startswith("Số đơn: ") and created.target_label == f"Đơn số {number.removeprefix('Số đơn: ')}"
    assert "Loại đơn: Kiến nghị" in created.changes
    assert classified.action_label == "Phân loại đơn"
    assert "Thẩm quyền: (trống) → Không thuộc thẩm quyền" in classified.changes
    assert "Lĩnh vực: (trống) → Đất đai" in classified.changes
    assert forwarded.action_label == "Chuyển đơn" and forwarded.target_label == created.target_label
    assert any(c.startswith("Trạng thái: Đã phân loại → Đã chuyển đơn") for c in forwarded.changes)
    assert "Cơ quan xử lý: (trống) → Ủy ban nhân dân tỉnh Bắc Ninh" in forwarded.changes
    symbol = issued.changes[0].removeprefix("Số, ký hiệu: ")
    assert issued.target_label == f"Văn bản số {symbol}" and "Loại văn bản: Phiếu chuyển đơn" in issued.changes
    # No raw code is left anywhere in what the viewer shows.
    shown = " ".join(t for r in rows for t in (r.action_label, r.target_label, *r.changes))
    for code in ("chuyen_don", "khong_thuoc_tham_quyen", "document #", "None", "competence", "kien_nghi"):
        assert code not in shown


def test_account_entries_name_the_account_and_label_the_role(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)
    admin = accounts.create_first_admin(session, "quantri", "Nguyễn Thị Quản Trị", "mat-khau-1")
    actor = accounts.actor_for(admin)
    user = accounts.add_user(session, actor, "tiepdan1", "Lê Thị Tiếp", Role.CLERK, "mat-khau-2")
    accounts.change_role(session, actor, "tiepdan1", Role.HANDLER)
    rows = _trail(session)
    created = next(r for r in rows if r.entity_id == str(user.id) and r.action == "create")
    assert created.action_label == "Tạo mới" and created.target_label == "Tài khoản tiepdan1 (Lê Thị Tiếp)"
    assert created.changes == (
        "Tên đăng nhập: tiepdan1",
        "Họ và tên: Lê Thị Tiếp",
        "Chức vụ: (trống)",
        "Vai trò: Cán bộ tiếp công dân",
        "Đang hoạt động: có",
    )
    role = rows[-1]
    assert role.action_label == "Đổi vai trò"
    assert role.changes == ("Vai trò: Cán bộ tiếp công dân → Cán bộ xử lý đơn",)


def test_unknown_codes_and_settings_stay_readable() -> None:
    assert audit_labels.action_label("gia_han") == "Gia hạn"
    assert audit_labels.action_label("something_new") == "something_new"
    assert audit_labels.field_label("setting", "office.governing_body") == "Cơ quan chủ quản"
    codes = [code for code, _ in audit_labels.action_choices()]
    assert "chuyen_don" in codes and "create" in codes and len(codes) == len(set(codes))


def test_a_queue_ticket_status_reads_in_the_queue_words(session: Session) -> None:
    ticket = queue.check_in(session, SYSTEM, queue.CheckIn(full_name="Lê Thị Hoa", matter="Đất đai"))
    queue.mark_left(session, SYSTEM, ticket.id)
    left = _trail(session)[-1]
    assert left.entity == "queue_ticket"
    assert "Trạng thái: Đang chờ → Bỏ về" in left.changes
