"""Authenticated encryption of identity fields and keyed digests for exact lookup.

One random 256-bit data key per database (kept by ``app.services.security.keys`` in the OS credential
store). Sub-keys are derived with HKDF so that the field cipher, the lookup digests and the
backup cipher never share a key. Fields are AES-256-GCM with a random nonce; the column's
name is the associated data, so a ciphertext moved into another column does not decrypt.

``EncryptedText`` is a column type: values are encrypted on the way in and decrypted on the
way out, so every query that selects ``Citizen.full_name`` gets the name back without
knowing about encryption. The key is found through the engine's dialect (set when the
``Database`` opens); ``current()`` is the key of the database opened last, for callers that
have no session (``citizens.id_digest``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import weakref
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text, TypeDecorator
from sqlalchemy.engine import Dialect

from app.services.common.errors import StorageError

PREFIX = "enc1:"
KEY_BYTES = 32
NONCE_BYTES = 12

LOCKED = (
    "Dữ liệu định danh được mã hóa nhưng khóa dữ liệu chưa được mở. "
    "Mở cơ sở dữ liệu qua TiếpDân (python -m app) để dùng khóa trong kho khóa của máy."
)
BAD_CIPHERTEXT = (
    "Không giải mã được dữ liệu định danh: khóa dữ liệu không khớp với cơ sở dữ liệu này "
    "hoặc dữ liệu đã bị sửa ngoài chương trình. Kiểm tra tệp khóa hoặc phục hồi từ bản sao lưu."
)


def _derive(master: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=purpose.encode()).derive(master)


@dataclass(frozen=True)
class DataKey:
    """The data key of one database, with its derived sub-keys. ``key_id`` is not secret."""

    key_id: str
    master: bytes = field(repr=False)
    _field: AESGCM = field(init=False, repr=False, compare=False)
    _mac: bytes = field(init=False, repr=False, compare=False)
    backup_key: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.master) != KEY_BYTES:
            raise StorageError("Khóa dữ liệu không hợp lệ (phải dài 32 byte).")
        object.__setattr__(self, "_field", AESGCM(_derive(self.master, "tiepdan/field/v1")))
        object.__setattr__(self, "_mac", _derive(self.master, "tiepdan/lookup/v1"))
        object.__setattr__(self, "backup_key", _derive(self.master, "tiepdan/backup/v1"))

    @classmethod
    def generate(cls) -> DataKey:
        return cls(key_id=os.urandom(8).hex(), master=AESGCM.generate_key(bit_length=256))

    def encrypt(self, plain: str, purpose: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._field.encrypt(nonce, plain.encode("utf-8"), purpose.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str, purpose: str) -> str:
        try:
            raw = base64.b64decode(token[len(PREFIX) :], validate=True)
            plain = self._field.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode())
        except (InvalidTag, ValueError) as exc:
            raise StorageError(BAD_CIPHERTEXT) from exc
        return plain.decode("utf-8")

    def digest(self, value: str, purpose: str) -> str:
        """A keyed hash: equal inputs give equal digests, but nobody without the key can test a guess."""
        return hmac.new(self._mac, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def is_encrypted(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


# ---- which key applies ---------------------------------------------------------------------------

_BY_DIALECT: weakref.WeakKeyDictionary[Dialect, DataKey] = weakref.WeakKeyDictionary()
_current: DataKey | None = None


def attach(dialect: Dialect, key: DataKey) -> None:
    """Use ``key`` for every encrypted column read or written through ``dialect`` (one engine)."""
    global _current
    _BY_DIALECT[dialect] = key
    _current = key


def activate(key: DataKey | None) -> None:
    """Make ``key`` the process's current key (the database opened last)."""
    global _current
    _current = key


def current() -> DataKey:
    if _current is None:
        raise StorageError(LOCKED)
    return _current


def key_for(dialect: Dialect | None) -> DataKey:
    key = _BY_DIALECT.get(dialect) if dialect is not None else None
    return key or current()


class EncryptedText(TypeDecorator[str]):
    """A text column stored as AES-GCM ciphertext; ``purpose`` (table.column) is bound in."""

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return key_for(dialect).encrypt(str(value), self.purpose)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        # Rows written before encryption existed are read as they are.
        if not is_encrypted(value):
            return str(value)
        return key_for(dialect).decrypt(value, self.purpose)
