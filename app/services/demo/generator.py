"""Demo data: a realistic, reproducible history of an office, for trying the app and for benchmarks.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so a seed and a ``now``
give the same database. Rows go in with Core bulk inserts (``session.execute(insert(Model),
rows)``) in chunks of whole days, with the primary keys assigned here, so that 200,000 visits
load in well under two minutes. Every demo citizen, visit and petition points to an
``ImportBatch`` named ``"demo"``: demo rows can be told apart from real ones and removed.
Petitions get the legal clocks their timeline implies (``demo_clocks``), dated by the real
deadline engine on the office calendar, so follow-up has work on demo data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import random
import string
import time
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Table, func, insert, or_, select
from sqlalchemy.orm import Session

from app.models import (
    LOCAL_TZ,
    AdminUnit,
    Agency,
    Case,
    Citizen,
    Deadline,
    ImportBatch,
    Petition,
    PetitionEvent,
    PetitionParty,
    Visit,
    VisitParticipant,
)
from app.models.enums import (
    AdminLevel,
    AgencyLevel,
    Competence,
    Gender,
    HandlingAction,
    IdKind,
    Instance,
    MatterKind,
    MatterState,
    ParticipantRole,
    PetitionSource,
    PetitionStatus,
    ReceptionKind,
    ResolutionResult,
    SenderKind,
    VisitOutcome,
)
from app.paths import resource
from app.services.casework import first_dates
from app.services.common import settings
from app.services.common.errors import RuleViolation, ValidationError
from app.services.common.text import fold
from app.services.deadlines import calendar, clocks
from app.services.demo.clocks import ClockPlanner, PetitionFacts
from app.services.directory import agencies
from app.services.reception import citizens, search
from app.services.reception.citizens import CitizenInput
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


# ---- fast inserts ---------------------------------------------------------------------------------


class _Writer:
    """``executemany`` of an INSERT compiled for the connection's dialect, with the table's own
    column types applied to every value (encryption, UTC times, enum codes).

    The same as ``connection.execute(insert(table), rows)`` minus SQLAlchemy's per-row parameter
    bookkeeping, which measured about half of the demo's run time. Non-text values (dates, enum
    codes, flags) repeat a lot, so their converted form is cached per chunk; plain text is never
    cached (an encrypted column must get a fresh nonce for every value).
    """

    def __init__(self, connection: Connection, table: Table, keys: Sequence[str]) -> None:
        self.connection = connection
        missing_defaults: dict[str, Any] = {}
        for column in table.columns:
            if column.key in keys or column.default is None:
                continue
            if not column.default.is_scalar:
                raise ValueError(f"demo rows for {table.name} must give {column.key} (it has a Python default)")
            missing_defaults[column.key] = getattr(column.default, "arg", None)
        self.defaults = missing_defaults
        all_keys = [*keys, *missing_defaults]
        compiled = insert(table).compile(dialect=connection.dialect, column_keys=all_keys)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        order = list(compiled.positiontup or ()) if self.positional else all_keys
        self.order = order
        dialect = connection.dialect
        # The dialect's own converters, as the ORM uses them: on SQLite dates and times become text
        # here (once per repeated value, thanks to the cache below) instead of one driver adapter
        # call per value, and in the same format as rows saved at the desk.
        processors = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order]
        self.processors = processors
        # Columns of the same type share a cache (a row's created_at, updated_at and received_at
        # are one value); each enum type has its own, as equal codes of two enums are equal keys.
        self.cache_keys = [(type(table.c[key].type), getattr(table.c[key].type, "enum_type", None)) for key in order]

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
        # Row by row (measured faster than column by column here); each non-text value is converted
        # once per chunk through a cache shared by the columns of its type. Plain text is never
        # cached: an encrypted column must get a fresh nonce for every value, even for equal values.
        caches: dict[Any, dict[Any, Any]] = {}
        convert = [
            (i, proc, caches.setdefault(key, {}))
            for i, (proc, key) in enumerate(zip(self.processors, self.cache_keys, strict=True))
            if proc is not None
        ]
        given = [key for key in self.order if key not in self.defaults]
        take = itemgetter(*given)
        slots = [given.index(key) if key not in self.defaults else -1 for key in self.order]
        defaults = [self.defaults.get(key) for key in self.order]
        in_order = slots == list(range(len(slots)))
        params: list[Any] = []
        for row in rows:
            picked = take(row)
            values = list(picked) if in_order else [picked[j] if j >= 0 else defaults[i] for i, j in enumerate(slots)]
            for i, proc, cache in convert:
                value = values[i]
                if value is None:
                    continue
                if type(value) is str:  # plain text, maybe encrypted: never cached (StrEnum is cached)
                    values[i] = proc(value)
                else:
                    try:
                        values[i] = cache[value]
                    except KeyError:
                        values[i] = cache[value] = proc(value)
            params.append(tuple(values) if self.positional else dict(zip(self.order, values, strict=True)))
        self.connection.exec_driver_sql(self.sql, params)


# ---- the generator --------------------------------------------------------------------------------


class _Generator:
    def __init__(self, session: Session, visits: int, seed: int, now: dt.datetime, batch_id: int) -> None:
        self.session = session
        self.total = visits
        self.seed = seed
        self.rng = random.Random(seed)
        self.now = now.astimezone(LOCAL_TZ)
        self.today = self.now.date()
        self.batch_id = batch_id
        self.pools = _pools()
        self.counts = _Counts()
        self.buf = _Buffers()
        self.ring: list[_CaseInfo] = []
        self.used_ids: set[str] = set()
        self.next_id = {model: self._max_id(model) + 1 for model in _ID_MODELS}
        self.reg_seq: dict[int, int] = {}
        self.home = str(settings.get(session, settings.OFFICE_PROVINCE))
        self._load_units()
        self._load_agencies()
        start = _months_before(self.today, MONTHS)
        self.calendar = calendar.package_calendar(range(start.year, self.today.year + 2))
        self.days = self._office_days(start)
        # Clocks are dated by the office calendar (as the desk dates them), read once for every year
        # a demo clock can start or end in.
        self.planner = ClockPlanner(
            clocks.rules(session), calendar.work_calendar(session, range(start.year, self.today.year + 2))
        )
        self.recorded_at: dict[dt.date, dt.datetime] = {}
        self.writers: dict[Any, _Writer] = {}

    # -- set-up --

    def _max_id(self, model: Any) -> int:
        return int(self.session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0)

    def _take_id(self, model: Any) -> int:
        value: int = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def _load_units(self) -> None:
        rows = self.session.execute(
            select(AdminUnit.code, AdminUnit.name, AdminUnit.parent_code, AdminUnit.level)
            .where(AdminUnit.valid_to.is_(None))
            .order_by(AdminUnit.code)
        ).all()
        self.unit_names = {code: name for code, name, _, _ in rows}
        provinces = [code for code, _, _, level in rows if level == AdminLevel.PROVINCE]
        if not provinces:
            raise RuleViolation("Danh mục đơn vị hành chính trống; không tạo được dữ liệu mẫu.")
        if self.home not in provinces:
            self.home = provinces[0]
        self.provinces = [p for p in provinces if p != self.home] or provinces
        communes: dict[str, list[str]] = {}
        for code, _, parent, level in rows:
            if level == AdminLevel.COMMUNE and parent:
                communes.setdefault(parent, []).append(code)
        # A few communes bring most of the matters (big projects, land disputes): Zipf-like weights.
        self.communes = {
            province: (tuple(codes), tuple(accumulate(1.0 / (i + 3) for i in range(len(codes)))))
            for province, codes in communes.items()
        }

    def _load_agencies(self) -> None:
        agencies.ensure_seeded(self.session)
        self.agency_by_code: dict[str, int] = dict(
            self.session.execute(
                select(Agency.code, Agency.id).where(Agency.code.is_not(None), Agency.active.is_(True))
            ).all()  # type: ignore[arg-type]
        )
        self.any_agency = sorted(self.agency_by_code.values())

    def _agency(self, suffix: str, commune: str | None = None) -> int | None:
        if suffix.startswith("TW."):
            return self.agency_by_code.get(suffix)
        if suffix == "XA" and commune:
            found = self.agency_by_code.get(f"X{commune}")
            if found:
                return found
            suffix = "UBND"
        found = self.agency_by_code.get(f"P{self.home}.{suffix}")
        if found is None and self.any_agency:
            return self.any_agency[0]
        return found

    def _office_days(self, start: dt.date) -> list[tuple[dt.date, float, tuple[tuple[int, int], ...]]]:
        """Working days with their weight and the minutes still open (today stops at now)."""
        days: list[tuple[dt.date, float, tuple[tuple[int, int], ...]]] = []
        periodic = self._periodic_days(start)
        now_minute = self.now.hour * 60 + self.now.minute
        day = start
        while day <= self.today:
            if self.calendar.is_working_day(day):
                windows: tuple[tuple[int, int], ...] = OFFICE_HOURS
                if day == self.today:
                    windows = tuple((a, min(b, now_minute)) for a, b in OFFICE_HOURS if a < now_minute)
                open_minutes = sum(b - a for a, b in windows)
                if open_minutes > 0:
                    weight = (1.25 if day.weekday() == 0 else 0.85 if day.weekday() == 4 else 1.0) * (
                        2.0 if day in periodic else 1.0
                    )
                    days.append((day, weight * open_minutes / 450, windows))
            day += dt.timedelta(days=1)
        if not days:
            raise RuleViolation("Không có ngày làm việc nào trong khoảng thời gian tạo dữ liệu mẫu.")
        self.periodic = periodic
        return days

    def _periodic_days(self, start: dt.date) -> set[dt.date]:
        """The leader's monthly reception day: the 15th, or the next working day."""
        found = set()
        month = dt.date(start.year, start.month, 15)
        while month <= self.today:
            day = month
            while not self.calendar.is_working_day(day):
                day += dt.timedelta(days=1)
            found.add(day)
            month = _months_before(month, -1)
        return found

    # -- people --

    def _name(self, gender: Gender, province: str, age: int) -> tuple[str, str]:
        """A full name and its folded form (folded word by word: fold works letter by letter)."""
        rng, pools = self.rng, self.pools
        surname = pools.surnames[bisect(pools.surname_cum, rng.random() * pools.surname_cum[-1])]
        if "|" in surname:
            north, south = surname.split("|")
            surname = south if int(province) >= 44 and rng.random() < 0.8 else north
        middles, middle_cum = pools.middle[gender]
        # Older people carry the classic Văn / Thị more often.
        if age >= 55 and rng.random() < 0.4:
            middle = "Văn" if gender == Gender.MALE else "Thị"
        else:
            middle = middles[bisect(middle_cum, rng.random() * middle_cum[-1])]
        given = self._choice(pools.given[gender])
        folded = f"{_fold_cached(surname)} {_fold_cached(middle)} {_fold_cached(given)}"
        return f"{surname} {middle} {given}", folded

    def _id_number(self, province: str, gender: Gender, birth_year: int) -> tuple[str | None, IdKind | None]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return None, None  # no paper shown
        if roll < 0.08:
            while True:
                number = f"{self._int(10_000_000, 399_999_999):09d}"
                if number not in self.used_ids:
                    self.used_ids.add(number)
                    return number, IdKind.CMND
        codes = self.pools.birth_codes.get(province) or ("001",)
        birth_code = self._choice(codes) if rng.random() < 0.9 else self._choice(tuple(BIRTH_PROVINCES))
        century = 0 if birth_year < 2000 else 2
        sex = century + (0 if gender == Gender.MALE else 1)
        while True:
            number = f"{birth_code}{sex}{birth_year % 100:02d}{self._int(0, 999_999):06d}"
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number, IdKind.CCCD

    def _address(self, province: str | None = None) -> tuple[str, str | None, str]:
        rng = self.rng
        if province is None:
            province = self.home if rng.random() < HOME_PROVINCE_SHARE else self._choice(self.provinces)
        codes, cum = self.communes.get(province, ((), ()))
        commune = codes[bisect(cum, rng.random() * cum[-1])] if codes else None
        name = self.unit_names.get(commune or "", "")
        if name.startswith("Phường"):
            detail = f"Số {self._int(1, 180)}, đường {self._choice(self.pools.streets)}"
            if rng.random() < 0.4:
                detail = f"Số {self._int(1, 60)}, ngõ {self._int(2, 120)}, đường {self._choice(self.pools.streets)}"
        elif rng.random() < 0.5:
            detail = f"Thôn {self._choice(self.pools.hamlets)}"
        else:
            detail = f"Xóm {self._int(1, 15)}"
        return province, commune, detail

    def _person(
        self, at: dt.datetime, *, confidential: bool, where: tuple[str, str | None, str] | None = None
    ) -> tuple[int, str, str | None]:
        """A new citizen row; returns its id, province and commune."""
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.54 else Gender.FEMALE
        age = int(rng.triangular(19, 88, 52))
        birth_year = self.today.year - age
        province, commune, detail = where or self._address()
        if where is not None:
            detail = f"Xóm {self._int(1, 15)}" if rng.random() < 0.5 else where[2]
        number, kind = self._id_number(province, gender, birth_year)
        phone = f"{self._choice(PHONE_PREFIXES)}{self._int(0, 9_999_999):07d}" if rng.random() < 0.85 else None
        ethnicity = "Kinh" if rng.random() < 0.93 else self._choice(OTHER_ETHNICITIES)
        name, name_folded = self._name(gender, province, age)
        person = CitizenInput(
            full_name=name,
            id_number=number,
            gender=gender,
            birth_year=birth_year,
            phone=phone,
            province_code=province,
            commune_code=commune,
            address_detail=detail,
        )
        citizen_id = self._take_id(Citizen)
        self.buf.citizens.append(
            citizen_row(
                person,
                citizen_id=citizen_id,
                id_kind=kind,
                confidential=confidential,
                batch_id=self.batch_id,
                at=at,
                ethnicity=ethnicity,
                name_folded=name_folded,
            )
        )
        self.counts.citizens += 1
        self.counts.confidential += confidential
        return citizen_id, province, commune

    # -- matters --

    # random.randint/choice cost five times this: they are called a few million times per run.
    def _int(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))

    def _choice(self, items: Sequence[_T]) -> _T:
        return items[int(self.rng.random() * len(items))]

    def _pick(self, table: tuple[tuple[Any, ...], tuple[float, ...]]) -> Any:
        values, cum = table
        return values[bisect(cum, self.rng.random() * cum[-1])]

    def _kind(self, weights: dict[MatterKind, float] = KIND_WEIGHTS) -> MatterKind:
        if weights is KIND_WEIGHTS:
            return self._pick(KINDS)  # type: ignore[no-any-return]
        return self.rng.choices(tuple(weights), weights=tuple(weights.values()))[0]

    def _summary(self, kind: MatterKind, commune: str | None) -> tuple[_Template, str, str, str]:
        """A summary from a template of ``kind``: (template, text, folded text, respondent)."""
        rng = self.rng
        templates, cum = self.pools.templates[kind]
        template = templates[bisect(cum, rng.random() * cum[-1])]
        words: dict[str, str] = {}
        keys = template.keys
        if "xa" in keys:
            words["xa"] = self.unit_names.get(commune or "", "") or "xã"
        if "du_an" in keys:
            words["du_an"] = self._choice(self.pools.projects)
        if "nguoi" in keys:
            # "Bà {nguoi}" needs a woman's name; the other templates say "ông".
            gender = Gender.FEMALE if template.respondent.startswith("Bà") else Gender.MALE
            words["nguoi"] = self._name(gender, self.home, 45)[0]
        # Numbers and dates fold to themselves, so the folded template takes them as they are.
        numbers: dict[str, str] = {}
        if "so" in keys:
            numbers["so"] = str(self._int(12, 4800))
        if "nam" in keys:
            numbers["nam"] = str(self._int(1985, self.today.year - 1))
        if "ngay" in keys:
            day = self.today - dt.timedelta(days=self._int(40, 900))
            numbers["ngay"] = f"{day:%d/%m/%Y}"
        if "thua" in keys:
            numbers["thua"] = str(self._int(1, 900))
        if "to" in keys:
            numbers["to"] = str(self._int(1, 60))
        if "dt" in keys:
            numbers["dt"] = str(self._choice((45, 60, 72, 80, 96, 100, 120, 150, 180, 200, 240, 300, 360, 500)))
        text = template.text.format(**words, **numbers)
        # fold(a.format(x)) == fold(a).format(fold(x)) here: placeholders and values sit between
        # base letters and carry no surrounding spaces; tests check summary_folded == fold(summary).
        folded = template.text_folded.format(**{k: _fold_cached(v) for k, v in words.items()}, **numbers)
        respondent = template.respondent.format(**words, **numbers)
        return template, text, folded, respondent

    def _state(self, kind: MatterKind) -> MatterState:
        roll = self.rng.random()
        if kind == MatterKind.COMPLAINT:
            if roll < 0.55:
                return MatterState.UNRESOLVED
            if roll < 0.65:
                return MatterState.RESOLVED_NO_DECISION
            if roll < 0.88:
                return MatterState.FIRST_DECISION
            return MatterState.SECOND_DECISION if roll < 0.97 else MatterState.COURT_JUDGMENT
        if roll < 0.8:
            return MatterState.UNRESOLVED
        return MatterState.RESOLVED_NO_DECISION if roll < 0.95 else MatterState.FIRST_DECISION

    def _new_case(self, at: dt.datetime, *, crowd_possible: bool) -> tuple[_CaseInfo, tuple[int, ...], int]:
        """A new matter with its presenter (and the crowd's representatives): (case, signers, head count)."""
        rng = self.rng
        kind = self._kind()
        protect = kind == MatterKind.DENUNCIATION
        citizen_id, province, commune = self._person(at, confidential=protect)
        template, text, folded, respondent = self._summary(kind, commune)
        signers: tuple[int, ...] = (citizen_id,)
        head_count = 1
        land = template.field_code.startswith("HC_DD")
        if crowd_possible and rng.random() < CROWD_SHARE * (2.0 if land else 0.6):
            head_count = 5 + int(rng.expovariate(1 / 12))
            reps = self._int(2, 5)
            where = (province, commune, "")
            others = [self._person(at, confidential=protect, where=where)[0] for _ in range(reps - 1)]
            signers = (citizen_id, *others)
        case_id = self._take_id(Case)
        first = at.date()
        closed_on = None
        if (self.today - first).days > 120 and rng.random() < 0.35:
            closed_on = first + dt.timedelta(days=self._int(30, 110))
        self.buf.cases.append(
            {
                "id": case_id,
                "title": text if len(text) <= 300 else text[:299] + "…",
                "matter_kind": kind,
                "field_code": template.field_code,
                "first_received_on": first,
                "closed_on": closed_on,
                "is_prolonged": rng.random() < 0.03,
                "created_at": at,
                "updated_at": at,
            }
        )
        self.counts.cases += 1
        info = _CaseInfo(
            case_id=case_id,
            citizen_id=citizen_id,
            confidential=protect,
            kind=kind,
            field_code=template.field_code,
            summary=text,
            summary_folded=folded,
            state=self._state(kind),
            province=province,
            commune=commune,
            respondent=respondent,
            level=template.level,
        )
        self.ring.append(info)
        if len(self.ring) > RING_CASES:
            del self.ring[: RING_CASES // 4]
        return info, signers, head_count

    def _returning_case(self) -> _CaseInfo:
        # Recent matters come back more often than old ones.
        ring = self.ring
        return ring[len(ring) - 1 - int(len(ring) * self.rng.random() ** 2)]

    def _again(self, case: _CaseInfo) -> tuple[str, str]:
        """The summary of a matter brought back: as before, or "Tiếp tục …" style."""
        rng = self.rng
        case.visits += 1
        if rng.random() < 0.2 and case.state != MatterState.COURT_JUDGMENT:
            order = list(MatterState)
            case.state = order[min(order.index(case.state) + 1, len(order) - 1)]
        if rng.random() < 0.5:
            return case.summary, case.summary_folded
        prefix = self._choice(self.pools.return_prefixes)
        rest = case.summary[0].lower() + case.summary[1:] if prefix.endswith(" ") else case.summary
        text = prefix + rest
        return text, f"{_fold_cached(prefix.strip())} {case.summary_folded}"

    # -- visits --

    def _visit(self, day: dt.date, at: dt.datetime) -> None:
        rng, pools = self.rng, self.pools
        visit_id = self._take_id(Visit)
        signers: tuple[int, ...] = ()
        if self.ring and rng.random() < RETURNING_SHARE:
            case = self._returning_case()
            summary, folded = self._again(case)
            head_count = 1
        else:
            case, signers, head_count = self._new_case(at, crowd_possible=True)
            summary, folded = case.summary, case.summary_folded
        if day in self.periodic and rng.random() < PERIODIC_DAY_SHARE:
            kind, leader = ReceptionKind.PERIODIC, pools.leaders[day.month % len(pools.leaders)]
        elif rng.random() < AD_HOC_SHARE or (head_count >= 20 and rng.random() < 0.5):
            kind, leader = ReceptionKind.AD_HOC, self._choice(pools.leaders)
        else:
            kind, leader = ReceptionKind.REGULAR, None
        petition = rng.random() < DESK_PETITION_SHARE
        if petition:
            outcome = VisitOutcome.PETITION_RECEIVED if rng.random() < 0.85 else VisitOutcome.FORWARDED
        else:
            outcome = self._pick(OUTCOMES_WITHOUT_PETITION)
        kind_word = KIND_WORDS[case.kind]
        self.buf.visits.append(
            {
                "id": visit_id,
                "received_at": at,
                "received_on": day,
                "reception_kind": kind,
                "officer_name": self._choice(pools.officers),
                "leader_name": leader,
                "citizen_id": case.citizen_id,
                "head_count": head_count,
                "is_crowd": head_count >= 5,
                "summary": summary,
                "summary_folded": folded,
                "matter_kind": case.kind,
                "field_code": case.field_code,
                "matter_state": case.state,
                "outcome": outcome,
                "outcome_note": pools.outcome_notes[outcome] if rng.random() < 0.7 else None,
                "documents_received": (
                    f"Đơn {kind_word} (01 bản); {self._int(1, 6)} tài liệu photo kèm theo" if petition else None
                ),
                "case_id": case.case_id,
                "import_batch_id": self.batch_id,
                "created_at": at,
                "updated_at": at,
            }
        )
        self.counts.visits += 1
        for position, citizen_id in enumerate(signers if head_count >= 5 else ()):
            self.buf.participants.append(
                {
                    "id": self._take_id(VisitParticipant),
                    "visit_id": visit_id,
                    "citizen_id": citizen_id,
                    "role": ParticipantRole.REPRESENTATIVE,
                    "position": position,
                }
            )
            self.counts.participants += 1
        if petition:
            pending = _PendingPetition(at=at, source=PetitionSource.DESK, visit_id=visit_id, head_count=head_count)
            pending.take_case(case)
            pending.summary, pending.summary_folded = summary, folded
            pending.signers = signers if head_count >= 5 else ()
            self.buf.petitions.append(pending)

    def _extra_petition(self, at: dt.datetime) -> None:
        """A petition that arrives without a visit: by post, forwarded by another body, or online."""
        rng = self.rng
        source = self._pick(SOURCES)
        pending = _PendingPetition(at=at, source=source)
        roll = rng.random()
        if self.ring and roll < 0.3:
            case = self._returning_case()
            pending.summary, pending.summary_folded = self._again(case)
            pending.take_case(case)
        elif roll < 0.33:
            # An anonymous denunciation: no sender on record at all.
            template, pending.summary, pending.summary_folded, _ = self._summary(
                MatterKind.DENUNCIATION, self._address(self.home)[1]
            )
            pending.anonymous, pending.kind, pending.field_code = True, MatterKind.DENUNCIATION, template.field_code
        elif roll < 0.36:
            kind = self._kind({MatterKind.COMPLAINT: 6, MatterKind.RECOMMENDATION: 4})
            template, pending.summary, pending.summary_folded, _ = self._summary(kind, self._address(self.home)[1])
            pending.organisation = self._choice(self.pools.organisations)
            pending.kind, pending.field_code = kind, template.field_code
        else:
            case, signers, head_count = self._new_case(at, crowd_possible=True)
            pending.summary, pending.summary_folded = case.summary, case.summary_folded
            pending.take_case(case)
            pending.head_count = head_count
            pending.signers = signers if head_count >= 5 else ()
        self.buf.petitions.append(pending)

    # -- petitions: classification and timeline --

    def _workday(self, day: dt.date, after: int) -> dt.date:
        """``after`` calendar days later, moved to the next working day."""
        day = day + dt.timedelta(days=after)
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def _recorded(self, day: dt.date) -> dt.datetime:
        found = self.recorded_at.get(day)
        if found is None:
            found = self.recorded_at[day] = dt.datetime.combine(day, dt.time(16, 30), LOCAL_TZ)
        return found

    def _next_number(self, year: int) -> int:
        seq = self.reg_seq.get(year)
        if seq is None:
            # A second demo run (or real petitions under --force) continues the year's register.
            last = select(func.coalesce(func.max(Petition.reg_seq), 0)).where(Petition.reg_year == year)
            seq = int(self.session.scalar(last) or 0)
        self.reg_seq[year] = seq + 1
        return seq + 1

    def _timeline(self, p: _PendingPetition, t: _Timeline) -> None:
        """Classify, then follow the handling direction as far as ``today`` allows."""
        rng, today = self.rng, self.today
        t.add(HandlingAction.RECEIVE, p.at.date(), note=SOURCE_NOTES[p.source])
        classified = self._workday(p.at.date(), self._int(1, 8))
        if classified > today:
            return
        t.status = PetitionStatus.CLASSIFIED
        t.add(HandlingAction.CLASSIFY, classified)
        step = self._workday(classified, self._int(0, 3))
        if step > today:
            return
        target = self._agency(FORWARD_TARGETS.get(p.field_code or "", "UBND"))
        if not t.eligible:
            t.close(PetitionStatus.FILED, step)
            t.add(HandlingAction.FILE, step, reason=t.ineligible_note)
        elif p.kind == MatterKind.MIXED:
            t.close(PetitionStatus.SPLIT, step)
            t.add(HandlingAction.SPLIT, step, note="Tách nội dung khiếu nại và nội dung tố cáo để xử lý riêng.")
        elif t.within and p.kind == MatterKind.COMPLAINT and rng.random() < 0.08:
            t.close(PetitionStatus.NOT_ACCEPTED, step)
            t.add(HandlingAction.REFUSE, step, reason="Hết thời hiệu khiếu nại.")
        elif t.within:
            self._resolve(p, t, step)
        elif p.kind == MatterKind.COMPLAINT:
            t.close(PetitionStatus.GUIDED, step)
            t.add(HandlingAction.GUIDE, step, target, note="Hướng dẫn gửi đơn đến cơ quan có thẩm quyền.")
        else:
            t.status, t.forward_count, t.handling_agency = PetitionStatus.FORWARDED, 1, target
            t.add(HandlingAction.FORWARD, step, target)
            reminder = self._workday(step, self._int(30, 45))
            delay = self._answer_delay()
            answered = self._workday(step, delay) if delay is not None else None
            if reminder <= today and (answered is None or answered > reminder):
                t.add(HandlingAction.REMIND, reminder, target, note="Đôn đốc giải quyết đơn đã chuyển.")
            if answered is not None and answered <= today:
                t.close(PetitionStatus.RESOLVED, answered)
                t.add(HandlingAction.ANSWER_RECEIVED, answered, target, note="Nhận văn bản trả lời.")

    def _answer_delay(self) -> int | None:
        """Days until the other body's answer is recorded: most within the 30-day waiting clock, some
        late (then reminded), a few never, so only a recent tail is still waiting past its clock."""
        chance = self.rng.random()
        if chance < FORWARD_ANSWER_LATE:
            return self._int(31, 60)
        if chance < FORWARD_ANSWER_LATE + FORWARD_ANSWER_NEVER:
            return None
        return self._int(10, 29)

    def _resolve(self, p: _PendingPetition, t: _Timeline, accepted: dt.date) -> None:
        """Accepted for resolution here: a decision (or an answer) when its time has come."""
        rng = self.rng
        t.status, t.handling_agency = PetitionStatus.ACCEPTED, self._agency("TT")
        t.add(HandlingAction.ACCEPT, accepted, t.handling_agency)
        legal = p.kind in (MatterKind.COMPLAINT, MatterKind.DENUNCIATION)
        # Most decisions come within the legal time limit; some are late by up to a month.
        late = self._int(1, 30) if rng.random() < DECISION_LATE else self._int(-10, 0)
        decided = self._workday(accepted, (30 if legal else 15) + late)
        if rng.random() < 0.05:
            withdrawn = self._workday(accepted, self._int(5, 25))
            if withdrawn <= self.today:
                t.close(PetitionStatus.WITHDRAWN, withdrawn)
                t.result = ResolutionResult.WITHDRAWN
                t.add(HandlingAction.WITHDRAW, withdrawn, reason="Người gửi đơn rút đơn.")
            return
        if decided > self.today:
            return
        t.close(PetitionStatus.RESOLVED, decided)
        t.decided_on = decided
        if not legal:
            t.add(HandlingAction.ANSWER_RECEIVED, decided, note="Đã có văn bản trả lời công dân.")
            self._enforce(t, decided, "Đã thực hiện nội dung trả lời.")
            return
        t.result = rng.choices(RESULTS, weights=(15, 25, 60) if p.kind == MatterKind.COMPLAINT else (20, 30, 50))[0]
        if t.result != ResolutionResult.WRONG and rng.random() < 0.4:
            t.money = self._int(5, 900) * 1_000_000
            if (p.field_code or "").startswith("HC_DD"):
                t.land = float(self._int(20, 2_000))
            if p.kind == MatterKind.DENUNCIATION:
                t.people = self._int(0, 3)
        t.add(HandlingAction.DECIDE, decided, note="Ban hành quyết định giải quyết, kết luận nội dung.")
        self._enforce(t, decided, "Quyết định giải quyết đã được thi hành.")

    def _enforce(self, t: _Timeline, decided: dt.date, note: str) -> None:
        """Record the decision's enforcement some weeks after it, as nearly every office does."""
        if self.rng.random() < ENFORCEMENT_NEVER:
            return
        enforced = self._workday(decided, self._int(5, 45))
        if enforced <= self.today:
            t.enforced_on = enforced
            t.add(HandlingAction.ENFORCE, enforced, note=note)

    def _petition_rows(self, p: _PendingPetition) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        rng = self.rng
        received = p.at.date()
        petition_id = self._take_id(Petition)
        case = p.case
        t = _Timeline(eligible=not p.anonymous and rng.random() < 0.9, within=rng.random() < WITHIN_SHARE[p.kind])
        if not t.eligible:
            t.ineligible_reason, t.ineligible_note = (
                self.pools.ineligible[0] if p.anonymous else self._choice(self.pools.ineligible[1:])
            )
        self._timeline(p, t)
        state = case.state if case else MatterState.UNRESOLVED
        instance = None
        if p.kind == MatterKind.COMPLAINT:
            second = state == MatterState.FIRST_DECISION and rng.random() < 0.7
            instance = Instance.SECOND if second else Instance.FIRST
        source_agency = doc_number = doc_date = None
        if p.source == PetitionSource.FORWARDED:
            code = self._choice(FORWARDING_SOURCES)
            source_agency = self._agency(code)
            doc_date = received - dt.timedelta(days=self._int(2, 12))
            doc_number = f"{self._int(10, 3000)}/{'PC' if code.startswith('TW') else 'UBND-TCD'}"
        sender_kind = SenderKind.INDIVIDUAL
        if p.organisation:
            sender_kind = SenderKind.ORGANISATION
        elif p.head_count >= 5:
            sender_kind = SenderKind.CROWD
        respondent_agency = None
        if case and case.level in (AgencyLevel.COMMUNE, AgencyLevel.PROVINCE):
            respondent_agency = self._agency("XA" if case.level == AgencyLevel.COMMUNE else "UBND", case.commune)
        classified = t.status != PetitionStatus.RECEIVED
        row: dict[str, Any] = {
            "id": petition_id,
            "reg_year": received.year,
            "reg_seq": self._next_number(received.year),
            "received_on": received,
            "source": p.source,
            "source_agency_id": source_agency,
            "incoming_doc_number": doc_number,
            "incoming_doc_date": doc_date,
            "sender_kind": sender_kind,
            "citizen_id": p.citizen_id,
            "organisation_name": p.organisation,
            "head_count": p.head_count,
            "is_anonymous": p.anonymous,
            "is_pseudonymous": False,
            "respondent_name": case.respondent if case else None,
            "respondent_level": case.level if case else None,
            "respondent_agency_id": respondent_agency,
            "summary": p.summary,
            "summary_folded": p.summary_folded,
            "kind": p.kind,
            "field_code": p.field_code,
            "eligible": t.eligible if classified else None,
            "ineligible_reason": t.ineligible_reason if classified else None,
            "ineligible_note": t.ineligible_note if classified else None,
            "competence": (Competence.WITHIN if t.within else Competence.OUTSIDE) if classified else None,
            "instance": instance,
            "matter_state": state,
            "is_beyond_level": rng.random() < 0.08,
            "is_prolonged": bool(case and case.visits >= 3),
            "is_complicated": rng.random() < 0.05,
            "is_remote_area": False,
            "status": t.status,
            "visit_id": p.visit_id,
            "case_id": case.case_id if case else None,
            "handling_agency_id": t.handling_agency,
            "forward_count": t.forward_count,
            "documents_received": "Đơn và tài liệu kèm theo" if p.source != PetitionSource.ONLINE else None,
            "result": t.result,
            "money_recovered": t.money,
            "land_recovered_m2": t.land,
            "people_handled": t.people,
            "closed_on": t.closed_on,
            "decided_on": t.decided_on,
            "enforced_on": t.enforced_on,
            **first_dates.from_events((action, day) for action, day, *_ in t.events),
            "import_batch_id": self.batch_id,
            "created_at": p.at,
            "updated_at": p.at,
        }
        event_rows: list[dict[str, Any]] = [
            {
                "id": self._take_id(PetitionEvent),
                "petition_id": petition_id,
                "action": action,
                "occurred_on": day,
                "recorded_at": self._recorded(day),
                "agency_id": agency,
                "reason": reason,
                "note": note,
            }
            for action, day, agency, reason, note in t.events
        ]
        facts = PetitionFacts(
            kind=p.kind,
            instance=instance,
            competence=row["competence"],
            complicated=row["is_complicated"],
            remote=row["is_remote_area"],
        )
        clock_rows = self.planner.plan(
            petition_id,
            received,
            facts,
            ((e["id"], e["action"], e["occurred_on"], e["agency_id"]) for e in event_rows),
        )
        for clock in clock_rows:
            clock["id"] = self._take_id(Deadline)
        return row, event_rows, clock_rows

    # -- the run --

    def _times(self, windows: tuple[tuple[int, int], ...], count: int) -> list[int]:
        """``count`` sorted second-of-day values inside the open windows."""
        rng = self.rng
        total = sum(b - a for a, b in windows) * 60
        seconds = sorted(int(rng.random() * total) for _ in range(count))
        out = []
        for s in seconds:
            for a, b in windows:
                span = (b - a) * 60
                if s < span:
                    out.append(a * 60 + s)
                    break
                s -= span
        return out

    def run(self, progress: Progress | None) -> None:
        rng = self.rng
        indexes = range(len(self.days))
        cum = tuple(accumulate(w for _, w, _ in self.days))
        per_day = [0] * len(self.days)
        for i in rng.choices(indexes, cum_weights=cum, k=self.total):
            per_day[i] += 1
        extra_per_day = [0] * len(self.days)
        for i in rng.choices(indexes, cum_weights=cum, k=round(self.total * EXTRA_PETITION_SHARE)):
            extra_per_day[i] += 1
        done = 0
        for (day, _, windows), visits, extra in zip(self.days, per_day, extra_per_day, strict=True):
            midnight = dt.datetime.combine(day, dt.time(), LOCAL_TZ)
            for second in self._times(windows, visits):
                self._visit(day, midnight + dt.timedelta(seconds=second))
            for second in self._times(windows, extra):
                self._extra_petition(midnight + dt.timedelta(seconds=second))
            done += visits
            if len(self.buf.visits) >= CHUNK_VISITS:
                self._flush()
                if progress:
                    progress(done, self.total)
        self._flush()
        if progress:
            progress(done, self.total)

    def _writer(self, model: Any, sample: dict[str, Any]) -> _Writer:
        # Not ``session.execute(insert(Model), rows)``: the ORM bulk path measured 2-3x slower
        # here, and splits a chunk into many statements whenever rows differ in which values are None.
        writer = self.writers.get(model)
        if writer is None:
            table = cast(Table, model.__table__)
            writer = self.writers[model] = _Writer(self.session.connection(), table, list(sample))
        return writer

    def _flush(self) -> None:
        buf = self.buf
        petitions: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        parties: list[dict[str, Any]] = []
        deadline_rows: list[dict[str, Any]] = []
        for pending in sorted(buf.petitions, key=lambda p: p.at):
            row, rows, clock_rows = self._petition_rows(pending)
            petitions.append(row)
            events.extend(rows)
            deadline_rows.extend(clock_rows)
            for position, citizen_id in enumerate(pending.signers):
                parties.append(
                    {
                        "id": self._take_id(PetitionParty),
                        "petition_id": row["id"],
                        "citizen_id": citizen_id,
                        "role": ParticipantRole.SIGNER,
                        "position": position,
                    }
                )
        for model, rows in (
            (Citizen, buf.citizens),
            (Case, buf.cases),
            (Visit, buf.visits),
            (VisitParticipant, buf.participants),
            (Petition, petitions),
            (PetitionParty, parties),
            (PetitionEvent, events),
            (Deadline, deadline_rows),
        ):
            if rows:
                self._writer(model, rows[0]).write(rows)
        self.counts.petitions += len(petitions)
        self.counts.events += len(events)
        self.counts.clocks += len(deadline_rows)
        self.buf = _Buffers()


_ID_MODELS = (Citizen, Case, Visit, VisitParticipant, Petition, PetitionParty, PetitionEvent, Deadline)
# Below this many new visits (or fewer than the table holds already) the secondary indexes stay in
# place: rebuilding them over a large table costs more than a small load saves.
REINDEX_MIN_VISITS = 10_000
# Tables whose indexed keys arrive in random order (folded names, identity digests): every row
# lands on another index page. The other tables' keys grow with time or have few values, so their
# rows append to the end of an index, cheaper than the extra table scan a rebuild needs (measured).
_REINDEXED = (Citizen,)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the load makes millions of short-lived rows and no cycles
    worth collecting, and each full collection walks every object kept so far (measured: a third of
    the run time at 200,000 visits). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _without_indexes(session: Session, visits: int) -> Iterator[None]:
    """Drop the secondary indexes of the tables with random keys for a large load, and build them again after.

    Building an index once over sorted rows is several times cheaper than updating it row by row
    with random keys (folded names, digests). Names and columns come from the models' metadata, so
    this works on any database; it all happens in the caller's transaction, so a failed load rolls
    the indexes back with the rows. Unique constraints stay (they are not ``Index`` objects).
    """
    existing = int(session.scalar(select(func.count()).select_from(Visit)) or 0)
    if visits < max(REINDEX_MIN_VISITS, existing):
        yield
        return
    connection = session.connection()
    indexes = [index for model in _REINDEXED for index in cast(Table, model.__table__).indexes]
    for index in indexes:
        index.drop(connection, checkfirst=True)
    yield
    for index in indexes:
        index.create(connection)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))


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
    with search.bulk_load(session), _without_indexes(session, visits), _no_gc():
        generator.run(progress)
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
