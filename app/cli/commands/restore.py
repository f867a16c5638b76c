"""``python -m app restore FILE [--yes]``: replace the data with a checked backup, keeping the current data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.auth import signed_in
from app.cli.common import add_command, database
from app.db import resolve_url
from app.services.common.errors import AppError, StorageError
from app.services.records import backup
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "restore", "Phục hồi dữ liệu từ bản sao lưu", run)
    parser.add_argument("file", type=Path, metavar="TỆP", help="bản sao lưu (.tdbak)")
    parser.add_argument("--yes", action="store_true", help="không hỏi xác nhận (dùng trong script)")


def _confirm(db_name: str, info: backup.BackupInfo) -> bool:
    if sys.stdin is None or sys.stdin.closed or not sys.stdin.readable():
        return False
    print(
        f"Bản sao lưu {info.path.name} (lập {info.created_at:%H:%M %d/%m/%Y}) đã kiểm tra: mở được, toàn vẹn.\n"
        f"Phục hồi sẽ THAY TOÀN BỘ dữ liệu hiện tại của {db_name}; dữ liệu hiện tại được giữ thành một bản sao lưu.\n"
        "Gõ “co” để phục hồi: ",
        end="",
        flush=True,
    )
    answer = sys.stdin.readline()
    return answer.strip().lower() in {"co", "có", "c", "y", "yes"}


def run(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise AppError(f"Không có tệp {args.file}.")
    try:
        db = database(args)
    except StorageError as exc:
        return _restore_damaged(args, exc)
    try:
        actor = signed_in(args, db, Permission.BACKUP)
        info = backup.verify_backup(db, args.file)
        if not args.yes and not _confirm(db.describe(), info):
            raise AppError("Chưa phục hồi: cần xác nhận (gõ “co”), hoặc thêm --yes khi chạy trong script.")
        result = backup.restore(db, actor, args.file)
    finally:
        db.dispose()
    print(f"Đã phục hồi từ {result.restored_from}. Dữ liệu trước khi phục hồi được giữ tại {result.safety_copy}.")
    return 0


def _restore_damaged(args: argparse.Namespace, problem: StorageError) -> int:
    """The current database does not open (corrupt): restore over it, keeping the damaged file aside."""
    url = resolve_url(getattr(args, "db", None))
    print(f"Cơ sở dữ liệu hiện tại không mở được: {problem.user_message}", file=sys.stderr)
    if not args.yes:
        print("Đóng mọi cửa sổ TiếpDân đang mở tệp này. Gõ “co” để phục hồi đè lên: ", end="", flush=True)
        if sys.stdin.readline().strip().lower() not in {"co", "có", "c", "y", "yes"}:
            raise AppError("Chưa phục hồi: cần xác nhận (gõ “co”), hoặc thêm --yes khi chạy trong script.")
    result = backup.restore_damaged(url, args.file)
    print(f"Đã phục hồi từ {result.restored_from}. Tệp hỏng được giữ lại tại {result.safety_copy}.")
    return 0
