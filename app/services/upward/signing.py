"""The office's Ed25519 signing key for report packages.

The key is not stored on its own: it is derived (HKDF, its own purpose string) from the database's
data key, which already lives in the OS credential store or the configured key file and travels in
the recovery copy (``app.services.security.keys``). So every office has one signing key from its
first start, a restored office signs with the same key, and no second secret needs a home.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy.orm import Session

from app.services.security import crypto

PURPOSE = b"tiepdan/report-signing/v1"
ALGORITHM = "Ed25519"


def key_from_data_key(key: crypto.DataKey) -> Ed25519PrivateKey:
    seed = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(key.master)
    return Ed25519PrivateKey.from_private_bytes(seed)


def office_key(session: Session) -> Ed25519PrivateKey:
    """The signing key of the database ``session`` is bound to."""
    bind = session.get_bind()
    return key_from_data_key(crypto.key_for(bind.dialect))


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public: str) -> str:
    """A short form of a public key to read aloud on the phone: 4 groups of 4 hex digits."""
    try:
        raw = base64.b64decode(public, validate=True)
    except (binascii.Error, ValueError):
        return "?"
    digest = hashlib.sha256(raw).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


def sign(key: Ed25519PrivateKey, data: bytes) -> str:
    return base64.b64encode(key.sign(data)).decode("ascii")


def verify(public: str, signature: str, data: bytes) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public, validate=True))
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True
