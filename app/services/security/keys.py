"""Where the data key lives: the OS credential store (keyring), or an explicitly configured key file.

A database records only the *id* of its key (``security.key_id`` in ``setting``); the key
itself is in Windows Credential Manager / macOS Keychain / Secret Service. On a machine with
no usable store (headless Linux: keyring's ``fail`` or ``null`` backend, or the plaintext
``keyrings.alt`` backends) we refuse with a message that says how to configure a key file
(``TIEPDAN_KEY_FILE``, created with permissions 0600). There is never a silent fallback.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat
import tempfile
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import Setting
from app.services.common.actor import Actor
from app.services.common.errors import StorageError
from app.services.security import audit
from app.services.security.crypto import KEY_BYTES, DataKey
from app.services.security.permissions import Permission, require

SERVICE = "TiepDan"
ENV_KEY_FILE = "TIEPDAN_KEY_FILE"
KEY_ID_SETTING = "security.key_id"
RECOVERY_PREFIX = "TIEPDAN-KEY-1"

# Backends that are not a secure store: nothing stored (fail/null) or stored in clear text.
_UNSAFE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

NO_STORE = (
    "Máy này không có kho khóa an toàn của hệ điều hành (keyring), nên TiếpDân không có chỗ cất khóa "
    "mã hóa dữ liệu định danh. Chương trình không lưu khóa dưới dạng văn bản thường. Quản trị viên hãy "
    f"chỉ định tệp khóa: đặt biến môi trường {ENV_KEY_FILE}=/đường/dẫn/tiepdan.key (tệp được tạo với quyền "
    "chỉ chủ sở hữu đọc được, 600), cất tệp ở nơi an toàn rồi chạy lại."
)


def _is_safe(backend: object) -> bool:
    module = type(backend).__module__
    if module.startswith("keyring.backends.chainer"):
        return any(_is_safe(b) for b in getattr(backend, "backends", ()))
    return not module.startswith(_UNSAFE_MODULES)


# keyring is imported where it is used: it and its backends cost a noticeable part of the window's
# start-up, and with a key file (TIEPDAN_KEY_FILE) they are never needed.


def os_store_available() -> bool:
    """Whether the operating system offers a secure credential store through keyring."""
    import keyring

    return _is_safe(keyring.get_keyring())


def key_file() -> Path | None:
    value = os.environ.get(ENV_KEY_FILE, "").strip()
    return Path(value).expanduser() if value else None


def store_description() -> str:
    """What holds the key on this machine, in words for the administrator."""
    path = key_file()
    if path is not None:
        return f"tệp khóa {path}"
    import keyring

    backend = keyring.get_keyring()
    if _is_safe(backend):
        return f"kho khóa của hệ điều hành ({type(backend).__name__})"
    return "không có (chưa cấu hình)"


# ---- the key file --------------------------------------------------------------------------------


def _read_file(path: Path) -> dict[str, str]:
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StorageError(f"Không đọc được tệp khóa {path}: {exc.strerror}.") from exc
    if os.name == "posix" and info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise StorageError(f"Tệp khóa {path} đang cho người khác đọc được. Chỉ để chủ sở hữu đọc: chmod 600 {path}.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        keys = data["keys"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StorageError(f"Tệp khóa {path} hỏng hoặc không phải tệp khóa TiếpDân.") from exc
    if not isinstance(keys, dict):
        raise StorageError(f"Tệp khóa {path} hỏng hoặc không phải tệp khóa TiếpDân.")
    return {str(k): str(v) for k, v in keys.items()}


def _write_private(path: Path, text: str) -> None:
    """Whole or not at all, readable by the owner only: a half-written key is a lost key."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tiepdan-key-", dir=path.parent)  # mkstemp creates it 0600
    except OSError as exc:
        raise StorageError(f"Không ghi được tệp khóa {path}: {exc.strerror}.") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise StorageError(f"Không ghi được tệp khóa {path}: {exc.strerror}.") from exc


def _write_file(path: Path, keys: dict[str, str]) -> None:
    _write_private(path, json.dumps({"format": 1, "keys": keys}, indent=1))


# ---- store / load --------------------------------------------------------------------------------


def _account(key_id: str) -> str:
    return f"data-key-{key_id}"


def _encode(key: DataKey) -> str:
    return base64.b64encode(key.master).decode("ascii")


def _decode(key_id: str, text: str) -> DataKey:
    try:
        master = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise StorageError("Khóa dữ liệu trong kho khóa bị hỏng.") from exc
    return DataKey(key_id=key_id, master=master)


def _safe_keyring() -> None:
    import keyring

    if not _is_safe(keyring.get_keyring()):
        raise StorageError(NO_STORE)


def save_key(key: DataKey) -> None:
    path = key_file()
    if path is not None:
        keys = _read_file(path)
        keys[key.key_id] = _encode(key)
        _write_file(path, keys)
        return
    import keyring
    import keyring.errors

    _safe_keyring()
    try:
        keyring.set_password(SERVICE, _account(key.key_id), _encode(key))
    except keyring.errors.KeyringError as exc:
        raise StorageError(f"Kho khóa của hệ điều hành từ chối lưu khóa dữ liệu ({exc}). {NO_STORE}") from exc


def load_key(key_id: str) -> DataKey | None:
    path = key_file()
    if path is not None:
        text = _read_file(path).get(key_id)
        return None if text is None else _decode(key_id, text)
    import keyring
    import keyring.errors

    _safe_keyring()
    try:
        text = keyring.get_password(SERVICE, _account(key_id))
    except keyring.errors.KeyringError as exc:
        raise StorageError(
            f"Không đọc được kho khóa của hệ điều hành ({exc}). Mở khóa phiên làm việc rồi thử lại."
        ) from exc
    return None if text is None else _decode(key_id, text)


class MissingKeyError(StorageError):
    """The database's key is not in this machine's store (a reinstall, another machine): the
    recovery copy brings it back, so the window offers to import it instead of just stopping."""

    def __init__(self, key_id: str) -> None:
        super().__init__(missing_key_message(key_id))
        self.key_id = key_id


def missing_key_message(key_id: str) -> str:
    return (
        f"Không tìm thấy khóa dữ liệu của cơ sở dữ liệu này (mã khóa {key_id}) trong {store_description()}. "
        "Nếu máy vừa cài lại hoặc dữ liệu được chuyển từ máy khác, nhập tệp khóa khôi phục đã cất "
        "(hoặc dòng khóa: python -m app key import)."
    )


def require_key(key_id: str) -> DataKey:
    key = load_key(key_id)
    if key is None:
        raise MissingKeyError(key_id)
    return key


# ---- the database's key --------------------------------------------------------------------------


def stored_key_id(session: Session) -> str | None:
    # Stored JSON-encoded like every other setting row, but not in the settings form's registry.
    raw = session.scalar(select(Setting.value).where(Setting.key == KEY_ID_SETTING))
    return None if raw is None else str(json.loads(raw))


def unlock(engine: Engine) -> DataKey:
    """The database's data key; on first use a new key is made, stored, and its id recorded.

    ``engine`` should begin write transactions immediately (``app.db``), so that two
    processes opening a new database at once agree on one key.
    """
    with Session(engine) as session, session.begin():
        key_id = stored_key_id(session)
        if key_id is not None:
            return require_key(key_id)
        key = DataKey.generate()
        # Stored before the id is committed: a crash in between leaves an unused key, never a lost one.
        save_key(key)
        session.add(Setting(key=KEY_ID_SETTING, value=json.dumps(key.key_id)))
        return key


# ---- recovery text -------------------------------------------------------------------------------


def recovery_text(key: DataKey) -> str:
    """The key as one line to print and keep in a safe (needed to read a backup on another machine)."""
    return f"{RECOVERY_PREFIX}:{key.key_id}:{_encode(key)}"


RECOVERY_WARNING = (
    "Khóa dữ liệu mã hóa các thông tin định danh được bảo mật (họ tên, địa chỉ, điện thoại của người tố cáo; "
    "số CCCD) và mọi bản sao lưu. Nếu cài lại máy, hỏng ổ đĩa hoặc chuyển dữ liệu sang máy khác mà không có "
    "khóa khôi phục, các thông tin đó và các bản sao lưu sẽ không bao giờ đọc được nữa. Hãy xuất khóa khôi phục "
    "ra USB, in ra giấy, cất ở nơi an toàn (két, phong bì niêm phong) và không để bản nào trên máy này: ai có "
    "khóa cùng với dữ liệu đọc được danh tính người tố cáo."
)


def recovery_file_text(key: DataKey) -> str:
    """The recovery line with a note of what it is, for the file an administrator takes away."""
    return (
        "# Khóa khôi phục dữ liệu TiếpDân. Cất ở nơi an toàn, KHÔNG để trên máy chạy TiếpDân.\n"
        f"# Mã khóa: {key.key_id}. Ai có khóa này cùng với dữ liệu đọc được danh tính người tố cáo.\n"
        f"{recovery_text(key)}\n"
    )


def export_recovery(session: Session, actor: Actor, key: DataKey, path: Path) -> Path:
    """Write the recovery copy of ``key`` to ``path`` (owner-only), on the audit trail (never the key itself)."""
    require(actor, Permission.BACKUP)
    path = Path(path)
    _write_private(path, recovery_file_text(key))
    audit.record(session, actor, "key_export", "data_key", key.key_id, after={"file": path.name})
    return path


def read_recovery_file(path: Path) -> str:
    """The recovery line of a file written by ``export_recovery`` (or any text holding the line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"Không đọc được tệp khóa khôi phục {path}.") from exc
    line = next((ln.strip() for ln in text.splitlines() if ln.strip().startswith(RECOVERY_PREFIX + ":")), "")
    if not line:
        raise StorageError(f"Tệp {Path(path).name} không chứa khóa khôi phục TiếpDân (dòng {RECOVERY_PREFIX}:…).")
    return line


def import_recovery(session: Session, actor: Actor, path: Path) -> DataKey:
    """Put the key of a recovery file into this machine's store, on the audit trail."""
    require(actor, Permission.BACKUP)
    key = import_recovery_text(read_recovery_file(path))
    audit.record(session, actor, "key_import", "data_key", key.key_id, after={"file": Path(path).name})
    return key


def import_recovery_text(text: str) -> DataKey:
    parts = text.strip().split(":")
    if len(parts) != 3 or parts[0] != RECOVERY_PREFIX:
        raise StorageError(f"Khóa khôi phục phải có dạng {RECOVERY_PREFIX}:<mã khóa>:<khóa>.")
    key = _decode(parts[1], parts[2])
    if len(key.master) != KEY_BYTES:
        raise StorageError("Khóa khôi phục không hợp lệ.")
    save_key(key)
    return key
