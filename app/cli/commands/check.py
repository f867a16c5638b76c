"""``python -m app check``: is the database whole, is its schema known, does the audit chain hold,
and do the petitions' stored first dates (what the reports read) agree with their events?"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from app.cli.common import add_command
from app.db import Database, current_revision, head_revision, known_revisions, make_engine, resolve_url
from app.services.casework import first_dates
from app.services.common.errors import StorageError
from app.services.records import integrity
from app.services.security import audit


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "check", "Kiểm tra toàn vẹn cơ sở dữ liệu và phiên bản lược đồ", run)
    parser.add_argument("--full", action="store_true", help="kiểm tra đầy đủ (integrity_check, chậm hơn)")
    parser.add_argument(
        "--repair", action="store_true", help="tính lại ngày xử lý, ngày thụ lý đầu tiên của đơn nếu không khớp"
    )


def run(args: argparse.Namespace) -> int:
    url = resolve_url(getattr(args, "db", None))
    target = make_url(url)
    if target.get_backend_name() == "sqlite" and target.database and not Path(target.database).exists():
        raise StorageError(f"Không có tệp {target.database}.")
    probe = Database(url, migrate=False, unlock=False)
    try:
        file = probe.file
        known = known_revisions(probe.engine)
        head = head_revision(probe.engine)
        if file is not None:
            report = integrity.check_file(file, full=args.full, known=known)
            if not report.ok:
                raise StorageError(" ".join(report.problems) + " " + integrity.backup_hint(file))
            revision = report.revision
        else:
            revision = current_revision(make_engine(url))
    finally:
        probe.dispose()
    print(f"Tệp toàn vẹn ({'integrity_check' if args.full else 'quick_check'}): ổn.")
    if revision != head:
        print(f"Lược đồ {revision}: cũ hơn phiên bản này ({head}); sẽ được nâng cấp khi mở.")
    else:
        print(f"Lược đồ: {revision} (mới nhất).")
    db = Database(url, migrate=False, unlock=False)  # checking changes nothing and needs no key
    try:
        with db.session() as session:
            chain = audit.verify_chain(session)
        print(chain.message)
        dates_ok = revision != head or _first_dates_ok(db, repair=args.repair)
    finally:
        db.dispose()
    return 0 if chain.broken_at is None and dates_ok else 1


def _first_dates_ok(db: Database, *, repair: bool) -> bool:
    with db.session() as session:
        drifted = first_dates.stale(session)
    if not drifted:
        print("Ngày xử lý, ngày thụ lý đầu tiên của đơn (dùng cho báo cáo): khớp với quá trình xử lý.")
        return True
    shown = ", ".join(str(i) for i in drifted[:10]) + ("…" if len(drifted) > 10 else "")
    if not repair:
        print(
            f"{len(drifted)} đơn có ngày xử lý hoặc ngày thụ lý đầu tiên không khớp với quá trình xử lý "
            f"(mã đơn {shown}); báo cáo có thể sai. Chạy: python -m app check --repair"
        )
        return False
    with db.transaction() as session:
        first_dates.refresh(session, drifted)
    print(f"Đã tính lại ngày xử lý, ngày thụ lý đầu tiên của {len(drifted)} đơn (mã đơn {shown}).")
    return True
