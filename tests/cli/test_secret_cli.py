"""``python -m app secret …`` on two machines: the networked desks and the standalone sổ mật workstation."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.db import Database
from app.services.common.actor import SYSTEM
from app.services.printing import render
from tests import printing_data as data
from tests.cli.logins import add_accounts, as_user
from tests.services.test_secret_register import ID_NUMBER, NAME, add_denunciation


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.sqlite_only
def test_secret_commands_carry_identities_to_the_station_and_back(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.transaction() as session:
        data.setup_office(session)
        saved = add_denunciation(session)
        receipt, _pdf = render.receipt_for_visit(session, SYSTEM, saved.id, ["Đơn tố cáo (02 trang)"])
    add_accounts(db)
    db.dispose()
    station_db = Database(f"sqlite:///{tmp_path / 'may-so-mat.sqlite3'}")
    add_accounts(station_db)
    station_db.dispose()
    desk = ["--db", str(db_path)]
    station = ["--db", str(tmp_path / "may-so-mat.sqlite3")]
    usb, book = tmp_path / "usb", tmp_path / "so-mat.sqlite3"

    # A clerk may not create the store; the administrator of the station does.
    code, _, err = run(
        capsys, *station, *as_user(monkeypatch, "tiep"), "secret", "init", "--store", str(book),
        "--pairing-out", str(usb / "ghep.json"),
    )  # fmt: skip
    assert code == 2 and "không có quyền" in err
    code, out, err = run(
        capsys, *station, *as_user(monkeypatch, "quantri"), "secret", "init", "--store", str(book),
        "--pairing-out", str(usb / "ghep.json"),
    )  # fmt: skip
    assert code == 0, err
    assert "Đã tạo sổ mật" in out and "TIEPDAN-KEY-1:" in out

    code, out, err = run(
        capsys, *desk, *as_user(monkeypatch, "quantri"), "secret", "init", "--pair", str(usb / "ghep.json"), "--on"
    )
    assert code == 0, err
    assert "Đã bật chế độ sổ mật" in out
    code, out, _ = run(capsys, *desk, *as_user(monkeypatch, "lanhdao"), "secret", "status")
    assert "Chế độ sổ mật: bật" in out and "chờ chuyển: 1" in out

    code, out, err = run(
        capsys, *desk, *as_user(monkeypatch, "lanhdao"), "secret", "export", "-o", str(usb / "di.tdsm")
    )
    assert code == 0, err
    assert "1 danh tính" in out
    assert NAME.encode() not in db_path.read_bytes()

    code, out, err = run(
        capsys,
        *station,
        *as_user(monkeypatch, "lanhdao"),
        "secret",
        "import",
        "--store",
        str(book),
        str(usb / "di.tdsm"),
    )
    assert code == 0, err
    assert "1 danh tính" in out
    code, out, _ = run(capsys, *station, *as_user(monkeypatch, "lanhdao"), "secret", "list", "--store", str(book))
    assert NAME in out and receipt.symbol in out

    pdf = tmp_path / "bien-nhan.pdf"
    code, out, err = run(
        capsys, *station, *as_user(monkeypatch, "lanhdao"), "secret", "print", "--store", str(book), receipt.symbol,
        "-o", str(pdf),
    )  # fmt: skip
    assert code == 0, err
    text = data.pdf_text(pdf.read_bytes())
    assert NAME in text and ID_NUMBER in text

    code, out, err = run(
        capsys, *station, *as_user(monkeypatch, "lanhdao"), "secret", "export", "--store", str(book),
        "-o", str(usb / "ve.tdsm"),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(capsys, *desk, *as_user(monkeypatch, "lanhdao"), "secret", "import", str(usb / "ve.tdsm"))
    assert code == 0, err
    assert "đã nhận 1 danh tính" in out

    # A tampered package: one Vietnamese line, exit 2, nothing imported.
    raw = bytearray((usb / "di.tdsm").read_bytes())
    raw[-1] ^= 0xFF
    (usb / "sua.tdsm").write_bytes(bytes(raw))
    code, _, err = run(
        capsys,
        *station,
        *as_user(monkeypatch, "lanhdao"),
        "secret",
        "import",
        "--store",
        str(book),
        str(usb / "sua.tdsm"),
    )
    assert code == 2 and "không mở được" in err and "Không có dữ liệu nào được nhập" in err
