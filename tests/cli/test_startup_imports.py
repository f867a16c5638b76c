"""The window and each job load only what they use: a command line names one command module."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import command_modules

HEAVY = ("openpyxl", "reportlab.platypus", "app.services.demo", "app.services.records.export")


@pytest.mark.parametrize(
    ("line", "modules"),
    [
        ([], ["gui"]),
        (["--db", "so.sqlite"], ["gui"]),
        (["--db", "report", "report", "--from", "2026-10-15"], ["report"]),
        (["--user", "lan", "logout"], ["login"]),
        (["import", "register", "so-cu.xlsx"], ["import_"]),
        (["print", "daily-log"], ["print"]),
    ],
)
def test_a_command_line_loads_only_its_command(line: list[str], modules: list[str]) -> None:
    assert command_modules(line) == modules


@pytest.mark.parametrize("line", [["--help"], ["-h", "report"], ["khong-co-lenh"]])
def test_help_and_unknown_commands_load_every_command(line: list[str]) -> None:
    every = command_modules(None)
    assert command_modules(line) == every
    assert {"gui", "report", "login", "import_"} <= set(every)


@pytest.mark.sqlite_only
def test_the_window_starts_without_spreadsheet_pdf_or_demo_code(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from app.cli import main\n"
        f"code = main(['--db', {str(tmp_path / 'a.sqlite')!r}, 'gui', '--screenshot', {str(tmp_path / 'a.png')!r}])\n"
        f"print(code, sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIEPDAN_KEY_FILE": str(tmp_path / "k.key")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stderr
    assert (tmp_path / "a.png").stat().st_size > 10_000
