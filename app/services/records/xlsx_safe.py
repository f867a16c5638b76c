"""The one way text reaches a spreadsheet cell: always as text, never as a formula.

openpyxl turns any string starting with ``=`` into a live formula and ``#N/A`` into an error
cell; Excel re-parses text starting with ``+ - @``, a tab or a carriage return as a formula
when a user edits the cell (docs/ecosystem.md §6). So every text cell is forced to data type
``s`` and, when it starts with one of those characters, gets the ``quotePrefix`` style, which
keeps it text in Excel. The value itself is never altered. Every xlsx writer uses this module.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import WriteOnlyCell as _WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from app.services.common.errors import StorageError

RISKY_START = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry; openpyxl raises IllegalCharacterError on them.
_ILLEGAL = {c: None for c in (*range(0, 9), 11, 12, *range(14, 32))}


def clean(text: str) -> str:
    """Remove control characters an xlsx file cannot hold (they come from pasted legacy data)."""
    return text.translate(_ILLEGAL)


def is_risky(text: str) -> bool:
    return text.startswith(RISKY_START)


def set_text(cell: Cell | _WriteOnlyCell, text: str) -> Cell | _WriteOnlyCell:
    """Put ``text`` into ``cell`` as a string cell; quote-prefixed when it could be read as a formula."""
    text = clean(text)
    cell.value = text
    cell.data_type = "s"  # undo openpyxl's '=' → formula and '#N/A' → error guesses
    if is_risky(text):
        cell.quotePrefix = True
    return cell


def text_cell(ws: Any, text: str, **style: Any) -> _WriteOnlyCell:
    """A write-only cell holding ``text`` safely, with optional styles (font=…, alignment=…)."""
    cell = _WriteOnlyCell(ws)
    for name, value in style.items():
        setattr(cell, name, value)
    return set_text(cell, text)


def write_text(ws: Worksheet, row: int, column: int, text: str, **style: Any) -> Cell:
    """Normal-mode counterpart of ``text_cell``: ``ws.cell(row, column)`` filled safely."""
    cell = ws.cell(row=row, column=column)
    for name, value in style.items():
        setattr(cell, name, value)
    set_text(cell, text)
    return cell


class SafeTextColumn:
    """Fast safe text for streamed exports: plain strings go straight through, risky ones get a cell.

    A plain string that does not start with a risky character and is not an error code is written
    by openpyxl as text anyway, so only the rare risky value pays for a styled cell. The cells are
    reused: a write-only sheet serialises each appended row at once.
    """

    def __init__(self, ws: Any) -> None:
        self._quoted = _WriteOnlyCell(ws)
        self._quoted.quotePrefix = True
        self._plain = _WriteOnlyCell(ws)

    def value(self, text: str | None) -> Any:
        if text is None or text == "":
            return None
        if text.startswith(RISKY_START) or text[0] == "#" or not text.isprintable():
            return self._cell(text)
        return text

    def wrap(self, get: Callable[[Any], str | None]) -> Callable[[Any], Any]:
        """``value(get(row))`` as one function: a streamed export calls it for every cell."""
        risky, cell = RISKY_START, self._cell

        def value(row: Any) -> Any:
            text = get(row)
            if not text:
                return None
            if text.startswith(risky) or text[0] == "#" or not text.isprintable():
                return cell(text)
            return text

        return value

    def _cell(self, text: str) -> _WriteOnlyCell:
        # Error-code look-alikes and control characters need a text cell, but no quote prefix.
        cell = self._quoted if text.startswith(RISKY_START) else self._plain
        cell.value = clean(text)
        cell.data_type = "s"
        return cell


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it becomes ``target`` only if the block succeeds."""
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".part", dir=folder)
    except OSError as exc:
        raise StorageError(f"Không ghi được vào thư mục {folder}: {exc.strerror}. Chọn thư mục khác.") from exc
    os.close(fd)
    tmp = Path(name)
    # mkstemp creates the file private (0600); give the result the user's usual permissions.
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    try:
        yield tmp
        os.replace(tmp, target)
    except PermissionError as exc:
        raise StorageError(
            f"Không ghi được tệp {target.name}: tệp đang mở trong chương trình khác hoặc không có quyền ghi. "
            "Đóng tệp rồi thử lại."
        ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
