"""The visit list sorted by citizen name: in name order, one person's visits together."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.common.actor import SYSTEM
from app.services.reception import visits
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
