"""Handling actions on a petition: a fixed catalogue whose legal effects are data.

Each action says from which statuses it may be taken, the status it leads to, the documents the
law issues for it, and the legal clocks it meets, starts, stops or restarts (Thông tư 05/2021,
Luật Khiếu nại 2011, Luật Tố cáo 2018; domain.md §4). ``perform`` checks everything first and
raises ``RuleViolation`` naming the rule, so that a refused action changes nothing; then it
records the event, the clocks, the numbered documents and the audit entry in one savepoint."""

from __future__ import annotations

from app.services.casework.actions.catalogue import (
    ANY_KIND,
    CATALOGUE,
    DIRECTION_CLOCKS,
    LKN,
    LTC,
    MENU,
    ND124,
    RESOLUTION_CLOCKS,
    SINGLE_KINDS,
    TERMINAL,
    TT05,
    WAITING_CLOCK,
    ActionInput,
    ActionOutcome,
    ActionSpec,
    K,
    S,
)
from app.services.casework.actions.performing import available, offered, perform, resolution_rule, why_not

__all__ = [
    "ANY_KIND",
    "CATALOGUE",
    "DIRECTION_CLOCKS",
    "LKN",
    "LTC",
    "MENU",
    "ND124",
    "RESOLUTION_CLOCKS",
    "SINGLE_KINDS",
    "TERMINAL",
    "TT05",
    "WAITING_CLOCK",
    "ActionInput",
    "ActionOutcome",
    "ActionSpec",
    "K",
    "S",
    "available",
    "offered",
    "perform",
    "resolution_rule",
    "why_not",
]
