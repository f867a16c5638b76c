"""What the demo office looks like: the shares of kinds, sources and outcomes, the words and the name pools."""

from __future__ import annotations

import functools
import json
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, TypeVar

from app.models.enums import (
    AgencyLevel,
    Gender,
    MatterKind,
    PetitionSource,
    ResolutionResult,
    VisitOutcome,
)
from app.paths import resource
from app.services.common.text import fold
from app.services.reception.identity import BIRTH_PROVINCES

DEMO_BATCH = "demo"
MAX_VISITS = 5_000_000
MONTHS = 24

# Shares that make the history look like a provincial reception office.
RETURNING_SHARE = 0.25  # visits by someone who came before about the same matter
DESK_PETITION_SHARE = 0.60  # visits where a written petition is handed in
EXTRA_PETITION_SHARE = 0.40  # petitions by post / forwarded / online, per visit
CROWD_SHARE = 0.03
HOME_PROVINCE_SHARE = 0.85
AD_HOC_SHARE = 0.03
PERIODIC_DAY_SHARE = 0.70  # visits on the monthly leader's reception day that the leader presides
KIND_WEIGHTS: dict[MatterKind, float] = {
    MatterKind.COMPLAINT: 45,
    MatterKind.DENUNCIATION: 10,
    MatterKind.RECOMMENDATION: 25,
    MatterKind.REFLECTION: 18,
    MatterKind.MIXED: 2,
}
KINDS = (tuple(KIND_WEIGHTS), tuple(accumulate(KIND_WEIGHTS.values())))
SOURCES = (
    (PetitionSource.POST, PetitionSource.FORWARDED, PetitionSource.ONLINE),
    (55.0, 85.0, 100.0),
)
SOURCE_NOTES = {
    PetitionSource.DESK: "Nhận đơn trực tiếp tại buổi tiếp công dân.",
    PetitionSource.POST: "Nhận đơn qua dịch vụ bưu chính.",
    PetitionSource.FORWARDED: "Nhận đơn do cơ quan khác chuyển đến.",
    PetitionSource.ONLINE: "Nhận đơn qua cổng dịch vụ công trực tuyến.",
}
# Follow-up realism: shares of forwarded petitions answered late / never by the other body, of
# decisions made after the legal time limit, and of decisions whose enforcement is never recorded.
FORWARD_ANSWER_LATE = 0.08
FORWARD_ANSWER_NEVER = 0.005
DECISION_LATE = 0.08
ENFORCEMENT_NEVER = 0.005
# Share of petitions of each kind that fall within the office's competence.
WITHIN_SHARE = {
    MatterKind.COMPLAINT: 0.55,
    MatterKind.DENUNCIATION: 0.4,
    MatterKind.RECOMMENDATION: 0.5,
    MatterKind.REFLECTION: 0.5,
    MatterKind.MIXED: 0.5,
}
RESULTS = (ResolutionResult.RIGHT, ResolutionResult.PARTLY_RIGHT, ResolutionResult.WRONG)
# What was done at a visit where no petition was handed in (cumulative weights).
OUTCOMES_WITHOUT_PETITION = (
    (VisitOutcome.EXPLAINED, VisitOutcome.GUIDED, VisitOutcome.APPOINTMENT, VisitOutcome.REFUSED, VisitOutcome.OTHER),
    (35.0, 75.0, 90.0, 93.0, 100.0),
)
KIND_WORDS = {
    MatterKind.COMPLAINT: "khiếu nại",
    MatterKind.DENUNCIATION: "tố cáo",
    MatterKind.RECOMMENDATION: "kiến nghị",
    MatterKind.REFLECTION: "phản ánh",
    MatterKind.MIXED: "khiếu nại, tố cáo",
}
# Office hours in local minutes after midnight: 7:30–11:30 and 13:30–17:00.
OFFICE_HOURS = ((450, 690), (810, 1020))
CHUNK_VISITS = 10_000
RING_CASES = 40_000  # returning visitors come back about a recent matter
PHONE_PREFIXES = (
    *("032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "059", "070", "076", "077", "078"),
    *("079", "081", "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"),
)
OTHER_ETHNICITIES = ("Tày", "Nùng", "Mường", "Thái", "Dao", "Sán Dìu", "Hoa", "Khmer")
# Where a petition outside the office's competence goes, by field (agency code suffixes of the directory).
FORWARD_TARGETS = {
    "HC_DD": "SNNMT",
    "HC_DD_BT": "SNNMT",
    "HC_DD_GCN": "SNNMT",
    "HC_DD_TC": "SNNMT",
    "HC_MT": "SNNMT",
    "HC_NO": "SXD",
    "HC_CS": "SNV",
    "TP": "VKSND",
    "DANG": "UBKTTU",
    "TN": "TT",
    "HC_KHAC": "UBND",
    "KHAC": "UBND",
}
FORWARDING_SOURCES = ("TW.TTCP", "TW.BTCDTW", "TW.VPCP", "UBND", "VP", "TT")

Progress = Callable[[int, int], None]
_T = TypeVar("_T")


# ---- pools ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    kind: MatterKind
    field_code: str
    text: str
    text_folded: str
    keys: frozenset[str]
    respondent: str
    level: AgencyLevel


@dataclass(frozen=True)
class _Pools:
    surnames: tuple[str, ...]
    surname_cum: tuple[float, ...]
    middle: dict[Gender, tuple[tuple[str, ...], tuple[float, ...]]]
    given: dict[Gender, tuple[str, ...]]
    officers: tuple[str, ...]
    leaders: tuple[str, ...]
    hamlets: tuple[str, ...]
    streets: tuple[str, ...]
    organisations: tuple[str, ...]
    birth_codes: dict[str, tuple[str, ...]]
    projects: tuple[str, ...]
    templates: dict[MatterKind, tuple[tuple[_Template, ...], tuple[float, ...]]]
    return_prefixes: tuple[str, ...]
    outcome_notes: dict[VisitOutcome, str]
    ineligible: tuple[tuple[str, str], ...]


def _weighted(pairs: Sequence[Sequence[Any]]) -> tuple[tuple[Any, ...], tuple[float, ...]]:
    return tuple(p[0] for p in pairs), tuple(accumulate(float(p[1]) for p in pairs))


@functools.cache
def _pools() -> _Pools:
    names = json.loads(resource("seeds", "demo_names.json").read_text(encoding="utf-8"))
    texts = json.loads(resource("seeds", "demo_summaries.json").read_text(encoding="utf-8"))
    surnames, surname_cum = _weighted(names["surnames"])
    by_kind: dict[MatterKind, list[tuple[_Template, float]]] = {}
    formatter = string.Formatter()
    for item in texts["templates"]:
        kind = MatterKind(item["kind"])
        template = _Template(
            kind=kind,
            field_code=item["field"],
            text=item["text"],
            text_folded=fold(item["text"]),
            keys=frozenset(
                key for _, key, _, _ in formatter.parse(item["text"] + item["respondent"]) if key is not None
            ),
            respondent=item["respondent"],
            level=AgencyLevel(item["level"]),
        )
        by_kind.setdefault(kind, []).append((template, float(item["weight"])))
    return _Pools(
        surnames=surnames,
        surname_cum=surname_cum,
        middle={
            Gender.MALE: _weighted(names["middle_male"]),
            Gender.FEMALE: _weighted(names["middle_female"]),
        },
        given={Gender.MALE: tuple(names["given_male"]), Gender.FEMALE: tuple(names["given_female"])},
        officers=tuple(names["officers"]),
        leaders=tuple(names["leaders"]),
        hamlets=tuple(names["hamlets"]),
        streets=tuple(names["streets"]),
        organisations=tuple(names["organisations"]),
        birth_codes={
            k: tuple(c for c in v if c in BIRTH_PROVINCES) for k, v in names["birth_codes_by_province"].items()
        },
        projects=tuple(texts["projects"]),
        templates={k: _weighted(v) for k, v in by_kind.items()},
        return_prefixes=tuple(texts["return_prefixes"]),
        outcome_notes={VisitOutcome(k): v for k, v in texts["outcome_notes"].items()},
        ineligible=tuple((code, note) for code, note in texts["ineligible"]),
    )


# Names repeat a lot (a few thousand surname × middle × given combinations): fold each once.
_fold_cached = functools.lru_cache(maxsize=100_000)(fold)
