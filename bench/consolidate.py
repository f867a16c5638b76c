"""Consolidating the whole country's 3,321 commune packages for a quarter: target under 10 seconds.

    .venv/bin/python bench/consolidate.py [--units 3321] [--folder /tmp/tiepdan-bench-upward]

Synthetic packages are generated quickly: every figure random but every total the sum of its parts
(as the form definitions say), each package signed with its commune's own Ed25519 key, one real
workbook shared by all (its digest is in each signed JSON). The upper office declares every commune,
then the timed steps run: importing the folder (every package read, verified and checked, one
savepoint each), the consolidation of every form, the tracker, and the consolidated xlsx.
Figures (wall and CPU) go to the final report / README, never into tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TIEPDAN_KEY_FILE", str(Path(tempfile.gettempdir()) / "tiepdan_bench_upward.key"))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.db import Database  # noqa: E402
from app.models import LOCAL_TZ, AdminUnit, SubordinateUnit  # noqa: E402
from app.models.enums import AdminLevel  # noqa: E402
from app.services.common.actor import SYSTEM  # noqa: E402
from app.services.reports import engine, forms, periods, xlsx  # noqa: E402
from app.services.upward import consolidate, package, receive, tracker  # noqa: E402

PERIOD = periods.quarter(2026, 3)
MADE = dt.datetime(2026, 9, 15, 8, 0, tzinfo=LOCAL_TZ)
RECEIVED = dt.datetime(2026, 9, 16, 9, 0, tzinfo=LOCAL_TZ)


def figures(rng: random.Random, form: forms.FormDef) -> list[list[int]]:
    shape = package.structure(form)
    rows: list[list[int]] = []
    for _ in form.rows:
        row = [rng.choice((0, 0, 1, 2, 3, 5, 8, 13)) for _ in shape.paths]
        # A nested total comes after its group's total: fill the innermost first.
        for total, parts in sorted(shape.totals, reverse=True):
            row[total] = sum(row[p] for p in parts)
        rows.append(row)
    return rows


def make_packages(folder: Path, communes: list[tuple[str, str]], workbook: bytes) -> float:
    started = time.perf_counter()
    chosen = list(forms.all_forms("2024"))
    digest = hashlib.sha256(workbook).hexdigest()
    rng = random.Random(1)
    for code, name in communes:
        key = Ed25519PrivateKey.generate()
        data = package.data_bytes(
            unit=code,
            body=f"UBND {name.upper()}",
            governing_body="UBND",
            period=PERIOD,
            version="2024",
            made_at=MADE,
            forms=[
                {"code": f.code, "title": f.title, "columns": [], "rows": [name], "values": figures(rng, f)}
                for f in chosen
            ],
            workbook_sha256=digest,
        )
        (folder / package.package_name(code, PERIOD)).write_bytes(
            package.zip_bytes(data, package.signature_bytes(key, data), workbook)
        )
    return time.perf_counter() - started


def timed(label: str, fn: object) -> object:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "tiepdan-bench-upward")
    parser.add_argument("--no-xlsx", action="store_true", help="skip the consolidated workbook")
    args = parser.parse_args()
    shutil.rmtree(args.folder, ignore_errors=True)
    inbox = args.folder / "inbox"
    inbox.mkdir(parents=True)
    db = Database(f"sqlite:///{args.folder / 'tinh.sqlite3'}")
    with db.transaction() as session:
        communes = [
            (str(code), str(name))
            for code, name in session.execute(
                select(AdminUnit.code, AdminUnit.name)
                .where(AdminUnit.level == AdminLevel.COMMUNE, AdminUnit.valid_to.is_(None))
                .order_by(AdminUnit.code)
                .limit(args.units)
            )
        ]
        session.add_all(
            SubordinateUnit(code=code, name=name, kind="commune", sort_order=n, active=True)
            for n, (code, name) in enumerate(communes, 1)
        )
        empty = engine.evaluate_all(session, list(forms.all_forms("2024")), PERIOD)
    sample = args.folder / "mau.xlsx"
    head = xlsx.Letterhead("UBND", "UBND XÃ", "Xã", "CHỦ TỊCH", "", "")
    xlsx.write_workbook(empty, head, sample, dt.date(2026, 9, 15))
    made = make_packages(inbox, communes, sample.read_bytes())
    print(f"{len(communes)} synthetic packages generated in {made:.1f} s ({inbox})")

    def import_all() -> list[receive.ImportResult]:
        with db.transaction() as session:
            return receive.import_many(session, SYSTEM, [inbox], now=RECEIVED)

    results = timed("import (read, verify, check, store)", import_all)
    assert isinstance(results, list) and all(r.accepted for r in results), [r for r in results if not r.accepted][:3]

    def consolidated() -> list[consolidate.Consolidated]:
        with db.session() as session:
            return consolidate.consolidate(session, SYSTEM, PERIOD)

    result = timed("consolidate (5 forms)", consolidated)
    assert isinstance(result, list)
    first = result[0]
    units = sum(1 for s in first.sources if s.kind == "unit")
    print(f"  {units} unit rows per form, total of TCD column 1: {first.grid.values[-1][0]}")

    def board() -> tracker.Tracker:
        with db.session() as session:
            return tracker.tracker(session, SYSTEM, PERIOD, today=dt.date(2026, 9, 30))

    tracked = timed("tracker", board)
    assert isinstance(tracked, tracker.Tracker)
    print(f"  {tracked.summary()}")

    def drill() -> consolidate.FigureSources:
        return consolidate.figure_sources(first, len(first.grid.row_labels) - 1, 0)

    found = timed("drill-down of a total", drill)
    assert isinstance(found, consolidate.FigureSources) and found.parts_sum == found.value
    if not args.no_xlsx:

        def save() -> Path:
            with db.transaction() as session:
                return consolidate.save_xlsx(session, SYSTEM, result, args.folder / "tong_hop.xlsx")

        timed("consolidated xlsx (5 sheets)", save)
    db.dispose()


if __name__ == "__main__":
    main()
