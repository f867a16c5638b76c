"""Upward reporting: 30 communes export signed packages, the province imports, tracks and consolidates them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AdminUnit, AuditEntry, Citizen, ReceivedPackage
from app.models.enums import AdminLevel
from app.services.common import catalogues, settings
from app.services.common.actor import SYSTEM
from app.services.common.errors import ValidationError
from app.services.reports import engine, forms, periods
from app.services.security.crypto import DataKey
from app.services.upward import consolidate, package, receive, signing, tracker, units
from app.services.upward.receive import Outcome
from tests import upward_data as ud
from tests.keyring_memory import memory_keyring

N_UNITS = 30
TAMPERED = 7  # index of the unit whose package is altered on the way
RESENT = 3  # index of the unit that sends a corrected package
LATE = 11  # index of the unit whose package arrives after the due date


@dataclass
class Province:
    units: list[ud.UnitPackage]
    resent: ud.UnitPackage
    offices: ud.Offices


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Province:
    """30 communes of Bắc Ninh, each its own database with demo data, each with its exported package;
    one of them also exports a corrected package later."""
    from app.db import Database

    folder = tmp_path_factory.mktemp("communes")
    reference = Database(f"sqlite:///{folder / 'catalogue.sqlite3'}", unlock=False)
    with reference.session() as session:
        communes = session.execute(
            select(AdminUnit.code, AdminUnit.name)
            .where(AdminUnit.parent_code == "24", AdminUnit.level == AdminLevel.COMMUNE)
            .order_by(AdminUnit.code)
            .limit(N_UNITS)
        ).all()
    reference.dispose()
    offices, made = ud.make_units(folder, [(c, n) for c, n in communes])
    unit = made[RESENT]
    with offices.keys():
        # The same office adds the visits it had forgotten and sends its package again.
        resent = offices.export(unit.db_file, unit.code, unit.name, visits=15, seed=99, suffix="_gui_lai")
    return Province(made, resent, offices)


@pytest.fixture
def upper(session: Session, province: Province) -> Iterator[Session]:
    """The province's office with the 30 communes declared."""
    units.declare(session, SYSTEM, [u.code for u in province.units])
    yield session


def _import(session: Session, paths: list[Path], **kwargs: object) -> list[receive.ImportResult]:
    return receive.import_many(session, SYSTEM, paths, now=ud.ON_TIME, **kwargs)  # type: ignore[arg-type]


def _tampered(province: Province, folder: Path) -> Path:
    source = province.units[TAMPERED].path
    return ud.rewrite_member(source, folder / source.name, package.DATA, ud.bump_first_figure)


def _inbox(province: Province, folder: Path) -> Path:
    """The folder the province received: every package, one of them altered on the way."""
    inbox = folder / "inbox"
    inbox.mkdir()
    for n, unit in enumerate(province.units):
        if n == TAMPERED:
            _tampered(province, inbox)
        elif n != LATE:
            (inbox / unit.path.name).write_bytes(unit.path.read_bytes())
    return inbox


def test_thirty_units_import_track_and_consolidate(upper: Session, province: Province, tmp_path: Path) -> None:
    session = upper
    results = _import(session, [_inbox(province, tmp_path)])
    assert len(results) == N_UNITS - 1
    refused = [r for r in results if not r.accepted]
    assert [r.unit_code for r in refused] == [province.units[TAMPERED].code]
    assert refused[0].outcome == Outcome.REFUSED and "Chữ ký số không khớp" in refused[0].message
    late_at = dt.datetime(2026, 9, 25, 9, 0, tzinfo=LOCAL_TZ)
    [late] = receive.import_many(session, SYSTEM, [province.units[LATE].path], now=late_at)
    assert late.outcome == Outcome.IMPORTED

    # The corrected package of one unit replaces its first one.
    [resent] = _import(session, [province.resent.path])
    assert resent.outcome == Outcome.REPLACED and "được thay thế" in resent.message
    assert session.scalar(select(func.count()).select_from(ReceivedPackage)) == N_UNITS  # 29 + the re-sent
    entries = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "report_package"))
    assert {"import", "replace"} <= set(entries)

    board = tracker.tracker(session, SYSTEM, ud.QUARTER, today=dt.date(2026, 9, 30))
    by_code = {r.code: r for r in board.rows}
    assert [r.code for r in board.missing] == [province.units[TAMPERED].code]
    assert by_code[province.units[LATE].code].status == tracker.Status.LATE
    assert by_code[province.units[LATE].code].days_late == 6
    assert by_code[province.resent.code].replaced == 1
    assert board.count(tracker.Status.SENT) == N_UNITS - 2
    assert "1 chưa gửi" in board.summary()

    # Every consolidated figure is the sum of the units' own figures, and drills down to them.
    expected = {u.code: u.values for n, u in enumerate(province.units) if n not in (TAMPERED, RESENT)}
    expected[province.resent.code] = province.resent.values
    names = {u.code: u.name for u in province.units}
    result = consolidate.consolidate(session, SYSTEM, ud.QUARTER)
    assert [c.grid.form.code for c in result] == [f.code for f in forms.all_forms("2024")]
    assert all(c.missing == (province.units[TAMPERED].name,) for c in result)
    checked = 0
    for c in result:
        grid = c.grid
        code = grid.form.code
        assert len(grid.row_labels) == N_UNITS - 1 + 1 and grid.row_labels[-1] == "Tổng cộng"
        rows_by_name = {label: i for i, label in enumerate(grid.row_labels)}
        for unit_code, values in expected.items():
            assert list(grid.values[rows_by_name[names[unit_code]]]) == values[code][0]
        total_row = c.total_rows[0]
        for col in range(len(grid.leaves)):
            total = sum(values[code][0][col] for values in expected.values())
            assert grid.values[total_row][col] == pytest.approx(total)
            found = consolidate.figure_sources(c, total_row, col)
            assert found.parts_sum == pytest.approx(found.value)
            assert {p.name: p.value for p in found.parts} == {names[u]: v[code][0][col] for u, v in expected.items()}
            checked += 1
        # A unit's figure drills down to that unit alone.
        one = consolidate.figure_sources(c, 0, 0)
        assert [p.name for p in one.parts] == [grid.row_labels[0]] and one.value == grid.values[0][0]
    assert checked == sum(len(package.structure(f).paths) for f in forms.all_forms("2024"))
    assert sum(result[0].grid.values[-1]) > 0  # the demo data reaches the quarter


def test_tampered_workbook_or_unknown_unit_is_refused_with_nothing_kept(
    upper: Session, province: Province, tmp_path: Path
) -> None:
    source = province.units[0].path
    workbook = ud.rewrite_member(source, tmp_path / "so_lieu_sua.tdbc", package.WORKBOOK, lambda b: b + b"\0")
    broken = tmp_path / "khong_phai_goi.tdbc"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    results = _import(upper, [workbook, broken])
    assert [r.outcome for r in results] == [Outcome.REFUSED, Outcome.REFUSED]
    assert "Chữ ký số không khớp" in results[0].message
    assert "không phải gói báo cáo TiếpDân" in results[1].message
    units.set_active(upper, SYSTEM, units.by_code(upper, province.units[1].code).id, False)  # type: ignore[union-attr]
    [undeclared] = _import(upper, [province.units[1].path])
    assert undeclared.outcome == Outcome.REFUSED and "chưa được khai báo" in undeclared.message
    assert upper.scalar(select(func.count()).select_from(ReceivedPackage)) == 0
    unit = units.by_code(upper, province.units[0].code)
    assert unit is not None and unit.public_key is None  # a refused package pins nothing


def _signed_package(
    path: Path,
    unit: str,
    values: dict[str, list[list[float | int]]],
    period_kind: str = "quarter",
    version: str = "2024",
) -> Path:
    key = signing.key_from_data_key(DataKey.generate())
    period = ud.QUARTER
    forms_data = [
        {"code": code, "title": code, "columns": [], "rows": ["x"], "values": rows} for code, rows in values.items()
    ]
    data = package.data_bytes(
        unit=unit,
        body="UBND XÃ THỬ",
        governing_body="UBND TỈNH BẮC NINH",
        period=period if period_kind == "quarter" else periods.custom(period.start, period.end),
        version=version,
        made_at=ud.DEMO_NOW,
        forms=forms_data,
        workbook_sha256=hashlib.sha256(b"xlsx").hexdigest(),
    )
    path.write_bytes(package.zip_bytes(data, package.signature_bytes(key, data), b"xlsx"))
    return path


def test_totals_version_and_period_are_checked_against_the_form_definitions(
    upper: Session, province: Province, tmp_path: Path
) -> None:
    unit = province.units[2]
    good = {code: [list(row) for row in rows] for code, rows in unit.values.items()}
    bad = {code: [list(row) for row in rows] for code, rows in good.items()}
    total, parts = package.structure(forms.get_form("XLD", "2024")).totals[0]
    bad["XLD"][0][total] = sum(bad["XLD"][0][p] for p in parts) + 1
    [refused] = _import(upper, [_signed_package(tmp_path / "tong_sai.tdbc", unit.code, bad)])
    assert refused.outcome == Outcome.REFUSED and "Số liệu không cộng đúng: biểu XLD, dòng 1, cột 1" in refused.message
    [old] = _import(upper, [_signed_package(tmp_path / "v2021.tdbc", unit.code, good, version="2021")])
    assert "bộ biểu 2021" in old.message and "theo bộ biểu 2024" in old.message
    [custom] = _import(upper, [_signed_package(tmp_path / "tu_chon.tdbc", unit.code, good, period_kind="custom")])
    assert "không phải kỳ báo cáo chính thức" in custom.message
    short = {code: rows for code, rows in good.items() if code != "KQTH"}
    [missing_form] = _import(upper, [_signed_package(tmp_path / "thieu.tdbc", unit.code, short)])
    assert "thiếu biểu KQTH" in missing_form.message
    assert _import(upper, [_signed_package(tmp_path / "ok.tdbc", unit.code, good)])[0].accepted


def test_a_changed_key_is_refused_until_accepted(upper: Session, province: Province) -> None:
    unit = province.units[5]
    assert _import(upper, [unit.path])[0].outcome == Outcome.IMPORTED
    with province.offices.keys():
        # The commune reinstalled without its recovery key: a new database, a new signing key.
        fresh = province.offices.office(unit.code, unit.name)
        again = province.offices.export(fresh, unit.code, unit.name, visits=10, seed=77, suffix="_may_moi")
    [changed] = _import(upper, [again.path])
    assert changed.outcome == Outcome.KEY_CHANGED and "Khóa ký của" in changed.message
    [accepted] = _import(upper, [again.path], accept_new_key=True)
    assert accepted.outcome == Outcome.REPLACED
    pinned = units.by_code(upper, unit.code)
    assert pinned is not None and pinned.public_key == package.read_package(again.path).public_key
    actions = upper.scalars(select(AuditEntry.action).where(AuditEntry.entity == "subordinate_unit"))
    assert "pin_key" in set(actions)


def test_the_same_file_twice_changes_nothing(upper: Session, province: Province) -> None:
    first, again = _import(upper, [province.units[0].path]), _import(upper, [province.units[0].path])
    assert first[0].outcome == Outcome.IMPORTED and again[0].outcome == Outcome.UNCHANGED
    assert receive.summary(first + again) == "Đã nhập 1 gói; 1 gói đã có, bỏ qua."


def test_structure_is_the_engines_for_every_form(session: Session) -> None:
    from app.services.reports.periods import quarter

    for version in forms.versions():
        for form in forms.all_forms(version):
            grid = engine.evaluate(session, form, quarter(2026, 3))
            shape = package.structure(form)
            assert shape.paths == tuple(leaf.path for leaf in grid.leaves), form.code
            assert shape.totals == grid.totals, form.code


def test_package_carries_figures_and_no_personal_data(province: Province) -> None:
    unit = province.units[0]
    from app.db import Database

    with memory_keyring():
        db = Database(f"sqlite:///{unit.db_file}", unlock=False)
        with db.session() as session:
            # Names are encrypted in the register; the plain ones are the demo's folded keys.
            folded = [n for (n,) in session.execute(select(Citizen.name_folded).limit(50)) if n]
        db.dispose()
    with zipfile.ZipFile(unit.path) as zf:
        data = zf.read(package.DATA).decode("utf-8")
        sheet_text = " ".join(
            str(c.value)
            for ws in load_workbook(io.BytesIO(zf.read(package.WORKBOOK))).worksheets
            for row in ws.iter_rows()
            for c in row
            if c.value is not None
        )
        signature = json.loads(zf.read(package.SIGNATURE))
    info = json.loads(data)
    assert info["office"]["unit_code"] == unit.code and info["form_version"] == "2024"
    assert info["period"] == {
        "start": "2026-06-15",
        "end": "2026-09-14",
        "kind": "quarter",
        "label": "Quý III năm 2026",
    }
    assert {f["code"]: f["values"] for f in info["forms"]} == unit.values
    assert signature["algorithm"] == "Ed25519"
    from app.services.common.text import fold

    assert len(folded) >= 10
    for name in folded:
        assert name not in fold(data) and name not in fold(sheet_text)


def test_consolidated_workbook_own_figures_and_reminder_letter(
    upper: Session, province: Province, tmp_path: Path
) -> None:
    _import(upper, [u.path for u in province.units[:4]])
    settings.put(upper, settings.OFFICE_NAME, "BAN TIẾP CÔNG DÂN TỈNH")
    result = consolidate.consolidate(upper, SYSTEM, ud.QUARTER, include_own=True)
    tcd = result[0]
    assert [s.kind for s in tcd.sources] == ["unit"] * 4 + ["own", "total"]
    assert tcd.grid.row_labels[4] == "BAN TIẾP CÔNG DÂN TỈNH"
    path = consolidate.save_xlsx(upper, SYSTEM, result, tmp_path / "tong_hop.xlsx", today=dt.date(2026, 9, 30))
    ws = load_workbook(path)["TCD"]
    labels = [
        row[1] for row in ws.iter_rows(values_only=True) if row[1] in {u.name for u in province.units} | {"Tổng cộng"}
    ]
    assert labels == [u.name for u in province.units[:4]] + ["Tổng cộng"]
    total_line = next(row for row in ws.iter_rows(values_only=True) if row[1] == "Tổng cộng")
    assert list(total_line[2 : 2 + len(tcd.grid.leaves)]) == list(tcd.grid.values[-1])

    pdf = tracker.reminder_pdf(upper, SYSTEM, ud.QUARTER, today=dt.date(2026, 9, 30))
    (tmp_path / "don_doc.pdf").write_bytes(pdf)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    assert "đôn đốc gửi báo cáo quý III năm 2026" in flat
    assert "theo Thông tư số 06/2025/TT-TTCP" in flat  # the circular in force on the period's last day
    assert "Số: ……/BTCD" in flat
    for unit in province.units[4:8]:
        assert unit.name in text
    assert province.units[0].name not in text
    _import(upper, [u.path for u in province.units[4:]])
    with pytest.raises(ValidationError, match="Mọi đơn vị đã gửi"):
        tracker.reminder_pdf(upper, SYSTEM, ud.QUARTER)


def test_units_are_declared_from_the_directory(session: Session) -> None:
    found = units.candidates(session)
    kinds = {c.kind for c in found}
    assert kinds == {"commune", "agency"}
    assert sum(1 for c in found if c.kind == "commune") == len(catalogues.communes(session, "24"))
    declared = units.declare(session, SYSTEM, [found[0].code, found[-1].code])
    assert [u.name for u in declared] == [found[0].name, found[-1].name]
    with pytest.raises(ValidationError, match="Không có trong danh mục"):
        units.declare(session, SYSTEM, ["99999"])
    assert len(units.list_units(session)) == 2


def test_office_settings_for_upward_reporting_are_checked_and_audited(session: Session) -> None:
    settings.put(session, settings.OFFICE_COMMUNE, "07210")
    assert package.unit_code(session) == "07210"  # by default the seat's commune
    assert package.set_unit_code(session, SYSTEM, " P24.SO_TNMT ") == "P24.SO_TNMT"
    with pytest.raises(ValidationError, match="không có khoảng trắng"):
        package.set_unit_code(session, SYSTEM, "SO TNMT")
    assert package.set_unit_code(session, SYSTEM, "") == "07210"
    tracker.set_due_days(session, SYSTEM, 10)
    assert tracker.due_date(session, ud.QUARTER) == dt.date(2026, 9, 24)
    with pytest.raises(ValidationError, match="từ 0 đến 60 ngày"):
        tracker.set_due_days(session, SYSTEM, 90)
    keys = set(session.scalars(select(AuditEntry.entity_id).where(AuditEntry.entity == "setting")))
    assert {"upward.unit_code", "upward.due_days"} <= keys
    with pytest.raises(package.PackageError, match="không lập cho khoảng ngày tự chọn"):
        package.build_package(session, SYSTEM, periods.custom(dt.date(2026, 7, 1), dt.date(2026, 7, 31)), Path("x"))
