"""Is the database whole, and is it ours? ``PRAGMA quick_check``/``integrity_check`` and the schema version.

Used when a database opens (``app.db``), by ``python -m app check``, and on a backup before
it is restored. A corrupt or newer database gives a message naming the last backup, which
is found through a small note beside the database file (readable when the database is not).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app.services.common.errors import StorageError

NOTE_SUFFIX = ".backups.json"
APP_TABLES = ("alembic_version", "citizen", "visit", "audit_entry")


@dataclass(frozen=True)
class CheckReport:
    ok: bool
    problems: tuple[str, ...]
    revision: str | None
    newer: bool = False


# ---- the note of backups, beside the database ----------------------------------------------------


def _note(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + NOTE_SUFFIX)


def remember_backup(db_file: Path, backup_file: Path) -> None:
    """Record ``backup_file`` as the newest backup of ``db_file`` (best effort: never fails a backup)."""
    note = _note(db_file)
    data = {"last": str(backup_file.resolve()), "at": dt.datetime.now(dt.UTC).isoformat()}
    tmp = note.with_name(note.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, note)
    except OSError:
        tmp.unlink(missing_ok=True)


def last_backup(db_file: Path) -> Path | None:
    try:
        data = json.loads(_note(db_file).read_text(encoding="utf-8"))
        path = Path(str(data["last"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return path if path.exists() else None


def backup_hint(db_file: Path | None) -> str:
    """The sentence that tells the user what to restore."""
    last = last_backup(db_file) if db_file is not None else None
    if last is None:
        return (
            "Chưa có bản sao lưu nào được ghi nhận cho cơ sở dữ liệu này; nếu có bản sao lưu (ổ USB…), "
            "phục hồi bằng: python -m app restore TỆP_SAO_LƯU."
        )
    return f"Bản sao lưu gần nhất: {last}. Phục hồi bằng: python -m app restore “{last}”."


# ---- checks on a SQLite file ---------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    # Read-only, so that checking never creates or changes anything.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def check_file(
    path: Path, *, full: bool = False, pages: bool = True, known: frozenset[str] | None = None
) -> CheckReport:
    """Check one SQLite file: ``quick_check`` (or the slower ``integrity_check``), tables, schema version.

    ``known``: the schema revisions this version understands (a revision outside it is newer).
    ``pages=False`` skips the page scan (it reads the whole file: seconds on a large register)
    and only checks that the file is a readable TiếpDân database.
    """
    if not path.exists():
        return CheckReport(False, (f"Không có tệp {path}.",), None)
    problems: list[str] = []
    revision: str | None = None
    try:
        conn = _connect(path)
        try:
            if pages:
                pragma = "integrity_check" if full else "quick_check"
                rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)")]
                if rows != ["ok"]:
                    problems.append("Tệp cơ sở dữ liệu bị hỏng: " + "; ".join(rows[:5]))
            tables = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = [t for t in APP_TABLES if t not in tables]
            if missing:
                problems.append("Tệp không phải cơ sở dữ liệu TiếpDân (thiếu bảng " + ", ".join(missing) + ").")
            elif row := conn.execute("SELECT version_num FROM alembic_version").fetchone():
                revision = str(row[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problems.append(f"Tệp cơ sở dữ liệu bị hỏng hoặc không phải SQLite ({exc}).")
    newer = revision is not None and known is not None and revision not in known
    if newer:
        problems.append(
            f"Cơ sở dữ liệu được tạo bởi phiên bản TiếpDân mới hơn (lược đồ {revision}); "
            "hãy cài phiên bản TiếpDân mới nhất."
        )
    return CheckReport(not problems, tuple(problems), revision, newer)


def quick_check_or_raise(path: Path, *, pages: bool = True) -> None:
    """On open: refuse a corrupt file with a message that names the last backup."""
    if not path.exists() or path.stat().st_size == 0:
        return
    report = check_file(path, pages=pages)
    if not report.ok:
        raise StorageError(
            f"Không mở được cơ sở dữ liệu {path}. " + " ".join(report.problems) + " " + backup_hint(path)
        )
