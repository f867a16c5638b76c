"""The audit trail is hash-chained: an edited, removed or inserted entry is found, by the service and the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.cli import main
from app.db import Database
from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.common.errors import PermissionDenied
from app.services.security import audit
from tests.helpers import add_visit, local

LEAD = Actor(user_id=None, username="lanhdao", full_name="Lãnh Đạo", role=Role.LEAD)
HANDLER = Actor(user_id=None, username="xuly", full_name="Xử Lý", role=Role.HANDLER)


def _three_entries(db: Database) -> None:
    with db.session() as session:
        add_visit(session, name="An", id_number=None)
        add_visit(session, name="Bình", id_number=None)
        add_visit(session, name="Chi", id_number=None)


def test_intact_chain_verifies(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _three_entries(db)
    assert main(["audit", "verify", "--db", db.url]) == 0
    assert "toàn vẹn: 3 mục" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        ("UPDATE audit_entry SET after_json = replace(after_json, 'Khiếu nại', 'Kiến nghị') WHERE id = 2", "#2"),
        ("DELETE FROM audit_entry WHERE id = 2", "#3"),
        ("UPDATE audit_entry SET username = 'ai_do' WHERE id = 1", "#1"),
    ],
)
def test_tampering_is_reported_at_the_first_broken_link(
    db: Database, capsys: pytest.CaptureFixture[str], tamper: str, expected: str
) -> None:
    _three_entries(db)
    with db.transaction() as session:
        session.execute(text(tamper))
    with db.session() as session:
        report = audit.verify_chain(session)
    assert report.broken_at == int(expected[1:])
    assert main(["audit", "verify", "--db", db.url]) == 1
    assert f"Mục nhật ký {expected}" in capsys.readouterr().out


def test_lead_filters_the_trail_and_a_handler_may_not(db: Database) -> None:
    with db.session() as session:
        add_visit(session, name="An", id_number=None, received_at=local(2026, 3, 1))
    with db.transaction() as session:
        audit.record(session, LEAD, "print", "visit_log", None)
    with db.session() as session:
        everything = audit.list_entries(session, LEAD, audit.AuditFilter())
        assert [r.action for r in everything] == ["print", "create"]
        prints = audit.list_entries(session, LEAD, audit.AuditFilter(username="lanhdao"))
        assert [r.action_label for r in prints] == ["In"]
        assert audit.count_entries(session, LEAD, audit.AuditFilter(action="create", entity="visit")) == 1
        today = everything[0].at.date()
        assert audit.count_entries(session, LEAD, audit.AuditFilter(date_from=today, date_to=today)) == 2
        assert audit.count_entries(session, LEAD, audit.AuditFilter(date_to=today.replace(year=2000))) == 0
        with pytest.raises(PermissionDenied, match="nhật ký"):
            audit.list_entries(session, HANDLER, audit.AuditFilter())
