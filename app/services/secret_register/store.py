"""The confidential workstation's store: its own SQLite file, its own key, its own audit trail.

The store is never a TiếpDân database and never opened on a networked desk. Its data key is a
``DataKey`` like the networked database's, but a different one, kept in the station's own key
store (OS keyring or ``TIEPDAN_KEY_FILE``); the file records only the key's id. Identities are
sealed with that key; the station's private transfer key and the pairing secret are sealed too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from app.models.mixins import now_local
from app.models.secret_register import (
    StoreAudit,
    StoreBase,
    StoredCase,
    StoredDocument,
    StoredIdentity,
    StoreMeta,
    StorePackage,
)
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, StorageError
from app.services.secret_register import package
from app.services.security import keys
from app.services.security.crypto import DataKey
from app.services.security.permissions import Permission, require

FORMAT = "tiepdan-somat-store-1"
_IDENTITY = "somat.identity"
_PRIVATE = "somat.station_private"
_PAIRING = "somat.pairing_secret"


def _pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # A rollback journal (no WAL file beside the store) with freed pages zeroed.
    cur.execute("PRAGMA journal_mode=DELETE")
    cur.execute("PRAGMA secure_delete=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _pragmas)
    return engine


@dataclass
class SecretStore:
    """An open store: its file, its key, the station's transfer keys."""

    path: Path
    engine: Engine
    key: DataKey
    station: package.StationKeys

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        try:
            with sessionmaker(self.engine, expire_on_commit=False)() as session, session.begin():
                yield session
        except DatabaseError as exc:
            raise StorageError(f"Lỗi ghi sổ mật {self.path.name}: {exc.orig}. Không có thay đổi nào được lưu.") from exc

    def session(self) -> Session:
        return sessionmaker(self.engine, expire_on_commit=False)()

    def dispose(self) -> None:
        self.engine.dispose()

    # identities ------------------------------------------------------------------------------------

    def seal(self, identity: dict[str, Any]) -> str:
        return self.key.encrypt(json.dumps(identity, ensure_ascii=False, sort_keys=True), _IDENTITY)

    def unseal(self, sealed: str) -> dict[str, Any]:
        value = json.loads(self.key.decrypt(sealed, _IDENTITY))
        assert isinstance(value, dict)
        return value


def _meta(session: Session, key: str) -> str | None:
    row = session.get(StoreMeta, key)
    return None if row is None else row.value


def record(session: Session, actor: Actor, action: str, detail: dict[str, Any]) -> StoreAudit:
    """Append to the store's own hash-chained audit trail (never an identity: references and counts)."""
    prev = session.scalar(select(StoreAudit.entry_hash).order_by(StoreAudit.id.desc()).limit(1)) or ""
    at = now_local().replace(microsecond=0)
    detail_json = json.dumps(detail, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256(
        json.dumps([prev, at.astimezone(dt.UTC).isoformat(), actor.username, action, detail_json]).encode()
    ).hexdigest()
    entry = StoreAudit(
        at=at, username=actor.username, action=action, detail_json=detail_json, prev_hash=prev, entry_hash=digest
    )
    session.add(entry)
    session.flush()
    return entry


def verify_audit(store: SecretStore) -> bool:
    """True when no entry of the store's audit trail was changed, removed or reordered."""
    prev = ""
    with store.session() as session:
        for entry in session.scalars(select(StoreAudit).order_by(StoreAudit.id)):
            payload = [prev, entry.at.astimezone(dt.UTC).isoformat(), entry.username, entry.action, entry.detail_json]
            if entry.prev_hash != prev or entry.entry_hash != hashlib.sha256(json.dumps(payload).encode()).hexdigest():
                return False
            prev = entry.entry_hash
    return True


def create_store(path: Path, actor: Actor, pairing_file: Path) -> SecretStore:
    """A new, empty store at ``path`` with a new key, and the pairing file for the networked side."""
    require(actor, Permission.MANAGE_SETTINGS)
    path = Path(path)
    if path.exists():
        raise RuleViolation(f"Tệp {path} đã có; không ghi đè sổ mật. Chọn tên tệp khác hoặc mở sổ mật đã có.")
    key = DataKey.generate()
    keys.save_key(key)
    station = package.StationKeys.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(path)
    StoreBase.metadata.create_all(engine)
    if os.name == "posix":
        os.chmod(path, 0o600)
    store = SecretStore(path, engine, key, station)
    with store.transaction() as session:
        for name, value in {
            "format": FORMAT,
            "station_id": station.station_id,
            "key_id": key.key_id,
            "created_at": now_local().isoformat(timespec="seconds"),
            _PRIVATE: key.encrypt(package.b64(station.private_bytes()), _PRIVATE),
            _PAIRING: key.encrypt(package.b64(station.pairing_secret), _PAIRING),
        }.items():
            session.add(StoreMeta(key=name, value=value))
        package.write_pairing_file(Path(pairing_file), station)
        record(session, actor, "init", {"station_id": station.station_id, "pairing_file": Path(pairing_file).name})
    return store


def open_store(path: Path) -> SecretStore:
    path = Path(path)
    if not path.is_file():
        raise NotFoundError(
            f"Không tìm thấy sổ mật {path}. Tạo sổ mật trên máy không nối mạng: python -m app secret init --store …"
        )
    engine = _engine(path)
    try:
        with Session(engine) as session:
            meta = {row.key: row.value for row in session.scalars(select(StoreMeta))}
    except DatabaseError as exc:
        engine.dispose()
        raise StorageError(f"Tệp {path.name} không phải sổ mật TiếpDân hoặc đã hỏng.") from exc
    if meta.get("format") != FORMAT:
        engine.dispose()
        raise StorageError(f"Tệp {path.name} không phải sổ mật TiếpDân hoặc đã hỏng.")
    key = keys.require_key(meta["key_id"])
    station = package.StationKeys(
        station_id=meta["station_id"],
        private=X25519PrivateKey.from_private_bytes(package.unb64(key.decrypt(meta[_PRIVATE], _PRIVATE))),
        pairing_secret=package.unb64(key.decrypt(meta[_PAIRING], _PAIRING)),
    )
    return SecretStore(path, engine, key, station)


# ---- import (from the networked side) -------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    package_id: str
    identities: tuple[str, ...]
    cases: int
    documents: int


def import_package(store: SecretStore, actor: Actor, path: Path) -> ImportResult:
    """Open a package from the networked side and keep what it carries; each package once only."""
    require(actor, Permission.REVEAL_IDENTITY)
    try:
        opened = package.open_at_station(Path(path), store.station)
    except StorageError as exc:
        with store.transaction() as session:  # a refused package is on the trail too
            record(session, actor, "refuse", {"file": Path(path).name, "reason": exc.user_message})
        raise
    package_id = str(opened.header.get("package_id"))
    payload = opened.payload
    with store.transaction() as session:
        earlier = session.get(StorePackage, package_id)
        if earlier is not None:
            raise RuleViolation(
                f"Gói {package_id} đã được nhập vào sổ mật lúc {earlier.at:%H:%M} ngày {earlier.at:%d/%m/%Y}; "
                "không nhập lại."
            )
        identities = payload.get("identities", {})
        for reference, identity in identities.items():
            row = session.get(StoredIdentity, reference)
            sealed = store.seal(identity)
            if row is None:
                session.add(StoredIdentity(reference=reference, identity_sealed=sealed, package_id=package_id))
            else:
                row.identity_sealed, row.package_id = sealed, package_id
        for case in payload.get("cases", []):
            if not case.get("reference"):
                continue
            found = session.scalar(
                select(StoredCase).where(StoredCase.holder == case["holder"], StoredCase.holder_id == case["holder_id"])
            )
            found = found or StoredCase(holder=case["holder"], holder_id=case["holder_id"])
            found.reference = case["reference"]
            found.number = case.get("number") or ""
            found.received_on = dt.date.fromisoformat(case["received_on"]) if case.get("received_on") else None
            found.kind = case.get("kind") or ""
            found.status = case.get("status") or ""
            found.summary = case.get("summary") or ""
            found.updated_at = now_local()
            session.add(found)
        for doc in payload.get("documents", []):
            facts_json = json.dumps(doc, ensure_ascii=False, sort_keys=True)
            row_doc = session.get(StoredDocument, doc["document_id"])
            if row_doc is None:
                session.add(
                    StoredDocument(
                        id=doc["document_id"],
                        reference=doc["reference"],
                        doc_type=doc["doc_type"],
                        symbol=doc["symbol"],
                        issued_on=dt.date.fromisoformat(doc["issued_on"]),
                        facts_json=facts_json,
                    )
                )
            else:
                row_doc.facts_json = facts_json
        if payload.get("office"):
            office = session.get(StoreMeta, "office") or StoreMeta(key="office")
            office.value = json.dumps(payload["office"], ensure_ascii=False)
            session.add(office)
        session.add(
            StorePackage(
                package_id=package_id,
                direction="in",
                file_name=Path(path).name,
                sha256=opened.sha256,
                count=len(identities),
            )
        )
        record(
            session,
            actor,
            "import",
            {
                "package_id": package_id,
                "file": Path(path).name,
                "sha256": opened.sha256,
                "references": sorted(identities),
                "cases": len(payload.get("cases", [])),
                "documents": len(payload.get("documents", [])),
            },
        )
    return ImportResult(
        package_id, tuple(sorted(identities)), len(payload.get("cases", [])), len(payload.get("documents", []))
    )


def export_acknowledgement(store: SecretStore, actor: Actor, path: Path) -> tuple[str, tuple[str, ...]]:
    """The package back to the networked side: the references held here and the packages imported
    (no identity, no summary). Returns (package id, references)."""
    require(actor, Permission.REVEAL_IDENTITY)
    with store.transaction() as session:
        references = tuple(session.scalars(select(StoredIdentity.reference).order_by(StoredIdentity.reference)))
        imported = list(
            session.scalars(
                select(StorePackage.package_id).where(StorePackage.direction == "in").order_by(StorePackage.at)
            )
        )
        package_id = package.new_package_id("SM")
        header = {
            "format": 1,
            "package_id": package_id,
            "created_at": now_local().isoformat(timespec="seconds"),
            "references": len(references),
        }
        sha = package.seal_from_station(
            Path(path), store.station, header, {"references": list(references), "acknowledges": imported}
        )
        session.add(
            StorePackage(
                package_id=package_id, direction="out", file_name=Path(path).name, sha256=sha, count=len(references)
            )
        )
        record(
            session,
            actor,
            "export",
            {"package_id": package_id, "file": Path(path).name, "sha256": sha, "references": list(references)},
        )
    return package_id, references


# ---- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    reference: str
    full_name: str
    cases: tuple[str, ...]
    documents: tuple[tuple[int, str, str], ...]  # (id, doc_type, symbol)


def identity_of(store: SecretStore, actor: Actor, reference: str) -> dict[str, Any]:
    """The identity behind ``reference`` (audited: every reveal on the station is on its trail)."""
    require(actor, Permission.REVEAL_IDENTITY)
    with store.transaction() as session:
        row = session.get(StoredIdentity, reference.strip().upper())
        if row is None:
            raise NotFoundError(f"Sổ mật không có mã tham chiếu {reference}.")
        record(session, actor, "reveal", {"reference": row.reference})
        return store.unseal(row.identity_sealed)


def entries(store: SecretStore, actor: Actor) -> list[Entry]:
    """The register: each reference with its name, cases and documents."""
    require(actor, Permission.REVEAL_IDENTITY)
    out: list[Entry] = []
    with store.transaction() as session:
        for row in session.scalars(select(StoredIdentity).order_by(StoredIdentity.reference)):
            cases = session.scalars(select(StoredCase).where(StoredCase.reference == row.reference)).all()
            docs = session.scalars(
                select(StoredDocument).where(StoredDocument.reference == row.reference).order_by(StoredDocument.id)
            ).all()
            out.append(
                Entry(
                    reference=row.reference,
                    full_name=str(store.unseal(row.identity_sealed).get("full_name", "")),
                    cases=tuple(f"{c.holder} {c.number or c.holder_id} ({c.status})" for c in cases),
                    documents=tuple((d.id, d.doc_type, d.symbol) for d in docs),
                )
            )
        record(session, actor, "list", {"references": len(out)})
    return out
