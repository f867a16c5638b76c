"""When a first-instance complaint decision takes legal effect, and the enforcement it then calls for.

Luật Khiếu nại 2011 (domain.md "Corrections 2026-12"): a first-instance decision takes legal effect
30 days after it is issued (45 in remote, hard-to-reach areas) unless the complainant complains a
second time within that window. So issuing the decision starts the ``hieu_luc_quyet_dinh_gq_khieu_nai``
clock; a second-instance complaint about the same matter filed within it stops it; when it runs
out untouched the decision has effect and the enforcement follow-up clock
(``thi_hanh_quyet_dinh_gq_khieu_nai``) starts from that day.

The window passing is not an event anybody records, so ``settle`` turns expired windows into
enforcement clocks whenever the follow-up board is built (and may be called by any job).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Deadline, Petition
from app.models.enums import DeadlineStatus, Instance, MatterKind
from app.services.common import settings
from app.services.deadlines import clocks
from app.services.deadlines.engine import HIEU_LUC_QUYET_DINH

ENFORCEMENT_RULE = "thi_hanh_quyet_dinh_gq_khieu_nai"

REMOTE_AREA = settings.define(
    "office.remote_area",
    False,
    "Cơ quan ở vùng sâu, vùng xa, đi lại khó khăn (quyết định giải quyết khiếu nại có hiệu lực sau 45 ngày)",
)


def is_first_instance_complaint(petition: Petition) -> bool:
    return petition.kind == MatterKind.COMPLAINT and petition.instance != Instance.SECOND


def start_on_decision(
    session: Session, petition: Petition, decided_on: dt.date, *, officer_id: int | None, event_id: int | None
) -> int | None:
    """Issuing a first-instance complaint decision opens its legal-effect window; returns the clock id."""
    if not is_first_instance_complaint(petition):
        return None
    remote = bool(settings.get(session, REMOTE_AREA)) or petition.is_remote_area
    return clocks.start_clock(
        session,
        petition.id,
        HIEU_LUC_QUYET_DINH,
        decided_on,
        officer_id=officer_id,
        event_id=event_id,
        remote=remote,
    )


def settle(session: Session, as_of: dt.date) -> list[int]:
    """Windows that ran out before ``as_of``: the decision took effect on the last day of the window,
    and the enforcement clock starts from it. Returns the enforcement clocks started."""
    expired = session.scalars(
        select(Deadline)
        .join(Petition, Petition.id == Deadline.petition_id)
        .where(
            Deadline.rule_code == HIEU_LUC_QUYET_DINH,
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.due_on < as_of,
            Petition.deleted_at.is_(None),
        )
        .order_by(Deadline.id)
    ).all()
    started: list[int] = []
    for row in expired:
        effect_on = row.due_on
        row.status = DeadlineStatus.MET
        row.met_on = effect_on
        petition = session.get(Petition, row.petition_id)
        if petition is None or petition.enforced_on is not None:
            continue  # already enforced: nothing left to follow
        started.append(
            clocks.start_clock(
                session,
                row.petition_id,
                ENFORCEMENT_RULE,
                effect_on,
                officer_id=row.officer_id,
                agency_id=row.agency_id,
                event_id=row.event_id,
            )
        )
    session.flush()
    return started


def second_complaint_filed(session: Session, petition: Petition) -> list[int]:
    """A second-instance complaint filed within the window of a first decision on the same matter
    (same case, or same complainant) stops that window: the decision does not take effect.
    Returns the first-instance petitions whose window stopped."""
    if petition.kind != MatterKind.COMPLAINT or petition.instance != Instance.SECOND:
        return []
    same_matter = []
    if petition.case_id is not None:
        same_matter.append(Petition.case_id == petition.case_id)
    if petition.citizen_id is not None:
        same_matter.append(Petition.citizen_id == petition.citizen_id)
    if not same_matter:
        return []
    rows = session.scalars(
        select(Deadline)
        .join(Petition, Petition.id == Deadline.petition_id)
        .where(
            Deadline.rule_code == HIEU_LUC_QUYET_DINH,
            Deadline.status == DeadlineStatus.OPEN,
            Deadline.petition_id != petition.id,
            Deadline.start_on <= petition.received_on,
            Deadline.due_on >= petition.received_on,
            Petition.deleted_at.is_(None),
            or_(*same_matter),
        )
    ).all()
    for row in rows:
        row.status = DeadlineStatus.CANCELLED
        row.met_on = petition.received_on
    session.flush()
    return sorted({row.petition_id for row in rows})
