"""Legal data that changes on a date: ISO dates read from the data files, and the span each
version of a rule applies to (the day before the next one takes over)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from app.services.common.errors import ValidationError

T = TypeVar("T")


def iso_date(value: Any, field: str, what: str) -> dt.date | None:
    """``value`` as a date (None when absent); a bad one names ``what`` in the message for ``field``."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: f"{what}: “{value}” phải là ngày dạng YYYY-MM-DD."}) from None


def spans(
    versions: Sequence[T], start_of: Callable[[T], dt.date | None]
) -> list[tuple[T, dt.date | None, dt.date | None]]:
    """Each version, oldest first, with its first day and its last (the eve of the next; None: open)."""
    ends = [_eve(start_of(v)) for v in versions[1:]]
    return [(v, start_of(v), end) for v, end in zip(versions, [*ends, None], strict=True)]


def _eve(day: dt.date | None) -> dt.date | None:
    return day - dt.timedelta(days=1) if day is not None else None
