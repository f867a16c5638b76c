"""Reception-desk performance on demo databases of 200,000 and 1,000,000 visits (run by hand).

    .venv/bin/python bench/perf_desk.py data                 # build the cached databases (once)
    .venv/bin/python bench/perf_desk.py all                  # every measurement, markdown table
    .venv/bin/python bench/perf_desk.py gen --visits 200000  # (a) demo generation time
    .venv/bin/python bench/perf_desk.py startup              # (b) start-up to the shown main window, 200k
    .venv/bin/python bench/perf_desk.py save                 # (c) saving one visit, own transaction
    .venv/bin/python bench/perf_desk.py search               # (d) search as you type, 1M
    .venv/bin/python bench/perf_desk.py list                 # (e) visit list: all ids + pages to the end, 1M
    .venv/bin/python bench/perf_desk.py memory               # (e) peak RSS with the 1M list open in the UI
    .venv/bin/python bench/perf_desk.py search --pg URL      # (d) on SQLite and PostgreSQL side by side
    .venv/bin/python bench/perf_desk.py pg-data --pg URL     # load the same demo into that PostgreSQL database

Databases are cached in $TIEPDAN_BENCH_DIR (default /tmp/tiepdan-bench) and reused; the data
key sits next to them (TIEPDAN_KEY_FILE). Every measurement runs in a fresh child process, so
its peak RSS (getrusage ru_maxrss) is its own; medians are over several runs or keystrokes.
The machine is shared: each figure is printed with the load average when it was taken.
Targets (issue 2): search ≤ 50 ms at 1M, saving ≤ 30 ms, start-up ≤ 1.5 s at 200k,
≤ 250 MB with the 1M list open, demo 200k < 2 min.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = Path(os.environ.get("TIEPDAN_BENCH_DIR", "/tmp/tiepdan-bench"))
os.environ.setdefault("TIEPDAN_KEY_FILE", str(BENCH_DIR / "bench.key"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PYTHON = sys.executable
SIZES = {"200k": 200_000, "1m": 1_000_000}
TYPED = ["n", "ng", "nguy", "nguyen", "nguyen v", "nguyen van", "nguyen van d", "nguyen van du"]
NOBODY = ["bichngoc", "khong co ai"]  # names no citizen has: the whole index (or table) answers "none"


def database_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def db_path(size: str) -> Path:
    return BENCH_DIR / f"demo-{size}.sqlite3"


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f}"


class Clock:
    """Wall and CPU time of one operation: on a shared machine the CPU time shows the cost itself,
    the wall time what a user would have waited under the same load."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Clock:
        self._w, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self._w)
        self.cpu.append(time.process_time() - self._c)

    def medians(self, skip: int = 0) -> str:
        wall, cpu = self.wall[skip:] or self.wall, self.cpu[skip:] or self.cpu
        return f"{ms(wall)} (cpu {ms(cpu)})"


# ---- children: one measurement per process ----------------------------------------------------------


def child_save(db: str, runs: int) -> dict[str, Any]:
    from app.db import Database
    from app.models.enums import Gender, MatterKind, ReceptionKind, VisitOutcome
    from app.services.common.actor import SYSTEM
    from app.services.reception import visits
    from app.services.reception.citizens import CitizenInput

    database = Database(database_url(db))
    clock = Clock()
    for i in range(runs):
        data = visits.VisitInput(
            reception_kind=ReceptionKind.REGULAR,
            citizen=CitizenInput(
                full_name="Nguyễn Văn Bình Thử",
                id_number=f"0240900{i + 70000:05d}",
                gender=Gender.MALE,
                birth_year=1990,
                province_code="24",
            ),
            summary="Khiếu nại việc chậm cấp giấy chứng nhận quyền sử dụng đất (đo hiệu năng).",
            matter_kind=MatterKind.COMPLAINT,
            outcome=VisitOutcome.GUIDED,
        )
        with clock, database.transaction() as session:  # the clerk presses Ctrl+S: one transaction
            saved = visits.register_visit(session, SYSTEM, data)
        with database.transaction() as session:  # leave the cached database as it was
            visits.delete_visit(session, SYSTEM, saved.id, "Xóa bản ghi đo hiệu năng")
    database.dispose()
    return {"save_ms": clock.medians(skip=1), "first_ms": f"{clock.wall[0] * 1000:.1f}", "runs": runs}


def child_search(db: str, rounds: int) -> dict[str, Any]:
    from sqlalchemy import select

    from app.db import Database
    from app.models import Citizen
    from app.services.reception import citizens, visits

    database = Database(database_url(db))
    out: dict[str, Any] = {}
    with database.session() as session:
        cccd = session.scalar(
            select(Citizen.id_number).where(Citizen.confidential.is_(False), Citizen.id_number.is_not(None)).limit(1)
        )
        typed = [*TYPED, *NOBODY, str(cccd)]
        clocks = {q: Clock() for q in typed}
        every = Clock()
        found: dict[str, int] = {}
        for _ in range(rounds):
            for query in typed:
                with clocks[query], every:
                    found[query] = len(citizens.find_returning(session, query))
        out["returning_ms"] = every.medians()
        out["nobody_ms"] = {q: clocks[q].medians() for q in NOBODY}
        out["returning_worst_prefix_ms"] = f"{max(statistics.median(c.wall) for c in clocks.values()) * 1000:.1f}"
        label = {q: (q if q != str(cccd) else "CCCD") for q in typed}
        out["per_prefix_ms"] = {label[q]: c.medians() for q, c in clocks.items()}
        out["found"] = {label[q]: n for q, n in found.items()}
        text_clock = Clock()
        counts = {}
        per_query: dict[str, Clock] = {}
        for query in ("nguyen van", "thu hoi dat", "dang thi"):
            per_query[query] = Clock()
            for _ in range(max(1, rounds // 2)):
                with text_clock, per_query[query]:
                    ids = visits.visit_ids(session, visits.VisitFilter(text=query))
            counts[query] = len(ids)
        out["visit_ids_text_ms"] = text_clock.medians()
        out["visit_ids_text_per_query_ms"] = {q: c.medians() for q, c in per_query.items()}
        out["visit_ids_text_counts"] = counts
    database.dispose()
    return out


def child_list(db: str, rounds: int, pages: int) -> dict[str, Any]:
    from app.db import Database
    from app.services.common.actor import SYSTEM
    from app.services.reception import visits

    database = Database(database_url(db))
    out: dict[str, Any] = {}
    with database.session() as session:
        all_clock = Clock()
        for _ in range(rounds):
            with all_clock:
                ids = visits.visit_ids(session, visits.VisitFilter())
        out["visit_ids_all_ms"] = all_clock.medians()
        out["rows"] = len(ids)
        name_clock = Clock()
        for descending in [False, True] * rounds:  # the clerk clicks the name column: up, then down
            with name_clock:
                by_name = visits.visit_ids(session, visits.VisitFilter(), sort="citizen", descending=descending)
            assert len(by_name) == len(ids)
        out["visit_ids_by_name_ms"] = name_clock.medians()
        size = 200  # LazyTableModel.PAGE_SIZE
        starts = sorted({round(i * (len(ids) - size) / max(1, pages - 1)) for i in range(pages)})
        page_clock = Clock()
        for start in starts:  # from the top to the very last page, as a scroll to the end asks for them
            with page_clock:
                rows = visits.visit_rows(session, SYSTEM, ids[start : start + size])
            assert len(rows) == len(ids[start : start + size])
        out["page_ms"] = page_clock.medians()
        out["last_page_ms"] = f"{page_clock.wall[-1] * 1000:.1f}"
        out["pages"] = len(starts)
    database.dispose()
    return out


def child_startup(db: str, quick_check_on_open: bool = False) -> dict[str, Any]:
    """In-process: imports, QApplication, database, MainWindow shown with the reception screen.

    The window opens the database as ``launch`` does (``check="deferred"``: the page scan of
    ``PRAGMA quick_check`` runs in the background once the window is up);
    ``quick_check_on_open`` measures the headless default, which scans before anything shows.
    """
    started = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from app.ui.launch import SCREEN_SIZE, _application, settle
    from app.ui.main_window import MainWindow

    imported = time.perf_counter()
    app = _application()
    from app.db import open_database
    from app.ui.context import UiContext
    from app.ui.login import SCREENSHOT_ACTOR

    database = open_database(db, check="quick" if quick_check_on_open else "deferred")
    opened = time.perf_counter()
    window = MainWindow(UiContext(database, SCREENSHOT_ACTOR))
    window.resize(*SCREEN_SIZE)
    window.show_section("reception")
    window.show()
    QApplication.processEvents()
    shown = time.perf_counter()
    shown_cpu = time.process_time()  # CPU since the process started (interpreter start included)
    settle(app)
    settled = time.perf_counter()
    database.dispose()
    return {
        "import_ms": f"{(imported - started) * 1000:.0f}",
        "open_db_ms": f"{(opened - imported) * 1000:.0f}",
        "shown_ms": f"{(shown - started) * 1000:.0f}",
        "shown_cpu_ms": f"{shown_cpu * 1000:.0f}",
        "settled_ms": f"{(settled - started) * 1000:.0f}",
    }


def child_memory(db: str) -> dict[str, Any]:
    """The reception page's visit list over every visit (1M ids), scrolled to the very end."""
    from app.db import open_database
    from app.ui.context import UiContext
    from app.ui.launch import SCREEN_SIZE, _application, settle
    from app.ui.login import SCREENSHOT_ACTOR
    from app.ui.main_window import MainWindow
    from app.ui.reception.visit_table import VisitList

    app = _application()
    database = open_database(db)
    window = MainWindow(UiContext(database, SCREENSHOT_ACTOR))
    window.resize(*SCREEN_SIZE)
    window.show_section("reception")
    window.show()
    settle(app)
    visit_list = window.findChildren(VisitList)[0]
    started = time.perf_counter()
    visit_list.show()  # the page shows it in a tab; showing it starts the load as a click would
    visit_list.apply_filter()
    while visit_list.model.is_loading or visit_list.model.rowCount() == 0:
        settle(app, rounds=2)
        if time.perf_counter() - started > 120:
            break
    loaded = time.perf_counter()
    visit_list.view.scrollToBottom()
    settle(app)
    scrolled = time.perf_counter()
    rows = visit_list.model.rowCount()
    database.dispose()
    return {
        "rows_held": rows,
        "ids_loaded_ms": f"{(loaded - started) * 1000:.0f}",
        "scroll_to_end_ms": f"{(scrolled - loaded) * 1000:.0f}",
    }


CHILDREN = {
    "save": child_save,
    "search": child_search,
    "list": child_list,
    "startup": child_startup,
    "memory": child_memory,
}


def run_child(task: str, db: Path | str, *extra: str) -> dict[str, Any]:
    before = load()
    proc = subprocess.run(
        [PYTHON, __file__, "child", task, "--db", str(db), *extra], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"{task} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["load"] = f"{before} → {load()}"
    return result


# ---- parent commands ------------------------------------------------------------------------------


def generate(size_or_n: int, path: Path) -> dict[str, Any]:
    """(a) ``python -m app demo`` in a child process: wall, CPU and peak RSS."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    before = load()
    started = time.perf_counter()
    usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [PYTHON, "-m", "app", "demo", "--visits", str(size_or_n), "--seed", "1", "--db", str(path)],
        cwd=ROOT,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (usage.ru_utime - usage0.ru_utime) + (usage.ru_stime - usage0.ru_stime)
    return {
        "visits": size_or_n,
        "wall_s": f"{time.perf_counter() - started:.1f}",
        "cpu_s": f"{cpu:.1f}",
        "peak_rss_mb": f"{usage.ru_maxrss / 1024:.0f}",
        "db_mb": f"{path.stat().st_size / 2**20:.0f}",
        "load": f"{before} → {load()}",
    }


def generate_pg(visits: int, url: str) -> dict[str, Any]:
    """The same demo (seed 1) into a PostgreSQL database, for the side-by-side search figures."""
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "-m", "app", "--db", url, "demo", "--visits", str(visits), "--seed", "1", "--force"],
        cwd=ROOT,
        check=True,
        stderr=subprocess.DEVNULL,
    )
    loaded = time.perf_counter() - started
    # What autovacuum soon does after a load: the visibility map that index-only scans rely on.
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()
    return {"visits": visits, "wall_s": f"{loaded:.1f}", "vacuum_s": f"{time.perf_counter() - started - loaded:.1f}"}


def ratios(sqlite: dict[str, Any], pg: dict[str, Any]) -> dict[str, str]:
    """PostgreSQL's median wall time over SQLite's, figure by figure."""

    def wall(text: str) -> float:
        return float(text.split()[0])

    pairs = {"returning": "returning_ms", "list_text_filter": "visit_ids_text_ms"}
    out = {name: f"{wall(pg[key]) / max(wall(sqlite[key]), 0.001):.2f}×" for name, key in pairs.items()}
    for query, figure in pg.get("visit_ids_text_per_query_ms", {}).items():
        base = wall(sqlite["visit_ids_text_per_query_ms"][query])
        out[f"list filter {query!r}"] = f"{wall(figure) / max(base, 0.001):.2f}×"
    for query in NOBODY:
        out[f"nobody {query!r}"] = f"{wall(pg['nobody_ms'][query]) / max(wall(sqlite['nobody_ms'][query]), 0.001):.2f}×"
    return out


def ensure_data(sizes: list[str]) -> None:
    for size in sizes:
        path = db_path(size)
        if path.exists():
            print(f"{path} exists ({path.stat().st_size / 2**20:.0f} MB), reused", file=sys.stderr)
            continue
        print(f"building {path} …", file=sys.stderr)
        print(json.dumps(generate(SIZES[size], path), ensure_ascii=False))


def startup(runs: int) -> dict[str, Any]:
    """(b) ``python -m app gui --screenshot`` wall time (process start to PNG) and the in-process split."""
    db = db_path("200k")
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            usage0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(
                [PYTHON, "-m", "app", "gui", "--screenshot", f"{tmp}/s{i}.png", "--db", str(db)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            walls.append(time.perf_counter() - started)
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(usage.ru_utime - usage0.ru_utime + usage.ru_stime - usage0.ru_stime)
    inner = [run_child("startup", db) for _ in range(runs)]
    checked = [run_child("startup", db, "--quick-check-on-open") for _ in range(runs)]
    return {
        "screenshot_wall_ms": f"{ms(walls)} (cpu {ms(cpus)})",
        "shown_ms": f"{statistics.median(float(r['shown_ms']) for r in inner):.0f}",
        "shown_cpu_ms": f"{statistics.median(float(r['shown_cpu_ms']) for r in inner):.0f}",
        "import_ms": f"{statistics.median(float(r['import_ms']) for r in inner):.0f}",
        "open_db_ms": f"{statistics.median(float(r['open_db_ms']) for r in inner):.0f}",
        "shown_with_quick_check_on_open_ms": f"{statistics.median(float(r['shown_ms']) for r in checked):.0f}",
        "peak_rss_mb": max(r["peak_rss_mb"] for r in inner),
        "load": inner[-1]["load"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("data").add_argument("--sizes", nargs="+", default=list(SIZES))
    gen = sub.add_parser("gen")
    gen.add_argument("--visits", type=int, default=200_000)
    gen.add_argument("--runs", type=int, default=1)
    sub.add_parser("startup").add_argument("--runs", type=int, default=5)
    save = sub.add_parser("save")
    save.add_argument("--size", default="200k", choices=list(SIZES))
    save.add_argument("--runs", type=int, default=30)
    search = sub.add_parser("search")
    search.add_argument("--size", default="1m", choices=list(SIZES))
    search.add_argument("--rounds", type=int, default=5)
    search.add_argument("--pg", metavar="URL", help="also on this PostgreSQL database (loaded by pg-data)")
    pg_data = sub.add_parser("pg-data")
    pg_data.add_argument("--size", default="1m", choices=list(SIZES))
    pg_data.add_argument("--pg", metavar="URL", required=True)
    lst = sub.add_parser("list")
    lst.add_argument("--size", default="1m", choices=list(SIZES))
    lst.add_argument("--rounds", type=int, default=3)
    lst.add_argument("--pages", type=int, default=50)
    lst.add_argument("--pg", metavar="URL", help="also on this PostgreSQL database (loaded by pg-data)")
    mem = sub.add_parser("memory")
    mem.add_argument("--size", default="1m", choices=list(SIZES))
    sub.add_parser("all")
    child = sub.add_parser("child")
    child.add_argument("task", choices=list(CHILDREN))
    child.add_argument("--db", required=True)
    child.add_argument("--runs", type=int, default=30)
    child.add_argument("--rounds", type=int, default=5)
    child.add_argument("--pages", type=int, default=50)
    child.add_argument("--quick-check-on-open", action="store_true")
    args = parser.parse_args()

    if args.cmd == "child":
        fn = CHILDREN[args.task]
        kwargs: dict[str, Any] = {"db": args.db}
        if args.task == "save":
            kwargs["runs"] = args.runs
        elif args.task == "search":
            kwargs["rounds"] = args.rounds
        elif args.task == "list":
            kwargs.update(rounds=args.rounds, pages=args.pages)
        elif args.task == "startup":
            kwargs["quick_check_on_open"] = args.quick_check_on_open
        result = fn(**kwargs)
        result["peak_rss_mb"] = f"{peak_rss_mb():.0f}"
        print(json.dumps(result, ensure_ascii=False))
        return 0
    if args.cmd == "data":
        ensure_data(args.sizes)
        return 0
    if args.cmd == "gen":
        with tempfile.TemporaryDirectory(dir=BENCH_DIR if BENCH_DIR.exists() else None) as tmp:
            for i in range(args.runs):
                print(json.dumps(generate(args.visits, Path(tmp) / f"gen{i}.sqlite3"), ensure_ascii=False))
        return 0
    if args.cmd == "pg-data":
        print(json.dumps(generate_pg(SIZES[args.size], args.pg), ensure_ascii=False))
        return 0
    results: dict[str, Any] = {}
    if args.cmd in ("startup", "all"):
        ensure_data(["200k"])
        results["startup"] = startup(getattr(args, "runs", 5) if args.cmd == "startup" else 5)
    if args.cmd in ("save", "all"):
        size = getattr(args, "size", "200k")
        ensure_data([size])
        results["save"] = run_child("save", db_path(size), "--runs", str(getattr(args, "runs", 30)))
    if args.cmd in ("search", "all"):
        size = getattr(args, "size", "1m")
        ensure_data([size])
        results["search"] = run_child("search", db_path(size), "--rounds", str(getattr(args, "rounds", 5)))
        if getattr(args, "pg", None):
            results["search_pg"] = run_child("search", args.pg, "--rounds", str(args.rounds))
            results["pg_over_sqlite"] = ratios(results["search"], results["search_pg"])
    if args.cmd in ("list", "all"):
        size = getattr(args, "size", "1m")
        ensure_data([size])
        extra = ["--rounds", str(getattr(args, "rounds", 3)), "--pages", str(getattr(args, "pages", 50))]
        results["list"] = run_child("list", db_path(size), *extra)
        if getattr(args, "pg", None):
            results["list_pg"] = run_child("list", args.pg, *extra)
    if args.cmd in ("memory", "all"):
        size = getattr(args, "size", "1m")
        ensure_data([size])
        results["memory"] = run_child("memory", db_path(size))
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
