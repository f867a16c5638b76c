"""``python -m app search TEXT``: matching citizens and visits, one per line."""

from __future__ import annotations

import argparse

from app.cli.auth import signed_in
from app.cli.common import add_command, database
from app.services.reception import citizens, visits


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "search", "Tìm công dân và lượt tiếp (không phân biệt dấu)", run)
    parser.add_argument("text", nargs="+", help="họ tên, số CCCD hoặc nội dung")
    parser.add_argument("--limit", type=int, default=20, help="số dòng tối đa mỗi loại (mặc định 20)")


def run(args: argparse.Namespace) -> int:
    query = " ".join(args.text)
    db = database(args)
    actor = signed_in(args, db)
    with db.session() as session:
        matches = citizens.find_returning(session, query, limit=args.limit, history=0)
        for m in matches:
            born = f", sinh {m.birth_year}" if m.birth_year else ""
            print(f"công dân #{m.id}\t{m.full_name}{born}\t{m.address}\t{m.visit_count} lượt tiếp")
        ids = visits.visit_ids(session, visits.VisitFilter(text=query))
        rows = visits.visit_rows(session, actor, ids[: args.limit])
        for r in rows:
            print(
                f"lượt tiếp #{r.id}\t{r.received_at:%d/%m/%Y %H:%M}\t{r.citizen_name}\t"
                f"{r.matter_kind_label}\t{r.summary}"
            )
        print(f"— {len(matches)} công dân, {len(ids)} lượt tiếp khớp “{query}”.")
    return 0
