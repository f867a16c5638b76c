"""The leader's dashboard on a demo database: figures (SQL), painting (QPainter), the PDF briefing.

    .venv/bin/python bench/dashboard.py [--db FILE] [--visits 200000] [--as-of 2026-12-07] [--runs 5]
                                        [--with-indexes]

Without ``--db`` it uses the cached ``$TIEPDAN_BENCH_DIR/demo-200k.sqlite3`` (bench/perf_desk.py data),
or makes ``demo-dashboard-N.sqlite3`` there with ``python -m app demo``. Prints medians of CPU and wall
time: ``dashboard.build`` (with its parts), the communes' table, painting the dashboard tab at
1366×768 offscreen, and the one-page PDF. ``--with-indexes`` repeats the figures on a copy of the
database with four indexes (what a migration could add), to show what they would save.
Figures go to the README or the report, never into test assertions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = Path(os.environ.get("TIEPDAN_BENCH_DIR", "/tmp/tiepdan-bench"))
os.environ.setdefault("TIEPDAN_KEY_FILE", str(BENCH_DIR / "bench.key"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_bench_visit_dashboard"
    " ON visit (received_on, matter_kind, field_code, is_crowd, head_count, deleted_at)",
    "CREATE INDEX IF NOT EXISTS ix_bench_petition_dashboard ON petition (received_on, kind, field_code, deleted_at)",
    "CREATE INDEX IF NOT EXISTS ix_bench_deadline_dashboard"
    " ON deadline (status, rule_code, met_on, due_on, petition_id)",
    "CREATE INDEX IF NOT EXISTS ix_bench_petition_deleted ON petition (id) WHERE deleted_at IS NOT NULL",
)


def database(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    cached = BENCH_DIR / "demo-200k.sqlite3"
    if args.visits == 200_000 and cached.exists():
        return cached
    path = BENCH_DIR / f"demo-dashboard-{args.visits}.sqlite3"
    if not path.exists():
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        print(f"building {path} …", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "app", "--db", str(path), "demo", "--visits", str(args.visits), "--seed", "1"],
            cwd=ROOT,
            check=True,
        )
    return path


def timed(runs: int, job: Callable[[], Any]) -> tuple[str, Any]:
    """Median CPU and wall time of ``runs`` calls after one warm-up call."""
    result = job()
    cpu, wall = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        result = job()
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return f"{statistics.median(cpu) * 1000:.0f} ms CPU ({statistics.median(wall) * 1000:.0f} ms wall)", result


def measure(path: Path, as_of: dt.date, runs: int) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from app.db import open_database
    from app.services.common.actor import SYSTEM
    from app.services.printing import dashboard as briefing
    from app.services.reports import dashboard
    from app.ui.context import UiContext
    from app.ui.reports.dashboard import DashboardView

    db = open_database(str(path), check="deferred")
    out: dict[str, Any] = {}
    with db.session() as session:
        out["build"], board = timed(runs, lambda: dashboard.build(session, SYSTEM, as_of))
        parts: dict[str, list[float]] = {}
        for _ in range(runs):
            for name, seconds in dashboard.build(session, SYSTEM, as_of).timings.items():
                parts.setdefault(name, []).append(seconds)
        out["build parts (CPU)"] = {k: f"{statistics.median(v) * 1000:.0f} ms" for k, v in parts.items()}
        out["communes"], communes = timed(runs, lambda: dashboard.communes(session, SYSTEM, as_of))
        first = board.visits_by_kind.series[0].figures[-2]
        out["drill-down (one month, one kind)"], ids = timed(runs, lambda: dashboard.drill_ids(session, first.drill))
        out["drill-down records"] = len(ids)
        out["pdf"], pdf = timed(max(1, runs // 2), lambda: briefing.render_dashboard(session, SYSTEM, as_of))
        out["pdf bytes"] = len(pdf)
        session.rollback()  # the prints' audit entries
    app = QApplication.instance() or QApplication([])
    view = DashboardView(UiContext(db, SYSTEM))
    view.resize(1366, 700)
    view._started = True  # the figures are given, not computed in the worker

    def paint() -> None:
        view._show(board)
        view._show_communes(communes)
        view.grab()

    out["paint 1366×700"], _ = timed(runs, paint)
    out["visits in window"] = board.visits_by_kind.total
    view.deleteLater()
    app.processEvents()
    db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="an existing demo database (SQLite file)")
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--with-indexes", action="store_true")
    args = parser.parse_args()
    path = database(args)
    with sqlite3.connect(path) as con:
        last = con.execute("SELECT max(received_on) FROM visit").fetchone()[0]
    as_of = args.as_of or dt.date.fromisoformat(last)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg()[:2])
    print(f"{path} ({path.stat().st_size / 2**20:.0f} MB), as of {as_of}, load {load}")
    for key, value in measure(path, as_of, args.runs).items():
        print(f"  {key}: {value}")
    if args.with_indexes:
        copy = BENCH_DIR / "dashboard-indexed.sqlite3"
        with sqlite3.connect(path) as con:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy must hold every page
        shutil.copyfile(path, copy)
        try:
            with sqlite3.connect(copy) as con:
                for statement in INDEXES:
                    con.execute(statement)
            print(f"with covering indexes ({copy.stat().st_size / 2**20:.0f} MB):")
            for key, value in measure(copy, as_of, args.runs).items():
                print(f"  {key}: {value}")
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # no Qt teardown at interpreter exit (PySide6 can crash there with widgets alive)
