"""Timing of the deadline engine, clock recomputation and the follow-up board (run by hand).

    .venv/bin/python bench/deadlines_bench.py [--clocks 3000]

Figures go to the README, never into test assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from app.db import Database
from app.models.enums import CalendarDayKind
from app.services.common.actor import SYSTEM
from app.services.deadlines import calendar, calendar_edits, clocks, engine, followup
from tests.deadline_builders import add_officer, add_petition


def timed(label: str, fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for _ in range(repeat):
        result = fn()
    elapsed = (time.perf_counter() - start) / repeat
    print(f"{label}: {elapsed * 1000:.1f} ms")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clocks", type=int, default=3000)
    args = parser.parse_args()
    rng = random.Random(7)
    rules = engine.load_rules()
    cal = calendar.package_calendar(range(2025, 2029))
    codes = list(rules)
    starts = [dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(365)) for _ in range(10_000)]

    def due_dates() -> None:
        for i, start in enumerate(starts):
            engine.compute_due(rules[codes[i % len(codes)]], start, cal)

    timed("compute_due × 10 000", due_dates)

    folder = Path(tempfile.mkdtemp())
    os.environ.setdefault("TIEPDAN_KEY_FILE", str(folder / "bench.key"))
    db = Database(f"sqlite:///{folder / 'bench.sqlite3'}")
    with db.transaction() as session:
        officers = [add_officer(session, f"Cán bộ {i}", f"cb{i}") for i in range(12)]

        def seed() -> None:
            for _ in range(args.clocks):
                p = add_petition(session, officer_id=rng.choice(officers).id, received_on=rng.choice(starts))
                clocks.start_clock(session, p.id, rng.choice(codes), p.received_on)

        timed(f"petition + start_clock × {args.clocks}", seed)
    with db.transaction() as session:
        moved = timed(
            f"calendar.set_day (recompute_open over {args.clocks} clocks)",
            lambda: calendar_edits.set_day(session, SYSTEM, dt.date(2026, 6, 15), CalendarDayKind.DAY_OFF, "Thử").moved,
        )
        print(f"  {moved} due dates moved")
    with db.session() as session:
        board = timed("followup.board", lambda: followup.board(session, SYSTEM, dt.date(2026, 7, 1)), repeat=3)
        print(f"  overdue {len(board.overdue)}, today {len(board.due_today)}, soon {len(board.due_soon)}")
        timed("followup.overdue_count", lambda: followup.overdue_count(session, dt.date(2026, 7, 1)), repeat=10)
    db.dispose()


if __name__ == "__main__":
    main()
