"""``python -m app queue checkin|list|next|served|left``: the shared waiting queue (hàng chờ).

queue checkin   lấy số thứ tự cho công dân mới đến (in phiếu với --pdf)
queue list      hàng chờ hôm nay (--all: cả người đã tiếp, đã bỏ về)
queue next      mời người tiếp theo đến bàn --desk
queue served    ghi số thứ tự đã tiếp (--visit: lượt tiếp đã lưu)
queue left      ghi công dân đã bỏ về
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.auth import add_login_options
from app.cli.common import acting, add_command, positive_int
from app.models.mixins import now_local
from app.models.waiting_queue import TicketStatus
from app.services.common.errors import AppError
from app.services.reception import queue
from app.services.reception.queue import TicketView
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "queue", "Hàng chờ: lấy số thứ tự, mời người tiếp theo", _missing)
    actions = parser.add_subparsers(dest="queue_command", metavar="VIỆC", parser_class=type(parser))

    checkin = actions.add_parser("checkin", help="lấy số thứ tự cho công dân mới đến")
    checkin.add_argument("--name", required=True, help="họ và tên công dân")
    checkin.add_argument("--matter", required=True, help="việc cần trình bày, vài chữ")
    checkin.add_argument("--phone", help="số điện thoại")
    checkin.add_argument("--cccd", help="số CCCD / định danh cá nhân")
    checkin.add_argument("--people", type=positive_int, default=1, help="số người đến cùng (mặc định 1)")
    checkin.add_argument("--pdf", type=Path, help="ghi phiếu số thứ tự ra tệp PDF")
    checkin.set_defaults(handler=run_checkin)

    listing = actions.add_parser("list", help="hàng chờ hôm nay")
    listing.add_argument("--all", action="store_true", help="cả người đang tiếp, đã tiếp, đã bỏ về")
    listing.set_defaults(handler=run_list)

    take = actions.add_parser("next", help="mời người tiếp theo")
    take.add_argument("--desk", required=True, help="tên bàn tiếp, ví dụ “Bàn 2”")
    take.set_defaults(handler=run_next)

    served = actions.add_parser("served", help="ghi số thứ tự đã được tiếp")
    served.add_argument("ticket", type=positive_int, help="mã phiếu (cột đầu của queue list)")
    served.add_argument("--visit", type=positive_int, help="số lượt tiếp đã lưu cho công dân này")
    served.set_defaults(handler=run_served)

    left = actions.add_parser("left", help="ghi công dân đã bỏ về")
    left.add_argument("ticket", type=positive_int, help="mã phiếu (cột đầu của queue list)")
    left.set_defaults(handler=run_left)

    for child in actions.choices.values():
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        add_login_options(child)


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app queue checkin|list|next|served|left (xem --help).")


def line(ticket: TicketView) -> str:
    now = now_local()
    who = ticket.full_name + (f" (đoàn {ticket.crowd_size} người)" if ticket.crowd_size > 1 else "")
    desk = f" — {ticket.desk}" if ticket.desk else ""
    waited = queue.waited_text(ticket.waited(now))
    return (
        f"[{ticket.id}] Số {ticket.label}\t{who}\t{ticket.matter}\t"
        f"{ticket.checked_in_at:%H:%M}, chờ {waited}\t{ticket.status_label}{desk}"
    )


def run_checkin(args: argparse.Namespace) -> int:
    from app.services.printing import queue_ticket

    entry = queue.CheckIn(
        full_name=args.name, matter=args.matter, phone=args.phone, id_number=args.cccd, crowd_size=args.people
    )
    with acting(args, Permission.REGISTER_VISIT) as (db, actor), db.transaction() as session:
        ticket = queue.check_in(session, actor, entry)
        pdf = queue_ticket.ticket_pdf(session, actor, ticket.id) if args.pdf else None
    print(f"Số thứ tự {ticket.label} ngày {ticket.day:%d/%m/%Y}: {ticket.full_name} (mã phiếu {ticket.id}).")
    if pdf is not None:
        args.pdf.write_bytes(pdf)
        print(f"Đã ghi phiếu số thứ tự vào {args.pdf}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with acting(args, Permission.REGISTER_VISIT) as (db, _actor), db.session() as session:
        tickets = queue.tickets_of_day(session) if args.all else queue.waiting(session)
    waiting = sum(1 for t in tickets if t.status == TicketStatus.WAITING)
    print(f"HÀNG CHỜ — {waiting} người đang chờ")
    for ticket in tickets:
        print(line(ticket))
    if not tickets:
        print("  (không có ai)")
    return 0


def run_next(args: argparse.Namespace) -> int:
    with acting(args, Permission.REGISTER_VISIT) as (db, actor), db.transaction() as session:
        ticket = queue.take_next(session, actor, args.desk)
    if ticket is None:
        print("Không còn ai đang chờ.")
        return 0
    print(f"Mời số {ticket.label}: {ticket.full_name} đến {ticket.desk} (mã phiếu {ticket.id}).")
    return 0


def run_served(args: argparse.Namespace) -> int:
    with acting(args, Permission.REGISTER_VISIT) as (db, actor), db.transaction() as session:
        ticket = queue.mark_served(session, actor, args.ticket, args.visit)
    linked = f", lượt tiếp số {ticket.visit_id}" if ticket.visit_id else ""
    print(f"Số {ticket.label}: đã tiếp{linked}.")
    return 0


def run_left(args: argparse.Namespace) -> int:
    with acting(args, Permission.REGISTER_VISIT) as (db, actor), db.transaction() as session:
        ticket = queue.mark_left(session, actor, args.ticket)
    print(f"Số {ticket.label}: công dân đã bỏ về.")
    return 0
