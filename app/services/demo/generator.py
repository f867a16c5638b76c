"""The generator: one pass over the office days, drawing people, matters, visits and petition timelines."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from itertools import accumulate
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.models import (
    LOCAL_TZ,
    Agency,
    Case,
    Citizen,
    CitizenVersion,
    Deadline,
    Petition,
    PetitionEvent,
    PetitionParty,
    Visit,
    VisitParticipant,
)
from app.models.enums import (
    Gender,
    MatterKind,
    MatterState,
    ParticipantRole,
    PetitionSource,
    ReceptionKind,
    VisitOutcome,
)
from app.services.common import settings
from app.services.common.errors import RuleViolation
from app.services.deadlines import calendar, clocks
from app.services.demo.clocks import ClockPlanner
from app.services.demo.people import People
from app.services.demo.profile import (
    AD_HOC_SHARE,
    CHUNK_VISITS,
    CROWD_SHARE,
    DESK_PETITION_SHARE,
    EXTRA_PETITION_SHARE,
    KIND_WEIGHTS,
    KIND_WORDS,
    KINDS,
    MONTHS,
    OFFICE_HOURS,
    OTHER_ETHNICITIES,
    OUTCOMES_WITHOUT_PETITION,
    PERIODIC_DAY_SHARE,
    PHONE_PREFIXES,
    RETURNING_SHARE,
    RING_CASES,
    SOURCES,
    Progress,
    _fold_cached,
    _pools,
    _Template,
)
from app.services.demo.rows import _Buffers, _CaseInfo, _Counts, _PendingPetition, citizen_row
from app.services.demo.timelines import PetitionTimelines
from app.services.demo.writer import _ID_MODELS, Statements, _Background, _months_before, _Writer
from app.services.directory import agencies
from app.services.reception import search, versions
from app.services.reception.citizens import CitizenInput

# ---- the generator --------------------------------------------------------------------------------


class _Generator(PetitionTimelines):
    def __init__(self, session: Session, visits: int, seed: int, now: dt.datetime, batch_id: int) -> None:
        self.session = session
        self.total = visits
        self.seed = seed
        super().__init__(random.Random(seed))
        self.now = now.astimezone(LOCAL_TZ)
        self.today = self.now.date()
        self.batch_id = batch_id
        self.pools = _pools()
        self.counts = _Counts()
        self.buf = _Buffers()
        self.ring: list[_CaseInfo] = []
        self.next_id = {model: self._max_id(model) + 1 for model in _ID_MODELS}
        # Each new citizen gets its first version with the same offset from its id, so every row
        # that names a person carries the version it was recorded with as it is written (instead
        # of a pass over all of them at the end); the versions are copied from each chunk's citizens.
        self.version_offset = self._max_id(CitizenVersion) + 1 - self.next_id[Citizen]
        self.reg_seq = {}
        self.people = People.of_office(
            session, self.rng, self.pools, str(settings.get(session, settings.OFFICE_PROVINCE))
        )
        self._load_agencies()
        start = _months_before(self.today, MONTHS)
        self.calendar = calendar.package_calendar(range(start.year, self.today.year + 2))
        self.days = self._office_days(start)
        # Clocks are dated by the office calendar (as the desk dates them), read once for every year
        # a demo clock can start or end in.
        self.planner = ClockPlanner(
            clocks.rules(session), calendar.work_calendar(session, range(start.year, self.today.year + 2))
        )
        self.recorded_at = {}
        self.writers: dict[Any, _Writer] = {}
        self.background = _Background()

    # -- set-up --

    def _max_id(self, model: Any) -> int:
        return int(self.session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0)

    def _take_id(self, model: Any) -> int:
        value: int = self.next_id[model]
        self.next_id[model] = value + 1
        return value

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
        found = self.agency_by_code.get(f"P{self.people.home}.{suffix}")
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

    def _version(self, citizen_id: int | None) -> int | None:
        return None if citizen_id is None else citizen_id + self.version_offset

    def _person(
        self, at: dt.datetime, *, confidential: bool, where: tuple[str, str | None, str] | None = None
    ) -> tuple[int, str, str | None, str]:
        """A new citizen row; returns its id, province, commune and stored search name (the visit's sort key)."""
        rng = self.rng
        gender = Gender.MALE if rng.random() < 0.54 else Gender.FEMALE
        age = int(rng.triangular(19, 88, 52))
        birth_year = self.today.year - age
        province, commune, detail = where or self.people.address()
        if where is not None:
            detail = f"Xóm {self._int(1, 15)}" if rng.random() < 0.5 else where[2]
        number, kind = self.people.id_number(province, gender, birth_year)
        phone = f"{self._choice(PHONE_PREFIXES)}{self._int(0, 9_999_999):07d}" if rng.random() < 0.85 else None
        ethnicity = "Kinh" if rng.random() < 0.93 else self._choice(OTHER_ETHNICITIES)
        name, name_folded = self.people.name(gender, province, age)
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
        return citizen_id, province, commune, self.buf.citizens[-1]["name_folded"]

    # -- matters --

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
            words["xa"] = self.people.unit_names.get(commune or "", "") or "xã"
        if "du_an" in keys:
            words["du_an"] = self._choice(self.pools.projects)
        if "nguoi" in keys:
            # "Bà {nguoi}" needs a woman's name; the other templates say "ông".
            gender = Gender.FEMALE if template.respondent.startswith("Bà") else Gender.MALE
            words["nguoi"] = self.people.name(gender, self.people.home, 45)[0]
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
        citizen_id, province, commune, sort_name = self._person(at, confidential=protect)
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
            citizen_sort=sort_name,
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
                "citizen_version_id": self._version(case.citizen_id),
                "citizen_sort": case.citizen_sort,
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
                    "citizen_version_id": self._version(citizen_id),
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
                MatterKind.DENUNCIATION, self.people.address(self.people.home)[1]
            )
            pending.anonymous, pending.kind, pending.field_code = True, MatterKind.DENUNCIATION, template.field_code
        elif roll < 0.36:
            kind = self._kind({MatterKind.COMPLAINT: 6, MatterKind.RECOMMENDATION: 4})
            template, pending.summary, pending.summary_folded, _ = self._summary(
                kind, self.people.address(self.people.home)[1]
            )
            pending.organisation = self._choice(self.pools.organisations)
            pending.kind, pending.field_code = kind, template.field_code
        else:
            case, signers, head_count = self._new_case(at, crowd_possible=True)
            pending.summary, pending.summary_folded = case.summary, case.summary_folded
            pending.take_case(case)
            pending.head_count = head_count
            pending.signers = signers if head_count >= 5 else ()
        self.buf.petitions.append(pending)

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

    def run(self, progress: Progress | None, load: search.BulkLoad | None = None) -> None:
        """Draw and write every visit; ``load`` (of :func:`search.bulk_load`) indexes each chunk as it is written."""
        with self.background:
            self._run(progress, load)

    def _run(self, progress: Progress | None, load: search.BulkLoad | None) -> None:
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
                self._flush(load)
                if progress:
                    progress(done, self.total)
        self._flush(load)
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

    def _prepared(self, tables: list[tuple[Any, list[dict[str, Any]]]]) -> list[tuple[_Writer, Statements]]:
        prepared = []
        for model, rows in tables:
            if rows:
                writer = self._writer(model, rows[0])
                prepared.append((writer, writer.prepare(rows)))
        return prepared

    def _flush(self, load: search.BulkLoad | None) -> None:
        """Turn the chunk's rows into statements here and hand them to the writing thread."""
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
                        "citizen_version_id": self._version(citizen_id),
                        "role": ParticipantRole.SIGNER,
                        "position": position,
                    }
                )
        citizens = self._prepared([(Citizen, buf.citizens)])
        others = self._prepared(
            [
                (Case, buf.cases),
                (Visit, buf.visits),
                (VisitParticipant, buf.participants),
                (Petition, petitions),
                (PetitionParty, parties),
                (PetitionEvent, events),
                (Deadline, deadline_rows),
            ]
        )
        new_citizens = (buf.citizens[0]["id"], buf.citizens[-1]["id"]) if buf.citizens else None
        connection = self.session.connection()

        def write() -> None:
            for writer, params in citizens:
                writer.execute(params)
            if new_citizens:
                # Before the rows that name them (foreign keys are checked row by row).
                versions.copy_first(connection, *new_citizens, offset=self.version_offset)
            for writer, params in others:
                writer.execute(params)
            if load is not None:
                load.catch_up()

        self.background.submit(write)
        self.counts.petitions += len(petitions)
        self.counts.events += len(events)
        self.counts.clocks += len(deadline_rows)
        self.buf = _Buffers()
