"""Running the demo: the checks before a run, the run itself, removing the demo rows."""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import (
    LOCAL_TZ,
    ImportBatch,
    Visit,
)
from app.services.common.errors import RuleViolation, ValidationError
from app.services.demo.generator import _Generator
from app.services.demo.profile import DEMO_BATCH, MAX_VISITS, Progress
from app.services.demo.rows import DemoSummary
from app.services.demo.writer import _no_gc, _without_indexes
from app.services.reception import search

# ---- public API -----------------------------------------------------------------------------------


def real_visit_count(session: Session) -> int:
    """Visits that did not come from a demo run (typed at the desk or imported)."""
    demo_batches = select(ImportBatch.id).where(ImportBatch.source_name == DEMO_BATCH)
    return int(
        session.scalar(
            select(func.count())
            .select_from(Visit)
            .where(or_(Visit.import_batch_id.is_(None), Visit.import_batch_id.not_in(demo_batches)))
        )
        or 0
    )


def number(n: int) -> str:
    """``200000`` → ``200.000``, as Vietnamese writes it."""
    return f"{n:,}".replace(",", ".")


def ensure_allowed(session: Session, *, force: bool = False) -> None:
    """Refuse to mix demo rows into a database that holds real visits (unless ``force``)."""
    if force:
        return
    real = real_visit_count(session)
    if real:
        raise RuleViolation(
            f"Cơ sở dữ liệu đã có {number(real)} lượt tiếp thật; không thêm dữ liệu mẫu để khỏi lẫn với số liệu "
            "thật. Dùng một tệp cơ sở dữ liệu khác (hoặc --force nếu chắc chắn)."
        )


def check_count(visits: int) -> None:
    if not 1 <= visits <= MAX_VISITS:
        raise ValidationError({"visits": f"Số lượt tiếp mẫu phải từ 1 đến {number(MAX_VISITS)}."})


def generate(
    session: Session,
    visits: int,
    *,
    seed: int = 1,
    now: dt.datetime | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> DemoSummary:
    """Add ``visits`` demo visits (with their citizens, cases and petitions) inside the caller's transaction.

    Refuses a database that holds real visits unless ``force``: demo rows would mix with the
    office's figures. ``now`` fixes "today" (for reproducible runs); the history covers the
    24 months before it.
    """
    check_count(visits)
    ensure_allowed(session, force=force)
    started = time.perf_counter()
    now = now or dt.datetime.now(LOCAL_TZ)
    batch = ImportBatch(source_name=DEMO_BATCH, created_at=now, imported=0, rejected=0)
    session.add(batch)
    session.flush()
    generator = _Generator(session, visits, seed, now, batch.id)
    with search.bulk_load(session) as load, _without_indexes(session, visits), _no_gc():
        generator.run(progress, load)
    batch.imported = generator.counts.visits
    session.flush()
    c = generator.counts
    return DemoSummary(
        visits=c.visits,
        citizens=c.citizens,
        confidential_citizens=c.confidential,
        cases=c.cases,
        petitions=c.petitions,
        events=c.events,
        participants=c.participants,
        seconds=time.perf_counter() - started,
        seed=seed,
        clocks=c.clocks,
    )
