"""How often the head of a body must receive citizens in person (tiếp công dân định kỳ), as dated data.

The minimum changes with the law (Luật 136/2025/QH15 moves the commune chairman from one day a week to
two days a month from 01/07/2026), so each duty is a list of versions with their effective dates and a
period that spans a change counts each part under the version in force there.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.paths import resource
from app.services.common import dated
from app.services.common.errors import NotFoundError, ValidationError

FREQUENCY_FILE = resource("seeds", "reception_frequency.json")
PER_LABELS = {"week": "tuần", "month": "tháng"}


@dataclass(frozen=True)
class Frequency:
    effective_from: dt.date
    days: int
    per: str  # week | month
    source: str
    to_confirm: str | None = None

    def text(self) -> str:
        return f"ít nhất {self.days} ngày trong 1 {PER_LABELS[self.per]}"

    def required(self, start: dt.date, end: dt.date) -> int:
        """Days owed over ``start``–``end``: ``days`` for every week (from its Monday) or month (from its
        first day) that begins inside the range."""
        return self.days * sum(1 for day in _days(start, end) if _begins(day, self.per))


@dataclass(frozen=True)
class Duty:
    code: str
    name: str
    level: str
    frequencies: tuple[Frequency, ...]  # oldest first

    def versions(self) -> list[tuple[Frequency, dt.date, dt.date | None]]:
        return [
            (f, start or f.effective_from, end)
            for f, start, end in dated.spans(self.frequencies, lambda f: f.effective_from)
        ]

    def in_force(self, day: dt.date) -> Frequency | None:
        applied = None
        for frequency in self.frequencies:
            if frequency.effective_from <= day:
                applied = frequency
        return applied

    def required_days(self, start: dt.date, end: dt.date) -> int:
        """The minimum number of reception days over a period, each part under its own version."""
        if end < start:
            raise ValidationError({"period": "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."})
        total = 0
        for frequency, since, until in self.versions():
            lo, hi = max(start, since), min(end, until or end)
            if lo <= hi:
                total += frequency.required(lo, hi)
        return total


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _begins(day: dt.date, per: str) -> bool:
    return day.weekday() == 0 if per == "week" else day.day == 1


def _frequency(data: dict[str, Any], code: str) -> Frequency:
    per = str(data.get("per", ""))
    days = data.get("days")
    if per not in PER_LABELS or not isinstance(days, int) or days <= 0:
        raise ValidationError(
            {"reception_frequency": f"Tần suất tiếp “{code}”: cần số ngày dương và “per” là week hoặc month."}
        )
    since = dated.iso_date(
        data.get("effective_from"), "reception_frequency", f"Tần suất tiếp “{code}”, ngày có hiệu lực"
    )
    if since is None:
        raise ValidationError({"reception_frequency": f"Tần suất tiếp “{code}”: thiếu ngày có hiệu lực."})
    return Frequency(since, days, per, str(data.get("source", "")), data.get("to_confirm") or None)


@cache
def duties() -> tuple[Duty, ...]:
    raw = json.loads(FREQUENCY_FILE.read_text(encoding="utf-8"))
    return tuple(
        Duty(
            code=str(item["code"]),
            name=str(item["name"]),
            level=str(item.get("level", "")),
            frequencies=tuple(
                sorted((_frequency(v, str(item["code"])) for v in item["versions"]), key=lambda f: f.effective_from)
            ),
        )
        for item in raw["duties"]
    )


def duty(code: str) -> Duty:
    for item in duties():
        if item.code == code:
            return item
    raise NotFoundError(f"Không có quy định tần suất tiếp “{code}”. Các mã: {', '.join(d.code for d in duties())}.")


@cache
def _delegation() -> tuple[dt.date | None, str]:
    raw = json.loads(FREQUENCY_FILE.read_text(encoding="utf-8")).get("delegation") or {}
    since = raw.get("forbidden_from")
    return dated.iso_date(since, "reception_frequency", "Ngày cấm ủy quyền"), str(raw.get("source", ""))


def delegation_warning(day: dt.date) -> str | None:
    """Why a periodic reception held by a deputy on the head's behalf on ``day`` breaks the law, if it does."""
    since, source = _delegation()
    if since is None or day < since:
        return None
    return (
        f"Từ ngày {since:%d/%m/%Y} người đứng đầu không được ủy quyền cho cấp phó tiếp công dân định kỳ ({source}); "
        "kiểm tra lại ô “Ủy quyền cấp phó tiếp”."
    )
