"""Live desks: what one idle poll costs and how long another desk's commit takes to be seen.

    TIEPDAN_KEY_FILE=/tmp/k.key .venv/bin/python bench/live_desks.py [--db URL] [--commits 20]

Two ``Database`` objects on one database stand for two desks (their own connections, as two
processes would have); the second commits a visit, the first polls every 10 ms until it sees it.
The window polls every second (``app.ui.live.POLL_MS``), so a desk sees a commit within that
second plus the reload of the list concerned.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import Database
from app.services.common import changes
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from tests.helpers import visit_input


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--commits", type=int, default=20)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/live.sqlite3"
    here, other = Database(url), Database(url)
    watcher = changes.watch(here.engine, here.url)
    start = time.process_time()
    for _ in range(1000):
        watcher.poll()
    idle_us = (time.process_time() - start) * 1000
    delays = []
    for i in range(args.commits):
        with other.transaction() as session:
            visits.register_visit(session, SYSTEM, visit_input(f"Người Thử {i}", id_number=None))
        committed = time.perf_counter()
        while "visit" not in watcher.poll():
            time.sleep(0.01)
        delays.append((time.perf_counter() - committed) * 1000)
    watcher.close()
    print(
        f"{here.engine.dialect.name}: idle poll {idle_us:.1f} µs CPU; commit seen after "
        f"median {statistics.median(delays):.1f} ms, max {max(delays):.1f} ms ({args.commits} commits)"
    )
    here.dispose()
    other.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
