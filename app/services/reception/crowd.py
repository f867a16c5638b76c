"""Crowd delegations (đoàn đông người): how many representatives a delegation of a given size chooses.

Luật Tiếp công dân 2013 Điều 30 with Nghị định 64/2014/NĐ-CP: 5 to 10 people choose 1 or 2
representatives; more than 10, up to 5. The rule is the setting ``reception.crowd_representatives``
(bands with their source); a visit that departs from it is stored as typed, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.services.common import settings
from app.services.common.errors import ValidationError


@dataclass(frozen=True)
class Band:
    min_people: int
    max_people: int | None  # None: and more
    min_reps: int
    max_reps: int

    def holds(self, head_count: int) -> bool:
        return head_count >= self.min_people and (self.max_people is None or head_count <= self.max_people)

    def people_text(self) -> str:
        if self.max_people is None:
            return f"từ {self.min_people} người trở lên"
        return f"từ {self.min_people} đến {self.max_people} người"

    def reps_text(self) -> str:
        if self.min_reps == self.max_reps:
            return f"{self.max_reps} người đại diện"
        if self.min_reps <= 1:
            return f"không quá {self.max_reps} người đại diện"
        return f"từ {self.min_reps} đến {self.max_reps} người đại diện"


@dataclass(frozen=True)
class RepresentativeRule:
    bands: tuple[Band, ...]
    source: str
    to_confirm: str | None = None

    def band(self, head_count: int) -> Band | None:
        return next((b for b in self.bands if b.holds(head_count)), None)


def rule(session: Session) -> RepresentativeRule:
    return parse(settings.get(session, settings.CROWD_REPRESENTATIVES))


def parse(raw: Any) -> RepresentativeRule:
    """The stored setting as a rule; a malformed one says what to fix."""
    try:
        bands = tuple(
            Band(
                int(b["min_people"]),
                None if b.get("max_people") is None else int(b["max_people"]),
                int(b.get("min", 1)),
                int(b["max"]),
            )
            for b in raw["bands"]
        )
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            {
                "reception.crowd_representatives": "Quy định số người đại diện cần danh sách “bands” với "
                "min_people, max_people, min, max là số."
            }
        ) from None
    return RepresentativeRule(bands, str(raw.get("source", "")), raw.get("to_confirm") or None)


def warnings(session: Session, head_count: int, representatives: int, *, is_crowd: bool) -> tuple[str, ...]:
    """What the clerk should check about a delegation's representatives; empty when the rule is met."""
    if not is_crowd:
        return ()
    current = rule(session)
    band = current.band(head_count)
    if band is None:
        return ()
    cite = f" ({current.source})" if current.source else ""
    if representatives < band.min_reps:
        what = "chưa ghi người đại diện" if representatives == 0 else f"chỉ ghi {representatives} người đại diện"
        return (f"Đoàn {head_count} người {what}: đoàn {band.people_text()} cử {band.reps_text()}{cite}.",)
    if representatives > band.max_reps:
        return (
            f"Đoàn {head_count} người ghi {representatives} người đại diện: đoàn {band.people_text()} cử "
            f"{band.reps_text()}{cite}; kiểm tra lại.",
        )
    return ()
