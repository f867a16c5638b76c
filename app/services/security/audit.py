"""The audit trail: who did what, when, before → after, hash-chained so that tampering shows."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AuditEntry
from app.models.mixins import now_local
from app.services.common.actor import Actor
from app.services.security import audit_labels
from app.services.security.permissions import Permission, require

# PostgreSQL: appends are serialised by a transaction-scoped advisory lock (SQLite: BEGIN IMMEDIATE).
_PG_CHAIN_LOCK = 0x7469_6570  # "tiep"


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return str(value)


def to_json(data: dict[str, Any] | None) -> str | None:
    if data is None:
        return None
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=_json_default)


def entry_digest(prev_hash: str, entry: AuditEntry) -> str:
    payload = json.dumps(
        [
            prev_hash,
            entry.at.astimezone(dt.UTC).isoformat(),
            entry.user_id,
            entry.username,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.before_json,
            entry.after_json,
            entry.reason,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: int | str | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction.

    Two desks appending at once must not both link to the same predecessor: on SQLite the
    write transaction already holds the write lock (``Database.transaction`` begins
    IMMEDIATE; a deferred one fails rather than forks), on PostgreSQL we take a lock here.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    prev_hash = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)) or ""
    entry = AuditEntry(
        at=now_local().replace(microsecond=0),
        user_id=actor.user_id,
        username=actor.username,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before_json=to_json(before),
        after_json=to_json(after),
        reason=reason,
        prev_hash=prev_hash,
    )
    entry.entry_hash = entry_digest(prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value differs, for a compact before → after record."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    message: str


def verify_chain(session: Session) -> ChainReport:
    """Walk the chain in id order; report the first entry whose link or content does not match."""
    prev_hash = ""
    checked = 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.prev_hash != prev_hash:
            return ChainReport(
                checked,
                entry.id,
                f"Mục nhật ký #{entry.id}: liên kết với mục trước bị đứt (một mục đã bị xóa hoặc chèn).",
            )
        if entry_digest(prev_hash, entry) != entry.entry_hash:
            return ChainReport(checked, entry.id, f"Mục nhật ký #{entry.id}: nội dung đã bị sửa sau khi ghi.")
        prev_hash = entry.entry_hash
        checked += 1
    return ChainReport(checked, None, f"Nhật ký toàn vẹn: {checked} mục đã kiểm tra.")


# ---- viewing the trail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    username: str = ""
    action: str = ""
    entity: str = ""
    entity_id: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: str | None
    before_json: str | None
    after_json: str | None
    reason: str | None
    action_label: str  # in Vietnamese (``audit_labels``), like the two below
    target_label: str
    changes: tuple[str, ...]  # "Thẩm quyền: (trống) → Thuộc thẩm quyền", one per field


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)


def _conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if flt.date_from:
        conds.append(AuditEntry.at >= _day_start(flt.date_from))
    if flt.date_to:
        conds.append(AuditEntry.at < _day_start(flt.date_to + dt.timedelta(days=1)))
    if flt.username.strip():
        conds.append(AuditEntry.username == flt.username.strip())
    if flt.action:
        conds.append(AuditEntry.action == flt.action)
    if flt.entity:
        conds.append(AuditEntry.entity == flt.entity)
    if flt.entity_id.strip():
        conds.append(AuditEntry.entity_id == flt.entity_id.strip())
    return conds


def count_entries(session: Session, actor: Actor, flt: AuditFilter) -> int:
    require(actor, Permission.VIEW_AUDIT)
    return int(session.scalar(select(func.count()).select_from(AuditEntry).where(*_conditions(flt))) or 0)


def list_entries(
    session: Session, actor: Actor, flt: AuditFilter, *, offset: int = 0, limit: int = 200
) -> list[AuditRow]:
    """A page of the trail, newest first (requires the right to view the audit trail)."""
    require(actor, Permission.VIEW_AUDIT)
    entries = list(
        session.scalars(
            select(AuditEntry).where(*_conditions(flt)).order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
        )
    )
    texts = audit_labels.describe(session, entries)
    return [
        AuditRow(
            e.id,
            e.at,
            e.username,
            e.action,
            e.entity,
            e.entity_id,
            e.before_json,
            e.after_json,
            e.reason,
            t.action,
            t.target,
            t.changes,
        )
        for e, t in zip(entries, texts, strict=True)
    ]


def usernames(session: Session) -> list[str]:
    return [u for u in session.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username)) if u]
