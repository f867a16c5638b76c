"""The leader's dashboard (Báo cáo): the office's figures at a glance, at an as-of date.

Visits and petitions per calendar month over the 24 months up to the as-of date, by kind and by
field; crowd delegations per month; petitions with overdue work per receiving body and per officer;
resolution and answer clocks done on time or late; visits per commune. Every figure carries the
``Drill`` (a ``VisitFilter`` or ``PetitionFilter`` plus what those filters cannot say: field, crowd,
clock) that lists the records behind it, so a click on a bar opens exactly those records.

Counting happens in SQL with GROUP BY over the stored date column (portable: no date function of
one dialect), a few thousand grouped rows folded into months here; never a loop over records.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, case, distinct, exists, func, or_, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.types import NullType

from app.models import AdminUnit, Agency, Citizen, CitizenVersion, Deadline, FieldCategory, Petition, User, Visit
from app.models.enums import DeadlineStatus, MatterKind
from app.services.casework.petitions import listing
from app.services.casework.petitions.listing import PetitionFilter
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.vocab import label
from app.services.deadlines import engine
from app.services.deadlines.followup import NO_AGENCY, NO_OFFICER
from app.services.reception import visits
from app.services.reception.visits import VisitFilter
from app.services.reports import drilldown
from app.services.security.permissions import Permission, require

MONTHS = 24
KINDS: tuple[MatterKind, ...] = (
    MatterKind.COMPLAINT,
    MatterKind.DENUNCIATION,
    MatterKind.RECOMMENDATION,
    MatterKind.REFLECTION,
    MatterKind.MIXED,
)
# The clocks whose end is the office's answer to the citizen: resolving a complaint (both instances)
# or a denunciation, answering a recommendation. Processing and forwarding clocks are not "resolved".
RESOLUTION_RULES: tuple[str, ...] = (
    engine.GQ_KHIEU_NAI_LAN_1,
    engine.GQ_KHIEU_NAI_LAN_2,
    engine.GQ_TO_CAO,
    engine.TRA_LOI_KIEN_NGHI,
)
_F = TypeVar("_F", VisitFilter, PetitionFilter)
NO_FIELD = "Chưa xác định lĩnh vực"
NO_COMMUNE = "Chưa rõ xã, phường"
VISIT, PETITION = "visit", "petition"


def number(value: int) -> str:
    """1234567 → "1.234.567" (Vietnamese grouping)."""
    return f"{value:,}".replace(",", ".")


# ---- months ----------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        following = Month.of(self.start + dt.timedelta(days=31))
        return following.start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    @property
    def short(self) -> str:
        """ "11/26": a chart's axis label."""
        return f"{self.month:02d}/{self.year % 100:02d}"

    @staticmethod
    def of(day: dt.date) -> Month:
        return Month(day.year, day.month)

    def shifted(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)


def months_until(as_of: dt.date, count: int = MONTHS) -> tuple[Month, ...]:
    """The ``count`` calendar months ending with the month of ``as_of``, oldest first."""
    last = Month.of(as_of)
    return tuple(last.shifted(n - count + 1) for n in range(count))


# ---- what lies behind a figure ----------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """The records behind one figure: a list filter, narrowed by what the list filters cannot say.

    ``fields``: None for any field, else the field codes counted (None in it: no field recorded).
    ``overdue_as_of`` with ``by`` ("officer" | "agency") and ``key``: petitions with a clock overdue at
    that date, in charge of that officer or body (key None: none assigned; ``by`` None: all of them).
    ``resolved`` (from, to) with ``on_time``: petitions with a resolution clock done in that range.
    ``commune``: visits of citizens living in that commune ("" : commune not recorded).
    """

    title: str
    entity: str  # "visit" | "petition"
    visit_filter: VisitFilter | None = None
    petition_filter: PetitionFilter | None = None
    fields: tuple[str | None, ...] | None = None
    crowd: bool = False
    overdue_as_of: dt.date | None = None
    by: str | None = None
    key: int | None = None
    resolved: tuple[dt.date, dt.date] | None = None
    on_time: bool | None = None
    commune: str | None = None


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    drill: Drill


@dataclass(frozen=True)
class Series:
    name: str
    figures: tuple[Figure, ...]  # one per month (monthly charts)

    @property
    def total(self) -> int:
        return sum(f.value for f in self.figures)


@dataclass(frozen=True)
class MonthlyChart:
    key: str
    title: str
    unit: str  # "lượt", "đơn", "đoàn"
    months: tuple[Month, ...]
    series: tuple[Series, ...]

    def month_total(self, index: int) -> int:
        return sum(s.figures[index].value for s in self.series)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.series)


@dataclass(frozen=True)
class RankedChart:
    """Horizontal bars, largest first (per body, per officer, per field, per commune)."""

    key: str
    title: str
    unit: str
    figures: tuple[Figure, ...]
    total: Figure | None = None


@dataclass(frozen=True)
class Share:
    on_time: Figure
    late: Figure
    since: dt.date

    @property
    def percent(self) -> float | None:
        done = self.on_time.value + self.late.value
        return None if done == 0 else 100.0 * self.on_time.value / done


@dataclass(frozen=True)
class Dashboard:
    as_of: dt.date
    months: tuple[Month, ...]
    visits_by_kind: MonthlyChart
    visits_by_field: MonthlyChart
    petitions_by_kind: MonthlyChart
    petitions_by_field: MonthlyChart
    crowds: MonthlyChart
    crowd_people: tuple[int, ...]  # people in the month's delegations
    overdue_by_agency: RankedChart
    overdue_by_officer: RankedChart
    resolution: MonthlyChart  # series "Đúng hạn", "Quá hạn"
    share: Share  # the last 12 months
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.months[0].start, self.as_of

    def charts(self) -> tuple[MonthlyChart | RankedChart, ...]:
        return (
            self.visits_by_kind,
            self.visits_by_field,
            self.petitions_by_kind,
            self.petitions_by_field,
            self.crowds,
            self.resolution,
            self.overdue_by_agency,
            self.overdue_by_officer,
        )


# ---- fields ------------------------------------------------------------------------------------------


class _Fields:
    """The field catalogue folded to its second level: a chart shows "Đất đai", not each of its leaves."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(FieldCategory.code, FieldCategory.name, FieldCategory.parent_code, FieldCategory.sort_order)
        ).all()
        parent = {code: up for code, _, up, _ in rows}
        self.names = {code: name for code, name, _, _ in rows}
        self.order = {code: (order, code) for code, _, _, order in rows}

        def group(code: str) -> str:
            """The field's ancestor just below the top (Đất đai, not Lĩnh vực hành chính), or itself."""
            chain = [code]
            while parent.get(chain[-1]) and parent[chain[-1]] not in chain:
                chain.append(parent[chain[-1]])  # type: ignore[arg-type]
            return chain[-2] if len(chain) >= 2 else chain[-1]

        self.root = {code: group(code) for code in parent}
        self.members: dict[str | None, tuple[str | None, ...]] = {None: (None,)}
        for code, top in sorted(self.root.items()):
            self.members[top] = (*self.members.get(top, ()), code)

    def top(self, code: str | None) -> str | None:
        return self.root.get(code, code) if code else None

    def name(self, top: str | None) -> str:
        return self.names.get(top, top or NO_FIELD) if top else NO_FIELD

    def sort_key(self, top: str | None) -> tuple[int, tuple[int, str]]:
        return (1, (0, "")) if top is None else (0, self.order.get(top, (0, top)))


# ---- building --------------------------------------------------------------------------------------


def _index(months: Sequence[Month]) -> dict[tuple[int, int], int]:
    return {(m.year, m.month): n for n, m in enumerate(months)}


def _monthly(
    key: str,
    title: str,
    unit: str,
    months: tuple[Month, ...],
    groups: Iterable[tuple[str, list[int], Drill]],
    what: str,
) -> MonthlyChart:
    """A chart from (series name, count per month, the series' drill over the window) triples."""
    series = []
    for name, counts, base in groups:
        figures = tuple(
            Figure(
                m.label,
                counts[n],
                _in_month(base, m, f"{what} tháng {m.label} — {name}: {number(counts[n])} {unit}"),
            )
            for n, m in enumerate(months)
        )
        series.append(Series(name, figures))
    return MonthlyChart(key, title, unit, months, tuple(series))


def _in_month(base: Drill, month: Month, title: str) -> Drill:
    """``base`` narrowed to ``month`` (the dates of its list filter, or of the resolution range)."""
    start, end = month.start, month.end
    if base.resolved is not None:
        start, end = max(start, base.resolved[0]), min(end, base.resolved[1])
        return _replace(base, title=title, resolved=(start, end))
    if base.visit_filter is not None:
        flt = base.visit_filter
        start, end = max(start, flt.date_from or start), min(end, flt.date_to or end)
        return _replace(base, title=title, visit_filter=_dates(flt, start, end))
    assert base.petition_filter is not None
    pflt = base.petition_filter
    start, end = max(start, pflt.date_from or start), min(end, pflt.date_to or end)
    return _replace(base, title=title, petition_filter=_dates(pflt, start, end))


def _replace(drill: Drill, **changes: Any) -> Drill:
    return replace(drill, **changes)


def _dates(flt: _F, start: dt.date, end: dt.date) -> _F:
    return replace(flt, date_from=start, date_to=end)


def _raw(column: Any) -> ColumnElement[Any]:
    """The stored value without the ORM's per-row conversion (a SQLite date stays "2026-11-02", an
    enum its code): thousands of grouped rows then cost a few milliseconds, not a hundred."""
    return type_coerce(column, NullType())


class _MonthOf:
    """The month index of a grouped row's date: a date (PostgreSQL) or its ISO text (SQLite)."""

    def __init__(self, months: Sequence[Month]) -> None:
        self.at = _index(months)
        self.seen: dict[object, int] = {}

    def __call__(self, day: dt.date | str) -> int:
        n = self.seen.get(day)
        if n is None:
            key = (int(day[:4]), int(day[5:7])) if isinstance(day, str) else (day.year, day.month)
            n = self.seen[day] = self.at[key]
        return n


def _visit_charts(
    session: Session, months: tuple[Month, ...], as_of: dt.date, fields: _Fields
) -> tuple[MonthlyChart, MonthlyChart, MonthlyChart, tuple[int, ...]]:
    """One grouped scan of the window's visits: by kind, by field, crowds (count and people)."""
    start = months[0].start
    window = VisitFilter(date_from=start, date_to=as_of)
    stmt = (
        select(
            _raw(Visit.received_on),
            _raw(Visit.matter_kind),
            Visit.field_code,
            _raw(Visit.is_crowd),
            func.count(),
            func.sum(Visit.head_count),
        )
        .where(*visits.filter_conditions(session, window))
        .group_by(Visit.received_on, Visit.matter_kind, Visit.field_code, Visit.is_crowd)
    )
    size = len(months)
    by_kind: dict[MatterKind, list[int]] = {k: [0] * size for k in KINDS}
    by_field: dict[str | None, list[int]] = {}
    crowds, people = [0] * size, [0] * size
    month_of = _MonthOf(months)
    for day, kind, code, crowd, count, heads in session.execute(stmt):
        n = month_of(day)
        by_kind.setdefault(MatterKind(kind), [0] * size)[n] += count
        by_field.setdefault(fields.top(code), [0] * size)[n] += count
        if crowd:
            crowds[n] += count
            people[n] += int(heads or 0)
    kind_chart = _monthly(
        "visits_by_kind",
        "Lượt tiếp công dân theo loại việc",
        "lượt",
        months,
        (
            (label(k), c, Drill("", VISIT, visit_filter=VisitFilter(start, as_of, matter_kind=k)))
            for k, c in by_kind.items()
        ),
        "Lượt tiếp",
    )
    field_chart = _monthly(
        "visits_by_field",
        "Lượt tiếp công dân theo lĩnh vực",
        "lượt",
        months,
        (
            (
                fields.name(top),
                by_field[top],
                Drill("", VISIT, visit_filter=window, fields=fields.members.get(top, (top,))),
            )
            for top in sorted(by_field, key=fields.sort_key)
        ),
        "Lượt tiếp",
    )
    crowd_chart = _monthly(
        "crowds",
        "Đoàn đông người",
        "đoàn",
        months,
        [("Đoàn đông người", crowds, Drill("", VISIT, visit_filter=window, crowd=True))],
        "Đoàn đông người",
    )
    return kind_chart, field_chart, crowd_chart, tuple(people)


def _petition_charts(
    session: Session, months: tuple[Month, ...], as_of: dt.date, fields: _Fields
) -> tuple[MonthlyChart, MonthlyChart]:
    start = months[0].start
    window = PetitionFilter(date_from=start, date_to=as_of)
    stmt = (
        select(_raw(Petition.received_on), _raw(Petition.kind), Petition.field_code, func.count())
        .where(*listing.filter_conditions(session, window))
        .group_by(Petition.received_on, Petition.kind, Petition.field_code)
    )
    size = len(months)
    by_kind: dict[MatterKind, list[int]] = {k: [0] * size for k in KINDS}
    by_field: dict[str | None, list[int]] = {}
    month_of = _MonthOf(months)
    for day, kind, code, count in session.execute(stmt):
        n = month_of(day)
        by_kind.setdefault(MatterKind(kind), [0] * size)[n] += count
        by_field.setdefault(fields.top(code), [0] * size)[n] += count
    kind_chart = _monthly(
        "petitions_by_kind",
        "Đơn tiếp nhận theo loại đơn",
        "đơn",
        months,
        (
            (label(k), c, Drill("", PETITION, petition_filter=PetitionFilter(kind=k, date_from=start, date_to=as_of)))
            for k, c in by_kind.items()
        ),
        "Đơn nhận",
    )
    field_chart = _monthly(
        "petitions_by_field",
        "Đơn tiếp nhận theo lĩnh vực",
        "đơn",
        months,
        (
            (
                fields.name(top),
                by_field[top],
                Drill("", PETITION, petition_filter=window, fields=fields.members.get(top, (top,))),
            )
            for top in sorted(by_field, key=fields.sort_key)
        ),
        "Đơn nhận",
    )
    return kind_chart, field_chart


def _overdue_condition(as_of: dt.date, today: dt.date) -> ColumnElement[bool]:
    """A clock overdue at ``as_of``: started, due before it, and still running then.

    Running then: open now, or (for a past date) met after it. A suspended or cancelled clock is not
    late work; nor is the window for a second complaint, as on the follow-up board."""
    running = Deadline.status == DeadlineStatus.OPEN
    if as_of < today:
        running = or_(running, (Deadline.status == DeadlineStatus.MET) & (Deadline.met_on > as_of))
    return (
        running
        & (Deadline.due_on < as_of)
        & (Deadline.start_on <= as_of)
        & (Deadline.rule_code != engine.HIEU_LUC_QUYET_DINH)
    )


# Who answers for a late clock, as the follow-up board reads it: the petition's officer before the
# clock's; the clock's body before the petition's.
_OFFICER = func.coalesce(Petition.assigned_officer_id, Deadline.officer_id)
_AGENCY = func.coalesce(Deadline.agency_id, Petition.handling_agency_id)


def _overdue_charts(session: Session, as_of: dt.date, today: dt.date) -> tuple[RankedChart, RankedChart]:
    stmt = (
        select(Petition.id, _OFFICER, _AGENCY)
        .join(Deadline, Deadline.petition_id == Petition.id)
        .where(Petition.deleted_at.is_(None), _overdue_condition(as_of, today))
        .distinct()
    )
    officers: dict[int | None, set[int]] = {}
    agencies: dict[int | None, set[int]] = {}
    every: set[int] = set()
    for pid, officer, agency in session.execute(stmt):
        officers.setdefault(officer, set()).add(pid)
        agencies.setdefault(agency, set()).add(pid)
        every.add(pid)
    users = {uid: name for uid, name in session.execute(select(User.id, User.full_name))}
    bodies = {
        aid: short or name for aid, short, name in session.execute(select(Agency.id, Agency.short_name, Agency.name))
    }
    day = f"{as_of:%d/%m/%Y}"

    def chart(
        key: str, title: str, by: str, groups: dict[int | None, set[int]], names: dict[int, str], none: str
    ) -> RankedChart:
        figures = []
        for gid, pids in groups.items():
            name = names.get(gid, none) if gid is not None else none
            drill = Drill(
                f"Đơn quá hạn ngày {day} — {name}: {number(len(pids))} đơn",
                PETITION,
                petition_filter=PetitionFilter(),
                overdue_as_of=as_of,
                by=by,
                key=gid,
            )
            figures.append(Figure(name, len(pids), drill))
        figures.sort(key=lambda f: (-f.value, f.label.casefold()))
        total = Figure(
            "Tổng số",
            len(every),
            Drill(
                f"Đơn quá hạn ngày {day}: {number(len(every))} đơn",
                PETITION,
                petition_filter=PetitionFilter(),
                overdue_as_of=as_of,
            ),
        )
        return RankedChart(key, title, "đơn", tuple(figures), total)

    return (
        chart("overdue_by_agency", f"Đơn quá hạn theo cơ quan (ngày {day})", "agency", agencies, bodies, NO_AGENCY),
        chart("overdue_by_officer", f"Đơn quá hạn theo cán bộ (ngày {day})", "officer", officers, users, NO_OFFICER),
    )


def _on_time_column() -> ColumnElement[bool]:
    return case((Deadline.met_on <= Deadline.due_on, True), else_=False)


def _resolution(session: Session, months: tuple[Month, ...], as_of: dt.date) -> tuple[MonthlyChart, Share]:
    """Resolution and answer clocks done per month, on time or late; the share over the last 12 months.

    A figure counts petitions (distinct per day of completion): a petition whose two resolution
    clocks were met on different days of one month counts twice there and is listed once."""
    start = months[0].start
    on_time = _on_time_column()
    stmt = (
        select(_raw(Deadline.met_on), _raw(on_time), func.count(distinct(Deadline.petition_id)))
        .where(*_resolved_conditions(start, as_of))
        .group_by(Deadline.met_on, on_time)
    )
    month_of = _MonthOf(months)
    size = len(months)
    done = {True: [0] * size, False: [0] * size}
    for day, in_time, count in session.execute(stmt):
        if day is not None:  # a met clock always has its date; the column allows none
            done[bool(in_time)][month_of(day)] += count
    chart = _monthly(
        "resolution",
        "Giải quyết, trả lời đơn: đúng hạn và quá hạn",
        "đơn",
        months,
        [
            ("Đúng hạn", done[True], Drill("", PETITION, resolved=(start, as_of), on_time=True)),
            ("Quá hạn", done[False], Drill("", PETITION, resolved=(start, as_of), on_time=False)),
        ],
        "Giải quyết, trả lời",
    )
    # The share over the last 12 months, added up from the same monthly figures.
    last = range(max(0, size - 12), size)
    share_from = months[last[0]].start
    period = f"từ {share_from:%d/%m/%Y} đến {as_of:%d/%m/%Y}"
    ok, late = (
        Figure(
            name,
            sum(done[flag][n] for n in last),
            Drill(
                f"Đơn giải quyết, trả lời {name.lower()} {period}", PETITION, resolved=(share_from, as_of), on_time=flag
            ),
        )
        for name, flag in (("Đúng hạn", True), ("Quá hạn", False))
    )
    return chart, Share(ok, late, share_from)


def _resolved_conditions(start: dt.date, end: dt.date) -> list[ColumnElement[bool]]:
    """Resolution clocks done in the range, of live petitions. The few deleted petitions are left out
    by a NOT IN of their ids, not by joining every clock to its (wide) petition row: 3× cheaper."""
    deleted = select(Petition.id).where(Petition.deleted_at.is_not(None))
    return [_resolved_clock(start, end), Deadline.petition_id.not_in(deleted)]


def build(session: Session, actor: Actor, as_of: dt.date | None = None) -> Dashboard:
    """Every figure of the dashboard at ``as_of`` (default today), in a handful of grouped queries.

    ``timings`` holds the process CPU time of each part (for bench/dashboard.py)."""
    require(actor, Permission.REPORT)
    today = local_today()
    as_of = as_of or today
    months = months_until(as_of)
    timings: dict[str, float] = {}
    clock = time.process_time()

    def tick(name: str) -> None:
        nonlocal clock
        now = time.process_time()
        timings[name] = now - clock
        clock = now

    fields = _Fields(session)
    visits_by_kind, visits_by_field, crowds, people = _visit_charts(session, months, as_of, fields)
    tick("visits")
    petitions_by_kind, petitions_by_field = _petition_charts(session, months, as_of, fields)
    tick("petitions")
    by_agency, by_officer = _overdue_charts(session, as_of, today)
    tick("overdue")
    resolution, share = _resolution(session, months, as_of)
    tick("resolution")
    return Dashboard(
        as_of=as_of,
        months=months,
        visits_by_kind=visits_by_kind,
        visits_by_field=visits_by_field,
        petitions_by_kind=petitions_by_kind,
        petitions_by_field=petitions_by_field,
        crowds=crowds,
        crowd_people=people,
        overdue_by_agency=by_agency,
        overdue_by_officer=by_officer,
        resolution=resolution,
        share=share,
        timings=timings,
    )


# ---- communes (the map's stand-in) ---------------------------------------------------------------


def communes(session: Session, actor: Actor, as_of: dt.date | None = None, months: int = 12) -> RankedChart:
    """Visits per commune of the citizen's address (as the visit recorded it) over the last ``months``."""
    require(actor, Permission.REPORT)
    as_of = as_of or local_today()
    start = months_until(as_of, months)[0].start
    window = VisitFilter(date_from=start, date_to=as_of)
    commune = _commune_column()
    stmt = (
        select(commune, func.count())
        .select_from(Visit)
        .join(Citizen, Citizen.id == Visit.citizen_id)
        .outerjoin(CitizenVersion, CitizenVersion.id == Visit.citizen_version_id)
        .where(*visits.filter_conditions(session, window))
        .group_by(commune)
    )
    counts = {code or "": n for code, n in session.execute(stmt)}
    unit = aliased(AdminUnit)
    parent = aliased(AdminUnit)
    names: dict[str, str] = {}
    codes = [c for c in counts if c]
    for chunk in (codes[i : i + 500] for i in range(0, len(codes), 500)):
        rows = session.execute(
            select(unit.code, unit.name, parent.name)
            .outerjoin(parent, parent.code == unit.parent_code)
            .where(unit.code.in_(chunk))
        )
        names.update({code: f"{name}, {up}" if up else name for code, name, up in rows})
    period = f"từ {start:%d/%m/%Y} đến {as_of:%d/%m/%Y}"
    figures = [
        Figure(
            names.get(code, code) if code else NO_COMMUNE,
            n,
            Drill(
                f"Lượt tiếp của công dân {_where(names, code)} {period}: {number(n)} lượt",
                VISIT,
                visit_filter=window,
                commune=code,
            ),
        )
        for code, n in counts.items()
    ]
    figures.sort(key=lambda f: (f.drill.commune == "", -f.value, f.label.casefold()))
    return RankedChart("communes", f"Lượt tiếp theo xã, phường nơi cư trú ({period})", "lượt", tuple(figures))


def _where(names: dict[str, str], code: str) -> str:
    return names.get(code, code) if code else "chưa rõ xã, phường"


def _commune_column() -> ColumnElement[str | None]:
    return func.coalesce(CitizenVersion.commune_code, Citizen.commune_code)


# ---- drill-down ------------------------------------------------------------------------------------


def drill_ids(session: Session, drill: Drill) -> list[int]:
    """The ids of the records behind a figure, oldest first."""
    if drill.entity == VISIT:
        flt = drill.visit_filter or VisitFilter()
        stmt = select(Visit.id).where(*visits.filter_conditions(session, flt))
        if drill.fields is not None:
            stmt = stmt.where(_among(Visit.field_code, drill.fields))
        if drill.crowd:
            stmt = stmt.where(Visit.is_crowd.is_(True))
        if drill.commune is not None:
            commune = _commune_column()
            stmt = (
                stmt.join(Citizen, Citizen.id == Visit.citizen_id)
                .outerjoin(CitizenVersion, CitizenVersion.id == Visit.citizen_version_id)
                .where(commune == drill.commune if drill.commune else commune.is_(None))
            )
        return list(session.scalars(stmt.order_by(Visit.received_on, Visit.id)))
    pstmt = select(Petition.id).where(*listing.filter_conditions(session, drill.petition_filter or PetitionFilter()))
    if drill.fields is not None:
        pstmt = pstmt.where(_among(Petition.field_code, drill.fields))
    if drill.overdue_as_of is not None:
        clock = _overdue_condition(drill.overdue_as_of, local_today()) & (Deadline.petition_id == Petition.id)
        if drill.by == "officer":
            clock = clock & (drill.key == _OFFICER if drill.key is not None else _OFFICER.is_(None))
        elif drill.by == "agency":
            clock = clock & (drill.key == _AGENCY if drill.key is not None else _AGENCY.is_(None))
        pstmt = pstmt.where(exists().where(clock))
    if drill.resolved is not None:
        start, end = drill.resolved
        done = (Deadline.petition_id == Petition.id) & _resolved_clock(start, end)
        if drill.on_time is not None:
            done = done & (_on_time_column() == drill.on_time)
        pstmt = pstmt.where(exists().where(done))
    return list(session.scalars(pstmt.order_by(Petition.received_on, Petition.id)))


def _resolved_clock(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return (
        (Deadline.status == DeadlineStatus.MET)
        & Deadline.rule_code.in_(RESOLUTION_RULES)
        & (Deadline.met_on >= start)
        & (Deadline.met_on <= end)
    )


def _among(
    column: ColumnElement[str | None] | InstrumentedAttribute[str | None], codes: tuple[str | None, ...]
) -> ColumnElement[bool]:
    named = [c for c in codes if c is not None]
    parts = [column.in_(named)] if named else []
    if None in codes:
        parts.append(column.is_(None))
    return or_(*parts) if parts else column.is_(None) & column.is_not(None)


def records(session: Session, actor: Actor, drill: Drill) -> drilldown.DrillDown:
    """The list behind a figure, as the report's drill-down dialog shows it."""
    require(actor, Permission.REPORT)
    return drilldown.listing(session, actor, drill.title, drill.entity, drill_ids(session, drill))


# ---- the key figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigures:
    """The headline over the last 12 months (to the as-of date), as the screen and the print show it."""

    since: dt.date
    as_of: dt.date
    visits: int
    petitions: int
    crowds: int
    crowd_people: int
    overdue: int
    on_time_percent: float | None

    @property
    def share_text(self) -> str:
        if self.on_time_percent is None:
            return "chưa có"
        return f"{self.on_time_percent:.1f}".replace(".", ",") + " %"

    def sentence(self, strong: tuple[str, str] = ("", "")) -> str:
        """One sentence; ``strong`` wraps each figure (``("<b>", "</b>")`` for markup)."""
        a, b = strong
        return (
            f"Từ {self.since:%d/%m/%Y} đến {self.as_of:%d/%m/%Y}: {a}{number(self.visits)}{b} lượt tiếp, "
            f"{a}{number(self.petitions)}{b} đơn nhận, {a}{number(self.crowds)}{b} đoàn đông người "
            f"({number(self.crowd_people)} người); giải quyết, trả lời đúng hạn {a}{self.share_text}{b}. "
            f"Đơn đang quá hạn: {a}{number(self.overdue)}{b}."
        )


def key_figures(board: Dashboard) -> KeyFigures:
    last = range(max(0, len(board.months) - 12), len(board.months))
    total = board.overdue_by_agency.total
    return KeyFigures(
        since=board.months[last[0]].start,
        as_of=board.as_of,
        visits=sum(board.visits_by_kind.month_total(n) for n in last),
        petitions=sum(board.petitions_by_kind.month_total(n) for n in last),
        crowds=sum(board.crowds.month_total(n) for n in last),
        crowd_people=sum(board.crowd_people[n] for n in last),
        overdue=total.value if total else 0,
        on_time_percent=board.share.percent,
    )
