"""Run every headless job through the frozen bundle (dist/TiepDan/TiepDan) and check its output.

A bundle that opens its window can still miss a data file that one job reads (the holidays
catalogues once made every legal deadline fail). `make bundle-smoke` builds the bundle and runs
this; each step prints what it checked, and the first failure ends the run with its output.

Usage: python scripts/bundle_smoke.py [path/to/TiepDan]
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_EXE = ROOT / "dist" / "TiepDan" / ("TiepDan.exe" if os.name == "nt" else "TiepDan")
LEGACY_REGISTER = ROOT / "tests" / "data" / "legacy_register.xlsx"


class SmokeFailure(Exception):
    pass


class Bundle:
    def __init__(self, exe: Path, work: Path) -> None:
        self.exe = exe
        self.work = work
        self.db = work / "smoke.sqlite3"
        self.env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "TIEPDAN_KEY_FILE": str(work / "smoke.key"),
            "XDG_DATA_HOME": str(work / "data"),  # the user's data folder (logs) stays in the run's folder
        }

    def run(self, *args: str, stdin: str = "") -> str:
        done = self._run(args, stdin)
        if done.returncode != 0:
            raise SmokeFailure(f"{' '.join(args)} → mã {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def refused(self, *args: str) -> str:
        """What the program says when it refuses ``args`` (a non-zero exit is expected)."""
        done = self._run(args, "")
        if done.returncode == 0:
            raise SmokeFailure(f"{' '.join(args)} chạy được, lẽ ra phải bị từ chối\n{done.stdout}")
        return done.stderr

    def _run(self, args: Sequence[str], stdin: str) -> subprocess.CompletedProcess[str]:
        argv = [str(self.exe), "--db", str(self.db), *args]
        return subprocess.run(argv, env=self.env, input=stdin, capture_output=True, text=True, timeout=600)


def expect(what: str, ok: bool) -> None:
    if not ok:
        raise SmokeFailure(f"không đạt: {what}")
    print(f"  ✓ {what}")


def is_pdf(path: Path) -> bool:
    return path.is_file() and path.read_bytes()[:5] == b"%PDF-"


def is_xlsx(path: Path) -> bool:
    return path.is_file() and zipfile.is_zipfile(path) and "xl/workbook.xml" in zipfile.ZipFile(path).namelist()


def smoke(bundle: Bundle) -> None:
    work = bundle.work
    today = dt.date.today()
    out = bundle.run("demo", "--visits", "300", "--seed", "3")
    expect("demo: 300 lượt tiếp mẫu", "Đã tạo dữ liệu mẫu: 300 lượt tiếp" in out)
    out = bundle.run("deadline", "--rule", "xu_ly_don", "--start", "2026-04-24")
    expect("deadline: hạn 13/05/2026 qua Giỗ Tổ và 30/4", "13/05/2026" in out and "Giỗ Tổ" in out)
    out = bundle.run("followup")
    expect("followup: danh sách theo dõi", "THEO DÕI THỜI HẠN" in out)
    log = work / "so.pdf"
    start = today - dt.timedelta(days=30)
    bundle.run("print", "daily-log", "--date", start.isoformat(), "--to", today.isoformat(), "-o", str(log))
    expect("print daily-log: PDF", is_pdf(log))
    receipt = work / "gbn.pdf"
    bundle.run("print", "receipt", "--visit", "1", "--item", "Đơn khiếu nại", "-o", str(receipt))
    expect("print receipt: PDF", is_pdf(receipt))
    report = work / "bao_cao.xlsx"
    bundle.run("report", "--from", start.isoformat(), "--to", today.isoformat(), "-o", str(report))
    expect("report: xlsx", is_xlsx(report))
    export = work / "so_tiep.xlsx"
    bundle.run("export", "visits", "--from", start.isoformat(), "--to", today.isoformat(), "-o", str(export))
    expect("export: xlsx", is_xlsx(export))
    register = work / "so_cu.xlsx"  # the error workbook is written beside it
    register.write_bytes(LEGACY_REGISTER.read_bytes())
    out = bundle.run("import", "register", str(register))
    expect("import register: một lô nhập sổ cũ", "Lô nhập #" in out and "Đã nhập 66 dòng" in out)
    backup = work / "sao_luu.tdbak"
    dashboard = work / "tong-quan.pdf"
    bundle.run("report", "dashboard", "--as-of", today.isoformat(), "-o", str(dashboard))
    expect("report dashboard: PDF", is_pdf(dashboard))
    slip = work / "phieu.pdf"
    out = bundle.run("queue", "checkin", "--name", "Lê Thị Hoa", "--matter", "Đất đai", "--pdf", str(slip))
    expect("queue checkin: phiếu số thứ tự", is_pdf(slip))
    package = work / "bao-cao.tdbc"
    bundle.run("upward", "package", "--period", "year", "--year", str(today.year), "-o", str(package))
    expect("upward package: gói báo cáo", package.is_file() and package.read_bytes()[:2] == b"PK")
    national = work / "csdl.json"
    bundle.run("export", "national", "--from", start.isoformat(), "--to", today.isoformat(), "-o", str(national))
    expect("export national: JSON", national.is_file() and national.read_bytes()[:1] == b"{")
    bundle.run("backup", "-o", str(backup))
    expect("backup: tệp sao lưu", backup.is_file() and backup.stat().st_size > 0)
    out = bundle.run("restore", "--yes", str(backup))
    expect("restore: phục hồi", "Đã phục hồi" in out)
    shot = work / "cua_so.png"
    bundle.run("gui", "--screenshot", str(shot))
    expect("gui --screenshot: ảnh PNG", shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n")
    # Once an account exists, commands run behind a login.
    password = "Tiep-Dan-2026!smoke\n"
    out = bundle.run(
        "user", "add", "quantri", "--full-name", "Quản Trị Viên", "--role", "admin", "--password-stdin", stdin=password
    )
    expect("user add: tài khoản quản trị đầu tiên", "quantri" in out)
    err = bundle.refused("followup")
    expect("chưa đăng nhập: lệnh bị từ chối", "Cần đăng nhập" in err)
    out = bundle.run("login", "--user", "quantri", "--password-stdin", stdin=password)
    expect("login: phiên dòng lệnh", "Đã đăng nhập “quantri”" in out)
    out = bundle.run("followup")
    expect("followup sau khi đăng nhập", "THEO DÕI THỜI HẠN" in out)
    out = bundle.run("logout")
    expect("logout", "Đã đăng xuất “quantri”" in out)


def main(argv: Sequence[str]) -> int:
    exe = Path(argv[0]) if argv else DEFAULT_EXE
    if not exe.is_file():
        print(f"Không thấy tệp chạy {exe}: chạy make build trước.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="tiepdan-smoke-") as tmp:
        try:
            smoke(Bundle(exe, Path(tmp)))
        except SmokeFailure as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            return 1
    print("Gói cài đặt chạy được mọi việc đã thử.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
