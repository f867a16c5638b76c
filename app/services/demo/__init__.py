"""Demo data: a realistic, reproducible history of an office, for trying the app and for benchmarks.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so a seed and a ``now``
give the same database. Rows go in with Core bulk inserts in chunks of whole days, with the
primary keys assigned here (``writer``), so that 200,000 visits load in well under two minutes.
Every demo row points to an ``ImportBatch`` named ``"demo"``: demo rows can be told apart from
real ones and removed. Petitions get the legal clocks their timeline implies (``clocks``), dated
by the real deadline engine on the office calendar, so follow-up has work on demo data.

``profile`` says what the office looks like, ``rows`` holds what is built, ``generator`` draws
it, ``runner`` is the entry point. May import every domain package below it; nothing imports
the demo but the command line, the tests and the benchmarks.
"""

from __future__ import annotations

from app.services.demo.profile import DEMO_BATCH, MAX_VISITS
from app.services.demo.rows import DemoSummary
from app.services.demo.runner import check_count, ensure_allowed, generate, number, real_visit_count

__all__ = [
    "DEMO_BATCH",
    "MAX_VISITS",
    "DemoSummary",
    "check_count",
    "ensure_allowed",
    "generate",
    "number",
    "real_visit_count",
]
