"""The shared waiting queue: numbers per day, order, and no ticket ever handed to two desks."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app.db import Database
from app.models import AuditEntry, QueueTicket
from app.models.enums import Role
from app.models.waiting_queue import TicketStatus
from app.services.common.actor import SYSTEM, Actor
from app.services.common.clock import local_today
from app.services.common.errors import RuleViolation, ValidationError
from app.services.reception import queue
from app.services.security import accounts, keys
from tests.helpers import add_visit, local

ROOT = Path(__file__).resolve().parents[2]


def _entry(name: str = "Nguyễn Văn An", matter: str = "Hỏi về bồi thường đất", **extra: object) -> queue.CheckIn:
    return queue.CheckIn(full_name=name, matter=matter, **extra)  # type: ignore[arg-type]


def _clerk(db: Database, username: str, full_name: str) -> Actor:
    with db.transaction() as s:
        info = accounts.add_user(s, SYSTEM, username, full_name, Role.CLERK, "mat-khau-2")
    return accounts.actor_for(info)


def _check_in_many(db: Database, count: int, *, now: dt.datetime | None = None) -> list[int]:
    ids = []
    for i in range(count):
        with db.transaction() as s:
            ids.append(queue.check_in(s, SYSTEM, _entry(f"Công Dân Số {i + 1}"), now=now).id)
    return ids


def test_numbers_start_at_one_each_day(db: Database) -> None:
    numbers = []
    for moment in (local(2026, 12, 7, 7, 30), local(2026, 12, 7, 8, 0), local(2026, 12, 8, 7, 45)):
        with db.transaction() as s:
            numbers.append(queue.check_in(s, SYSTEM, _entry(), now=moment).number)
    assert numbers == [1, 2, 1]
    with db.session() as s:
        assert [t.label for t in queue.tickets_of_day(s, dt.date(2026, 12, 7))] == ["001", "002"]


def test_check_in_cleans_and_keeps_the_entry(db: Database) -> None:
    with db.transaction() as s:
        ticket = queue.check_in(
            s,
            SYSTEM,
            _entry("  Trần Thị Bình ", "Khiếu nại  quyết định thu hồi đất", phone="0912 345 678", crowd_size=3),
        )
    assert ticket.number == 1
    assert ticket.status == TicketStatus.WAITING
    assert ticket.status_label == "Đang chờ"
    assert (ticket.full_name, ticket.phone, ticket.crowd_size) == ("Trần Thị Bình", "0912345678", 3)
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "queue_ticket")).one()
        # Personal data is stored encrypted.
        raw = s.connection().exec_driver_sql("SELECT full_name FROM queue_ticket").scalar_one()
    assert entry.action == "create"
    assert "Bình" not in raw


def test_bad_entry_names_every_field_in_vietnamese(db: Database) -> None:
    with db.transaction() as s, pytest.raises(ValidationError) as caught:
        queue.check_in(s, SYSTEM, queue.CheckIn(full_name=" ", matter="", phone="12", crowd_size=0))
    assert set(caught.value.fields) == {"full_name", "matter", "phone", "crowd_size"}
    assert caught.value.fields["matter"].startswith("Nhập vắn tắt việc")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(QueueTicket)) == 0


def test_waiting_list_is_first_come_first_and_next_takes_the_first(db: Database) -> None:
    _check_in_many(db, 3)
    with db.transaction() as s:
        called = queue.take_next(s, SYSTEM, "Bàn 1")
    assert called is not None
    assert (called.number, called.status, called.desk) == (1, TicketStatus.CALLED, "Bàn 1")
    with db.session() as s:
        assert [t.number for t in queue.waiting(s)] == [2, 3]
        assert queue.tickets_of_day(s)[0].status == TicketStatus.CALLED


def test_served_links_the_visit_and_left_closes_the_ticket(db: Database) -> None:
    _check_in_many(db, 2)
    with db.transaction() as s:
        first = queue.take_next(s, SYSTEM, "Bàn 1")
        second = queue.take_next(s, SYSTEM, "Bàn 2")
    assert first is not None and second is not None
    with db.session() as s:
        visit = add_visit(s)
    with db.transaction() as s:
        served = queue.mark_served(s, SYSTEM, first.id, visit.id)
        gone = queue.mark_left(s, SYSTEM, second.id)
    assert (served.status, served.visit_id) == (TicketStatus.SERVED, visit.id)
    assert gone.status_label == "Bỏ về"
    with db.transaction() as s, pytest.raises(RuleViolation, match="Số 001 đã được ghi “Đã tiếp”"):
        queue.mark_left(s, SYSTEM, first.id)
    with db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "queue_ticket")).all()
    assert sorted(actions) == ["call", "call", "create", "create", "leave", "serve"]


def test_nobody_waiting_gives_none_and_a_desk_needs_a_name(db: Database) -> None:
    with db.transaction() as s:
        assert queue.take_next(s, SYSTEM, "Bàn 1") is None
        with pytest.raises(ValidationError, match="tên bàn tiếp"):
            queue.take_next(s, SYSTEM, "  ")


def test_waiting_time_runs_until_called() -> None:
    ticket = queue.TicketView(
        id=1,
        day=dt.date(2026, 12, 7),
        number=4,
        full_name="A",
        phone=None,
        id_number=None,
        matter="x",
        crowd_size=1,
        checked_in_at=local(2026, 12, 7, 8, 0),
        status=TicketStatus.WAITING,
        desk=None,
        taken_by=None,
        taken_at=None,
        finished_at=None,
        visit_id=None,
    )
    assert queue.waited_text(ticket.waited(local(2026, 12, 7, 9, 5))) == "1 giờ 05 phút"
    assert queue.waited_text(ticket.waited(local(2026, 12, 7, 8, 12))) == "12 phút"


def test_two_desks_racing_in_threads_never_take_one_ticket_twice(db: Database) -> None:
    """Two desks, each with its own session and connection, press "next" at the same moments."""
    desks = [_clerk(db, "ban1", "Lê Thị Một"), _clerk(db, "ban2", "Phạm Văn Hai")]
    ids = _check_in_many(db, 12)
    taken: dict[str, list[int]] = {"Bàn 1": [], "Bàn 2": []}
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def desk(actor: Actor, name: str) -> None:
        try:
            start.wait()
            while True:
                with db.transaction() as s:
                    ticket = queue.take_next(s, actor, name)
                if ticket is None:
                    return
                taken[name].append(ticket.id)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=desk, args=(a, n)) for a, n in zip(desks, taken, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    everything = taken["Bàn 1"] + taken["Bàn 2"]
    assert sorted(everything) == ids  # each ticket once, none lost
    with db.session() as s:
        rows = s.execute(select(QueueTicket.id, QueueTicket.desk, QueueTicket.taken_by)).all()
    by_desk = {"Bàn 1": desks[0].user_id, "Bàn 2": desks[1].user_id}
    for ticket_id, desk_name, user in rows:
        assert ticket_id in taken[desk_name]
        assert user == by_desk[desk_name]


def test_a_desk_that_loses_the_race_takes_the_next_ticket(db: Database) -> None:
    """Desk 2 commits its take of number 1 between desk 1's look at the queue and desk 1's update:
    desk 1's update changes nothing, and it takes number 2 instead of number 1 again.

    The desks' ``Database.transaction`` already runs one writer at a time (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: an advisory lock), so desk 1 here writes in a plain session, as a caller outside
    that lock would: the conditional update alone keeps the ticket from being taken twice. SQLite
    cannot run this: a deferred transaction that read before another's commit may not write."""
    if db.is_sqlite:
        pytest.skip("SQLite refuses a write from a stale read snapshot: no interleaving to provoke")
    _check_in_many(db, 2)
    other: list[queue.TicketView | None] = []

    def interleave(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE QUEUE_TICKET") and not other:
            other.append(None)  # before the nested take, so its own update does not come back here
            with db.transaction() as s2:
                other[0] = queue.take_next(s2, SYSTEM, "Bàn 2")

    event.listen(db.engine, "before_cursor_execute", interleave)
    try:
        with db.session() as s, s.begin():
            mine = queue.take_next(s, SYSTEM, "Bàn 1")
    finally:
        event.remove(db.engine, "before_cursor_execute", interleave)
    assert other[0] is not None and mine is not None
    assert (other[0].number, other[0].desk) == (1, "Bàn 2")
    assert (mine.number, mine.desk) == (2, "Bàn 1")


_WORKER = """
import sys
from app.db import Database
from app.services.common.actor import SYSTEM
from app.services.reception import queue
db = Database(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
while True:
    with db.transaction() as s:
        ticket = queue.take_next(s, SYSTEM, sys.argv[2])
    if ticket is None:
        break
    print("took", ticket.id, flush=True)
db.dispose()
"""


@pytest.mark.sqlite_only
def test_two_processes_on_one_file_take_twenty_tickets_each_exactly_once(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key_file = db_path.parent / "keys" / "tiepdan.key"
    monkeypatch.setenv(keys.ENV_KEY_FILE, str(key_file))
    url = f"sqlite:///{db_path}"
    db = Database(url)
    try:
        ids = _check_in_many(db, 20)
    finally:
        db.dispose()
    env = {**os.environ, keys.ENV_KEY_FILE: str(key_file), "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, url, f"Bàn {n}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in (1, 2)
    ]
    for w in workers:  # both open, then both start at once
        assert w.stdout is not None and w.stdout.readline().strip() == "ready"
    for w in workers:
        assert w.stdin is not None
        w.stdin.write("go\n")
        w.stdin.flush()
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    took = [[int(line.split()[1]) for line in out.splitlines() if line.startswith("took")] for out, _ in outputs]
    assert sorted(took[0] + took[1]) == ids
    db = Database(url)
    try:
        with db.session() as s:
            rows = s.execute(select(QueueTicket.id, QueueTicket.desk, QueueTicket.status)).all()
            calls = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "call"))
    finally:
        db.dispose()
    assert calls == 20
    for ticket_id, desk, status in rows:
        assert status == TicketStatus.CALLED
        assert ticket_id in took[0 if desk == "Bàn 1" else 1]


def test_today_is_the_vietnamese_day(db: Database) -> None:
    with db.transaction() as s:
        ticket = queue.check_in(s, SYSTEM, _entry())
    assert ticket.day == local_today()


def test_the_slip_is_an_80_mm_page_with_the_number_and_who_waits_before(db: Database) -> None:
    import io

    from pypdf import PdfReader
    from reportlab.lib.units import mm

    from app.services.printing import queue_ticket
    from tests import printing_data as data

    _check_in_many(db, 1, now=local(2026, 12, 7, 7, 30))
    with db.transaction() as s:
        ticket = queue.check_in(
            s, SYSTEM, _entry("Phan Văn Tú", "Kiến nghị đường thôn", crowd_size=6), now=local(2026, 12, 7, 7, 42)
        )
        pdf = queue_ticket.ticket_pdf(s, SYSTEM, ticket.id)
    [page] = PdfReader(io.BytesIO(pdf)).pages
    assert round(float(page.mediabox.width) / mm) == 80
    text = data.pdf_text(pdf)
    for expected in (
        "PHIẾU SỐ THỨ TỰ",
        "002",
        "Phan Văn Tú (đoàn 6 người)",
        "Nội dung: Kiến nghị đường thôn",
        "Lấy số lúc 07:42 ngày 07/12/2026",
        "Trước quý vị còn 1 người đang chờ.",
    ):
        assert expected in text
    with db.session() as s:
        printed = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
    assert (printed.entity, printed.entity_id) == ("queue_ticket", str(ticket.id))


def test_migration_0017_downgrades_and_upgrades_again(empty_db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from app.db import alembic_config, make_engine, upgrade

    engine = make_engine(empty_db_url)
    upgrade(engine, "0017")
    assert "queue_ticket" in inspect(engine).get_table_names()
    command.downgrade(alembic_config(engine), "0016")
    assert "queue_ticket" not in inspect(engine).get_table_names()
    upgrade(engine, "0017")
    uniques = inspect(engine).get_unique_constraints("queue_ticket")
    assert [u["column_names"] for u in uniques] == [["day", "number"]]
    engine.dispose()
