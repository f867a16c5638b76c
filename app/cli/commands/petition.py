"""``python -m app petition list|show|retention``: the petition register and one petition's timeline, headless."""

from __future__ import annotations

import argparse

from app.cli.auth import headless, signed_in
from app.cli.common import add_command, database, parse_date
from app.models.enums import MatterKind, PetitionStatus
from app.services.casework import petitions
from app.services.casework.petitions import PetitionFilter
from app.services.common import vocab
from app.services.common.errors import NotFoundError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "petition", "Sổ đơn thư: liệt kê đơn, xem diễn biến một đơn, đơn lưu hết hạn", run)
    parser.add_argument(
        "action",
        choices=["list", "show", "retention"],
        help="list: danh sách đơn; show: một đơn; retention: đơn lưu đã hết thời hạn lưu",
    )
    parser.add_argument("number", nargs="?", help="số đơn cho show, ví dụ 12/2026")
    parser.add_argument("--status", choices=[s.value for s in PetitionStatus], help="lọc theo trạng thái (mã)")
    parser.add_argument("--kind", choices=[k.value for k in MatterKind], help="lọc theo loại đơn (mã)")
    parser.add_argument("--text", default="", help="tìm theo tên người gửi, nội dung (không cần dấu)")
    parser.add_argument("--limit", type=int, default=50, help="số dòng tối đa (mặc định 50)")
    parser.add_argument("--as-of", type=parse_date, help="retention: tính đến ngày (mặc định hôm nay)")
    parser.add_argument("-o", "--output", help="retention: ghi danh sách ra tệp .xlsx")


def run(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = headless(signed_in(args, db))
        if args.action == "retention":
            from app.cli import retention_command  # openpyxl only for this action

            return retention_command.run(db, actor, args.as_of, args.output)
        with db.session() as session:
            if args.action == "list":
                flt = PetitionFilter(
                    status=PetitionStatus(args.status) if args.status else None,
                    kind=MatterKind(args.kind) if args.kind else None,
                    text=args.text,
                )
                ids = petitions.petition_ids(session, flt)
                for r in petitions.petition_rows(session, actor, ids[: args.limit]):
                    flag = " ⚠ chuyển nhiều lần" if r.over_forwarded else ""
                    print(
                        f"{r.number}\t{r.received_on:%d/%m/%Y}\t{r.kind_label}\t{r.status_label}\t"
                        f"{r.sender}\t{r.summary}{flag}"
                    )
                print(f"— {len(ids)} đơn.")
                return 0
            if not args.number:
                raise NotFoundError("Ghi số đơn cần xem, ví dụ: petition show 12/2026")
            petition_id = petitions.find_by_number(session, args.number)
            if petition_id is None:
                raise NotFoundError(f"Không có đơn số {args.number} trong sổ.")
            d = petitions.detail(session, actor, petition_id)
            print(f"Đơn số {d.number} — nhận {d.received_on:%d/%m/%Y} — {vocab.label(d.source)}")
            print(f"Người gửi: {d.sender}\nLoại: {d.kind_label}\tTrạng thái: {d.status_label}\nNội dung: {d.summary}")
            for e in d.events:
                extra = "; ".join(p for p in (e.agency_name, e.reason, e.note, ", ".join(e.documents)) if p)
                print(f"  {e.occurred_on:%d/%m/%Y}\t{e.action_label}\t{extra}")
            for c in d.clocks:
                print(f"  hạn {c.due_on:%d/%m/%Y}\t{c.rule_name}\t{c.status_label}")
            return 0
    finally:
        db.dispose()
