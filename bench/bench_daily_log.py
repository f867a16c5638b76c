"""Time the reception register (Sổ tiếp công dân) for one day of 200 visits.

Run by hand: ``.venv/bin/python bench/bench_daily_log.py [--visits 200] [--runs 9]``.
Prints the median and the range of ``render_daily_log`` (query + layout + PDF + audit entry), the
pages, and the median CPU time (steadier than wall time on a shared machine).
Target (issue 4): under 1 second for 200 visits.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

from app.db import Database
from app.models import LOCAL_TZ
from app.models.enums import Gender, MatterKind, ReceptionKind, VisitOutcome
from app.services import printing
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput

DAY = dt.date(2026, 11, 20)
SUMMARY = (
    "Khiếu nại Quyết định số 1234/QĐ-UBND của Chủ tịch UBND xã về việc thu hồi đất, bồi thường, hỗ trợ "
    "và tái định cư khi thực hiện dự án mở rộng Quốc lộ 18; đề nghị xem xét lại đơn giá bồi thường."
)


def fill(db: Database, count: int) -> None:
    with db.transaction() as session:
        for n in range(count):
            crowd = n % 25 == 0
            reps = tuple(CitizenInput(full_name=f"Đại Diện {n}-{k}", province_code="24") for k in range(3))
            visits.register_visit(
                session,
                SYSTEM,
                visits.VisitInput(
                    reception_kind=ReceptionKind.PERIODIC if n % 10 == 0 else ReceptionKind.REGULAR,
                    citizen=CitizenInput(
                        full_name=f"Nguyễn Thị Phương Thảo {n}",
                        id_number=f"0241850{n:05d}",
                        gender=Gender.FEMALE,
                        birth_year=1985,
                        province_code="24",
                        address_detail="Số 12 ngõ 34 đường Nguyễn Trãi",
                    ),
                    summary=SUMMARY if n % 3 else "Hỏi về chế độ chính sách người có công.",
                    matter_kind=[MatterKind.COMPLAINT, MatterKind.RECOMMENDATION, MatterKind.DENUNCIATION][n % 3],
                    outcome=VisitOutcome.GUIDED,
                    received_at=dt.datetime(2026, 11, 20, 7, 0, tzinfo=LOCAL_TZ) + dt.timedelta(minutes=2 * n),
                    leader_name="Nguyễn Văn Quang" if n % 10 == 0 else None,
                    head_count=12 if crowd else 1,
                    is_crowd=crowd,
                    representatives=reps if crowd else (),
                    documents_received="Đơn (02 trang); Bản sao quyết định",
                ),
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visits", type=int, default=200)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("TIEPDAN_KEY_FILE", str(Path(tmp) / "bench.key"))
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        fill(db, args.visits)
        times: list[float] = []
        cpu: list[float] = []
        pdf = b""
        for _ in range(args.runs + 1):  # the first run warms fonts and caches; it is not counted
            with db.transaction() as session:
                start, start_cpu = time.perf_counter(), time.process_time()
                pdf = printing.render_daily_log(session, SYSTEM, DAY)
                times.append(time.perf_counter() - start)
                cpu.append(time.process_time() - start_cpu)
        db.dispose()
    measured = times[1:]
    pages = pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")
    print(
        f"Sổ tiếp công dân, {args.visits} lượt tiếp: trung vị {statistics.median(measured) * 1000:.0f} ms "
        f"(nhanh nhất {min(measured) * 1000:.0f}, chậm nhất {max(measured) * 1000:.0f} ms, lần đầu "
        f"{times[0] * 1000:.0f} ms), {len(pdf) // 1024} KB, ~{pages} trang; "
        f"thời gian CPU trung vị {statistics.median(cpu[1:]) * 1000:.0f} ms (ít phụ thuộc tải máy)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
