"""Filed petitions are kept at least a year (a setting with its source); then they are listed, exported,
and marked disposed of with the minutes, audited; the petition row stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli import main
from app.db import Database
from app.models import AuditEntry, Petition, PetitionDisposal
from app.models.enums import HandlingAction, MatterKind, PetitionStatus
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from app.services.common import settings
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.records import retention
from tests.petition_builders import CLERK, HANDLER, LEAD, register

D = dt.date


def _filed(session: Session, filed_on: D, **kwargs: object) -> int:
    saved = register(session, received_on=filed_on - dt.timedelta(days=3), **kwargs)
    actions.perform(
        session,
        HANDLER,
        saved.id,
        ActionInput(HandlingAction.FILE, on=filed_on, reason="Đơn không ký tên, không rõ địa chỉ"),
        today=filed_on,
    )
    return saved.id


def test_the_rule_is_a_setting_with_its_source(session: Session) -> None:
    rule = retention.rule(session)
    assert rule.years == 1 and "Thông tư 05/2021/TT-TTCP" in rule.source and rule.to_confirm
    assert rule.text() == "Đơn lưu được giữ ít nhất 1 năm kể từ ngày lưu (Thông tư 05/2021/TT-TTCP)."
    settings.put(session, settings.FILED_RETENTION, {"years": 0})
    with pytest.raises(ValidationError, match="từ 1 trở lên"):
        retention.rule(session)


def test_kept_until_is_the_same_day_a_year_later() -> None:
    assert retention.kept_until(D(2025, 3, 10), 1) == D(2026, 3, 10)
    assert retention.kept_until(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_only_filed_petitions_past_their_retention_are_listed(session: Session) -> None:
    old = _filed(session, D(2025, 3, 10))
    _filed(session, D(2025, 12, 1), summary="Đơn lưu gần đây, chưa hết hạn")
    register(session, received_on=D(2025, 1, 2), summary="Đơn chưa xử lý")  # not filed: never listed
    assert [p.id for p in retention.expired(session, HANDLER, D(2026, 3, 10))] == []  # the last day still kept
    [row] = retention.expired(session, HANDLER, D(2026, 3, 11))
    assert row.id == old and row.filed_on == D(2025, 3, 10) and row.kept_until == D(2026, 3, 10)
    assert row.reason == "Đơn không ký tên, không rõ địa chỉ" and row.sender == "Nguyễn Văn Dũng"
    settings.put(session, settings.FILED_RETENTION, {"years": 2, "source": "Quy chế lưu trữ của cơ quan"})
    assert retention.expired(session, HANDLER, D(2026, 3, 11)) == []


def test_a_denouncer_stays_masked_in_the_list(session: Session) -> None:
    _filed(session, D(2025, 1, 6), kind=MatterKind.DENUNCIATION, name="Hoàng Văn Tố")
    [row] = retention.expired(session, HANDLER, D(2026, 6, 1))
    assert "Hoàng Văn Tố" not in row.sender
    [seen] = retention.expired(session, LEAD, D(2026, 6, 1))
    assert seen.sender == "Hoàng Văn Tố"


def test_marking_disposed_is_audited_keeps_the_petition_and_leaves_the_list(session: Session) -> None:
    old = _filed(session, D(2025, 3, 10))
    recent = _filed(session, D(2025, 12, 1))
    with pytest.raises(ValidationError) as err:
        retention.mark_disposed(session, HANDLER, [old, recent], disposed_on=D(2026, 4, 1), minutes_ref=" ")
    assert set(err.value.fields) == {"minutes_ref", "petitions"}
    number = session.get(Petition, recent).reg_seq  # type: ignore[union-attr]
    assert (
        f"Đơn số {number}/" in err.value.fields["petitions"]
        and "chưa hết thời hạn lưu" in err.value.fields["petitions"]
    )
    assert session.scalars(select(PetitionDisposal)).all() == []

    assert (
        retention.mark_disposed(
            session, HANDLER, [old], disposed_on=D(2026, 4, 1), minutes_ref="Biên bản số 03/BB-HĐ ngày 01/4/2026"
        )
        == 1
    )
    [disposal] = session.scalars(select(PetitionDisposal)).all()
    assert disposal.petition_id == old and disposal.disposed_on == D(2026, 4, 1)
    petition = session.get(Petition, old)
    assert petition is not None and petition.status == PetitionStatus.FILED and petition.deleted_at is None
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "dispose")).one()
    assert entry.entity == "petition" and entry.entity_id == str(old) and "03/BB-HĐ" in (entry.reason or "")
    assert retention.expired(session, HANDLER, D(2026, 12, 31)) != []  # the recent one, by then
    assert old not in [p.id for p in retention.expired(session, HANDLER, D(2026, 12, 31))]
    with pytest.raises(ValidationError, match="đã ghi tiêu hủy"):
        retention.mark_disposed(session, HANDLER, [old], disposed_on=D(2026, 4, 2), minutes_ref="Biên bản số 04")


def test_a_clerk_may_not_list_or_dispose(session: Session) -> None:
    with pytest.raises(PermissionDenied):
        retention.expired(session, CLERK)


def test_the_export_reads_back_as_text_never_as_a_formula(session: Session, tmp_path: Path) -> None:
    _filed(session, D(2025, 2, 3), summary='=HYPERLINK("http://x") đơn trùng')
    target = tmp_path / "don_luu.xlsx"
    assert retention.export_xlsx(session, HANDLER, target, D(2026, 5, 4)) == 1
    ws = openpyxl.load_workbook(target).active
    assert ws is not None
    assert ws["A1"].value == "DANH SÁCH ĐƠN LƯU ĐÃ HẾT THỜI HẠN LƯU (tính đến ngày 04/05/2026)"
    assert [c.value for c in ws[4]] == list(retention.HEADERS)
    row = [c.value for c in ws[5]]
    assert row[3:5] == ["03/02/2025", "03/02/2026"]
    summary = ws.cell(row=5, column=8)
    assert summary.value == '=HYPERLINK("http://x") đơn trùng' and summary.data_type == "s" and summary.quotePrefix


def test_the_command_line_lists_and_writes_the_file(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.transaction() as session:
        _filed(session, D(2025, 2, 3))
    target = tmp_path / "het_han.xlsx"
    code = main(["petition", "retention", "--db", db.url, "--as-of", "04/05/2026", "-o", str(target)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "03/02/2025" in out and "03/02/2026" in out
    assert "— 1 đơn lưu đã hết thời hạn lưu" in out and str(target) in out
    assert openpyxl.load_workbook(target).active.max_row == 5  # type: ignore[union-attr]
