"""Sealed package files carried on removable media between the networked desks and the sổ mật.

A package is ``MAGIC | header length (4 bytes) | header JSON | nonce | AES-256-GCM ciphertext``.
The header (not secret: package id, direction, station id, date, count) is the cipher's associated
data, so a changed header fails like a changed body.

- To the station (identities): the body key is HKDF over X25519(ephemeral key, station's public
  key), salted with the pairing secret. Only the station's private key opens it, so a networked
  machine cannot read its own old packages; only a holder of the pairing secret can make one.
- From the station (acknowledgements, no identity): the body key is HKDF of the pairing secret.

Anything that does not open (edited byte, another station's package, wrong pairing) is refused
with one Vietnamese message and nothing is imported.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.services.common.errors import StorageError
from app.services.security import keys as secure_keys

MAGIC = b"TIEPDAN-SOMAT-1\n"
TO_STATION = "to_station"
FROM_STATION = "from_station"
NONCE_BYTES = 12
MAX_HEADER = 64 * 1024

NOT_A_PACKAGE = (
    "Tệp “{name}” không phải gói dữ liệu sổ mật TiếpDân (hoặc đã hỏng phần đầu). Không có dữ liệu nào được nhập."
)
TAMPERED = (
    "Gói dữ liệu sổ mật “{name}” không mở được: tệp đã bị sửa đổi hoặc hỏng, hoặc được niêm phong bằng khóa "
    "khác với khóa ghép cặp của máy này. Không có dữ liệu nào được nhập. Lập lại gói ở máy gửi và chép lại."
)
OTHER_STATION = (
    "Gói dữ liệu “{name}” dành cho sổ mật mã {theirs}, không phải sổ mật của máy này (mã {ours}). "
    "Không có dữ liệu nào được nhập."
)
WRONG_SIDE = {
    TO_STATION: "Gói “{name}” là gói chuyển danh tính sang máy sổ mật: chỉ nhập được trên máy sổ mật.",
    FROM_STATION: "Gói “{name}” là gói xác nhận từ máy sổ mật: chỉ nhập được trên máy tính nối mạng của cơ quan.",
}


def _hkdf(material: bytes, salt: bytes | None, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info.encode()).derive(material)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True)
class StationKeys:
    """The confidential station's transfer keys (the private key never leaves the station)."""

    station_id: str
    private: X25519PrivateKey
    pairing_secret: bytes

    @classmethod
    def generate(cls) -> StationKeys:
        return cls(station_id=os.urandom(6).hex(), private=X25519PrivateKey.generate(), pairing_secret=os.urandom(32))

    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes_raw()

    def private_bytes(self) -> bytes:
        return self.private.private_bytes_raw()


@dataclass(frozen=True)
class Pairing:
    """What the networked side holds of a station: its id, public key and the shared pairing secret."""

    station_id: str
    public: bytes
    pairing_secret: bytes


@dataclass(frozen=True)
class Opened:
    header: dict[str, Any]
    payload: dict[str, Any]
    sha256: str


def new_package_id(prefix: str) -> str:
    return f"{prefix}-{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}-{os.urandom(3).hex()}"


def _frame(header: dict[str, Any]) -> bytes:
    raw = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return MAGIC + struct.pack(">I", len(raw)) + raw


def _write(path: Path, data: bytes) -> str:
    tmp = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"Không ghi được gói dữ liệu {path}: {exc.strerror}. Kiểm tra ổ USB rồi thử lại.") from exc
    return hashlib.sha256(data).hexdigest()


def _body(payload: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def seal_to_station(path: Path, pairing: Pairing, header: dict[str, Any], payload: dict[str, Any]) -> str:
    """Write a package only ``pairing``'s station can open; returns the file's SHA-256."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(pairing.public))
    head = {
        **header,
        "direction": TO_STATION,
        "station_id": pairing.station_id,
        "ephemeral": b64(ephemeral.public_key().public_bytes_raw()),
    }
    frame = _frame(head)
    key = _hkdf(shared, pairing.pairing_secret, f"tiepdan/somat/to-station/v1/{head['package_id']}")
    nonce = os.urandom(NONCE_BYTES)
    return _write(path, frame + nonce + AESGCM(key).encrypt(nonce, _body(payload), frame))


def seal_from_station(path: Path, keys: StationKeys, header: dict[str, Any], payload: dict[str, Any]) -> str:
    head = {**header, "direction": FROM_STATION, "station_id": keys.station_id}
    frame = _frame(head)
    key = _hkdf(keys.pairing_secret, None, f"tiepdan/somat/from-station/v1/{head['package_id']}")
    nonce = os.urandom(NONCE_BYTES)
    return _write(path, frame + nonce + AESGCM(key).encrypt(nonce, _body(payload), frame))


def read_header(path: Path) -> tuple[dict[str, Any], bytes, bytes]:
    """(header, framed header bytes, rest) of a package file; refuses anything else."""
    name = Path(path).name
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StorageError(f"Không đọc được tệp {path}: {exc.strerror}.") from exc
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise StorageError(NOT_A_PACKAGE.format(name=name))
    (length,) = struct.unpack(">I", data[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    if length > MAX_HEADER or start + length > len(data):
        raise StorageError(NOT_A_PACKAGE.format(name=name))
    try:
        header = json.loads(data[start : start + length].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StorageError(NOT_A_PACKAGE.format(name=name)) from exc
    if not isinstance(header, dict) or header.get("direction") not in (TO_STATION, FROM_STATION):
        raise StorageError(NOT_A_PACKAGE.format(name=name))
    return header, data[: start + length], data[start + length :]


def _open_body(name: str, key: bytes, frame: bytes, rest: bytes) -> dict[str, Any]:
    try:
        plain = AESGCM(key).decrypt(rest[:NONCE_BYTES], rest[NONCE_BYTES:], frame)
        payload = json.loads(zlib.decompress(plain).decode("utf-8"))
    except (InvalidTag, ValueError, zlib.error) as exc:
        raise StorageError(TAMPERED.format(name=name)) from exc
    if not isinstance(payload, dict):
        raise StorageError(TAMPERED.format(name=name))
    return payload


def _check(name: str, header: dict[str, Any], direction: str, station_id: str) -> None:
    if header.get("direction") != direction:
        raise StorageError(WRONG_SIDE[str(header.get("direction"))].format(name=name))
    if header.get("station_id") != station_id:
        raise StorageError(OTHER_STATION.format(name=name, theirs=header.get("station_id"), ours=station_id))


def open_at_station(path: Path, keys: StationKeys) -> Opened:
    name = Path(path).name
    header, frame, rest = read_header(path)
    _check(name, header, TO_STATION, keys.station_id)
    try:
        ephemeral = X25519PublicKey.from_public_bytes(unb64(str(header["ephemeral"])))
    except (KeyError, ValueError) as exc:
        raise StorageError(TAMPERED.format(name=name)) from exc
    shared = keys.private.exchange(ephemeral)
    key = _hkdf(shared, keys.pairing_secret, f"tiepdan/somat/to-station/v1/{header.get('package_id')}")
    payload = _open_body(name, key, frame, rest)
    return Opened(header, payload, hashlib.sha256(frame + rest).hexdigest())


def open_from_station(path: Path, pairing: Pairing) -> Opened:
    name = Path(path).name
    header, frame, rest = read_header(path)
    _check(name, header, FROM_STATION, pairing.station_id)
    key = _hkdf(pairing.pairing_secret, None, f"tiepdan/somat/from-station/v1/{header.get('package_id')}")
    payload = _open_body(name, key, frame, rest)
    return Opened(header, payload, hashlib.sha256(frame + rest).hexdigest())


# ---- the pairing file (station → networked side, once, on removable media) ------------------------

PAIRING_FORMAT = "tiepdan-somat-pairing-1"


def write_pairing_file(path: Path, keys: StationKeys) -> Path:
    """The station's public key and the pairing secret, owner-readable only; destroy it after pairing."""
    text = json.dumps(
        {
            "format": PAIRING_FORMAT,
            "station_id": keys.station_id,
            "public": b64(keys.public_bytes()),
            "pairing_secret": b64(keys.pairing_secret),
        },
        indent=1,
    )
    secure_keys._write_private(Path(path), text)  # whole or nothing, mode 600, as a key file
    return Path(path)


def read_pairing_file(path: Path) -> Pairing:
    name = Path(path).name
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != PAIRING_FORMAT:
            raise ValueError(name)
        pairing = Pairing(
            station_id=str(data["station_id"]),
            public=unb64(str(data["public"])),
            pairing_secret=unb64(str(data["pairing_secret"])),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StorageError(
            f"Tệp “{name}” không phải tệp ghép cặp sổ mật TiếpDân (tạo bằng: python -m app secret init --store …)."
        ) from exc
    if len(pairing.public) != 32 or len(pairing.pairing_secret) != 32:
        raise StorageError(f"Tệp ghép cặp “{name}” bị hỏng (khóa không đủ độ dài).")
    return pairing
