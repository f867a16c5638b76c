"""Register export: chosen columns, real dates, CCCD as text, never a formula, masked denouncers."""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.enums import MatterKind, Role
from app.services import demo
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.records import export
from app.services.records.xlsx_safe import atomic_path
from app.services.security.confidential import MASK
from tests import reports_data as rd

D = dt.date
NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=rd.LOCAL_TZ)
HANDLER = Actor(user_id=None, username="xuly", full_name="Cán bộ xử lý", role=Role.HANDLER)
CLERK = Actor(user_id=None, username="tiepdan", full_name="Cán bộ tiếp", role=Role.CLERK)
INJECTION = '=HYPERLINK("http://x","y")'


@pytest.fixture
def register(session: Session) -> dict[str, int]:
    ids = {
        "injection": rd.visit(session, D(2026, 11, 2), name=INJECTION, id_number="001085012345"),
        "plus": rd.visit(session, D(2026, 11, 3), name="Trần Thị Lan", summary="+84 gọi lại; -5 ngày; @cán bộ"),
        "denouncer": rd.visit(
            session,
            D(2026, 11, 4),
            name="Phạm Văn Tố",
            id_number="027090000111",
            kind=MatterKind.DENUNCIATION,
            summary="Tố cáo cán bộ nhận tiền",
        ),
        "outside": rd.visit(session, D(2026, 12, 1), name="Ngoài Kỳ"),
    }
    session.commit()
    return ids


def sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet"))


def test_export_writes_the_chosen_columns_in_order(session: Session, register: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"
    cols = ("stt", "received_on", "citizen_name", "id_number", "summary")
    spec = export.ExportSpec("visits", cols, D(2026, 11, 1), D(2026, 11, 30))
    result = export.export(session, SYSTEM, spec, out)
    session.commit()
    assert result.rows == 3
    ws = load_workbook(out)["Sổ tiếp công dân"]
    assert [c.value for c in ws[1]] == ["STT", "Ngày tiếp", "Họ và tên", "Số CCCD/CMND", "Nội dung"]
    assert ws.freeze_panes == "A2"
    first = ws[2]
    assert first[0].value == 1
    assert first[1].value == dt.datetime(2026, 11, 2) and first[1].number_format == "dd/mm/yyyy"
    assert first[3].value == "001085012345" and first[3].data_type == "s"  # leading zeros kept
    assert ws.column_dimensions["E"].width == 50
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert audit and '"rows": 3' in (audit[-1].after_json or "")


def test_no_cell_is_ever_a_formula(session: Session, register: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "so.xlsx"
    export.export(session, SYSTEM, export.ExportSpec("visits", ("citizen_name", "summary")), out)
    assert b"<f>" not in sheet_xml(out)
    ws = load_workbook(out).active
    names = {c.value: c for c in ws["A"]}
    cell = names[INJECTION]
    assert cell.data_type == "s" and cell.quotePrefix
    plus = next(c for c in ws["B"] if c.value and str(c.value).startswith("+84"))
    assert plus.data_type == "s" and plus.quotePrefix
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert [INJECTION, "Khiếu nại về bồi thường khi thu hồi đất"] in rows


def test_denouncer_identity_is_masked_without_the_right(
    session: Session, register: dict[str, int], tmp_path: Path
) -> None:
    cols = ("citizen_name", "id_number", "address", "summary")
    masked, shown = tmp_path / "masked.xlsx", tmp_path / "shown.xlsx"
    export.export(session, HANDLER, export.ExportSpec("visits", cols), masked)
    export.export(session, SYSTEM, export.ExportSpec("visits", cols), shown)
    masked_rows = CalamineWorkbook.from_path(str(masked)).get_sheet_by_index(0).to_python()
    shown_rows = CalamineWorkbook.from_path(str(shown)).get_sheet_by_index(0).to_python()
    denounce = next(r for r in masked_rows if r[3] == "Tố cáo cán bộ nhận tiền")
    assert denounce[0] == MASK and denounce[1] == MASK
    assert b"027090000111" not in sheet_xml(masked)
    assert any(r[0] == "Phạm Văn Tố" for r in shown_rows)


def test_current_list_is_exported_in_its_order(session: Session, register: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "list.xlsx"
    order = (register["plus"], register["outside"], register["injection"])
    export.export(session, SYSTEM, export.ExportSpec("visits", ("id",), ids=order), out)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    assert [int(r[0]) for r in rows[1:]] == list(order)


def test_cancel_and_failure_leave_no_file(session: Session, tmp_path: Path) -> None:
    demo.generate(session, 1_200, seed=4, now=NOW)
    session.commit()
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "huy.xlsx"
    stop = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        stop.set()

    with pytest.raises(export.ExportCancelled):
        export.export(session, SYSTEM, export.ExportSpec("visits"), out, progress=progress, cancelled=stop.is_set)
    assert seen == [500]
    assert list(folder.iterdir()) == []
    with pytest.raises(RuntimeError), atomic_path(out) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert list(folder.iterdir()) == []


def test_petitions_export_and_profiles(session: Session, tmp_path: Path) -> None:
    rd.petition(session, D(2026, 11, 3), summary="-Đơn bắt đầu bằng dấu trừ")
    session.commit()
    export.save_profile(session, SYSTEM, "Gửi thanh tra", "petitions", ["number", "received_on", "summary", "status"])
    export.save_profile(session, SYSTEM, "Gửi thanh tra", "petitions", ["summary", "number"])  # replaced
    profile = export.get_profile(session, "Gửi thanh tra")
    assert profile.columns == ("summary", "number")
    out = tmp_path / "don.xlsx"
    export.export(session, SYSTEM, export.ExportSpec("petitions", profile.columns), out)
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]] == ["Nội dung", "Số đơn"]
    assert ws["A2"].value == "-Đơn bắt đầu bằng dấu trừ" and ws["A2"].quotePrefix
    assert [p.name for p in export.list_profiles(session, "petitions")] == ["Gửi thanh tra"]


def test_bad_columns_and_missing_right_are_refused(session: Session, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(ValidationError, match="Cột không có: tuoi"):
        export.export(session, SYSTEM, export.ExportSpec("visits", ("tuoi",)), tmp_path / "x.xlsx")
    with pytest.raises(PermissionDenied):
        export.export(session, CLERK, export.ExportSpec("visits"), tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def _same(got: object, expected: object) -> bool:
    if isinstance(expected, dt.datetime) and isinstance(got, dt.datetime):
        return abs(got - expected) < dt.timedelta(milliseconds=1)  # an Excel serial number is a float
    if isinstance(expected, dt.date) and not isinstance(expected, dt.datetime):
        return got == dt.datetime.combine(expected, dt.time())
    return got == expected


@pytest.mark.parametrize("entity", ["visits", "petitions"])
@pytest.mark.parametrize("actor", [SYSTEM, HANDLER], ids=["shown", "masked"])
def test_every_cell_holds_the_plain_value(session: Session, tmp_path: Path, entity: str, actor: Actor) -> None:
    """The fast per-column writers write exactly what the plain values say, for every column."""
    demo.generate(session, 2_400, seed=6, now=NOW)  # about 100 visits and petitions a month
    # The same citizens come back (identities are decrypted once per citizen) and two different
    # risky names share a column (their guarded cells are reused from row to row).
    for day in range(3, 9):
        name, number = ("=A", "001085000001") if day % 2 else ("-B", "001085000002")
        rd.visit(session, D(2026, 10, day), name=name, id_number=number, summary="@gọi lại")
    session.commit()
    spec = export.ExportSpec(entity, tuple(export.CATALOGUE[entity]), D(2026, 10, 1), D(2026, 10, 31))
    out = tmp_path / "all.xlsx"
    result = export.export(session, actor, spec, out)
    headers, values = export.plain_values(session, actor, spec)
    expected = list(values)
    got = [[c.value for c in row] for row in load_workbook(out).active.iter_rows()]
    assert got[0] == headers
    assert result.rows == len(expected) == len(got) - 1 > 50
    pairs = [pair for gr, er in zip(got[1:], expected, strict=True) for pair in zip(gr, er, strict=True)]
    assert [(g, e) for g, e in pairs if not _same(g, e)] == []
    shown = {v for row in expected for v in row}
    assert (MASK in shown) == (actor is HANDLER)
    if entity == "visits":
        assert {"=A", "-B"} <= shown
        assert b"<f>" not in sheet_xml(out)


def test_vocabulary_labels_never_need_the_formula_guard() -> None:
    """Label columns skip the per-cell check (``guard=False``): no label may look like a formula."""
    from app.services.common.vocab import LABELS
    from app.services.records.xlsx_safe import is_risky

    assert all(not is_risky(t) and not t.startswith("#") and t.isprintable() for t in LABELS.values())
