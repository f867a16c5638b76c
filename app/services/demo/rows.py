"""The rows the generator builds before they are written: citizens, cases, pending petitions, buffers, counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from app.models.enums import (
    AgencyLevel,
    HandlingAction,
    IdKind,
    MatterKind,
    MatterState,
    PetitionSource,
    PetitionStatus,
    ResolutionResult,
)
from app.services.reception import citizens
from app.services.reception.citizens import CitizenInput

# ---- rows -----------------------------------------------------------------------------------------


def citizen_row(
    person: CitizenInput,
    *,
    citizen_id: int,
    id_kind: IdKind | None,
    confidential: bool,
    batch_id: int,
    at: dt.datetime,
    ethnicity: str | None = "Kinh",
    name_folded: str | None = None,
) -> dict[str, Any]:
    """The one place a demo citizen becomes a ``citizen`` row (same storage rules as the desk).

    ``citizens.storage_fields`` owns what the desk stores (search key, lookup digest, and the
    identity columns that the column type encrypts); demo adds the key, the batch and the times.
    """
    return {
        **citizens.storage_fields(person, confidential=confidential, id_kind=id_kind, name_folded=name_folded),
        "id": citizen_id,
        "ethnicity": ethnicity,
        "nationality": "Việt Nam",
        "import_batch_id": batch_id,
        "created_at": at,
        "updated_at": at,
    }


@dataclass(frozen=True)
class DemoSummary:
    visits: int
    citizens: int
    confidential_citizens: int
    cases: int
    petitions: int
    events: int
    participants: int
    seconds: float
    seed: int
    clocks: int = 0


@dataclass
class _CaseInfo:
    """What a returning visit or a later petition needs to know about a matter."""

    case_id: int
    citizen_id: int
    citizen_sort: str
    confidential: bool
    kind: MatterKind
    field_code: str
    summary: str
    summary_folded: str
    state: MatterState
    province: str
    commune: str | None
    respondent: str
    level: AgencyLevel
    visits: int = 1


@dataclass
class _PendingPetition:
    """A petition waiting for its number: numbers follow the order of receipt within a year."""

    at: dt.datetime
    source: PetitionSource
    case: _CaseInfo | None = None
    citizen_id: int | None = None
    visit_id: int | None = None
    head_count: int = 1
    signers: tuple[int, ...] = ()
    organisation: str | None = None
    anonymous: bool = False
    summary: str = ""
    summary_folded: str = ""
    kind: MatterKind = MatterKind.COMPLAINT
    field_code: str | None = None

    def take_case(self, case: _CaseInfo) -> None:
        self.case, self.citizen_id, self.kind, self.field_code = case, case.citizen_id, case.kind, case.field_code


@dataclass
class _Timeline:
    """Where a petition's handling stands today, and the steps that led there."""

    eligible: bool
    within: bool
    ineligible_reason: str | None = None
    ineligible_note: str | None = None
    status: PetitionStatus = PetitionStatus.RECEIVED
    closed_on: dt.date | None = None
    decided_on: dt.date | None = None
    enforced_on: dt.date | None = None
    result: ResolutionResult | None = None
    handling_agency: int | None = None
    forward_count: int = 0
    money: int | None = None
    land: float | None = None
    people: int | None = None
    events: list[tuple[HandlingAction, dt.date, int | None, str | None, str | None]] = field(default_factory=list)

    def add(
        self,
        action: HandlingAction,
        day: dt.date,
        agency: int | None = None,
        *,
        reason: str | None = None,
        note: str | None = None,
    ) -> None:
        self.events.append((action, day, agency, reason, note))

    def close(self, status: PetitionStatus, day: dt.date) -> None:
        self.status, self.closed_on = status, day


@dataclass
class _Buffers:
    citizens: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    petitions: list[_PendingPetition] = field(default_factory=list)


@dataclass
class _Counts:
    visits: int = 0
    citizens: int = 0
    confidential: int = 0
    cases: int = 0
    petitions: int = 0
    events: int = 0
    participants: int = 0
    clocks: int = 0
