"""The petition list: filters, sorting in SQL, the rows a table shows."""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.models import (
    Agency,
    Citizen,
    FieldCategory,
    Petition,
    User,
)
from app.models.enums import (
    MatterKind,
    PetitionSource,
    PetitionStatus,
    SenderKind,
)
from app.services.casework.petitions.registration import MAX_FORWARDS, number_of
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.text import search_tokens
from app.services.common.vocab import label
from app.services.reception import search
from app.services.security import confidential

# ---- lists ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PetitionFilter:
    status: PetitionStatus | None = None
    kind: MatterKind | None = None
    source: PetitionSource | None = None
    text: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    case_id: int | None = None
    open_only: bool = False


@dataclass(frozen=True)
class PetitionRow:
    id: int
    number: str
    received_on: dt.date
    source: PetitionSource
    sender: str
    kind: MatterKind
    field_name: str
    status: PetitionStatus
    summary: str
    agency_name: str
    forward_count: int
    over_forwarded: bool
    is_anonymous: bool
    parent_id: int | None
    officer_name: str = ""  # the handling officer (cán bộ xử lý), blank while none is assigned

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    @property
    def status_label(self) -> str:
        return label(self.status)

    @property
    def source_label(self) -> str:
        return label(self.source)


CLOSED_STATUSES = (
    PetitionStatus.GUIDED,
    PetitionStatus.RETURNED,
    PetitionStatus.FILED,
    PetitionStatus.WITHDRAWN,
    PetitionStatus.TERMINATED,
    PetitionStatus.SPLIT,
    PetitionStatus.NOT_ACCEPTED,
    PetitionStatus.CLOSED,
)

SORT_COLUMNS: dict[str, Any] = {
    "number": Petition.reg_year,
    "received_on": Petition.received_on,
    "kind": Petition.kind,
    "status": Petition.status,
    "source": Petition.source,
    "forward_count": Petition.forward_count,
}


def filter_conditions(session: Session, flt: PetitionFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``flt`` (the dashboard counts with the same ones as the list)."""
    conds: list[ColumnElement[bool]] = [Petition.deleted_at.is_(None)]
    if flt.status:
        conds.append(Petition.status == flt.status)
    if flt.kind:
        conds.append(Petition.kind == flt.kind)
    if flt.source:
        conds.append(Petition.source == flt.source)
    if flt.date_from:
        conds.append(Petition.received_on >= flt.date_from)
    if flt.date_to:
        conds.append(Petition.received_on <= flt.date_to)
    if flt.case_id is not None:
        conds.append(Petition.case_id == flt.case_id)
    if flt.open_only:
        conds.append(Petition.status.not_in(CLOSED_STATUSES))
    if search_tokens(flt.text):
        text = flt.text.strip()
        matches = search.petition_text_matches(session, text)
        # "12/2026" or "12" finds the petition by its register number.
        head = text.split("/")[0]
        if head.isdigit():
            matches = matches | (Petition.reg_seq == int(head))
        conds.append(matches)
    return conds


def petition_ids(
    session: Session, flt: PetitionFilter, sort: str = "received_on", descending: bool = True
) -> array[int]:
    """Every matching petition id in display order (filtering and sorting in SQL), for the lazy list."""
    column = SORT_COLUMNS.get(sort, Petition.received_on)
    order = [Petition.reg_year, Petition.reg_seq] if sort == "number" else [column, Petition.reg_year, Petition.reg_seq]
    order_by = [c.desc() for c in order] if descending else [c.asc() for c in order]
    result = session.execute(select(Petition.id).where(*filter_conditions(session, flt)).order_by(*order_by))
    ids: array[int] = array("q")
    for chunk in result.scalars().partitions(50_000):
        ids.extend(chunk)
    return ids


def _sender_text(
    actor: Actor, sender_kind: SenderKind, anonymous: bool, org: str | None, name: str | None, secret: bool, count: int
) -> str:
    if anonymous:
        return "Nặc danh"
    if sender_kind == SenderKind.ORGANISATION:
        return org or ""
    shown = confidential.shown(actor, name, secret) or ""
    if sender_kind == SenderKind.CROWD and count > 1:
        return f"{shown} và {count - 1} người"
    return shown


def petition_rows(session: Session, actor: Actor, ids: list[int] | array[int]) -> list[PetitionRow]:
    """The rows for ``ids`` in the same order; denouncers masked for ``actor``."""
    id_list = list(ids)
    if not id_list:
        return []
    limit = int(settings.get(session, MAX_FORWARDS))
    rows = session.execute(
        select(
            Petition.id,
            Petition.reg_seq,
            Petition.reg_year,
            Petition.received_on,
            Petition.source,
            Petition.sender_kind,
            Petition.is_anonymous,
            Petition.organisation_name,
            Petition.head_count,
            Citizen.full_name,
            Citizen.confidential,
            Petition.kind,
            FieldCategory.name.label("field_name"),
            Petition.status,
            Petition.summary,
            Agency.name.label("agency_name"),
            Petition.forward_count,
            Petition.parent_id,
            User.full_name.label("officer_name"),
        )
        .outerjoin(Citizen, Citizen.id == Petition.citizen_id)
        .outerjoin(User, User.id == Petition.assigned_officer_id)
        .outerjoin(FieldCategory, FieldCategory.code == Petition.field_code)
        .outerjoin(Agency, Agency.id == Petition.handling_agency_id)
        .where(Petition.id.in_(id_list))
    ).all()
    by_id = {
        r.id: PetitionRow(
            id=r.id,
            number=number_of(r.reg_seq, r.reg_year),
            received_on=r.received_on,
            source=r.source,
            sender=_sender_text(
                actor,
                r.sender_kind,
                r.is_anonymous,
                r.organisation_name,
                r.full_name,
                bool(r.confidential),
                r.head_count,
            ),
            kind=r.kind,
            field_name=r.field_name or "",
            status=r.status,
            summary=r.summary,
            agency_name=r.agency_name or "",
            forward_count=r.forward_count,
            over_forwarded=r.forward_count > limit,
            is_anonymous=r.is_anonymous,
            parent_id=r.parent_id,
            officer_name=r.officer_name or "",
        )
        for r in rows
    }
    return [by_id[i] for i in id_list if i in by_id]


def list_petitions(
    session: Session, actor: Actor, flt: PetitionFilter | None = None, limit: int = 500
) -> list[PetitionRow]:
    ids = petition_ids(session, flt or PetitionFilter())
    return petition_rows(session, actor, ids[:limit])
