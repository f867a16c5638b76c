"""``python -m app print …`` as a user runs it: files written, one-line Vietnamese errors, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.db import Database
from app.models.enums import DocumentType, MatterKind
from app.services.printing import TEMPLATES
from tests import printing_data as data
from tests.helpers import local


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        data.setup_office(session)
        petition = data.add_petition(session, name="Lê Văn Thịnh")
        denunciation = data.add_petition(session, name="Hoàng Văn Tố", kind=MatterKind.DENUNCIATION)
        data.add_crowd_visit(session, local(2026, 11, 20, 10, 0))
        forwarding = data.issue(session, denunciation, DocumentType.FORWARDING)
        data.issue(session, petition, DocumentType.GUIDANCE)
        return {
            "petition": petition.id,
            "visit": petition.visit_id or 0,
            "denunciation": denunciation.id,
            "forwarding": forwarding.id,
        }


def test_help_lists_every_document(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["print", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ["daily-log", "brief", *(t.command for t in TEMPLATES.values())]:
        assert command in out


def test_daily_log_for_a_day(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "so.pdf"
    code, out, err = run(capsys, "print", "daily-log", "--db", db.url, "--date", "2026-11-20", "-o", str(out_file))
    assert code == 0, err
    assert "Đã ghi" in out
    text = data.pdf_text(out_file.read_bytes())
    assert "SỔ TIẾP CÔNG DÂN" in text and "Ngày 20/11/2026" in text and "Đoàn đông người: 23 người." in text


def test_daily_log_for_a_range(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "so.pdf"
    code, _, err = run(
        capsys,
        "--db",
        db.url,
        "print",
        "daily-log",
        "--date",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "-o",
        str(out_file),
    )
    assert code == 0, err
    assert "Từ ngày 01/11/2026 đến ngày 30/11/2026" in data.pdf_text(out_file.read_bytes())


def test_forwarding_of_a_petition_prints_its_latest_slip_without_the_denouncer(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "pcd.pdf"
    code, _, err = run(
        capsys,
        "print",
        "forwarding",
        "--db",
        db.url,
        "--petition",
        str(filled["denunciation"]),
        "-o",
        str(out_file),
    )
    assert code == 0, err
    text = data.pdf_text(out_file.read_bytes())
    assert "PHIẾU CHUYỂN ĐƠN" in text and "Số: 01/PCĐ-BTCD" in text
    assert "Hoàng Văn Tố" not in text


def test_receipt_for_a_visit_is_issued_from_the_items(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "gbn.pdf"
    argv = ["print", "receipt", "--db", db.url, "--visit", str(filled["visit"]), "-o", str(out_file)]
    code, out, err = run(capsys, *argv, "--item", "Đơn khiếu nại", "--item", "Ảnh chụp hiện trạng")
    assert code == 0, err
    assert "Đã cấp giấy biên nhận số 01/GBN-BTCD" in out
    assert "2. Ảnh chụp hiện trạng" in data.pdf_text(out_file.read_bytes())
    # Without --item the latest receipt of the visit is printed again, with the same number.
    code, _, err = run(capsys, *argv)
    assert code == 0, err
    assert "Số: 01/GBN-BTCD" in data.pdf_text(out_file.read_bytes())


def test_by_document_number(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "x.pdf"
    code, _, err = run(
        capsys,
        "print",
        "forwarding",
        "--db",
        db.url,
        "--document",
        str(filled["forwarding"]),
        "-o",
        str(out_file),
    )
    assert code == 0, err
    code, _, err = run(
        capsys, "print", "guidance", "--db", db.url, "--document", str(filled["forwarding"]), "-o", str(out_file)
    )
    assert code == 2
    assert "là Phiếu chuyển đơn, không phải phiếu hướng dẫn" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["print", "acceptance", "--petition", "{petition}"], "chưa có thông báo thụ lý nào được cấp số"),
        (["print", "guidance", "--petition", "999"], "Không tìm thấy đơn số 999."),
        (["print", "receipt", "--visit", "999"], "Không tìm thấy lượt tiếp số 999."),
        (["print", "daily-log", "--date", "2026-11-20", "--to", "2026-11-01"], "Ngày kết thúc phải từ ngày bắt đầu"),
        (["print"], "chọn loại văn bản cần in"),
    ],
)
def test_missing_data_is_one_vietnamese_line_and_exit_2(
    filled: dict[str, int],
    db: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    out_file = tmp_path / "x.pdf"
    args = [a.format(**filled) for a in argv] + ["--db", db.url]
    if len(argv) > 1:
        args += ["-o", str(out_file)]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out_file.exists()


def test_unwritable_output_is_reported(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        "print",
        "daily-log",
        "--db",
        db.url,
        "--date",
        "2026-11-20",
        "-o",
        str(tmp_path / "khong-co" / "so.pdf"),
    )
    assert code == 2
    assert "không ghi được tệp" in err


def test_bad_date_is_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["print", "daily-log", "--date", "20/13/2026", "-o", "x.pdf"])
    assert exit_info.value.code == 2
    assert "không hợp lệ" in capsys.readouterr().err


def test_morning_brief(
    filled: dict[str, int], db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "bantin.pdf"
    code, _, err = run(capsys, "print", "brief", "--db", db.url, "--date", "2026-12-01", "-o", str(out_file))
    assert code == 0, err
    assert "BẢN TIN THEO DÕI XỬ LÝ ĐƠN Ngày 01/12/2026" in data.pdf_text(out_file.read_bytes())
