"""``python -m app backup -o FILE`` (or ``--folder DIR``): an encrypted copy, safe while the application is open."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.auth import signed_in
from app.cli.common import add_command, database
from app.services.common.errors import AppError
from app.services.records import backup
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "backup", "Sao lưu dữ liệu (mã hóa) ra tệp hoặc thư mục", run)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", type=Path, metavar="TỆP", help="tệp sao lưu (đuôi .tdbak)")
    target.add_argument("--folder", type=Path, metavar="THƯ_MỤC", help="thư mục (ổ USB): tạo tệp có ngày giờ")
    parser.add_argument("--keep", type=int, help="với --folder: chỉ giữ N bản mới nhất")


def _progress(phase: str, fraction: float) -> None:
    if sys.stderr.isatty():
        print(f"\r{phase} {fraction:4.0%}", end="", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    if args.keep is not None and args.keep < 1:
        raise AppError("--keep phải từ 1 trở lên.")
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.BACKUP)
        if args.output is not None:
            info = backup.backup_database(db, actor, args.output, progress=_progress)
        else:
            info = backup.backup_to_folder(db, actor, args.folder, keep=args.keep, progress=_progress)
    finally:
        db.dispose()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Đã sao lưu vào {info.path} ({info.size / 1_048_576:.1f} MB, mã hóa bằng khóa {info.key_id}).")
    return 0
