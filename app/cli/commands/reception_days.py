"""``python -m app reception-days plan|list|agenda``: leaders' reception days (lịch tiếp), headless.

``plan`` lays out the periodic days a leader owes in a month (the legal minimum in force, on the office's
working days); ``list`` shows a month's days with the shortfall warnings; ``agenda`` prints a day's
programme as text, or as the PDF with ``--pdf`` (``--list-pdf`` for the appointment list).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.auth import add_user_option, headless, signed_in
from app.cli.common import acting, add_command, database, parse_date
from app.models.enums import ReceptionKind
from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.deadlines import reception_days as frequency
from app.services.reception_days import agenda, days
from app.services.security.permissions import Permission

WEEKDAY_CODES = {"t2": 0, "t3": 1, "t4": 2, "t5": 3, "t6": 4}


def _month(value: str) -> tuple[int, int]:
    """``MM/YYYY`` or ``YYYY-MM``."""
    try:
        if "/" in value:
            month, year = value.split("/")
        else:
            year, month = value.split("-")
        result = int(year), int(month)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tháng “{value}” không hợp lệ; dùng dạng MM/YYYY hoặc YYYY-MM") from None
    if not 1 <= result[1] <= 12:
        raise argparse.ArgumentTypeError(f"tháng “{value}” không hợp lệ: tháng từ 1 đến 12")
    return result


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(
        sub, "reception-days", "Lịch tiếp công dân của lãnh đạo: lập lịch, xem, chương trình", _missing
    )
    actions = parser.add_subparsers(dest="reception_days_command", metavar="VIỆC", parser_class=type(parser))
    plan = actions.add_parser("plan", help="lập lịch tiếp định kỳ của một lãnh đạo cho một tháng")
    plan.add_argument("--leader", required=True, help="họ tên lãnh đạo chủ trì")
    plan.add_argument("--title", help="chức vụ, ví dụ “Chủ tịch UBND xã”")
    plan.add_argument("--month", type=_month, help="tháng MM/YYYY (mặc định tháng này)")
    plan.add_argument("--duty", choices=[d.code for d in frequency.duties()], help="quy định tần suất tiếp")
    plan.add_argument("--weekday", choices=sorted(WEEKDAY_CODES), help="ưu tiên thứ trong tuần (t2…t6)")
    plan.add_argument("--place", help="địa điểm tiếp")
    plan.set_defaults(handler=run_plan)
    listing = actions.add_parser("list", help="các ngày tiếp của một tháng và cảnh báo thiếu ngày tiếp")
    listing.add_argument("--month", type=_month, help="tháng MM/YYYY (mặc định tháng này)")
    listing.add_argument("--leader", help="chỉ một lãnh đạo")
    listing.set_defaults(handler=run_list)
    program = actions.add_parser("agenda", help="chương trình buổi tiếp: công dân đăng ký và vụ việc đang giải quyết")
    program.add_argument("day", type=int, help="số ngày tiếp (xem lệnh list)")
    program.add_argument("--as-of", type=parse_date, help="tính thời hạn đến ngày (mặc định hôm nay)")
    program.add_argument("--pdf", type=Path, help="ghi chương trình ra tệp PDF")
    program.add_argument("--list-pdf", type=Path, help="ghi danh sách công dân đăng ký tiếp ra tệp PDF")
    program.set_defaults(handler=run_agenda)
    for child in (plan, listing, program):
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        add_user_option(child)


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app reception-days plan|list|agenda (xem --help).")


def run_plan(args: argparse.Namespace) -> int:
    year, month = args.month or (local_today().year, local_today().month)
    with acting(args, Permission.REGISTER_VISIT) as (db, actor), db.transaction() as session:
        planned = days.plan_month(
            session,
            actor,
            leader_name=args.leader,
            leader_title=args.title,
            year=year,
            month=month,
            duty_code=args.duty,
            weekday=WEEKDAY_CODES[args.weekday] if args.weekday else None,
            place=args.place,
        )
        created = [days.day_view(session, day_id) for day_id in planned.created]
    print(
        f"Tháng {month:02d}/{year}: cần {planned.required} ngày tiếp định kỳ, đã có {planned.existing}, "
        f"lập thêm {len(created)} ngày."
    )
    for day in created:
        print(f"  Số {day.id}\t{day.when_text()}\t{day.place or ''}")
    if planned.shortfall:
        print(f"Cảnh báo: {planned.shortfall}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    year, month = args.month or (local_today().year, local_today().month)
    first, last = days.month_range(year, month)
    with acting(args) as (db, _actor), db.session() as session:
        found = days.list_days(session, first, last, leader_name=args.leader)
        names = [args.leader] if args.leader else sorted({d.leader_name for d in found})
        periodic = {d.leader_name for d in found if d.kind == ReceptionKind.PERIODIC}
        warnings = [
            text
            for name in names
            if (args.leader or name in periodic) and (text := days.shortfall(session, name, first, last))
        ]
    print(f"LỊCH TIẾP CÔNG DÂN THÁNG {month:02d}/{year}")
    if not found:
        print("  (không có ngày tiếp nào)")
    for d in found:
        print(
            f"  Số {d.id}\t{d.held_on:%d/%m/%Y} {d.weekday}\t{d.leader_text}\t{d.kind_label}\t{d.mode_label}\t"
            f"{d.status_label}\tđăng ký {d.bookings}, đã tiếp {d.received}"
        )
    for text in warnings:
        print(f"Cảnh báo: {text}")
    return 0


def run_agenda(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = headless(signed_in(args, db))
        with db.transaction() as session:
            facts = agenda.agenda(session, actor, args.day, as_of=args.as_of)
            if args.pdf or args.list_pdf:
                from app.services import printing  # reportlab only when a PDF is asked for

                if args.pdf:
                    args.pdf.write_bytes(printing.render_agenda(session, actor, args.day))
                if args.list_pdf:
                    args.list_pdf.write_bytes(printing.render_booking_list(session, actor, args.day))
    finally:
        db.dispose()
    day = facts.day
    print(f"CHƯƠNG TRÌNH TIẾP CÔNG DÂN — {day.leader_text}, {day.when_text()}")
    print(f"Hình thức: {day.mode_label}; địa điểm: {day.place or '…'}")
    for point in day.points:
        print(f"  Điểm cầu: {point.unit_name}" + (f" ({point.contact_person})" if point.contact_person else ""))
    if not facts.items:
        print("  (chưa có công dân đăng ký)")
    for n, item in enumerate(facts.items, 1):
        b = item.booking
        print(f"{n}. {b.full_name} ({b.delegation_size} người) — {b.matter} [{b.status_label}]")
        for case in item.pending:
            print(f"    {case.text()}")
            for clock in case.clocks:
                print(f"      - {clock.text()}")
    for path in (args.pdf, args.list_pdf):
        if path:
            print(f"Đã ghi {path}")
    return 0
