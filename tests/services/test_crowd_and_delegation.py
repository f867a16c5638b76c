"""Crowd representatives (Luật Tiếp công dân Điều 30) and delegated periodic reception (Luật 136/2025/QH15):
both are warnings at entry, never refusals: the visit is stored as the clerk typed it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from app.models import Visit
from app.models.enums import ReceptionKind
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.common.errors import ValidationError
from app.services.reception import crowd, visits
from app.services.reception.citizens import CitizenInput
from tests.helpers import local, visit_input

CITATION = "Luật Tiếp công dân 2013, Điều 30"


def _reps(n: int) -> tuple[CitizenInput, ...]:
    names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang"]
    return tuple(CitizenInput(full_name=name) for name in names[:n])


def _crowd(session: Session, head_count: int, reps: int) -> visits.SavedVisit:
    data = visit_input(head_count=head_count, is_crowd=True, representatives=_reps(reps))
    return visits.register_visit(session, SYSTEM, data)


@pytest.mark.parametrize(
    ("head_count", "reps", "expected"),
    [
        (5, 1, None),
        (10, 2, None),
        (7, 3, "Đoàn 7 người ghi 3 người đại diện: đoàn từ 5 đến 10 người cử không quá 2 người đại diện"),
        (7, 0, "Đoàn 7 người chưa ghi người đại diện: đoàn từ 5 đến 10 người cử không quá 2 người đại diện"),
        (11, 5, None),
        (40, 6, "Đoàn 40 người ghi 6 người đại diện: đoàn từ 11 người trở lên cử không quá 5 người đại diện"),
    ],
)
def test_representatives_outside_the_rule_are_warned_with_the_law_and_kept(
    session: Session, head_count: int, reps: int, expected: str | None
) -> None:
    saved = _crowd(session, head_count, reps)
    visit = session.get(Visit, saved.id)
    assert visit is not None and len(visit.participants) == reps and visit.head_count == head_count
    crowd_warnings = [w for w in saved.warnings if "người đại diện" in w]
    if expected is None:
        assert crowd_warnings == []
    else:
        [warning] = crowd_warnings
        assert warning.startswith(expected) and CITATION in warning


def test_a_single_citizen_is_never_warned_about_representatives(session: Session) -> None:
    saved = visits.register_visit(session, SYSTEM, visit_input())
    assert saved.warnings == ()


def test_the_rule_is_data_an_office_can_correct(session: Session) -> None:
    settings.put(
        session,
        settings.CROWD_REPRESENTATIVES,
        {"bands": [{"min_people": 5, "max_people": None, "min": 1, "max": 3}], "source": "Quy chế cơ quan"},
    )
    assert _crowd(session, 8, 3).warnings == ()
    [warning] = _crowd(session, 8, 4).warnings
    assert "cử không quá 3 người đại diện (Quy chế cơ quan)" in warning
    rule = crowd.rule(session)
    assert rule.band(4) is None and rule.band(500) is not None


def test_a_malformed_rule_says_what_to_fix(session: Session) -> None:
    settings.put(session, settings.CROWD_REPRESENTATIVES, {"bands": [{"min_people": "năm"}]})
    with pytest.raises(ValidationError) as err:
        crowd.rule(session)
    assert "min_people, max_people, min, max" in err.value.fields["reception.crowd_representatives"]


def test_the_default_rule_carries_its_source_and_what_is_unconfirmed(session: Session) -> None:
    rule = crowd.rule(session)
    assert rule.source.startswith(CITATION) and "Nghị định 64/2014/NĐ-CP" in rule.source
    assert rule.to_confirm
    assert [(b.min_people, b.max_people, b.max_reps) for b in rule.bands] == [(5, 10, 2), (11, None, 5)]


def _periodic(session: Session, day: int, month: int, *, delegated: bool) -> visits.SavedVisit:
    data = visit_input(
        reception=ReceptionKind.PERIODIC,
        leader_name="Trần Văn Chủ",
        received_at=local(2026, month, day),
        delegated=delegated,
    )
    return visits.register_visit(session, SYSTEM, data)


def test_a_delegated_periodic_reception_from_july_2026_is_warned_and_stored(session: Session) -> None:
    saved = _periodic(session, 1, 7, delegated=True)
    [warning] = saved.warnings
    assert warning.startswith("Từ ngày 01/07/2026 người đứng đầu không được ủy quyền cho cấp phó")
    assert "Luật 136/2025/QH15" in warning
    visit = session.get(Visit, saved.id)
    assert visit is not None and visit.delegated


def test_no_warning_before_the_ban_or_without_delegation_or_for_other_kinds(session: Session) -> None:
    assert _periodic(session, 30, 6, delegated=True).warnings == ()
    assert _periodic(session, 2, 7, delegated=False).warnings == ()
    ad_hoc = visit_input(
        reception=ReceptionKind.AD_HOC, leader_name="Trần Văn Chủ", received_at=local(2026, 8, 3), delegated=True
    )
    assert visits.register_visit(session, SYSTEM, ad_hoc).warnings == ()


def test_online_reception_is_stored_and_read_back(session: Session) -> None:
    saved = visits.register_visit(session, SYSTEM, visit_input(is_online=True, received_at=local(2026, 9, 1)))
    data = visits.visit_input(session, SYSTEM, saved.id)
    assert data.is_online and not data.delegated
