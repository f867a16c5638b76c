"""Timing of the follow-up board and the overdue figure on an existing database (run by hand).

    TIEPDAN_KEY_FILE=… .venv/bin/python bench/followup_board.py DB.sqlite3 [--as-of 2026-11-26]

Prints each list's size, the number of SQL statements and the time. Figures go to the report,
never into test assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from sqlalchemy import event

from app.db import Database
from app.models.enums import Role
from app.services.common.actor import Actor
from app.services.deadlines import followup


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("db", type=Path)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    db = Database(f"sqlite:///{args.db}")
    lead = Actor(user_id=None, username="lanh.dao", full_name="Lãnh đạo ban", role=Role.LEAD)
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    with db.transaction() as session:
        for _ in range(args.repeat):
            statements[0] = 0
            start = time.perf_counter()
            board = followup.board(session, lead, args.as_of)
            elapsed = time.perf_counter() - start
            sizes = {s.key: s.count for s in followup.sections(board)}
            print(f"board: {elapsed:.2f} s, {statements[0]} statements, {sizes}")
        for _ in range(args.repeat):
            start = time.perf_counter()
            overdue = followup.overdue_count(session, args.as_of)
            print(f"overdue_count: {(time.perf_counter() - start) * 1000:.1f} ms = {overdue}")


if __name__ == "__main__":
    main()
