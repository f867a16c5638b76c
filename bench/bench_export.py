"""Register export speed and memory, side by side with openpyxl's own write-only floor.

    .venv/bin/python bench/bench_export.py [--db /tmp/bench_reports.sqlite3]

Uses the database of bench_reports.py (generated there if missing). Each measurement runs in a
fresh process so that peak RSS is that step's own. "floor" = openpyxl ``Workbook(write_only=True)``
appending exactly the same cell values (already fetched, plain values, no styles); "ours" = the whole
export: query, decryption of identity columns, masking, safe text, date styles, temp file + rename.
Targets: ours within 1.2× of the floor, peak memory under 100 MB, a 2,000-row month under 2 s.
Floor and ours run ``--repeat`` times, alternating, and the ratio is of the medians: one run of each
swings by ±10% on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TIEPDAN_KEY_FILE", str(Path("/tmp/tiepdan_bench.key")))

YEAR = (dt.date(2025, 11, 15), dt.date(2026, 11, 14))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, db: str, columns: str, date_from: str, date_to: str) -> dict[str, float]:
    from openpyxl import Workbook

    from app.db import Database
    from app.services.common.actor import SYSTEM
    from app.services.records import export

    database = Database(f"sqlite:///{db}")
    keys = tuple(export.VISIT_COLUMNS) if columns == "all" else export.DEFAULT_COLUMNS["visits"]
    spec = export.ExportSpec("visits", keys, dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to))
    out = Path(f"/tmp/bench_export_{name}.xlsx")
    with database.session() as session:
        base = _rss_mb()
        if name == "ours":
            t, cpu = time.perf_counter(), time.process_time()
            result = export.export(session, SYSTEM, spec, out)
            elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
            rows = result.rows
            session.rollback()
        else:
            # The same cell values (decrypted, labelled, numbered, with the real unit and field
            # names), fetched first (not timed), then written by openpyxl alone.
            headers, source = export.plain_values(session, SYSTEM, spec)
            values = list(source)
            base = _rss_mb()
            t, cpu = time.perf_counter(), time.process_time()
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("floor")
            ws.append(headers)
            for row in values:
                ws.append(row)
            wb.save(out)
            elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
            rows = len(values)
    cells = rows * len(keys)
    return {"seconds": elapsed, "cpu": cpu, "rows": rows, "cells": cells, "peak_mb": _rss_mb(), "base_mb": base}


def run_step(name: str, db: str, columns: str, date_from: dt.date, date_to: dt.date) -> dict[str, float]:
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--step",
            name,
            "--db",
            db,
            "--columns",
            columns,
            "--from",
            date_from.isoformat(),
            "--to",
            date_to.isoformat(),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def month_of_2000(db: str) -> tuple[dt.date, dt.date]:
    from sqlalchemy import func, select

    from app.db import Database
    from app.models import Visit

    database = Database(f"sqlite:///{db}")
    with database.session() as session:
        start = dt.date(2026, 3, 1)
        day = start
        while (
            session.scalar(select(func.count()).select_from(Visit).where(Visit.received_on.between(start, day))) or 0
        ) < 2000:
            day += dt.timedelta(days=1)
    return start, day


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/bench_reports_demo.sqlite3")
    parser.add_argument("--step")
    parser.add_argument("--columns", default="default")
    parser.add_argument("--from", dest="date_from")
    parser.add_argument("--to", dest="date_to")
    parser.add_argument("--repeat", type=int, default=3, help="runs of floor and of ours (median kept)")
    parser.add_argument("--only", choices=("default", "all"), help="one set of columns instead of both")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.db, args.columns, args.date_from, args.date_to)))
        return
    if not Path(args.db).exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "bench_reports.py"), "--db", args.db], check=True)
    for columns in (args.only,) if args.only else ("default", "all"):
        floors, ours_runs = [], []
        for _ in range(max(1, args.repeat)):
            floors.append(run_step("floor", args.db, columns, *YEAR))
            ours_runs.append(run_step("ours", args.db, columns, *YEAR))
        floor_s = statistics.median(r["seconds"] for r in floors)
        ours_s = statistics.median(r["seconds"] for r in ours_runs)
        # CPU time too: on a shared machine other jobs stretch the wall time of either side.
        cpu_ratio = statistics.median(r["cpu"] for r in ours_runs) / statistics.median(r["cpu"] for r in floors)
        ours = ours_runs[-1]
        each = ", ".join(f"{o['seconds'] / f['seconds']:.2f}" for f, o in zip(floors, ours_runs, strict=True))
        print(
            f"{columns:>7} columns, {ours['rows']:,.0f} rows ({ours['cells']:,.0f} cells): "
            f"ours {ours_s:.1f} s, peak {max(r['peak_mb'] for r in ours_runs):.0f} MB | "
            f"openpyxl floor {floor_s:.1f} s | ratio {ours_s / floor_s:.2f}× wall, {cpu_ratio:.2f}× CPU "
            f"(medians of {len(floors)}; wall ratio of each run: {each})"
        )
    start, end = month_of_2000(args.db)
    month = run_step("ours", args.db, "default", start, end)
    print(f"a month's register ({month['rows']:,.0f} rows, {start:%d/%m}–{end:%d/%m}): {month['seconds']:.2f} s")


if __name__ == "__main__":
    main()
