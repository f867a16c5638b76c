"""``python -m app followup [--as-of DATE]``: the follow-up lists, headless (for a morning check or cron)."""

from __future__ import annotations

import argparse
import datetime as dt

from app.cli.auth import headless, signed_in
from app.cli.common import add_command, database, parse_date
from app.services.common.clock import local_today
from app.services.deadlines import followup
from app.services.deadlines.followup import FollowupBoard, FollowupItem

NONE = "  (không có)"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "followup", "Danh sách theo dõi: quá hạn, đến hạn, chờ kết quả, chờ thi hành", run)
    parser.add_argument("--as-of", type=parse_date, default=None, help="tính đến ngày (mặc định hôm nay)")
    parser.add_argument(
        "--by",
        choices=["officer", "agency"],
        default="officer",
        help="nhóm theo cán bộ hoặc cơ quan",
    )


def run(args: argparse.Namespace) -> int:
    as_of: dt.date = args.as_of or local_today()
    db = database(args)
    try:
        actor = headless(signed_in(args, db))
        with db.transaction() as session:
            result = followup.board(session, actor, as_of)
    finally:
        db.dispose()
    print(render(result, args.by))
    return 0


def render(result: FollowupBoard, by: str = "officer") -> str:
    lines = [f"THEO DÕI THỜI HẠN — tính đến ngày {result.as_of:%d/%m/%Y}"]
    for section in followup.sections(result, by):
        lines.append("")
        lines.append(f"{section.title.upper()} ({section.count})")
        if not section.count:
            lines.append(NONE)
        for grp in section.groups:
            lines.append(f"  {grp.title} ({len(grp.items)})")
            lines.extend(f"    {_line(i, result)}" for i in grp.items)
    return "\n".join(lines)


def _line(item: FollowupItem, result: FollowupBoard) -> str:
    status = followup.status_text(item, result.as_of)
    return f"Đơn {item.petition_number}\t{item.sender}\t{item.summary}\t{item.rule_name}\t{status}"
