"""``python -m app audit verify|list``: the hash-chained audit trail."""

from __future__ import annotations

import argparse

from app.cli.auth import add_user_option, signed_in
from app.cli.common import add_command, database, parse_date, positive_int
from app.services.common.errors import AppError
from app.services.security import audit
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "audit", "Nhật ký hệ thống: kiểm tra chuỗi, xem các mục", _missing)
    actions = parser.add_subparsers(dest="audit_command", metavar="VIỆC", parser_class=type(parser))
    verify = actions.add_parser("verify", help="kiểm tra chuỗi băm; báo mục đầu tiên bị sửa hoặc xóa")
    verify.set_defaults(handler=run_verify)
    show = actions.add_parser("list", help="liệt kê các mục, mới nhất trước")
    show.add_argument("--from", dest="date_from", type=parse_date, help="từ ngày")
    show.add_argument("--to", dest="date_to", type=parse_date, help="đến ngày")
    show.add_argument("--user", default="", help="tên đăng nhập")
    show.add_argument("--action", default="", help="loại thao tác (create, update, delete, reveal, login…)")
    show.add_argument("--limit", type=positive_int, default=50, help="số mục tối đa (mặc định 50)")
    show.set_defaults(handler=run_list)
    for child in (verify, show):
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    # ``list --user`` filters the trail by account; sign in with ``audit --user TÊN list`` there.
    add_user_option(verify)


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app audit verify|list (xem --help).")


def run_verify(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        signed_in(args, db, Permission.VIEW_AUDIT)
        with db.session() as session:
            report = audit.verify_chain(session)
    finally:
        db.dispose()
    print(report.message)
    return 0 if report.broken_at is None else 1


def run_list(args: argparse.Namespace) -> int:
    flt = audit.AuditFilter(date_from=args.date_from, date_to=args.date_to, username=args.user, action=args.action)
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.VIEW_AUDIT)
        with db.session() as session:
            rows = audit.list_entries(session, actor, flt, limit=args.limit)
    finally:
        db.dispose()
    for r in rows:
        reason = f"\tlý do: {r.reason}" if r.reason else ""
        print(f"#{r.id}\t{r.at:%d/%m/%Y %H:%M:%S}\t{r.username}\t{r.action_label}\t{r.target_label}{reason}")
    return 0
