"""Petition timelines of the demo: classification, the handling actions in order, the answers and
decisions that come back (some late, a few never), and the rows they become."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    LOCAL_TZ,
    Deadline,
    Petition,
    PetitionEvent,
)
from app.models.enums import (
    AgencyLevel,
    Competence,
    HandlingAction,
    Instance,
    MatterKind,
    MatterState,
    PetitionSource,
    PetitionStatus,
    ResolutionResult,
    SenderKind,
)
from app.services.casework import first_dates
from app.services.common.text import fold
from app.services.deadlines.engine import WorkCalendar
from app.services.demo.clocks import ClockPlanner, PetitionFacts
from app.services.demo.people import Dice
from app.services.demo.profile import (
    DECISION_LATE,
    ENFORCEMENT_NEVER,
    FORWARD_ANSWER_LATE,
    FORWARD_ANSWER_NEVER,
    FORWARD_TARGETS,
    FORWARDING_SOURCES,
    RESULTS,
    SOURCE_NOTES,
    WITHIN_SHARE,
    _Pools,
)
from app.services.demo.rows import _PendingPetition, _Timeline

# ---- the generator --------------------------------------------------------------------------------


class PetitionTimelines(Dice):
    """The part of the generator that draws what happens to a petition after it is received.

    The generator holds the state; this class names what of it the timelines use.
    """

    session: Session
    today: dt.date
    batch_id: int
    calendar: WorkCalendar
    planner: ClockPlanner
    pools: _Pools
    recorded_at: dict[dt.date, dt.datetime]
    reg_seq: dict[int, int]

    def _take_id(self, model: Any) -> int:
        raise NotImplementedError

    def _agency(self, suffix: str, commune: str | None = None) -> int | None:
        raise NotImplementedError

    def _version(self, citizen_id: int | None) -> int | None:
        raise NotImplementedError

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
            "citizen_version_id": self._version(p.citizen_id),
            "organisation_name": p.organisation,
            "head_count": p.head_count,
            "is_anonymous": p.anonymous,
            "is_pseudonymous": False,
            "respondent_name": case.respondent if case else None,
            "respondent_folded": fold(case.respondent) if case and case.respondent else None,
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
