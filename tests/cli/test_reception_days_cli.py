"""``python -m app reception-days plan|list|agenda`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.db import Database
from app.services.common.actor import SYSTEM
from app.services.reception_days import bookings, days
from app.services.reception_days.bookings import BookingInput
from tests import printing_data as data
from tests.cli.logins import add_accounts, as_user


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.sqlite_only
def test_plan_list_and_agenda_from_the_command_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{db_path}")
    add_accounts(db, "tiep")
    db.dispose()
    user = as_user(monkeypatch, "tiep")
    base = ["--db", str(db_path), *user]

    code, out, _ = run(
        capsys, "reception-days", "plan", "--leader", "Nguyễn Văn Chủ", "--month", "06/2026",
        "--duty", "chu_tich_ubnd_xa", "--weekday", "t2", *base,
    )  # fmt: skip
    assert code == 0, out
    # June 2026 (before 01/07/2026): one day a week, five Mondays.
    assert out.splitlines()[0] == "Tháng 06/2026: cần 5 ngày tiếp định kỳ, đã có 0, lập thêm 5 ngày."
    assert "thứ hai ngày 01/06/2026" in out and "thứ hai ngày 29/06/2026" in out

    code, out, _ = run(capsys, "reception-days", "list", "--month", "07/2026", "--leader", "Nguyễn Văn Chủ", *base)
    assert code == 0
    assert "(không có ngày tiếp nào)" in out
    assert "Cảnh báo: Nguyễn Văn Chủ" in out and "ít nhất 2 ngày trong 1 tháng" in out

    db = Database(f"sqlite:///{db_path}")
    with db.transaction() as session:
        [first, *_] = days.list_days(session, *days.month_range(2026, 6))
        bookings.add_booking(session, SYSTEM, first.id, BookingInput("Lê Thị Hoa", "Đề nghị cấp sổ đỏ"))
    db.dispose()
    pdf = tmp_path / "chuong-trinh.pdf"
    code, out, _ = run(capsys, "reception-days", "agenda", str(first.id), "--pdf", str(pdf), *base)
    assert code == 0
    assert "1. Lê Thị Hoa (1 người) — Đề nghị cấp sổ đỏ [Đã đăng ký]" in out
    assert "Lê Thị Hoa" in data.pdf_text(pdf.read_bytes())

    with pytest.raises(SystemExit) as stopped:
        run(capsys, "reception-days", "plan", "--leader", "A", "--month", "13/2026", *base)
    assert stopped.value.code == 2 and "tháng từ 1 đến 12" in capsys.readouterr().err
    code, _, err = run(capsys, "reception-days", "plan", "--leader", " ", "--month", "08/2026", *base)
    assert code == 2 and "Nhập họ tên lãnh đạo chủ trì buổi tiếp." in err
