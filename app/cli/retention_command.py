"""``python -m app petition retention [--as-of] [-o file.xlsx]``: filed petitions past their retention."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.db import Database
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.records import retention


def run(db: Database, actor: Actor, as_of: dt.date | None, output: str | None) -> int:
    day = as_of or local_today()
    with db.transaction() as session:
        rows = retention.expired(session, actor, day)
        print(retention.rule(session).text())
        for r in rows:
            print(
                f"{r.number}\t{r.received_on:%d/%m/%Y}\tlưu {r.filed_on:%d/%m/%Y}\thết hạn {r.kept_until:%d/%m/%Y}\t"
                f"{r.kind_label}\t{r.sender}\t{r.summary}"
            )
        print(f"— {len(rows)} đơn lưu đã hết thời hạn lưu tính đến ngày {day:%d/%m/%Y}.")
        if output:
            retention.export_xlsx(session, actor, Path(output), day)
            print(f"Đã ghi {output}")
    return 0
