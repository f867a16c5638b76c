"""Encrypted backups and restore of the SQLite database.

A backup is a consistent copy taken with SQLite's online backup API (safe while desks are
writing), checked, then encrypted with the data key (AES-256-GCM in 1 MiB chunks; the
header is bound into every chunk and the last chunk is marked, so a truncated or altered
file is detected). The plaintext copy only ever exists in a private folder beside the
database, never on the destination (a USB stick).

Restore decrypts to a private folder, checks that the copy opens and is whole, keeps the
current database as a backup of its own, then copies the backup *into* the live database
with the backup API (other connections see the new content; no file is swapped under them).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from app.db import Database, known_revisions, storage_error
from app.models.mixins import now_local
from app.services.common import settings
from app.services.common.actor import COMMAND_LINE, Actor
from app.services.common.errors import StorageError, ValidationError
from app.services.records import integrity
from app.services.security import audit, keys
from app.services.security.crypto import DataKey
from app.services.security.permissions import Permission, require

FOLDER = settings.define("backup.folder", "", "Thư mục sao lưu tự động (để trống: thư mục dữ liệu/saoluu)")
INTERVAL_HOURS = settings.define("backup.interval_hours", 24, "Sao lưu tự động sau mỗi (giờ); 0 để tắt")
KEEP = settings.define("backup.keep", 10, "Số bản sao lưu tự động giữ lại")
LAST_AUTO = settings.define("backup.last_auto_at", "", "Lần sao lưu tự động gần nhất")

SUFFIX = ".tdbak"
MAGIC = b"TIEPDAN-BACKUP\x00\x01"
CHUNK = 1 << 20
_PAGES_PER_STEP = 1024

Progress = Callable[[str, float], None]


def _no_progress(_phase: str, _fraction: float) -> None:
    return None


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    created_at: dt.datetime
    key_id: str
    revision: str | None


# ---- helpers -------------------------------------------------------------------------------------


def _sqlite_file(db: Database) -> Path:
    if db.file is None:
        raise StorageError(
            "Sao lưu trong chương trình chỉ dành cho cơ sở dữ liệu SQLite; với PostgreSQL hãy dùng pg_dump "
            "theo quy trình của máy chủ."
        )
    return db.file


def _write_error(exc: OSError, target: Path) -> StorageError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return StorageError(
            f"Ổ đĩa chứa {target.parent} đã đầy, không ghi được bản sao lưu. Dữ liệu chương trình vẫn nguyên vẹn; "
            "giải phóng dung lượng hoặc chọn ổ khác rồi sao lưu lại."
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR):
        return StorageError(
            f"Không ghi được vào {target.parent} ({exc.strerror}): thư mục chỉ cho đọc, không tồn tại hoặc ổ USB "
            "bị khóa ghi. Dữ liệu chương trình vẫn nguyên vẹn; chọn thư mục khác rồi sao lưu lại."
        )
    return StorageError(f"Lỗi ghi {target}: {exc.strerror}. Dữ liệu chương trình vẫn nguyên vẹn.")


@contextmanager
def _private_dir(near: Path) -> Iterator[Path]:
    """A 0700 folder beside the database for the plaintext copy, removed afterwards whatever happens."""
    try:
        path = Path(tempfile.mkdtemp(prefix=".tiepdan-tmp-", dir=near.parent))
    except OSError as exc:
        raise _write_error(exc, near) from exc
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _nonce(prefix: bytes, counter: int, final: bool) -> bytes:
    return prefix + struct.pack(">I", counter) + (b"\x01" if final else b"\x00")


# ---- encrypt / decrypt a file --------------------------------------------------------------------


def _encrypt_file(plain: Path, dest: Path, key: DataKey, header: dict[str, object], progress: Progress) -> None:
    head = json.dumps({**header, "nonce": os.urandom(7).hex(), "chunk": CHUNK}, sort_keys=True).encode()
    prefix = bytes.fromhex(json.loads(head)["nonce"])
    cipher = AESGCM(key.backup_key)
    total = max(plain.stat().st_size, 1)
    part = dest.with_name(dest.name + ".part")
    try:
        with plain.open("rb") as src, part.open("wb") as out:
            out.write(MAGIC + struct.pack(">I", len(head)) + head)
            counter, done = 0, 0
            block = src.read(CHUNK)
            while True:
                following = src.read(CHUNK) if len(block) == CHUNK else b""
                final = not following
                sealed = cipher.encrypt(_nonce(prefix, counter, final), block, head)
                out.write(struct.pack(">I", len(sealed)) + sealed)
                done += len(block)
                progress("Đang mã hóa bản sao lưu…", 0.5 + 0.5 * done / total)
                if final:
                    break
                block, counter = following, counter + 1
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, dest)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _write_error(exc, dest) from exc


def read_header(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                raise StorageError(f"{path.name} không phải bản sao lưu TiếpDân.")
            (size,) = struct.unpack(">I", fh.read(4))
            header = json.loads(fh.read(size))
    except OSError as exc:
        raise StorageError(f"Không đọc được {path}: {exc.strerror}.") from exc
    except (ValueError, struct.error) as exc:
        raise StorageError(f"{path.name} không phải bản sao lưu TiếpDân hoặc đã hỏng.") from exc
    if not isinstance(header, dict):
        raise StorageError(f"{path.name} không phải bản sao lưu TiếpDân hoặc đã hỏng.")
    return header


def _decrypt_file(path: Path, key: DataKey, out_path: Path, progress: Progress) -> None:
    damaged = StorageError(f"Bản sao lưu {path.name} bị hỏng, bị cắt cụt hoặc không khớp khóa dữ liệu.")
    total = max(path.stat().st_size, 1)
    cipher = AESGCM(key.backup_key)
    with path.open("rb") as fh, out_path.open("wb") as out:
        fh.read(len(MAGIC))
        (size,) = struct.unpack(">I", fh.read(4))
        head = fh.read(size)
        prefix = bytes.fromhex(json.loads(head)["nonce"])
        counter = 0
        while True:
            raw = fh.read(4)
            if len(raw) < 4:
                raise damaged  # the final chunk never came: truncated
            (length,) = struct.unpack(">I", raw)
            sealed = fh.read(length)
            for final in (False, True):
                try:
                    block = cipher.decrypt(_nonce(prefix, counter, final), sealed, head)
                    break
                except InvalidTag:
                    continue
            else:
                raise damaged
            out.write(block)
            progress("Đang giải mã bản sao lưu…", 0.5 * fh.tell() / total)
            if final:
                if fh.read(1):
                    raise damaged
                break
            counter += 1


# ---- backup --------------------------------------------------------------------------------------


def _copy_sqlite(src_file: Path, dest_file: Path, progress: Progress, start: float, span: float) -> None:
    src = sqlite3.connect(src_file, timeout=10)
    dst = sqlite3.connect(dest_file)
    try:

        def step(_status: int, remaining: int, total: int) -> None:
            progress("Đang chép dữ liệu…", start + span * (total - remaining) / max(total, 1))

        src.backup(dst, pages=_PAGES_PER_STEP, progress=step)
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise storage_error(exc, "sao lưu") from exc
        raise StorageError(
            f"Không tạo được bản chép để sao lưu trong {dest_file.parent.parent} ({exc}): ổ đĩa có thể đã đầy. "
            "Dữ liệu chương trình vẫn nguyên vẹn; giải phóng dung lượng rồi sao lưu lại."
        ) from exc
    finally:
        dst.close()
        src.close()


def _revision(path: Path) -> str | None:
    return integrity.check_file(path).revision


def backup_database(db: Database, actor: Actor, dest: Path, *, progress: Progress | None = None) -> BackupInfo:
    """An encrypted, consistent copy of ``db`` written to ``dest`` (replaced atomically)."""
    require(actor, Permission.BACKUP)
    return _backup(db, actor, dest, progress or _no_progress)


def _destination(dest: Path) -> Path:
    """The backup file's path, ending in .tdbak; a path that names no file is refused plainly."""
    if "\x00" in str(dest):
        raise ValidationError({"output": "Tên tệp sao lưu có ký tự không hợp lệ; gõ lại tên tệp."})
    dest = dest.expanduser()
    if not dest.name or dest.is_dir():
        raise ValidationError({"output": "Chọn tên tệp sao lưu (ví dụ: saoluu.tdbak), không phải một thư mục."})
    return dest if dest.suffix == SUFFIX else dest.with_name(dest.name + SUFFIX)


def _backup(db: Database, actor: Actor, dest: Path, progress: Progress) -> BackupInfo:
    source = _sqlite_file(db)
    if db.key is None:
        raise StorageError("Chưa mở khóa dữ liệu nên không sao lưu được.")
    dest = _destination(dest)
    if not dest.parent.is_dir():
        raise StorageError(f"Thư mục {dest.parent} không tồn tại (ổ USB đã cắm chưa?).")
    created = now_local().replace(microsecond=0)
    with _private_dir(source) as work:
        copy = work / "copy.sqlite3"
        _copy_sqlite(source, copy, progress, 0.0, 0.45)
        report = integrity.check_file(copy)
        if not report.ok:
            raise StorageError("Bản chép không đạt kiểm tra toàn vẹn: " + " ".join(report.problems))
        header = {
            "format": 1,
            "key_id": db.key.key_id,
            "created_at": created.isoformat(),
            "revision": report.revision,
            "source": source.name,
        }
        _encrypt_file(copy, dest, db.key, header, progress)
    size = dest.stat().st_size
    integrity.remember_backup(source, dest)
    with db.transaction() as session:
        audit.record(session, actor, "backup", "database", None, after={"file": str(dest), "size": size})
    progress("Đã sao lưu xong.", 1.0)
    return BackupInfo(dest, size, created, db.key.key_id, report.revision)


def backup_name(when: dt.datetime, prefix: str = "tiepdan") -> str:
    return f"{prefix}-{when:%Y%m%d-%H%M%S}{SUFFIX}"


def backup_to_folder(
    db: Database,
    actor: Actor,
    folder: Path,
    *,
    keep: int | None = None,
    progress: Progress | None = None,
    prefix: str = "tiepdan",
) -> BackupInfo:
    """One click: a new, dated backup in ``folder`` (a USB stick), then the oldest beyond ``keep`` removed."""
    require(actor, Permission.BACKUP)
    folder = folder.expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(exc, folder / "x") from exc
    info = _backup(db, actor, folder / backup_name(now_local(), prefix), progress or _no_progress)
    if keep is not None:
        rotate(folder, keep, prefix=prefix)
    return info


def list_backups(folder: Path, *, prefix: str = "") -> list[Path]:
    """Our backup files in ``folder``, newest first (by the date in the name)."""
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.glob(f"{prefix}*{SUFFIX}") if p.is_file()),
        key=lambda p: p.name.rsplit("-", 2)[-2:],
        reverse=True,
    )


def rotate(folder: Path, keep: int, *, prefix: str = "tiepdan") -> list[Path]:
    """Remove the oldest of this series beyond ``keep`` (only files we named; never anything else)."""
    removed = []
    for old in list_backups(folder, prefix=f"{prefix}-")[max(keep, 1) :]:
        try:
            old.unlink()
            removed.append(old)
        except OSError:
            continue
    return removed


# ---- scheduled backups ---------------------------------------------------------------------------


def auto_folder(db: Database) -> Path:
    with db.session() as session:
        configured = str(settings.get(session, FOLDER) or "").strip()
    if configured:
        return Path(configured).expanduser()
    return _sqlite_file(db).parent / "saoluu"


def auto_backup_due(db: Database, now: dt.datetime | None = None) -> bool:
    if db.file is None:
        return False
    with db.session() as session:
        hours = float(settings.get(session, INTERVAL_HOURS) or 0)
        last = str(settings.get(session, LAST_AUTO) or "")
    if hours <= 0:
        return False
    if not last:
        return True
    return (now or now_local()) - dt.datetime.fromisoformat(last) >= dt.timedelta(hours=hours)


def run_auto_backup(db: Database, actor: Actor, *, progress: Progress | None = None) -> BackupInfo:
    """The timer's job: a backup in the configured folder, rotated to ``backup.keep``.

    Runs as the signed-in user's session but needs no backup right: the office's setting decides.
    """
    with db.session() as session:
        keep = int(settings.get(session, KEEP))
    folder = auto_folder(db)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(exc, folder / "x") from exc
    info = _backup(db, actor, folder / backup_name(now_local(), "tudong"), progress or _no_progress)
    rotate(folder, keep, prefix="tudong")
    with db.transaction() as session:
        settings.put(session, LAST_AUTO, info.created_at.isoformat())
    return info


# ---- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_copy: Path
    revision: str | None


def _key_for(db: Database, key_id: str) -> DataKey:
    if db.key is not None and db.key.key_id == key_id:
        return db.key
    return keys.require_key(key_id)


def verify_backup(db: Database, path: Path, *, progress: Progress | None = None) -> BackupInfo:
    """Decrypt ``path`` to a private folder and check that it opens and is whole (nothing is changed)."""
    progress = progress or _no_progress
    header = read_header(path)
    key = _key_for(db, str(header.get("key_id", "")))
    with _private_dir(_sqlite_file(db)) as work:
        plain = work / "restore.sqlite3"
        _decrypt_file(path, key, plain, progress)
        report = _check_copy(plain)
    return BackupInfo(
        path, path.stat().st_size, dt.datetime.fromisoformat(str(header["created_at"])), key.key_id, report.revision
    )


def _check_copy(plain: Path) -> integrity.CheckReport:
    report = integrity.check_file(plain, full=True, known=known_revisions())
    if not report.ok:
        raise StorageError("Bản sao lưu không dùng được: " + " ".join(report.problems))
    return report


def restore(
    db: Database, actor: Actor, path: Path, *, safety_folder: Path | None = None, progress: Progress | None = None
) -> RestoreResult:
    """Replace ``db``'s content with the backup ``path``, after checking it and keeping the current data.

    The caller must re-open the database afterwards (``Database(db.url)``): its key and schema
    may differ from the backup's.
    """
    require(actor, Permission.BACKUP)
    progress = progress or _no_progress
    live = _sqlite_file(db)
    header = read_header(path)
    key = _key_for(db, str(header.get("key_id", "")))
    with _private_dir(live) as work:
        plain = work / "restore.sqlite3"
        try:
            _decrypt_file(path, key, plain, progress)
        except OSError as exc:
            raise _write_error(exc, plain) from exc
        report = _check_copy(plain)
        # The database being replaced is kept first, as a backup of its own.
        folder = safety_folder or live.parent / "saoluu"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _write_error(exc, folder / "x") from exc
        with db.transaction() as session:
            audit.record(session, actor, "restore", "database", None, after={"from": str(path)})
        safety = _backup(db, actor, folder / backup_name(now_local(), "truoc-phuc-hoi"), _no_progress).path
        progress("Đang phục hồi dữ liệu…", 0.7)
        db.dispose()  # this process's pooled connections; other desks see the new content
        src = sqlite3.connect(plain)
        dst = sqlite3.connect(live, timeout=30)
        try:
            src.backup(dst)
        except sqlite3.OperationalError as exc:
            raise storage_error(exc, "phục hồi") from exc
        finally:
            dst.close()
            src.close()
    db.dispose()
    # The restored trail gets its own entry, chained onto the backup's last one.
    reopened = Database(db.url)
    try:
        with reopened.transaction() as session:
            audit.record(
                session, actor, "restore", "database", None, after={"from": str(path), "safety_copy": str(safety)}
            )
    finally:
        reopened.dispose()
    progress("Đã phục hồi xong.", 1.0)
    return RestoreResult(path, safety, report.revision)


def restore_damaged(url: str, path: Path, *, progress: Progress | None = None) -> RestoreResult:
    """Restore over a database that no longer opens (corrupt, or not ours): the usual path cannot be used.

    The damaged file (with its -wal/-shm) is moved aside, never deleted, and the checked copy
    takes its place. Other windows must be closed first (the message at open says so).
    """
    progress = progress or _no_progress
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise StorageError("Chỉ phục hồi đè được cơ sở dữ liệu SQLite.")
    target = Path(parsed.database)
    header = read_header(path)
    key = keys.require_key(str(header.get("key_id", "")))
    stamp = f"{now_local():%Y%m%d-%H%M%S}"
    kept = target.with_name(f"{target.name}.hong-{stamp}")
    with _private_dir(target) as work:
        plain = work / "restore.sqlite3"
        try:
            _decrypt_file(path, key, plain, progress)
        except OSError as exc:
            raise _write_error(exc, plain) from exc
        report = _check_copy(plain)
        try:
            for suffix in ("", "-wal", "-shm"):
                old = target.with_name(target.name + suffix)
                if old.exists():
                    os.replace(old, kept.with_name(kept.name + suffix))
            os.replace(plain, target)
        except OSError as exc:
            raise _write_error(exc, target) from exc
    reopened = Database(url)
    try:
        with reopened.transaction() as session:
            audit.record(
                session,
                COMMAND_LINE,
                "restore",
                "database",
                None,
                after={"from": str(path), "damaged_copy": str(kept)},
            )
    finally:
        reopened.dispose()
    progress("Đã phục hồi xong.", 1.0)
    return RestoreResult(path, kept, report.revision)
