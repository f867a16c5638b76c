"""A citizen's record is never changed behind the clerk's back: no silent merge, no blanking, audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Citizen, Visit
from app.models.enums import Gender, MatterKind, PetitionSource
from app.services.casework import petitions
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput, IdentityConflict
from tests.helpers import add_visit, visit_input
from tests.petition_builders import HANDLER, TODAY

CCCD = "024085001234"


def _citizens(session: Session) -> list[Citizen]:
    return list(session.scalars(select(Citizen).order_by(Citizen.id)))


def test_a_known_cccd_under_another_name_is_refused_and_the_record_kept(session: Session) -> None:
    first = add_visit(session, name="Nguyễn Văn An", id_number=CCCD)
    with pytest.raises(IdentityConflict) as caught:
        visits.register_visit(session, SYSTEM, visit_input("Trần Thị Bích", id_number=CCCD))
    session.rollback()
    assert caught.value.citizen_id == first.citizen_id
    assert caught.value.full_name == "Nguyễn Văn An"
    assert "Nguyễn Văn An" in caught.value.fields["citizen.id_number"]
    [citizen] = _citizens(session)
    assert citizen.full_name == "Nguyễn Văn An"


def test_same_person_confirmed_updates_the_record_with_an_audit_entry(session: Session) -> None:
    first = add_visit(session, name="Nguyễn Văn An", id_number=CCCD)
    data = visit_input("Nguyễn Văn Ân", id_number=CCCD, citizen_id=first.citizen_id)
    visits.register_visit(session, SYSTEM, data)
    session.commit()
    [citizen] = _citizens(session)
    assert citizen.full_name == "Nguyễn Văn Ân"
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "citizen", AuditEntry.action == "update")
    ).all()
    assert len(entries) == 1
    assert json.loads(entries[0].before_json or "{}")["full_name"] == "Nguyễn Văn An"
    assert json.loads(entries[0].after_json or "{}")["full_name"] == "Nguyễn Văn Ân"


def test_a_petition_for_a_returning_citizen_never_blanks_what_its_form_does_not_show(session: Session) -> None:
    first = add_visit(session, name="Nguyễn Văn An", id_number=CCCD)
    before = session.get(Citizen, first.citizen_id)
    assert before is not None and before.gender == Gender.MALE and before.birth_year == 1985
    bare = CitizenInput(full_name="Nguyễn Văn An", id_number=CCCD)  # the petition form: name and number
    data = petitions.PetitionInput(
        source=PetitionSource.POST,
        summary="Khiếu nại quyết định thu hồi đất",
        kind=MatterKind.COMPLAINT,
        received_on=TODAY,
        citizen=bare,
        citizen_id=first.citizen_id,
    )
    petitions.register_petition(session, HANDLER, data, today=TODAY)
    session.commit()
    session.expire_all()
    after = session.get(Citizen, first.citizen_id)
    assert after is not None
    assert (after.gender, after.birth_year, after.province_code) == (Gender.MALE, 1985, "24")
    assert session.scalar(select(func.count()).select_from(Citizen)) == 1


def test_a_conflict_with_a_denouncer_never_shows_the_denouncer_name(session: Session) -> None:
    add_visit(session, name="Lê Văn Tố", id_number=CCCD, kind=MatterKind.DENUNCIATION)
    with pytest.raises(IdentityConflict) as caught:
        visits.register_visit(
            session, SYSTEM, visit_input("Phạm Thị Hoa", id_number=CCCD, kind=MatterKind.DENUNCIATION)
        )
    session.rollback()
    assert "Lê Văn Tố" not in caught.value.fields["citizen.id_number"]
    assert caught.value.full_name != "Lê Văn Tố"


def test_a_correction_giving_a_record_another_persons_cccd_is_refused(session: Session) -> None:
    holder = add_visit(session, name="Nguyễn Văn An", id_number=CCCD)
    other = add_visit(session, name="Trần Thị Bích", id_number="024185009876")
    data = visit_input("Trần Thị Bích", id_number=CCCD, citizen_id=other.citizen_id)
    with pytest.raises(IdentityConflict) as caught:
        visits.update_visit(session, SYSTEM, other.id, data)
    session.rollback()
    assert caught.value.citizen_id == holder.citizen_id
    numbers = {c.full_name: c.id_number for c in _citizens(session)}
    assert numbers == {"Nguyễn Văn An": CCCD, "Trần Thị Bích": "024185009876"}


def test_a_visit_filed_under_the_wrong_person_moves_to_its_own_record(session: Session) -> None:
    wrong = add_visit(session, name="Nguyễn Văn An", id_number=CCCD)
    data = visit_input("Phạm Văn Cường", id_number=None, other_person=True)
    visits.update_visit(session, SYSTEM, wrong.id, data)
    session.commit()
    assert [c.full_name for c in _citizens(session)] == ["Nguyễn Văn An", "Phạm Văn Cường"]
    visit = session.get(Visit, wrong.id)
    assert visit is not None and visit.citizen is not None and visit.citizen.full_name == "Phạm Văn Cường"
    citizen_updates = session.scalars(select(AuditEntry).where(AuditEntry.entity == "citizen")).all()
    assert citizen_updates == []


def test_a_renamed_citizen_on_correction_is_the_same_record_renamed(session: Session) -> None:
    typo = add_visit(session, name="Nguyễn Văn Ann", id_number=CCCD)
    visits.update_visit(session, SYSTEM, typo.id, visit_input("Nguyễn Văn An", id_number=CCCD))
    session.commit()
    [citizen] = _citizens(session)
    assert citizen.full_name == "Nguyễn Văn An"
