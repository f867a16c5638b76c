"""``python -m app gui``: the main window (also the default when no command is given)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.common import add_command, code_loaded
from app.services.common.errors import AppError

NO_DISPLAY = (
    "Không tìm thấy màn hình (biến DISPLAY/WAYLAND_DISPLAY trống), nên không mở được cửa sổ.\n"
    "  • Trên máy có màn hình: chạy lại trong phiên đồ họa.\n"
    "  • Máy chủ không màn hình: xvfb-run -a make run\n"
    "  • Chỉ chụp màn hình: python -m app gui --screenshot manhinh.png (tự dùng QT_QPA_PLATFORM=offscreen)"
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "gui", "Mở cửa sổ chương trình (mặc định)", run)
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png", help="chụp màn hình tiếp công dân rồi thoát")
    parser.set_defaults(loads_window=True)  # ``run`` calls ``code_loaded`` once Qt and the desk are imported


def _has_display() -> bool:
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def run(args: argparse.Namespace) -> int:
    if not _has_display():
        if args.screenshot is None:
            raise AppError(NO_DISPLAY)
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # Imported here so that headless commands never load Qt.
    from app.ui.launch import launch

    code_loaded()
    return launch(db=getattr(args, "db", None), screenshot=args.screenshot)
