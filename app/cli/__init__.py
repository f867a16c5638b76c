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
from app.cli.common import code_loaded
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


# Commands whose module is not named after them; every other command lives in ``commands/<name>.py``.
MODULE_OF = {"logout": "login", "import": "import_"}
# Options of the top-level parser that take a value, so that value is not read as the command.
VALUED_OPTIONS = {"--db", "--user"}


def command_modules(argv: Sequence[str] | None) -> list[str]:
    """The command modules this command line needs: only the named command's, so that starting the
    window or one job does not import every service (spreadsheets, PDF, demo data); all of them for
    ``--help``, an unknown command or a line the parser must reject with the full list."""
    every = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    if argv is None:
        return every
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help"):
            return every
        if token in VALUED_OPTIONS:
            next(tokens, None)
        elif not token.startswith("-"):
            module = MODULE_OF.get(token, token.replace("-", "_"))
            return [module] if module in every else every
    return ["gui"]  # no command: the window


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``argv`` only the part that line uses."""
    parser = _Parser(prog="python -m app", description="TiếpDân — tiếp công dân và xử lý đơn thư.")
    parser.add_argument("--version", action="version", version=f"TiếpDân {__version__}", help=vietnamese.VERSION)
    parser.add_argument("--db", help="đường dẫn tệp SQLite hoặc URL cơ sở dữ liệu (mặc định: $TIEPDAN_DB)")
    auth.add_login_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    for name in command_modules(argv):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    line = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(line)
    args = parser.parse_args(line)
    if args.command is None:
        args = parser.parse_args([*line, "gui"])
    handler: Handler = args.handler
    if not getattr(args, "loads_window", False):  # the window's code loads in its handler, which says when
        code_loaded()
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
