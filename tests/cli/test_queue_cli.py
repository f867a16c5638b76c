"""``python -m app queue checkin|list|next|served|left`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.db import Database
from tests import printing_data as data
from tests.cli.logins import add_accounts, as_user


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, _err = capsys.readouterr()
    return code, out


@pytest.mark.sqlite_only
def test_check_in_list_call_and_close_from_the_command_line(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(f"sqlite:///{db_path}")
    add_accounts(db, "tiep")
    db.dispose()
    base = ["--db", str(db_path), *as_user(monkeypatch, "tiep")]
    slip = tmp_path / "so.pdf"

    code, out = run(capsys, "queue", "checkin", "--name", "Lê Thị Hoa", "--matter", "Hỏi về sổ đỏ", *base)
    assert code == 0
    assert out.startswith("Số thứ tự 001 ngày ")
    code, out = run(
        capsys, "queue", "checkin", "--name", "Phan Văn Tú", "--matter", "Kiến nghị đường thôn",
        "--people", "6", "--pdf", str(slip), *base,
    )  # fmt: skip
    assert code == 0 and "Số thứ tự 002" in out
    text = data.pdf_text(slip.read_bytes())
    assert "PHIẾU SỐ THỨ TỰ" in text and "002" in text and "Phan Văn Tú" in text
    assert "Trước quý vị còn 1 người đang chờ." in text

    code, out = run(capsys, "queue", "list", *base)
    assert out.splitlines()[0] == "HÀNG CHỜ — 2 người đang chờ"
    assert "Số 001\tLê Thị Hoa\tHỏi về sổ đỏ" in out and "Phan Văn Tú (đoàn 6 người)" in out

    code, out = run(capsys, "queue", "next", "--desk", "Bàn 2", *base)
    assert out.startswith("Mời số 001: Lê Thị Hoa đến Bàn 2 (mã phiếu 1).")
    code, out = run(capsys, "queue", "served", "1", *base)
    assert out.strip() == "Số 001: đã tiếp."
    code, out = run(capsys, "queue", "left", "2", *base)
    assert out.strip() == "Số 002: công dân đã bỏ về."
    code, out = run(capsys, "queue", "next", "--desk", "Bàn 2", *base)
    assert out.strip() == "Không còn ai đang chờ."
    code, out = run(capsys, "queue", "list", "--all", *base)
    assert "Đã tiếp — Bàn 2" in out and "Bỏ về" in out

    code, out = run(capsys, "queue", "checkin", "--name", "Lê Thị Hoa", "--matter", " ", *base)
    assert code != 0
