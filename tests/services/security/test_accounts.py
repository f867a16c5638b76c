"""Accounts: scrypt hashes, first administrator, lockout after failures, role changes — all audited."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEntry, User
from app.models.enums import Role
from app.services.common import settings
from app.services.common.errors import PermissionDenied, RuleViolation, ValidationError
from app.services.reception import visits
from app.services.security import accounts
from tests.helpers import local, visit_input

PASSWORD = "mat-khau-dai"


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The production cost (N=2^15, ~0.1 s) is checked once below; the other tests need not pay it.
    monkeypatch.setattr(accounts, "_N", 2**10)


def _admin(session: Session) -> accounts.UserInfo:
    return accounts.create_first_admin(session, "quantri", "Nguyễn Quản Trị", PASSWORD)


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_first_run_creates_the_administrator_once(session: Session) -> None:
    assert accounts.needs_first_admin(session)
    admin = _admin(session)
    assert admin.role == Role.ADMIN and not accounts.needs_first_admin(session)
    with pytest.raises(RuleViolation, match="Đã có tài khoản quản trị"):
        accounts.create_first_admin(session, "khac", "Người Khác", PASSWORD)


def test_password_is_a_salted_scrypt_hash_never_the_password(session: Session) -> None:
    _admin(session)
    stored = session.scalars(select(User.password_hash)).one()
    assert stored is not None and stored.startswith("scrypt$") and PASSWORD not in stored
    assert accounts.hash_password(PASSWORD) != accounts.hash_password(PASSWORD)
    assert accounts.verify_password(PASSWORD, stored) and not accounts.verify_password("sai", stored)
    assert not accounts.verify_password(PASSWORD, "md5$abc")
    assert accounts.hash_password(PASSWORD, n=2**15).startswith("scrypt$32768$8$1$")


def test_weak_or_duplicate_input_lists_every_problem(session: Session) -> None:
    admin = accounts.actor_for(_admin(session))
    with pytest.raises(ValidationError) as caught:
        accounts.add_user(session, admin, "Tên Có Dấu", "", Role.CLERK, "ngan")
    assert set(caught.value.fields) == {"username", "full_name", "password"}
    with pytest.raises(ValidationError, match="đã có người dùng"):
        accounts.add_user(session, admin, "quantri", "Trùng Tên", Role.CLERK, PASSWORD)


def test_login_succeeds_and_is_audited(session: Session) -> None:
    _admin(session)
    result = accounts.login(session, "QuanTri", PASSWORD)
    assert result.ok and result.actor is not None and result.actor.role == Role.ADMIN
    assert _actions(session)[-1] == "login"
    assert session.scalars(select(User.last_login_at)).one() is not None


def test_lockout_after_repeated_failures_is_recorded_and_expires(session: Session) -> None:
    _admin(session)
    settings.put(session, accounts.MAX_FAILED, 3)
    now = local(2026, 5, 4, 8)
    messages = [accounts.login(session, "quantri", "sai-mat-khau", now=now).message for _ in range(3)]
    assert "Còn 2 lần" in messages[0] and "Còn 1 lần" in messages[1]
    assert "bị khóa 15 phút" in messages[2]
    # Even the right password is refused while locked.
    locked = accounts.login(session, "quantri", PASSWORD, now=now + dt.timedelta(minutes=5))
    assert not locked.ok and "tạm khóa" in locked.message
    assert _actions(session)[-4:] == ["login_failed", "login_failed", "lockout", "login_failed"]
    assert accounts.login(session, "quantri", PASSWORD, now=now + dt.timedelta(minutes=16)).ok


def test_unknown_user_gets_the_same_answer_and_is_recorded(session: Session) -> None:
    _admin(session)
    unknown = accounts.login(session, "khongco", PASSWORD)
    wrong = accounts.login(session, "quantri", "sai-mat-khau")
    assert unknown.message == accounts.WRONG and wrong.message.startswith(accounts.WRONG)
    assert _actions(session)[-2:] == ["login_failed", "login_failed"]


def test_sign_in_keeps_the_failure_even_though_it_refuses(db: Database) -> None:
    with db.transaction() as session:
        _admin(session)
    with pytest.raises(PermissionDenied, match="không đúng"):
        accounts.sign_in(db, "quantri", "sai-mat-khau")
    with db.session() as session:
        assert session.scalars(select(User.failed_logins)).one() == 1
        assert _actions(session)[-1] == "login_failed"


def test_roles_lock_and_password_changes_are_permission_checked_and_audited(session: Session) -> None:
    admin = accounts.actor_for(_admin(session))
    clerk_info = accounts.add_user(session, admin, "tiepdan", "Lê Văn Tiếp", Role.CLERK, PASSWORD)
    clerk = accounts.actor_for(clerk_info)
    with pytest.raises(PermissionDenied, match="không có quyền quản lý tài khoản"):
        accounts.add_user(session, clerk, "ai-do", "Ai Đó", Role.ADMIN, PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.change_role(session, clerk, "tiepdan", Role.ADMIN)
    assert accounts.change_role(session, admin, "tiepdan", Role.LEAD).role == Role.LEAD
    accounts.lock_user(session, admin, "tiepdan", "nghỉ việc")
    assert "bị khóa" in accounts.login(session, "tiepdan", PASSWORD).message
    accounts.unlock_user(session, admin, "tiepdan")
    # A user changes their own password only with the old one.
    with pytest.raises(ValidationError, match="hiện tại không đúng"):
        accounts.set_password(session, clerk, "tiepdan", "mat-khau-moi-1", old_password="sai")
    accounts.set_password(session, clerk, "tiepdan", "mat-khau-moi-1", old_password=PASSWORD)
    assert accounts.login(session, "tiepdan", "mat-khau-moi-1").ok
    actions = _actions(session)
    for action in ("create", "role", "lock", "unlock", "password"):
        assert action in actions
    trail = " ".join(filter(None, session.scalars(select(AuditEntry.after_json))))
    assert "scrypt$" not in trail and PASSWORD not in trail


def test_the_last_administrator_cannot_be_demoted_or_locked(session: Session) -> None:
    admin = accounts.actor_for(_admin(session))
    accounts.add_user(session, admin, "phu", "Phụ Tá", Role.CLERK, PASSWORD)
    with pytest.raises(RuleViolation, match="quản trị cuối cùng"):
        accounts.change_role(session, admin, "quantri", Role.LEAD)
    with pytest.raises(RuleViolation, match="chính mình"):
        accounts.lock_user(session, admin, "quantri")


def test_a_clerk_is_refused_in_the_service_with_a_reason(session: Session) -> None:
    admin = accounts.actor_for(_admin(session))
    clerk = accounts.actor_for(accounts.add_user(session, admin, "tiep", "Tiếp Dân", Role.CLERK, PASSWORD))
    saved = visits.register_visit(session, clerk, visit_input())
    with pytest.raises(PermissionDenied, match="không có quyền xem nhật ký"):
        from app.services.security import audit

        audit.list_entries(session, clerk, audit.AuditFilter())
    assert saved.id > 0
