"""``python -m app deadline``: the due date of a legal time limit, with its arithmetic; ``--list`` the rules."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import add_command, database, parse_date, positive_int
from app.services.common.errors import StorageError
from app.services.deadlines import calendar, clocks, engine, reception_days
from app.services.deadlines.engine import Rule, WorkCalendar


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "deadline", "Tính hạn theo quy tắc thời hạn luật định (kèm cách tính)", run)
    parser.add_argument("--rule", help="mã quy tắc (xem --list), ví dụ gq_khieu_nai_lan_1")
    parser.add_argument("--start", type=parse_date, help="ngày bắt đầu tính (YYYY-MM-DD hoặc dd/mm/yyyy)")
    parser.add_argument("--extend", type=positive_int, default=0, metavar="N", help="số ngày gia hạn")
    parser.add_argument("--complicated", action="store_true", help="vụ việc phức tạp")
    parser.add_argument("--remote", action="store_true", help="vùng sâu, vùng xa, đi lại khó khăn")
    parser.add_argument("--list", action="store_true", help="liệt kê mọi quy tắc với căn cứ pháp lý")


def run(args: argparse.Namespace) -> int:
    if args.list:
        rules, _ = _office(args, need_calendar=None)
        for rule in rules.values():
            _print_rule(rule)
        _print_frequencies()
        return 0
    if not args.rule or args.start is None:
        print("Lỗi: cần --rule MÃ và --start NGÀY (hoặc --list để xem các quy tắc).", file=sys.stderr)
        return 2
    rules, cal = _office(args, need_calendar=range(args.start.year, args.start.year + 2))
    rule = engine.get_rule(args.rule, rules)
    assert cal is not None
    result = engine.compute_due(
        rule, args.start, cal, complicated=args.complicated, remote=args.remote, extension_days=args.extend
    )
    print(f"Hạn: {result.due:%d/%m/%Y} ({engine.WEEKDAYS[result.due.weekday()]})")
    for step in result.steps:
        print(f"  - {step}")
    return 0


def _office(args: argparse.Namespace, need_calendar: range | None) -> tuple[dict[str, Rule], WorkCalendar | None]:
    """The office's rules and calendar from the database; the built-in ones when it cannot be opened."""
    try:
        db = database(args)
    except StorageError as exc:
        print(
            f"Chú ý: không mở được cơ sở dữ liệu ({exc.user_message}); dùng quy tắc và lịch nghỉ lễ mặc định.",
            file=sys.stderr,
        )
        cal = calendar.package_calendar(need_calendar) if need_calendar is not None else None
        return engine.load_rules(), cal
    try:
        with db.transaction() as session:
            rules = clocks.rules(session)
            cal = calendar.work_calendar(session, need_calendar) if need_calendar is not None else None
            return rules, cal
    finally:
        db.dispose()


def _print_rule(rule: Rule) -> None:
    print(f"{rule.code}\t{rule.name}")
    for version, start, end in rule.versions():
        print(f"  - áp dụng {engine.period_text(start, end)}:")
        print(f"    thời hạn: {version.length_text()}, kể từ {version.start_event}")
        print(f"    căn cứ: {version.source}")
        print(f"    gia hạn: {version.extensions_text()}")
        if version.to_confirm:
            print(f"    cần xác nhận: {version.to_confirm}")


def _print_frequencies() -> None:
    print("Tiếp công dân định kỳ của người đứng đầu (số ngày tối thiểu):")
    for duty in reception_days.duties():
        for version, start, end in duty.versions():
            print(f"  {duty.name} — {version.text()}, áp dụng {engine.period_text(start, end)} ({version.source})")
            if version.to_confirm:
                print(f"    cần xác nhận: {version.to_confirm}")
