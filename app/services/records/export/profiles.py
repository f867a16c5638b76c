"""Saved column profiles: a named choice and order of columns, shared by the office."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ExportProfile
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import nfc
from app.services.records.export.columns import check_columns
from app.services.security import audit
from app.services.security.permissions import Permission, require

# ---- profiles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    entity: str
    columns: tuple[str, ...]


def list_profiles(session: Session, entity: str | None = None) -> list[Profile]:
    stmt = select(ExportProfile).order_by(ExportProfile.name)
    if entity:
        stmt = stmt.where(ExportProfile.entity == entity)
    return [Profile(p.id, p.name, p.entity, tuple(json.loads(p.columns_json))) for p in session.scalars(stmt)]


def get_profile(session: Session, name: str) -> Profile:
    row = session.scalar(select(ExportProfile).where(ExportProfile.name == nfc(name)))
    if row is None:
        raise NotFoundError(f"Không có mẫu xuất “{name}”. Lưu mẫu trong hộp thoại Xuất Excel trước.")
    return Profile(row.id, row.name, row.entity, tuple(json.loads(row.columns_json)))


def save_profile(session: Session, actor: Actor, name: str, entity: str, columns: Sequence[str]) -> Profile:
    """Create or replace the named profile (an ordered list of columns)."""
    require(actor, Permission.EXPORT)
    name = nfc(name or "")
    if not name:
        raise ValidationError({"name": "Đặt tên cho mẫu xuất."})
    keys = check_columns(entity, columns)
    row = session.scalar(select(ExportProfile).where(ExportProfile.name == name))
    before = None
    if row is None:
        row = ExportProfile(name=name, entity=entity, columns_json="[]")
        session.add(row)
    else:
        before = {"entity": row.entity, "columns": json.loads(row.columns_json)}
    row.entity = entity
    row.columns_json = json.dumps(list(keys))
    session.flush()
    audit.record(
        session,
        actor,
        "create" if before is None else "update",
        "export_profile",
        row.id,
        before=before,
        after={"name": name, "entity": entity, "columns": list(keys)},
    )
    return Profile(row.id, name, entity, keys)


def delete_profile(session: Session, actor: Actor, name: str) -> None:
    require(actor, Permission.EXPORT)
    profile = get_profile(session, name)
    row = session.get(ExportProfile, profile.id)
    session.delete(row)
    audit.record(session, actor, "delete", "export_profile", profile.id, before={"name": profile.name})
