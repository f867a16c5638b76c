"""``python -m app user …`` and ``key …``: accounts and the recovery key from the command line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from app.cli import main
from app.db import Database
from app.services.security import accounts
from tests.keyring_memory import MemoryKeyring


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_N", 2**10)


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_user_commands(db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(db_path)]
    _stdin(monkeypatch, "mat-khau-dai\n")
    assert main(["user", "add", "quantri", "--full-name", "Quản Trị", "--role", "admin", "--password-stdin", *db]) == 0
    # From now on the database has an account: every command signs in (password from the environment).
    assert main(["user", "list", *db]) == 2
    assert "Cần đăng nhập" in capsys.readouterr().err
    monkeypatch.setenv("TIEPDAN_PASSWORD", "mat-khau-dai")
    db = [*db, "--user", "quantri"]
    _stdin(monkeypatch, "mat-khau-dai\n")
    assert main(["user", "add", "tiep", "--full-name", "Lê Tiếp", "--role", "clerk", "--password-stdin", *db]) == 0
    assert main(["user", "role", "tiep", "lead", *db]) == 0
    assert main(["user", "lock", "tiep", "--reason", "nghỉ phép", *db]) == 0
    assert main(["user", "list", *db]) == 0
    out = capsys.readouterr().out
    assert "tiep\tLê Tiếp\tLãnh đạo\tbị khóa" in out and "— 2 tài khoản." in out
    assert main(["user", "unlock", "tiep", *db]) == 0
    _stdin(monkeypatch, "ngan\n")
    assert main(["user", "passwd", "tiep", "--password-stdin", *db]) == 2
    assert "ít nhất 8 ký tự" in capsys.readouterr().err
    _stdin(monkeypatch, "")  # no terminal and no --password-stdin: refused, never echoed
    assert main(["user", "passwd", "tiep", *db]) == 2
    assert "--password-stdin" in capsys.readouterr().err
    assert main(["user", "lock", "khong-co", *db]) == 2
    assert main(["audit", "verify", *db]) == 0


def test_recovery_key_round_trip(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], _memory_keyring: MemoryKeyring
) -> None:
    Database(f"sqlite:///{db_path}").dispose()
    assert main(["key", "export", "--db", str(db_path)]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("TIEPDAN-KEY-1:")
    _memory_keyring.store.clear()  # another machine
    assert main(["key", "show", "--db", str(db_path)]) == 2
    assert "python -m app key import" in capsys.readouterr().err
    _stdin(monkeypatch, line + "\n")
    assert main(["key", "import"]) == 0
    assert main(["key", "show", "--db", str(db_path)]) == 0
    assert "kho khóa của hệ điều hành (MemoryKeyring)" in capsys.readouterr().out
