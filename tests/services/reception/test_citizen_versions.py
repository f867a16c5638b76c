"""What a visit and its papers showed stays as it was when the citizen's record later changes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Citizen, CitizenVersion, Visit
from app.services.common.actor import SYSTEM
from app.services.printing import receipt_for_visit, render_daily_log
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput
from tests.helpers import local, visit_input
from tests.printing_data import pdf_text

OLD_ADDRESS = "Số 5 đường Lý Thái Tổ"
NEW_ADDRESS = "Thôn Đông Xuyên"


def _visit(session: Session, address: str, when: dt.datetime, citizen_id: int | None = None) -> visits.SavedVisit:
    data = visit_input(received_at=when, citizen_id=citizen_id)
    data = visits.VisitInput(
        **{**data.__dict__, "citizen": CitizenInput(**{**data.citizen.__dict__, "address_detail": address})}
    )
    saved = visits.register_visit(session, SYSTEM, data, now=when)
    session.commit()
    return saved


def _moved(session: Session) -> tuple[visits.SavedVisit, visits.SavedVisit]:
    first = _visit(session, OLD_ADDRESS, local(2026, 3, 2))
    second = _visit(session, NEW_ADDRESS, local(2026, 4, 6), citizen_id=first.citizen_id)
    assert second.citizen_id == first.citizen_id
    return first, second


def test_an_earlier_visit_keeps_the_address_it_recorded(session: Session) -> None:
    first, second = _moved(session)
    rows = {r.id: r for r in visits.visit_rows(session, SYSTEM, [first.id, second.id])}
    assert OLD_ADDRESS in rows[first.id].address
    assert NEW_ADDRESS in rows[second.id].address
    assert session.get_one(Citizen, first.citizen_id).address_detail == NEW_ADDRESS


def test_the_register_page_and_a_reprinted_receipt_keep_the_old_address(session: Session) -> None:
    first, _ = _moved(session)
    march = pdf_text(render_daily_log(session, SYSTEM, dt.date(2026, 3, 2)))
    assert OLD_ADDRESS in march and NEW_ADDRESS not in march
    _, receipt = receipt_for_visit(session, SYSTEM, first.id, ["Đơn khiếu nại"])
    text = pdf_text(receipt)
    assert OLD_ADDRESS in text and NEW_ADDRESS not in text


def test_correcting_an_old_visit_keeps_its_person_and_the_citizens_new_address(session: Session) -> None:
    first, _ = _moved(session)
    loaded = visits.visit_input(session, SYSTEM, first.id)
    assert loaded.citizen.address_detail == OLD_ADDRESS
    visits.update_visit(session, SYSTEM, first.id, visits.VisitInput(**{**loaded.__dict__, "summary": "Sửa tóm tắt"}))
    session.commit()
    row = visits.visit_rows(session, SYSTEM, [first.id])[0]
    assert OLD_ADDRESS in row.address and row.summary == "Sửa tóm tắt"
    assert session.get_one(Citizen, first.citizen_id).address_detail == NEW_ADDRESS


def test_correcting_the_person_on_a_visit_applies_from_then_on(session: Session) -> None:
    first, _ = _moved(session)
    loaded = visits.visit_input(session, SYSTEM, first.id)
    fixed = CitizenInput(**{**loaded.citizen.__dict__, "address_detail": "Số 7 đường Lý Thái Tổ"})
    visits.update_visit(session, SYSTEM, first.id, visits.VisitInput(**{**loaded.__dict__, "citizen": fixed}))
    session.commit()
    assert "Số 7 đường Lý Thái Tổ" in visits.visit_rows(session, SYSTEM, [first.id])[0].address
    assert session.get_one(Citizen, first.citizen_id).address_detail == "Số 7 đường Lý Thái Tổ"


def test_an_unchanged_person_shares_one_version(session: Session) -> None:
    first = _visit(session, OLD_ADDRESS, local(2026, 3, 2))
    second = _visit(session, OLD_ADDRESS, local(2026, 3, 9), citizen_id=first.citizen_id)
    ids = session.scalars(select(Visit.citizen_version_id).where(Visit.id.in_([first.id, second.id])))
    assert len(set(ids)) == 1
    assert session.scalar(select(func.count()).select_from(CitizenVersion)) == 1
