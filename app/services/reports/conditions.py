"""A form's filters over stored codes, compiled into predicates over a record's key.

A key is the tuple of the fact columns the forms read (facts.py), in the order the compiler first
met them; ``Conditions.dims`` lists that order. The same predicates decide every figure and every
drill-down list, so a figure and the records listed behind it can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from app.models.enums import HandlingAction
from app.services.common.errors import ValidationError
from app.services.reports.facts import ACTION_BIT, AFTER, BEFORE, DURING, NONE

Key = tuple[Any, ...]
Pred = Callable[[Key], bool]


def unknown(name: str, value: Any) -> ValidationError:
    return ValidationError({"form": f"Điều kiện “{name}: {value}” không dùng được trong biểu này."})


def all_of(preds: Sequence[Pred | None]) -> Pred | None:
    """Every predicate holds; ``None`` stands for "always" (an empty filter)."""
    parts = [p for p in preds if p is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]

    def every(key: Key) -> bool:
        return all(p(key) for p in parts)

    return every


def any_of(preds: Sequence[Pred | None]) -> Pred | None:
    if any(p is None for p in preds):
        return None
    parts = [p for p in preds if p is not None]

    def some(key: Key) -> bool:
        return any(p(key) for p in parts)

    return some


def holds(pred: Pred | None, key: Key) -> bool:
    return pred is None or pred(key)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _member(i: int, values: set[Any] | frozenset[Any]) -> Pred:
    allowed = frozenset(values)
    return lambda key: key[i] in allowed


def _flag(i: int, value: Any) -> Pred:
    if value is None:
        return lambda key: key[i] is None
    return _equal(i, 1 if value else 0)  # None equals neither; True == 1 for PostgreSQL's bools


def _equal(i: int, wanted: Any) -> Pred:
    return lambda key: key[i] == wanted


class Conditions:
    """Compiles filter dictionaries for one kind of record, registering the fact columns read."""

    def __init__(self, fields: dict[str, set[str]]) -> None:
        self.fields = fields
        self.dims: list[str] = []

    def at(self, name: str) -> int:
        """The position of fact column ``name`` in the key."""
        if name not in self.dims:
            self.dims.append(name)
        return self.dims.index(name)

    def condition(self, flt: dict[str, Any]) -> Pred | None:
        parts: list[Pred | None] = []
        for name, value in flt.items():
            if name == "not":
                inner = self.condition(value)
                parts.append(_negate(inner))
            elif name == "any":
                parts.append(any_of([self.condition(item) for item in value]))
            else:
                parts.append(self.dimension(name, value))
        return all_of(parts)

    def dimension(self, name: str, value: Any) -> Pred:
        raise NotImplementedError

    def codes(self, name: str, value: Any) -> Pred:
        return _member(self.at(name), set(_as_list(value)))

    def field(self, value: Any) -> Pred:
        """A field and every field below it (a report row counts a field and its sub-fields)."""
        codes: set[Any] = set()
        for item in _as_list(value):
            codes |= {None} if item is None else self.fields.get(item, {item})
        return _member(self.at("field_code"), codes)


def _negate(pred: Pred | None) -> Pred:
    if pred is None:
        return lambda key: False
    return lambda key: not pred(key)


class VisitConditions(Conditions):
    CODES = ("reception_kind", "matter_kind", "matter_state", "outcome")

    def dimension(self, name: str, value: Any) -> Pred:
        if name in self.CODES:
            return self.codes(name, value)
        if name in ("is_crowd", "delegated", "is_online"):
            return _flag(self.at(name), value)
        if name == "field":
            return self.field(value)
        if name == "case_age" and value in ("old", "new"):
            return _equal(self.at("case_old"), 1 if value == "old" else 0)
        if name == "reception_round" and value in ("first", "repeat"):
            return _equal(self.at("repeat"), 1 if value == "repeat" else 0)
        raise unknown(name, value)


class PetitionConditions(Conditions):
    CODES = ("kind", "source", "competence", "status", "sender_kind", "result", "instance", "matter_state")
    FLAGS = ("eligible", "is_anonymous", "is_beyond_level", "is_prolonged")

    def dimension(self, name: str, value: Any) -> Pred:
        if name in self.CODES:
            return self.codes(name, value)
        if name in self.FLAGS:
            return _flag(self.at(name), value)
        if name == "field":
            return self.field(value)
        handler = {
            "received": self._received,
            "event": self._event,
            "enforced": self._enforced,
            "accepted": self._accepted,
            "resolved": self._resolved,
        }.get(name)
        found = handler(value) if handler is not None else None
        if found is None:
            raise unknown(name, value)
        return found

    def _received(self, value: Any) -> Pred | None:
        """In the period, or carried over: received earlier and not yet given a direction at its start."""
        r, h = self.at("received_b"), self.at("handled_b")

        def carried(key: Key) -> bool:
            return bool(key[r] == BEFORE and key[h] != BEFORE)

        if value == "in_period":
            return _equal(r, DURING)
        if value == "carried":
            return carried
        if value == "in_scope":
            return lambda key: key[r] == DURING or carried(key)
        return None

    def _event(self, value: Any) -> Pred | None:
        try:
            bits = sum(ACTION_BIT[HandlingAction(a).value] for a in set(_as_list(value)))
        except (KeyError, ValueError):
            return None
        a = self.at("actions")
        return lambda key: bool(key[a] & bits)

    def _enforced(self, value: Any) -> Pred | None:
        if value != "in_period":
            return None
        e, a = self.at("enforced_b"), self.at("actions")
        bit = ACTION_BIT[HandlingAction.ENFORCE.value]
        return lambda key: key[e] == DURING or bool(key[a] & bit)

    def _accepted(self, value: Any) -> Pred | None:
        i = self.at("accepted_b")
        if value is True:
            return _member(i, {BEFORE, DURING})
        if value == "carried":
            return _equal(i, BEFORE)
        if value == "in_period":
            return _equal(i, DURING)
        return None

    def _resolved(self, value: Any) -> Pred | None:
        i = self.at("resolved_b")
        if value == "open_at_start":
            return lambda key: key[i] != BEFORE
        if value == "in_period":
            return _equal(i, DURING)
        if value == "pending":
            return _member(i, {NONE, AFTER})
        return None


CONDITIONS: dict[str, type[Conditions]] = {"visit": VisitConditions, "petition": PetitionConditions}
