"""The visit list sorted by citizen name: in name order, one person's visits together."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.common.actor import SYSTEM
from app.services.reception import search, visits
from tests.helpers import visit_input


def test_sorted_by_name_groups_each_persons_visits(session: Session) -> None:
    def add(name: str, id_number: str | None) -> int:
        return visits.register_visit(session, SYSTEM, visit_input(name, id_number=id_number)).id

    lan_1 = add("Trần Thị Lan", "024190000001")
    an = add("Đỗ Văn An", "024190000002")
    other_lan = add("Trần Thị Lan", "024190000003")  # a second person of the same name
    lan_2 = add("Trần Thị Lan", "024190000001")
    deleted = add("Bùi Văn Ba", "024190000004")
    visits.delete_visit(session, SYSTEM, deleted, "Nhập nhầm")
    session.commit()

    up = list(visits.visit_ids(session, visits.VisitFilter(), sort="citizen", descending=False))
    assert up == [an, lan_1, lan_2, other_lan]  # "Đỗ" folds to "do": before "tran"; each Lan together
    down = list(visits.visit_ids(session, visits.VisitFilter(), sort="citizen", descending=True))
    assert down == list(reversed(up))


def _by_name(session: Session) -> list[int]:
    return list(visits.visit_ids(session, visits.VisitFilter(), sort="citizen", descending=False))


def test_a_renamed_person_moves_with_all_their_visits(session: Session) -> None:
    lan_1 = visits.register_visit(session, SYSTEM, visit_input("Trần Thị Lan", id_number="024190000001")).id
    an = visits.register_visit(session, SYSTEM, visit_input("Đỗ Văn An", id_number="024190000002")).id
    lan_2 = visits.register_visit(session, SYSTEM, visit_input("Trần Thị Lan", id_number="024190000001")).id
    session.commit()
    assert _by_name(session) == [an, lan_1, lan_2]

    # The clerk corrects the name on one visit: the person's record changes, and both visits move.
    visits.update_visit(session, SYSTEM, lan_1, visit_input("Âu Thị Lan", id_number="024190000001"))
    session.commit()
    assert _by_name(session) == [lan_1, lan_2, an]


def test_a_visit_filed_under_another_person_sorts_under_that_person(session: Session) -> None:
    an = visits.register_visit(session, SYSTEM, visit_input("Đỗ Văn An", id_number="024190000002"))
    lan = visits.register_visit(session, SYSTEM, visit_input("Trần Thị Lan", id_number="024190000001"))
    visits.register_visit(session, SYSTEM, visit_input("Bùi Văn Ba", id_number="024190000004"))
    session.commit()
    moved = visits.update_visit(
        session, SYSTEM, lan.id, visit_input("Đỗ Văn An", id_number="024190000002", citizen_id=an.citizen_id)
    )
    session.commit()
    assert moved.citizen_id == an.citizen_id
    assert _by_name(session)[1:] == [an.id, lan.id]  # after Bùi, with An's own visit


def test_visits_of_a_bulk_load_get_their_sort_key_at_the_end(session: Session) -> None:
    # The load joins an open transaction (one that has written), as demo data and imports do.
    before = visits.register_visit(session, SYSTEM, visit_input("Trần Thị Lan", id_number="024190000001")).id
    with search.bulk_load(session):
        an = visits.register_visit(session, SYSTEM, visit_input("Đỗ Văn An", id_number="024190000002")).id
        ba = visits.register_visit(session, SYSTEM, visit_input("Bùi Văn Ba", id_number="024190000004")).id
    session.commit()
    assert _by_name(session) == [ba, an, before]
    # The trigger is back: a visit saved after the load is sorted too.
    an_2 = visits.register_visit(session, SYSTEM, visit_input("Đỗ Văn An", id_number="024190000002")).id
    session.commit()
    assert _by_name(session) == [ba, an, an_2, before]
