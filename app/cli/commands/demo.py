"""``python -m app demo --visits N [--seed S] [--force]``: fill the database with realistic demo data."""

from __future__ import annotations

import argparse
import sys

from app.cli.auth import signed_in
from app.cli.common import add_command, database
from app.services import demo
from app.services.common.errors import AppError
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub,
        "demo",
        "Tạo dữ liệu mẫu (công dân, lượt tiếp, vụ việc, đơn thư trong 24 tháng gần nhất) để dùng thử",
        run,
    )
    # Read as text and checked in ``run``: a bad value then gives one Vietnamese line, not argparse's usage.
    parser.add_argument("--visits", required=True, metavar="N", help="số lượt tiếp cần tạo (ví dụ 2000)")
    parser.add_argument(
        "--seed", default="1", metavar="S", help="hạt giống ngẫu nhiên; cùng hạt giống cho cùng dữ liệu"
    )
    parser.add_argument(
        "--force", action="store_true", help="vẫn thêm khi cơ sở dữ liệu đã có lượt tiếp thật (không khuyến nghị)"
    )


def _whole(value: str, what: str) -> int:
    try:
        return int(value.replace(".", "").replace("_", ""))
    except ValueError:
        raise AppError(f"{what} phải là số nguyên, không phải “{value}”.") from None


def run(args: argparse.Namespace) -> int:
    visits = _whole(args.visits, "Số lượt tiếp (--visits)")
    seed = _whole(args.seed, "Hạt giống (--seed)")
    demo.check_count(visits)
    db = database(args)
    # Without a login only while the database has no account yet (a fresh file); then an administrator.
    signed_in(args, db, Permission.MANAGE_SETTINGS)

    def progress(done: int, total: int) -> None:
        print(
            f"  … {demo.number(done)}/{demo.number(total)} lượt tiếp ({done * 100 // total}%)",
            file=sys.stderr,
            flush=True,
        )

    with db.rollback_journal(), db.transaction() as session:
        demo.ensure_allowed(session, force=args.force)
        print(f"Đang tạo {demo.number(visits)} lượt tiếp mẫu vào {db.describe()} …", file=sys.stderr, flush=True)
        result = demo.generate(session, visits, seed=seed, force=args.force, progress=progress)
    seconds = f"{result.seconds:.1f}".replace(".", ",")
    n = demo.number
    print(
        f"Đã tạo dữ liệu mẫu: {n(result.visits)} lượt tiếp, {n(result.citizens)} công dân "
        f"({n(result.confidential_citizens)} hồ sơ người tố cáo được bảo mật), {n(result.cases)} vụ việc, "
        f"{n(result.petitions)} đơn, {n(result.events)} bước xử lý đơn — {seconds} giây (hạt giống {result.seed})."
    )
    return 0
