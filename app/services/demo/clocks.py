"""Legal clocks for demo petitions: the ``deadline`` rows their timelines imply, as the desk would leave them.

The desk starts, meets and cancels clocks one action at a time (``petitions.start_receipt_clocks``,
``petitions.classify``, ``actions._move_clocks``); demo data replays the same effects over each
petition's events without touching the database, and lets the real engine
(``engine.compute_due``, with the office calendar) date every clock. Due dates depend only on
the rule, the start day and the variant, so they are computed once per combination.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.models.enums import Competence, DeadlineStatus, HandlingAction, Instance, MatterKind
from app.services.casework.actions import CATALOGUE, RESOLUTION_CLOCKS, WAITING_CLOCK
from app.services.casework.petitions import RECEIPT_CLOCKS
from app.services.deadlines import engine
from app.services.deadlines.engine import Rule, WorkCalendar

# What a demo event does to clocks beyond the catalogue: classifying a denunciation outside the
# office's competence starts its forwarding limit (petitions.classify); splitting a mixed petition
# stops the parent's clocks (petitions.split).
_SPLIT = HandlingAction.SPLIT


@dataclass(frozen=True)
class PetitionFacts:
    """What decides a petition's clocks (the petition row's own values)."""

    kind: MatterKind
    instance: Instance | None
    competence: Competence | None
    complicated: bool
    remote: bool


Event = tuple[int, HandlingAction, dt.date, int | None]  # (event id, action, day, agency id)


def resolution_rule(kind: MatterKind, instance: Instance | None) -> str:
    """The clock acceptance starts (``actions.resolution_rule`` for a petition not yet stored)."""
    if kind == MatterKind.COMPLAINT:
        return engine.GQ_KHIEU_NAI_LAN_2 if instance == Instance.SECOND else engine.GQ_KHIEU_NAI_LAN_1
    if kind == MatterKind.DENUNCIATION:
        return engine.GQ_TO_CAO
    return engine.TRA_LOI_KIEN_NGHI


class ClockPlanner:
    """Turns a petition's events into ``deadline`` rows (dicts for a bulk insert, without ids)."""

    def __init__(self, rules: Mapping[str, Rule], calendar: WorkCalendar) -> None:
        self.rules = rules
        self.calendar = calendar
        self._due: dict[tuple[str, dt.date, bool, bool], tuple[int, Any, dt.date]] = {}

    def due(self, code: str, start: dt.date, *, complicated: bool, remote: bool) -> tuple[int, Any, dt.date]:
        """(length, unit, due date) of ``code`` started on ``start``, from the real engine."""
        key = (code, start, complicated, remote)
        found = self._due.get(key)
        if found is None:
            rule = self.rules[code].in_force(start)
            length, _ = rule.length_for(complicated=complicated, remote=remote)
            result = engine.compute_due(rule, start, self.calendar, complicated=complicated, remote=remote)
            found = self._due[key] = (length, rule.unit, result.due)
        return found

    def plan(
        self, petition_id: int, received: dt.date, facts: PetitionFacts, events: Iterable[Event]
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        running: dict[str, dict[str, Any]] = {}

        def start(code: str, on: dt.date, event_id: int | None, agency_id: int | None = None, **variant: bool) -> None:
            old = running.pop(code, None)
            if old is not None:  # one running clock per rule and petition, as clocks.start_clock does
                old["status"] = DeadlineStatus.CANCELLED
            length, unit, due = self.due(
                code, on, complicated=variant.get("complicated", False), remote=variant.get("remote", False)
            )
            row = {
                "petition_id": petition_id,
                "rule_code": code,
                "start_on": on,
                "length": length,
                "unit": unit,
                "extension_days": 0,
                "extension_count": 0,
                "suspensions_json": "[]",
                "suspended_on": None,
                "suspended_days": 0,
                "due_on": due,
                "status": DeadlineStatus.OPEN,
                "officer_id": None,  # demo petitions are assigned to no user, like their events
                "agency_id": agency_id,
                "event_id": event_id,
                "met_on": None,
            }
            rows.append(row)
            running[code] = row

        def settle(codes: Iterable[str] | None, status: DeadlineStatus, on: dt.date | None) -> None:
            for code in list(running) if codes is None else codes:
                row = running.pop(code, None)
                if row is not None:
                    row["status"], row["met_on"] = status, on

        for event_id, action, day, agency_id in events:
            if action == HandlingAction.RECEIVE:
                for code in RECEIPT_CLOCKS.get(facts.kind, (engine.XU_LY_DON,)):
                    start(code, received, event_id)
                continue
            if action == HandlingAction.CLASSIFY:
                if facts.kind == MatterKind.DENUNCIATION and facts.competence == Competence.OUTSIDE:
                    start(engine.CHUYEN_TO_CAO, received, None)
                continue
            if action == _SPLIT:
                settle(None, DeadlineStatus.CANCELLED, None)
                continue
            spec = CATALOGUE[action]
            meets = spec.meets
            if action == HandlingAction.ANSWER_RECEIVED and WAITING_CLOCK not in running:
                # Demo records the answer to an accepted recommendation this way: it settles the answer clock.
                meets = RESOLUTION_CLOCKS
            settle(meets, DeadlineStatus.MET, day)
            if action == HandlingAction.ACCEPT:
                start(
                    resolution_rule(facts.kind, facts.instance),
                    day,
                    event_id,
                    complicated=facts.complicated,
                    remote=facts.remote,
                )
            elif action == HandlingAction.FORWARD:
                start(WAITING_CLOCK, day, event_id, agency_id)
            if spec.cancels_rest:
                settle(None, DeadlineStatus.CANCELLED, None)
        return rows
