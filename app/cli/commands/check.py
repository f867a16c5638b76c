"""``python -m app check``: is the database whole, is its schema known, does the audit chain hold?"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from app.cli.common import add_command
from app.db import Database, current_revision, head_revision, known_revisions, make_engine, resolve_url
from app.services import audit, integrity
from app.services.errors import StorageError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "check", "Kiểm tra toàn vẹn cơ sở dữ liệu và phiên bản lược đồ", run)
    parser.add_argument("--full", action="store_true", help="kiểm tra đầy đủ (integrity_check, chậm hơn)")


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
    finally:
        db.dispose()
    print(chain.message)
    return 0 if chain.broken_at is None else 1
