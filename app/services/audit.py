"""The audit trail: who did what, when, before → after, hash-chained so that tampering shows."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.mixins import now_local
from app.services.actor import Actor


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
    """Append one entry to the chain inside the caller's transaction."""
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
