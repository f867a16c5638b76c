"""All report forms over a 200,000-visit database: target under 2 seconds.

    .venv/bin/python bench/bench_reports.py [--visits 200000] [--db /tmp/bench_reports.sqlite3]

The database is generated once by ``app.services.demo`` (24 months of visits, petitions and their
timelines) and reused on later runs. Figures go to the README / the lead's note, never into tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TIEPDAN_KEY_FILE", str(Path("/tmp/tiepdan_bench.key")))

from sqlalchemy import func, select  # noqa: E402

from app.db import Database  # noqa: E402
from app.models import LOCAL_TZ, Petition, Visit  # noqa: E402
from app.services import demo  # noqa: E402
from app.services.common.actor import SYSTEM  # noqa: E402
from app.services.reports import engine, forms, periods, service  # noqa: E402

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=LOCAL_TZ)


def ensure(db: Database, n: int) -> None:
    """The demo office's history (app.services.demo: 24 months, chronological, like a real register)."""
    with db.transaction() as session:
        have = session.scalar(select(func.count()).select_from(Visit)) or 0
        if have >= n:
            return
        t = time.perf_counter()
        # A top-up of an existing demo database is more demo history (force: it is not empty).
        demo.generate(session, n - have, seed=1 + have, now=NOW, force=have > 0)
        print(f"generated {n - have:,} visits in {time.perf_counter() - t:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=200_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/bench_reports_demo.sqlite3"))
    args = parser.parse_args()
    db = Database(f"sqlite:///{args.db}")
    ensure(db, args.visits)
    with db.session() as session:
        visits = session.scalar(select(func.count()).select_from(Visit))
        petitions = session.scalar(select(func.count()).select_from(Petition))
        print(f"database: {visits:,} visits, {petitions:,} petitions")
        for period in (
            periods.month(2026, 11),
            periods.quarter(2026, 4),
            periods.year_period(2026),
            periods.custom(dt.date(2024, 11, 26), dt.date(2026, 11, 26)),
        ):
            service.grids(session, SYSTEM, period)  # warm the page cache
            load = os.getloadavg()[0]
            times = []
            for _ in range(3):
                t = time.perf_counter()
                grids = service.grids(session, SYSTEM, period)
                times.append(time.perf_counter() - t)
            per_form = []
            for form in forms.all_forms():
                t = time.perf_counter()
                engine.evaluate(session, form, period)
                per_form.append(f"{form.code} {1000 * (time.perf_counter() - t):.0f} ms")
            lượt = grids[0].values[0][0] + grids[0].values[0][8]
            print(
                f"{period.title:>28}: all {len(grids)} forms in {statistics.median(times):.3f} s (median of 3, load "
                f"{load:.2f} → {os.getloadavg()[0]:.2f}; {', '.join(per_form)}); lượt {lượt:,}"
            )
        t = time.perf_counter()
        out = Path("/tmp/bench_reports.xlsx")
        service.save_report(session, SYSTEM, periods.year_period(2026), out)
        session.rollback()
        print(f"year report with xlsx: {time.perf_counter() - t:.3f} s")


if __name__ == "__main__":
    main()
