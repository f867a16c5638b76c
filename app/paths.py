"""Where the application finds its resources and keeps its data."""

from __future__ import annotations

import sys
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "TiepDan"

# PyInstaller unpacks data next to _MEIPASS; from a checkout, resources/ sits beside app/.
_BUNDLE = getattr(sys, "_MEIPASS", None)
ROOT = Path(_BUNDLE) if _BUNDLE else Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"


def resource(*parts: str) -> Path:
    return RESOURCES.joinpath(*parts)


def data_dir() -> Path:
    path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'tiepdan.sqlite3'}"
