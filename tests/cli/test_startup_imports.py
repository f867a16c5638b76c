"""The window and each job load only what they use: a command line names one command module."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from app.cli import command_modules
from app.cli.common import code_loaded

HEAVY = ("openpyxl", "reportlab.platypus", "app.services.demo", "app.services.records.export")
# Loaded on first use (a print, a dialog, another section, the OS key store), not by the window's start.
DEFERRED = (
    "keyring",  # a key file is configured: the OS key store is never asked
    "app.ui.followup.board",  # the status bar's overdue count needs only the follow-up service
    "app.ui.petitions.page",  # "Lập đơn từ lượt tiếp" loads the registration form when first used
    "app.services.casework.petitions",
    "app.services.casework.minutes",
    "app.ui.printing_actions",
    "app.ui.print_preview",
    "app.ui.reception.desk_printing",
    "app.ui.reception.dialog",
    "app.ui.reception.minutes_dialog",
    "app.ui.office_setup",  # asked only after an interactive sign-in
    "app.ui.sections.admin.page",  # the scheduled backup timer is not installed for a screenshot
    "app.ui.sections.admin.accounts_tab",
    "app.services.records.backup",
)


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


@pytest.fixture(scope="module")
def window_start(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """``python -m app gui --screenshot`` in a fresh process (through ``app/__main__.py``), and what
    it had loaded when it finished."""
    tmp = tmp_path_factory.mktemp("start")
    watched = (*HEAVY, *DEFERRED)
    script = (
        "import gc, json, runpy, sys\n"
        f"sys.argv = ['app', '--db', {str(tmp / 'a.sqlite')!r}, 'gui', '--screenshot', {str(tmp / 'a.png')!r}]\n"
        "try:\n"
        "    runpy.run_module('app', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as done:\n"
        "    code = done.code\n"
        f"loaded = sorted(m for m in {watched!r} if m in sys.modules)\n"
        "print(json.dumps({'code': code, 'loaded': loaded, 'collector': gc.isenabled(), "
        "'frozen': gc.get_freeze_count()}))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIEPDAN_KEY_FILE": str(tmp / "k.key")}
    env["XDG_DATA_HOME"] = str(tmp / "data")
    env.pop("TIEPDAN_DB", None)
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["png"] = tmp / "a.png"
    return result


@pytest.mark.sqlite_only
def test_the_window_starts_without_spreadsheet_pdf_or_demo_code(window_start: dict[str, Any]) -> None:
    assert window_start["code"] == 0
    assert [m for m in window_start["loaded"] if m in HEAVY] == []
    assert window_start["png"].stat().st_size > 10_000


@pytest.mark.sqlite_only
@pytest.mark.parametrize("module", DEFERRED)
def test_the_window_starts_without_what_it_loads_on_first_use(window_start: dict[str, Any], module: str) -> None:
    assert module not in window_start["loaded"]


@pytest.mark.sqlite_only
def test_the_collector_is_back_on_once_the_window_is_loaded(window_start: dict[str, Any]) -> None:
    # Off while the code loads (app/__main__.py), then on, with what loading made frozen out of its passes.
    assert window_start["collector"] is True
    assert window_start["frozen"] > 10_000


def test_code_loaded_changes_nothing_when_the_collector_was_never_off() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    code_loaded()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
