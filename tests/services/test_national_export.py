"""National-database export (Nghị định 55/2022): schema, masking per role, change marks, xlsx."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry, NationalExportMark, Petition
from app.models.enums import HandlingAction, MatterKind, PetitionSource
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.records import national
from app.services.records.national import NationalSpec
from app.services.security.confidential import MASK
from tests.petition_builders import CLERK, HANDLER, LEAD, TODAY, classify, register

SPEC = NationalSpec(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
DENOUNCER = "Hoàng Thị Tố"
COMPLAINANT = "Nguyễn Văn Dũng"


def seed(session: Session) -> dict[str, int]:
    """An accepted complaint, a forwarded denunciation, an anonymous reflection; one petition out of period."""
    complaint = register(session, name=COMPLAINANT, id_number="024085001234")
    classify(session, complaint.id)
    actions.perform(
        session, HANDLER, complaint.id, ActionInput(HandlingAction.ACCEPT, on=dt.date(2026, 3, 10)), today=TODAY
    )
    denunciation = register(
        session,
        kind=MatterKind.DENUNCIATION,
        name=DENOUNCER,
        id_number="024190004321",
        summary="Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục",
        respondent_name="Ông Trần Văn Bị, cán bộ địa chính",
    )
    reflection = register(
        session,
        kind=MatterKind.REFLECTION,
        name=None,
        is_anonymous=True,
        source=PetitionSource.ONLINE,
        summary='=HYPERLINK("http://x") phản ánh đèn đường hỏng',
    )
    register(session, received_on=dt.date(2026, 2, 4), name="Người Ngoài Kỳ", summary="Đơn nhận tháng 2")
    session.commit()
    return {"complaint": complaint.id, "denunciation": denunciation.id, "reflection": reflection.id}


def validator() -> jsonschema.Draft202012Validator:
    schema = national.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def export_json(session: Session, actor: Any, path: Path, spec: NationalSpec = SPEC) -> dict[str, Any]:
    national.export_national(session, actor, spec, path)
    session.commit()
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def people_of(data: dict[str, Any], summary_start: str) -> list[dict[str, Any]]:
    (record,) = [r for r in data["records"] if r["case"]["summary"].startswith(summary_start)]
    return list(record["petitioners"]["people"])


def test_json_validates_against_schema_and_covers_the_period(session: Session, tmp_path: Path) -> None:
    ids = seed(session)
    data = export_json(session, HANDLER, tmp_path / "vu_viec.json")
    errors = sorted(validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert data["counts"] == {"new": 3, "changed": 0, "unchanged": 0, "exported": 3}
    by_summary = {r["case"]["summary"][:8]: r for r in data["records"]}
    complaint = by_summary["Khiếu nạ"]
    assert complaint["classification"]["code"].startswith("khieu_nai/")
    assert complaint["classification"]["code"].endswith("HC_DD")
    assert complaint["acceptance"]["accepted"] is True
    assert complaint["acceptance"]["accepted_on"] == "2026-03-10"
    assert complaint["acceptance"]["direction"] == "thu_ly"
    assert {d["type"] for d in complaint["documents"]} >= {"thong_bao_thu_ly"}
    assert complaint["record_id"].endswith(f"-2026-{session.get(Petition, ids['complaint']).reg_seq:06d}")  # type: ignore[union-attr]
    reflection = by_summary["=HYPERLI"]
    assert reflection["petitioners"]["anonymous"] is True and reflection["petitioners"]["people"] == []
    assert reflection["source"]["channel"] == "truc_tuyen"


def test_schema_describes_every_field_in_vietnamese() -> None:
    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                assert prop.get("title") and prop.get("description"), f"{where}.{name}"
                walk(prop, f"{where}.{name}")
            for name, sub in node.get("$defs", {}).items():
                walk(sub, f"$defs.{name}")

    walk(national.schema(), "")


def test_masking_per_role(session: Session, tmp_path: Path) -> None:
    seed(session)
    handler = export_json(session, HANDLER, tmp_path / "xuly.json")
    (denouncer,) = people_of(handler, "Tố cáo")
    assert denouncer["full_name"] == MASK and denouncer["id_number"] is None and denouncer["address"] is None
    assert denouncer["commune_code"] is None and denouncer["gender"] is None and denouncer["province_code"] is None
    assert denouncer["confidential"] is True and denouncer["identity"] == "masked"
    (complainant,) = people_of(handler, "Khiếu nại")
    assert complainant["full_name"] == COMPLAINANT and complainant["id_number"] == "024085001234"
    assert complainant["identity"] == "included"
    assert DENOUNCER not in (tmp_path / "xuly.json").read_text(encoding="utf-8")

    lead = export_json(session, LEAD, tmp_path / "lanhdao.json")
    (denouncer,) = people_of(lead, "Tố cáo")
    assert denouncer["full_name"] == DENOUNCER and denouncer["identity"] == "included"

    masked = export_json(session, LEAD, tmp_path / "che.json", NationalSpec(SPEC.date_from, SPEC.date_to, mask=True))
    assert masked["identities"] == "masked"
    for record in masked["records"]:
        for person in record["petitioners"]["people"]:
            assert person["full_name"] == MASK and person["id_number"] is None
    text = (tmp_path / "che.json").read_text(encoding="utf-8")
    assert COMPLAINANT not in text and DENOUNCER not in text
    assert not list(validator().iter_errors(masked))

    entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "national_cases")).all()
    assert len(entries) == 3
    assert {e.username for e in entries} == {HANDLER.username, LEAD.username}


def test_clerk_may_not_export(session: Session, tmp_path: Path) -> None:
    seed(session)
    with pytest.raises(PermissionDenied):
        national.export_national(session, CLERK, SPEC, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_bad_suffix_and_period_are_refused(session: Session, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as bad:
        national.export_national(session, HANDLER, SPEC, tmp_path / "x.csv")
    assert "output" in bad.value.fields
    with pytest.raises(ValidationError) as order:
        national.export_national(
            session, HANDLER, NationalSpec(dt.date(2026, 3, 5), dt.date(2026, 3, 1)), tmp_path / "x.json"
        )
    assert "period" in order.value.fields


def test_changed_only_marks(session: Session, tmp_path: Path) -> None:
    ids = seed(session)
    first = export_json(session, HANDLER, tmp_path / "lan1.json")
    assert {r["change"] for r in first["records"]} == {"new"}
    assert session.scalar(select(func.count()).select_from(NationalExportMark)) == 3

    same = export_json(session, HANDLER, tmp_path / "lan2.json", NationalSpec(SPEC.date_from, SPEC.date_to, True))
    assert same["counts"] == {"new": 0, "changed": 0, "unchanged": 3, "exported": 0}
    assert same["records"] == []

    # The complaint is taken further, and a new petition arrives: only those two go out.
    petition = session.get(Petition, ids["complaint"])
    assert petition is not None
    petition.respondent_name = "UBND phường Kinh Bắc"
    register(session, received_on=dt.date(2026, 3, 18), name="Lê Văn Mới", summary="Kiến nghị sửa đường thôn")
    session.commit()

    changed = export_json(session, HANDLER, tmp_path / "lan3.json", NationalSpec(SPEC.date_from, SPEC.date_to, True))
    assert changed["counts"] == {"new": 1, "changed": 1, "unchanged": 2, "exported": 2}
    kinds = {r["case"]["summary"][:9]: (r["change"], r["revision"]) for r in changed["records"]}
    assert kinds == {"Khiếu nại": ("changed", 2), "Kiến nghị": ("new", 1)}
    mark = session.scalar(select(NationalExportMark).where(NationalExportMark.petition_id == ids["complaint"]))
    assert mark is not None and mark.revision == 2
    assert national.changes(session, HANDLER, SPEC) == {"new": 0, "changed": 0, "unchanged": 4}


def test_marks_do_not_depend_on_masking(session: Session, tmp_path: Path) -> None:
    seed(session)
    export_json(session, LEAD, tmp_path / "a.json")
    masked = export_json(session, HANDLER, tmp_path / "b.json", NationalSpec(SPEC.date_from, SPEC.date_to, True, True))
    assert masked["counts"]["unchanged"] == 3 and masked["records"] == []


def test_xlsx_read_back_without_formula_cells(session: Session, tmp_path: Path) -> None:
    seed(session)
    path = tmp_path / "vu_viec.xlsx"
    result = national.export_national(session, HANDLER, SPEC, path)
    session.commit()
    assert result.exported == 3 and result.new == 3
    wb = load_workbook(path)
    assert wb.sheetnames == ["Hồ sơ vụ việc", "Người đứng đơn", "Văn bản", "Thông tin tệp"]
    ws = wb["Hồ sơ vụ việc"]
    titles = [c.value for c in ws[2]]
    fields = national.record_fields()
    assert titles == [f.title for f in fields]
    assert ws.max_row == 2 + 3
    entry = titles.index("Ngày tiếp nhận") + 1
    assert all(ws.cell(row=r, column=entry).is_date for r in range(3, 6))
    assert ws.cell(row=3, column=entry).number_format == "DD/MM/YYYY"
    summaries = [ws.cell(row=r, column=titles.index("Tóm tắt nội dung") + 1) for r in range(3, 6)]
    risky = [c for c in summaries if str(c.value).startswith("=")]
    assert len(risky) == 1 and risky[0].data_type == "s" and risky[0].quotePrefix
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
    people = wb["Người đứng đơn"]
    names = [people.cell(row=r, column=[c.value for c in people[2]].index("Họ và tên") + 1).value for r in range(3, 5)]
    assert sorted(names) == sorted([COMPLAINANT, MASK])
    facts = {r[0].value: r[1].value for r in wb["Thông tin tệp"].iter_rows(min_row=3) if r[0].value}
    assert facts["Hồ sơ mới"] == "3" and facts["Kỳ dữ liệu"] == "Từ 01/03/2026 đến 31/03/2026"
