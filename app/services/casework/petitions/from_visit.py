"""A petition handed in at the desk (Lập đơn từ lượt tiếp): the registration prefilled from its visit.

The clerk already typed the person, what they said, the kind and the field when recording the
visit; the petition starts from that, linked to the visit (and so to the visit's case).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Petition, Visit
from app.models.enums import ParticipantRole, PetitionSource, SenderKind, VisitOutcome
from app.services.casework.petitions.registration import PartyInput, PetitionInput, number_of
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError
from app.services.reception.citizens import citizen_input
from app.services.security import confidential


@dataclass(frozen=True)
class VisitDraft:
    data: PetitionInput
    outcome: VisitOutcome  # what was done at the visit: "Tiếp nhận đơn" is when a petition is due
    earlier: tuple[str, ...]  # numbers of petitions already registered from this visit
    # A denouncer the actor may not see: the petition names the visit's person without showing them.
    sender_hidden: bool = False


def draft_from_visit(session: Session, actor: Actor, visit_id: int) -> VisitDraft:
    """The petition input for a petition handed in at ``visit_id``, to be shown and completed.

    People are taken from their records as they are now (not as the visit recorded them): saving
    the petition must never move a citizen back to an address they had at an older visit. For a
    user who may not see a denouncer, the person is left out of the draft; registration then takes
    the visit's (protected) person as the sender.
    """
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    hidden = confidential.must_protect(visit.matter_kind) and not confidential.can_see(actor)
    crowd = visit.is_crowd and bool(visit.participants) and not hidden
    individual = not crowd and not hidden
    data = PetitionInput(
        source=PetitionSource.DESK,
        summary=visit.summary,
        kind=visit.matter_kind,
        received_on=visit.received_on,
        sender_kind=SenderKind.CROWD if crowd else SenderKind.INDIVIDUAL,
        citizen=citizen_input(session, visit.citizen_id) if individual else None,
        citizen_id=visit.citizen_id if individual else None,
        parties=tuple(
            PartyInput(citizen_input(session, p.citizen_id), ParticipantRole.REPRESENTATIVE) for p in visit.participants
        )
        if crowd
        else (),
        head_count=visit.head_count if crowd else 1,
        field_code=visit.field_code,
        visit_id=visit_id,
        documents_received=visit.documents_received,
    )
    earlier = session.execute(
        select(Petition.reg_seq, Petition.reg_year)
        .where(Petition.visit_id == visit_id, Petition.deleted_at.is_(None))
        .order_by(Petition.id)
    )
    return VisitDraft(data, visit.outcome, tuple(number_of(seq, year) for seq, year in earlier), hidden)
