"""Command line: ``python -m app [COMMAND]``. Without a command the window opens.

Each module in ``app.cli.commands`` adds its subcommands through ``register(subparsers)``,
so a new headless job is a new module, and every job calls the same services as the UI.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from typing import Any

from app import __version__
from app.cli import auth, commands, vietnamese
from app.services.common.errors import AppError, ValidationError

Handler = Callable[[argparse.Namespace], int]


class CliError(AppError):
    """A mistake on the command line, reported in one line."""


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks Vietnamese: headings, ``--help``, error messages."""

    def __init__(self, *args: Any, add_help: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", vietnamese.HelpFormatter)
        kwargs["add_help"] = False  # ours comes from ``localise``, with a Vietnamese help line
        super().__init__(*args, **kwargs)
        vietnamese.localise(self, add_help=add_help)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {vietnamese.translate_error(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app", description="TiếpDân — tiếp công dân và xử lý đơn thư.")
    parser.add_argument("--version", action="version", version=f"TiếpDân {__version__}", help=vietnamese.VERSION)
    parser.add_argument("--db", help="đường dẫn tệp SQLite hoặc URL cơ sở dữ liệu (mặc định: $TIEPDAN_DB)")
    auth.add_login_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "gui"])
    handler: Handler = args.handler
    try:
        return handler(args)
    except ValidationError as exc:
        for message in exc.fields.values():
            print(f"Lỗi: {message}", file=sys.stderr)
        return 2
    except AppError as exc:
        print(f"Lỗi: {exc.user_message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``… | head``): stop quietly, and keep Python's flush at exit
        # from raising again on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
