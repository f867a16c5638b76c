"""Reliability tests run child processes on one database; they share the data key through a key file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.db import Database
from app.services.security import keys

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def key_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A key file for this test, used by the test process and every child."""
    key_file = tmp_path / "keys" / "tiepdan.key"
    monkeypatch.setenv(keys.ENV_KEY_FILE, str(key_file))
    return {**os.environ, keys.ENV_KEY_FILE: str(key_file), "PYTHONPATH": str(ROOT)}


@pytest.fixture
def shared_db(db_path: Path, key_env: dict[str, str]) -> Iterator[Path]:
    """A migrated database file (created here, so children never race to create it)."""
    Database(f"sqlite:///{db_path}").dispose()
    yield db_path


def spawn(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.worker", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def saved_ids(output: str) -> list[int]:
    return [int(line.split()[1]) for line in output.splitlines() if line.startswith("saved ")]
