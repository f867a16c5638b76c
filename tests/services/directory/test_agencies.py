"""The directory of competent bodies: seeded for the office's province, idempotent, editable."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AdminUnit, Agency
from app.models.enums import AdminLevel, AgencyLevel
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.directory import agencies
from tests.petition_builders import HANDLER


def test_seed_covers_central_province_and_every_commune(session: Session) -> None:
    added = agencies.ensure_seeded(session)
    communes = session.scalar(
        select(func.count())
        .select_from(AdminUnit)
        .where(AdminUnit.parent_code == "24", AdminUnit.level == AdminLevel.COMMUNE)
    )
    assert communes and communes > 50
    names = {a.name for a in agencies.list_agencies(session)}
    for expected in (
        "Thanh tra Chính phủ",
        "Ban Tiếp công dân Trung ương",
        "Bộ Nông nghiệp và Môi trường",
        "Bộ Công an",
        "Tòa án nhân dân tối cao",
        "Viện kiểm sát nhân dân tối cao",
        "Ủy ban nhân dân tỉnh Bắc Ninh",
        "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh",
        "Sở Xây dựng tỉnh Bắc Ninh",
        "Thanh tra tỉnh Bắc Ninh",
        "Công an tỉnh Bắc Ninh",
        "Tòa án nhân dân tỉnh Bắc Ninh",
        "Viện kiểm sát nhân dân tỉnh Bắc Ninh",
    ):
        assert expected in names
    # The 2025 merger: no separate Ministry of Natural Resources and Environment any more.
    assert "Bộ Tài nguyên và Môi trường" not in names
    commune_rows = agencies.list_agencies(session, level=AgencyLevel.COMMUNE)
    assert len(commune_rows) == communes
    assert all(r.name.startswith("Ủy ban nhân dân ") for r in commune_rows)
    kinh_bac = [r for r in commune_rows if r.name == "Ủy ban nhân dân phường Kinh Bắc"]
    assert kinh_bac and kinh_bac[0].parent_id == agencies.province_committee(session).id  # type: ignore[union-attr]
    assert added == session.scalar(select(func.count()).select_from(Agency))


def test_seed_is_idempotent_and_keeps_office_edits(session: Session) -> None:
    agencies.ensure_seeded(session)
    before = session.scalar(select(func.count()).select_from(Agency))
    row = agencies.by_code(session, "P24.SXD")
    assert row is not None
    agencies.save_agency(
        session,
        SYSTEM,
        agencies.AgencyInput(name="Sở Xây dựng Bắc Ninh (mới)", level=row.level, kind="so", code=row.code),
        row.id,
    )
    # Forcing a reseed adds nothing and does not overwrite the edit.
    settings.put(session, agencies.SEEDED_FOR, "")
    assert agencies.ensure_seeded(session) == 0
    assert session.scalar(select(func.count()).select_from(Agency)) == before
    assert agencies.get_agency(session, row.id).name == "Sở Xây dựng Bắc Ninh (mới)"


def test_seed_for_another_province(session: Session) -> None:
    settings.put(session, settings.OFFICE_PROVINCE, "01")
    agencies.ensure_seeded(session)
    names = {a.name for a in agencies.list_agencies(session, text="ha noi")}
    assert "Ủy ban nhân dân thành phố Hà Nội" in names
    assert "Ủy ban Kiểm tra Thành ủy Hà Nội" in names


def test_add_edit_deactivate(session: Session) -> None:
    saved = agencies.save_agency(
        session,
        SYSTEM,
        agencies.AgencyInput(name="  Ban Quản lý các khu công nghiệp  ", level=AgencyLevel.DEPARTMENT, kind="khac"),
    )
    assert saved.name == "Ban Quản lý các khu công nghiệp"
    assert any(r.id == saved.id for r in agencies.list_agencies(session, text="khu cong nghiep"))
    agencies.set_active(session, SYSTEM, saved.id, False)
    assert not any(r.id == saved.id for r in agencies.list_agencies(session, text="khu cong nghiep"))
    assert any(r.id == saved.id for r in agencies.list_agencies(session, text="khu cong nghiep", include_inactive=True))
    with pytest.raises(ValidationError) as err:
        agencies.save_agency(session, SYSTEM, agencies.AgencyInput(name="", level=AgencyLevel.OTHER, code="P24.UBND"))
    assert set(err.value.fields) == {"name", "code"}
    with pytest.raises(PermissionDenied):
        agencies.save_agency(session, HANDLER, agencies.AgencyInput(name="X", level=AgencyLevel.OTHER))


def test_commune_agency_name() -> None:
    assert agencies.commune_agency_name("Xã Đại Sơn") == "Ủy ban nhân dân xã Đại Sơn"
    assert agencies.commune_agency_name("Đặc khu Côn Đảo") == "Ủy ban nhân dân đặc khu Côn Đảo"
