"""``python -m app deadline`` and ``python -m app followup`` as a user runs them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.cli import main
from app.db import Database
from app.models.enums import MatterKind
from app.services.deadlines import clocks, engine
from tests.cli.logins import add_accounts, as_user
from tests.deadline_builders import add_officer, add_petition


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_deadline_prints_the_due_date_and_the_arithmetic(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadline", "--db", str(db_path), "--rule", "xu_ly_don", "--start", "2026-02-10")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Hạn: 03/03/2026 (Thứ Ba)"
    assert "Thông tư 05/2021/TT-TTCP" in out
    assert "16/02/2026 – 20/02/2026 Tết Nguyên Đán" in out


def test_deadline_with_extension_and_variants(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "deadline", "--db", str(db_path), "--rule", "gq_to_cao", "--start", "02/03/2026", "--extend", "30"
    )
    assert code == 0 and out.startswith("Hạn: 04/05/2026")
    assert "Gia hạn: thêm 30 ngày, tổng cộng 60 ngày." in out
    code, out, _ = run(
        capsys,
        "deadline",
        "--db",
        str(db_path),
        "--rule",
        "gq_khieu_nai_lan_2",
        "--start",
        "2026-03-02",
        "--complicated",
        "--remote",
    )
    assert code == 0 and out.startswith("Hạn: 11/05/2026")


def test_an_office_calendar_edit_is_used_by_the_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.models.enums import CalendarDayKind
    from app.services.common.actor import SYSTEM
    from app.services.deadlines import calendar_edits

    db = Database(f"sqlite:///{db_path}")
    with db.transaction() as session:
        calendar_edits.set_day(session, SYSTEM, dt.date(2026, 3, 10), CalendarDayKind.DAY_OFF, "Nghỉ bầu cử")
    db.dispose()
    _, out, _ = run(capsys, "deadline", "--db", str(db_path), "--rule", "xu_ly_don", "--start", "2026-03-02")
    assert out.startswith("Hạn: 17/03/2026")
    assert "10/03/2026 Nghỉ bầu cử" in out


def test_unknown_rule_is_one_vietnamese_line_and_exit_2(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "deadline", "--db", str(db_path), "--rule", "giai_quyet", "--start", "2026-03-02")
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("Lỗi: Không có quy tắc thời hạn “giai_quyet”. Các mã hợp lệ: xu_ly_don,")


def test_a_third_extension_for_a_denunciation_is_refused(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "deadline", "--db", str(db_path), "--rule", "gq_to_cao", "--start", "2026-03-02", "--extend", "90"
    )
    assert code == 2 and "Giải quyết tố cáo" in err and "60 ngày" in err


def test_list_prints_every_rule_with_its_legal_source(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "deadline", "--db", str(db_path), "--list")
    assert code == 0
    for rule in engine.load_rules().values():
        assert f"{rule.code}\t{rule.name}" in out
        assert f"căn cứ: {rule.source}" in out
    assert "gq_khieu_nai_lan_1\tGiải quyết khiếu nại lần đầu" in out
    assert "30 ngày (phức tạp 45; vùng sâu, vùng xa 45; phức tạp và vùng sâu, vùng xa 60)" in out


def test_followup_prints_the_lists_headless(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{db_path}")
    add_accounts(db, "xuly")
    with db.transaction() as session:
        officer = add_officer(session, "Lê Văn Hùng")
        late = add_petition(session, officer_id=officer.id, summary="Khiếu nại bồi thường đất")
        clocks.start_clock(session, late.id, "xu_ly_don", dt.date(2026, 3, 2))
        secret = add_petition(session, kind=MatterKind.DENUNCIATION, sender="Đỗ Văn Tố")
        clocks.start_clock(session, secret.id, "thu_ly_to_cao", dt.date(2026, 3, 9))
    db.dispose()
    code, out, _ = run(capsys, "followup", "--db", str(db_path), "--as-of", "2026-03-20", *as_user(monkeypatch, "xuly"))
    assert code == 0
    assert "THEO DÕI THỜI HẠN — tính đến ngày 20/03/2026" in out
    assert "QUÁ HẠN (2)" in out
    assert "  Lê Văn Hùng (1)" in out
    assert "Đơn 1/2026\tTrần Thị Lan\tKhiếu nại bồi thường đất" in out
    assert "hạn 16/03/2026, trễ 4 ngày" in out
    assert "Đỗ Văn Tố" not in out and "[Bảo mật danh tính]" in out
    assert "ĐƠN ĐÃ CHUYỂN, CHỜ KẾT QUẢ (0)" in out
