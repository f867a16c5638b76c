"""Switched off mid-save: a child saving visits is killed with SIGKILL at random moments, many times.

Every visit whose save returned (the child printed its id after the commit) must be there
afterwards, and the file must pass ``PRAGMA integrity_check`` and the audit-chain check.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.models import Citizen, Visit
from app.services.security import audit
from tests.reliability.conftest import spawn

KILLS = 15


def test_sigkill_during_saves_loses_nothing_that_was_reported_saved(shared_db: Path, key_env: dict[str, str]) -> None:
    rng = random.Random(20261126)
    reported: list[int] = []
    # One process imports the application once and forks a fresh saver for each kill.
    forker = spawn(key_env, "fork", str(shared_db), str(KILLS))
    assert forker.stdout is not None
    kills = 0
    for line in forker.stdout:
        word, _, value = line.strip().partition(" ")
        if word == "ready":
            time.sleep(rng.uniform(0.0, 0.4))
            os.kill(int(value), signal.SIGKILL)
            kills += 1
        elif word == "saved" and value.isdigit():  # the worker writes each report in one piece
            reported.append(int(value))
        elif word == "done":
            break
    forker.wait(timeout=30)
    assert kills == KILLS, forker.stderr.read() if forker.stderr else ""
    assert len(reported) >= KILLS  # the kills did land among saves

    raw = sqlite3.connect(shared_db)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    db = Database(f"sqlite:///{shared_db}")
    with db.session() as session:
        present = set(session.scalars(select(Visit.id)))
        assert set(reported) <= present
        # No half-written save: every visit has its citizen, readable with the key.
        orphans = session.scalars(select(Visit.id).where(Visit.citizen_id.not_in(select(Citizen.id)))).all()
        assert orphans == []
        assert all(c.full_name.startswith("Công Dân") for c in session.scalars(select(Citizen)))
        assert audit.verify_chain(session).broken_at is None
    db.dispose()
