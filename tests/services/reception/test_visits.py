from __future__ import annotations

import dataclasses
import json
import unicodedata

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Citizen, Visit
from app.models.enums import MatterKind, ReceptionKind
from app.services.common.actor import SYSTEM
from app.services.common.errors import ValidationError
from app.services.reception import citizens, visits
from app.services.reception.citizens import CitizenInput
from app.services.security import audit
from tests.helpers import add_visit, local, visit_input


def test_register_visit_stores_nfc_and_is_audited(session: Session) -> None:
    saved = add_visit(session, name=unicodedata.normalize("NFD", "Nguyễn Văn Dũng"))
    visit = session.get(Visit, saved.id)
    assert visit is not None
    assert visit.citizen.full_name == "Nguyễn Văn Dũng"
    assert unicodedata.is_normalized("NFC", visit.citizen.full_name)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "visit")).one()
    assert entry.action == "create" and entry.entity_id == str(saved.id)


def test_search_is_tone_insensitive_and_folds_d(session: Session) -> None:
    add_visit(session, name="Nguyễn Văn Dũng", id_number="024085001234")
    add_visit(session, name="Đặng Thị Đào", id_number="024185001235")
    add_visit(session, name="Trần Đức Hưng", id_number=None)

    def names(q: str) -> list[str]:
        return sorted(m.full_name for m in citizens.find_returning(session, q))

    assert names("nguyen van dung") == ["Nguyễn Văn Dũng"]
    assert names("dang") == ["Đặng Thị Đào"]
    assert names("đặng") == ["Đặng Thị Đào"]
    assert names(unicodedata.normalize("NFD", "Đặng Thị")) == ["Đặng Thị Đào"]
    assert names("duc hu") == ["Trần Đức Hưng"]
    assert names("hung tran") == ["Trần Đức Hưng"]
    assert names("ung") == []  # a word matches from its start only (FTS5 on SQLite, a regex on PostgreSQL)
    assert names("024 185 001 235") == ["Đặng Thị Đào"]
    assert names("0241") == []  # a partial number never lists anyone


def test_same_cccd_reuses_the_citizen(session: Session) -> None:
    first = add_visit(session, name="Lê Thị Hồng Nhung", id_number="024185001111")
    second = add_visit(session, name="Lê Thị Hồng Nhung", id_number="024.185.001.111")
    assert first.citizen_id == second.citizen_id
    assert session.scalar(select(Citizen).where(Citizen.id == first.citizen_id)) is not None
    match = citizens.find_returning(session, "hong nhung")[0]
    assert match.visit_count == 2 and len(match.last_visits) == 2


def test_invalid_input_lists_every_bad_field(session: Session) -> None:
    data = visits.VisitInput(
        reception_kind=ReceptionKind.PERIODIC,
        citizen=CitizenInput(full_name=" ", id_number="12345", birth_year=1800, phone="abc"),
        summary="",
        matter_kind=MatterKind.COMPLAINT,
        outcome=visits.VisitOutcome.GUIDED,
        field_code="DD",  # not a catalogue code (typed into an imported or scripted input)
    )
    with pytest.raises(ValidationError) as err:
        visits.register_visit(session, SYSTEM, data)
    fields = err.value.fields
    assert set(fields) == {
        "citizen.full_name",
        "citizen.id_number",
        "citizen.birth_year",
        "citizen.phone",
        "summary",
        "leader_name",
        "field_code",
    }
    assert "12 chữ số" in fields["citizen.id_number"]
    assert fields["field_code"] == "Lĩnh vực không có trong danh mục."
    assert session.scalar(select(Visit.id)) is None


def test_crowd_rules(session: Session) -> None:
    with pytest.raises(ValidationError) as err:
        visits.register_visit(session, SYSTEM, visit_input(head_count=3, is_crowd=True))
    assert "5 người" in err.value.fields["head_count"]
    reps = tuple(CitizenInput(full_name=f"Người đại diện {i}") for i in range(6))
    # Too many representatives is a warning with the law (Luật Tiếp công dân Điều 30), never a refusal.
    many = visits.register_visit(session, SYSTEM, visit_input(head_count=30, representatives=reps))
    assert any("không quá 5 người đại diện" in w for w in many.warnings)
    saved = visits.register_visit(session, SYSTEM, visit_input(head_count=12, representatives=reps[:3]))
    visit = session.get(Visit, saved.id)
    assert visit is not None and visit.is_crowd and len(visit.participants) == 3


def test_commune_must_belong_to_province(session: Session) -> None:
    data = visit_input()
    bad = visits.VisitInput(
        **{
            **data.__dict__,
            "citizen": CitizenInput(full_name="Phạm Quốc Việt", province_code="24", commune_code="00070"),
        }
    )  # Hoàn Kiếm is in Hà Nội
    with pytest.raises(ValidationError) as err:
        visits.register_visit(session, SYSTEM, bad)
    assert "không thuộc" in err.value.fields["citizen.commune_code"]


def test_cccd_inference_warns_but_saves(session: Session) -> None:
    saved = visits.register_visit(session, SYSTEM, visit_input(id_number="024185009999"))  # female digit, 1985
    assert any("Giới tính" in w for w in saved.warnings)


def test_update_records_before_and_after(session: Session) -> None:
    saved = add_visit(session, summary="Phản ánh ô nhiễm tiếng ồn")
    data = visits.visit_input(session, SYSTEM, saved.id)
    changed = visits.VisitInput(**{**data.__dict__, "summary": "Phản ánh ô nhiễm khói bụi"})
    visits.update_visit(session, SYSTEM, saved.id, changed)
    session.commit()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert json.loads(entry.before_json or "{}") == {"summary": "Phản ánh ô nhiễm tiếng ồn"}
    assert json.loads(entry.after_json or "{}") == {"summary": "Phản ánh ô nhiễm khói bụi"}
    assert audit.verify_chain(session).broken_at is None


def test_list_filters_and_sorts_in_sql(session: Session) -> None:
    a = add_visit(session, name="An", received_at=local(2026, 3, 1), kind=MatterKind.COMPLAINT)
    b = add_visit(
        session,
        name="Bình",
        id_number=None,
        received_at=local(2026, 3, 2),
        kind=MatterKind.DENUNCIATION,
        summary="Tố cáo cán bộ địa chính",
    )
    c = add_visit(session, name="Chi", id_number=None, received_at=local(2026, 4, 1), kind=MatterKind.REFLECTION)
    assert list(visits.visit_ids(session, visits.VisitFilter())) == [c.id, b.id, a.id]
    march = visits.VisitFilter(date_from=local(2026, 3, 1).date(), date_to=local(2026, 3, 31).date())
    assert list(visits.visit_ids(session, march, descending=False)) == [a.id, b.id]
    assert list(visits.visit_ids(session, visits.VisitFilter(matter_kind=MatterKind.DENUNCIATION))) == [b.id]
    assert list(visits.visit_ids(session, visits.VisitFilter(text="dia chinh"))) == [b.id]
    # A denouncer (b) has no search key, so sorting by name cannot reveal the name: it sorts first.
    assert list(visits.visit_ids(session, visits.VisitFilter(), sort="citizen", descending=False)) == [b.id, a.id, c.id]
    rows = visits.visit_rows(session, SYSTEM, [c.id, a.id])
    assert [r.citizen_name for r in rows] == ["Chi", "An"]


def test_soft_delete_needs_a_reason_and_hides_the_visit(session: Session) -> None:
    saved = add_visit(session)
    with pytest.raises(ValidationError):
        visits.delete_visit(session, SYSTEM, saved.id, " ")
    visits.delete_visit(session, SYSTEM, saved.id, "Nhập trùng")
    session.commit()
    assert list(visits.visit_ids(session, visits.VisitFilter())) == []
    assert session.get(Visit, saved.id) is not None


def test_denouncer_is_kept_apart_and_masked_for_clerks(session: Session) -> None:
    from app.models.enums import Role
    from app.services.common.actor import Actor
    from app.services.security.confidential import MASK

    ordinary = add_visit(session, name="Võ Thị Sáu", id_number="024185002222", kind=MatterKind.COMPLAINT)
    secret = add_visit(
        session,
        name="Võ Thị Sáu",
        id_number="024185002222",
        kind=MatterKind.DENUNCIATION,
        summary="Tố cáo cán bộ nhận hối lộ",
    )
    assert ordinary.citizen_id != secret.citizen_id
    # The panel never offers the denouncer's record.
    assert [m.id for m in citizens.find_returning(session, "vo thi sau")] == [ordinary.citizen_id]
    clerk = Actor(user_id=None, username="tiepdan1", full_name="Cán bộ tiếp", role=Role.CLERK)
    rows = {r.id: r for r in visits.visit_rows(session, clerk, [ordinary.id, secret.id])}
    assert rows[secret.id].citizen_name == MASK and rows[secret.id].id_number == MASK
    assert rows[ordinary.id].citizen_name == "Võ Thị Sáu"
    assert visits.visit_rows(session, SYSTEM, [secret.id])[0].citizen_name == "Võ Thị Sáu"
    # The correction form's data carries the person unmasked: refused to the clerk.
    from app.services.common.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="bảo mật"):
        visits.visit_input(session, clerk, secret.id)
    assert visits.visit_input(session, clerk, ordinary.id).citizen.full_name == "Võ Thị Sáu"


def test_long_text_is_kept_whole_on_every_database(session: Session) -> None:
    """Column lengths are nominal (SQLite never enforces them): PostgreSQL must not refuse what SQLite keeps."""
    officer = "Cán bộ tiếp công dân " * 10  # 210 characters, more than the column's nominal 120
    saved = add_visit(session, officer_name=officer)
    visit = session.get(Visit, saved.id)
    assert visit is not None and visit.officer_name == officer.strip()


def test_found_by_name_the_panel_shows_only_the_last_digits_of_the_cccd_and_phone(session: Session) -> None:
    entry = visit_input("Hà Văn Khoa", id_number="024085009876")
    entry = dataclasses.replace(entry, citizen=dataclasses.replace(entry.citizen, phone="0912345678"))
    visits.register_visit(session, SYSTEM, entry)
    by_name = citizens.find_returning(session, "ha van khoa")[0]
    assert by_name.id_number == "••••••••9876"
    assert by_name.phone == "•••••••678"
    # Typed in full by the clerk, the number is shown as typed.
    by_number = citizens.find_returning(session, "024085009876")[0]
    assert by_number.id_number == "024085009876"
    assert by_number.phone == "0912345678"
