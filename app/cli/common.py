"""Helpers shared by the subcommands: parsing dates and opening the database."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager

from app.cli.auth import add_login_options, signed_in
from app.db import Database, open_database
from app.services.common.actor import Actor
from app.services.security.permissions import Permission


def code_loaded() -> None:
    """The command's code is loaded: ``python -m app`` kept the garbage collector off meanwhile
    (``app/__main__.py``). The objects loading made (modules, classes, SQLAlchemy's tables) live as
    long as the process, so they are frozen out of every later pass, and the collector comes back on
    for what the command itself does. Started any other way (tests, ``main()`` called from a
    program) the collector was never turned off, and nothing is frozen."""
    if gc.isenabled():
        return
    gc.freeze()
    gc.enable()


def parse_date(value: str) -> dt.date:
    """``YYYY-MM-DD`` or ``dd/mm/yyyy``, with a Vietnamese message for anything else."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày “{value}” không hợp lệ; dùng dạng YYYY-MM-DD hoặc dd/mm/yyyy")


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}” không phải số nguyên") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"“{value}” phải là số không âm")
    return number


def database(args: argparse.Namespace) -> Database:
    return open_database(getattr(args, "db", None))


@contextmanager
def acting(args: argparse.Namespace, need: Permission | None = None) -> Iterator[tuple[Database, Actor]]:
    """The open database and the signed-in account (checked against ``need``), closed at the end."""
    db = database(args)
    try:
        yield db, signed_in(args, db, need)
    finally:
        db.dispose()


def _db_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    # SUPPRESS keeps a --db given before the command name when none is given after it.
    parent.add_argument(
        "--db", default=argparse.SUPPRESS, help="đường dẫn tệp SQLite hoặc URL cơ sở dữ liệu (mặc định: $TIEPDAN_DB)"
    )
    add_login_options(parent)
    return parent


def add_command(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    help_text: str,
    handler: object,
) -> argparse.ArgumentParser:
    """A subcommand that accepts ``--db`` and dispatches to ``handler(args) -> int``."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=help_text, description=help_text, parents=[_db_parent()]
    )
    parser.set_defaults(handler=handler)
    return parser
