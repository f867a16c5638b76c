"""``python -m app key show|export|import``: the data key that encrypts identities and backups."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import add_command, database
from app.services.common.errors import AppError
from app.services.security import keys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "key", "Khóa dữ liệu: xem nơi lưu, xuất/nhập khóa khôi phục", _missing)
    actions = parser.add_subparsers(dest="key_command", metavar="VIỆC", parser_class=type(parser))
    actions.add_parser("show", help="nơi lưu khóa và mã khóa của cơ sở dữ liệu").set_defaults(handler=run_show)
    actions.add_parser(
        "export", help="in khóa khôi phục (cất nơi an toàn: cần để đọc bản sao lưu trên máy khác)"
    ).set_defaults(handler=run_export)
    actions.add_parser("import", help="nhập khóa khôi phục từ stdin vào kho khóa của máy này").set_defaults(
        handler=run_import
    )
    for child in actions.choices.values():
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app key show|export|import (xem --help).")


def run_show(args: argparse.Namespace) -> int:
    db = database(args)
    db.dispose()
    assert db.key is not None
    print(f"Mã khóa: {db.key.key_id}\nNơi lưu: {keys.store_description()}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    db = database(args)
    db.dispose()
    assert db.key is not None
    print(keys.recovery_text(db.key))
    print(
        "Cất dòng trên ở nơi an toàn (két, phong bì niêm phong): ai có nó đọc được dữ liệu định danh.", file=sys.stderr
    )
    return 0


def run_import(_args: argparse.Namespace) -> int:
    key = keys.import_recovery_text(sys.stdin.readline())
    print(f"Đã nhập khóa {key.key_id} vào {keys.store_description()}.")
    return 0
