"""The networked side of sổ mật mode: pairing with the station, the export that wipes, the acknowledgement.

Flow: at intake the clerk types the denouncer's identity as usual (encrypted in the networked
database, as every denouncer's record). ``export_to_station`` gives each such record a reference,
seals the identities (with the case state and the documents issued for them) into a package only the
paired station can open, and in the same transaction replaces the identity in the networked database
by the reference: the citizen record, its recorded versions, and any copy quoted in summaries and
issued documents. ``scrub_file`` then rewrites the SQLite file so that no freed page or WAL frame
still holds the old ciphertext. The station's acknowledgement package marks the references received.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, or_, select
from sqlalchemy.orm import Session

from app.models import (
    Citizen,
    CitizenVersion,
    IssuedDocument,
    Petition,
    PetitionParty,
    SecretReference,
    Setting,
    Visit,
    VisitParticipant,
)
from app.models.mixins import now_local
from app.models.secret_register import TransferState
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import RuleViolation, StorageError
from app.services.common.text import fold
from app.services.printing import facts, layout
from app.services.reception.citizens import format_address
from app.services.secret_register import package
from app.services.security import audit, keys
from app.services.security import secret_references as refs
from app.services.security.crypto import DataKey
from app.services.security.permissions import Permission, require

SECRET_MODE = settings.define(
    "secret_register.enabled",
    False,
    "Chế độ sổ mật: danh tính người tố cáo chỉ lưu trên máy sổ mật không nối mạng (Luật Bảo vệ bí mật nhà nước)",
)
# Not office-editable settings: written by pairing only (as security.key_id).
STATION_ID = "secret_register.station_id"
STATION_PUBLIC = "secret_register.station_public"

NOT_PAIRED = (
    "Máy này chưa được ghép cặp với máy sổ mật. Trên máy sổ mật chạy “python -m app secret init --store …”, "
    "chép tệp ghép cặp sang đây bằng USB rồi chạy “python -m app secret init --pair <tệp>”."
)
MODE_OFF = "Chế độ sổ mật đang tắt: bật trong Quản trị → Sổ mật (hoặc “python -m app secret init --pair … --on”)."
_IDENTITY_KEYS = ("petitioner_name", "petitioner_id_number", "petitioner_address", "petitioner_phone")


def _raw_setting(session: Session, key: str) -> str | None:
    raw = session.scalar(select(Setting.value).where(Setting.key == key))
    return None if raw is None else str(json.loads(raw))


def _put_raw(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    encoded = json.dumps(value)
    if row is None:
        session.add(Setting(key=key, value=encoded))
    else:
        row.value = encoded
    session.flush()


def enabled(session: Session) -> bool:
    return bool(settings.get(session, SECRET_MODE))


def set_enabled(session: Session, actor: Actor, on: bool) -> None:
    """Turn sổ mật mode on or off (an office setting, on the audit trail)."""
    require(actor, Permission.MANAGE_SETTINGS)
    before = enabled(session)
    settings.put(session, SECRET_MODE, bool(on))
    if before != bool(on):
        audit.record(
            session, actor, "update", "setting", SECRET_MODE.key, before={"value": before}, after={"value": bool(on)}
        )


def _pairing_key_id(station_id: str) -> str:
    return f"somat-{station_id}"


def pair(session: Session, actor: Actor, pairing_file: Path) -> str:
    """Record the station of ``pairing_file``: its public key here, the pairing secret in the key store."""
    require(actor, Permission.MANAGE_SETTINGS)
    pairing = package.read_pairing_file(pairing_file)
    keys.save_key(DataKey(key_id=_pairing_key_id(pairing.station_id), master=pairing.pairing_secret))
    before = _raw_setting(session, STATION_ID)
    _put_raw(session, STATION_ID, pairing.station_id)
    _put_raw(session, STATION_PUBLIC, package.b64(pairing.public))
    audit.record(
        session,
        actor,
        "update",
        "secret_register",
        pairing.station_id,
        before={"station_id": before},
        after={"station_id": pairing.station_id, "file": Path(pairing_file).name},
    )
    return pairing.station_id


def pairing_of(session: Session) -> package.Pairing:
    station_id = _raw_setting(session, STATION_ID)
    public = _raw_setting(session, STATION_PUBLIC)
    if not station_id or not public:
        raise RuleViolation(NOT_PAIRED)
    secret = keys.load_key(_pairing_key_id(station_id))
    if secret is None:
        raise StorageError(
            f"Không tìm thấy khóa ghép cặp sổ mật (mã {station_id}) trong {keys.store_description()}. "
            "Ghép cặp lại bằng tệp ghép cặp của máy sổ mật."
        )
    return package.Pairing(station_id=station_id, public=package.unb64(public), pairing_secret=secret.master)


def station_id(session: Session) -> str | None:
    return _raw_setting(session, STATION_ID)


# ---- references ------------------------------------------------------------------------------------


def _new_reference(session: Session, year: int) -> str:
    while True:
        candidate = refs.new_reference(year)
        if session.scalar(select(SecretReference.id).where(SecretReference.reference == candidate)) is None:
            return candidate


def assign_references(session: Session) -> list[SecretReference]:
    """Give every denouncer's record that has none its reference (state: awaiting transfer)."""
    missing = session.scalars(
        select(Citizen)
        .outerjoin(SecretReference, SecretReference.citizen_id == Citizen.id)
        .where(Citizen.confidential.is_(True), Citizen.deleted_at.is_(None), SecretReference.id.is_(None))
        .order_by(Citizen.id)
    ).all()
    year = local_today().year
    made = []
    for citizen in missing:
        if refs.is_label(citizen.full_name):
            continue  # already a stand-in (restored from elsewhere): nothing to transfer
        row = SecretReference(
            reference=_new_reference(session, year), citizen_id=citizen.id, state=TransferState.PENDING
        )
        session.add(row)
        session.flush()
        made.append(row)
    return made


def awaiting(session: Session) -> list[SecretReference]:
    """Identities typed at intake and not yet exported (references given at the next export)."""
    return list(
        session.scalars(
            select(SecretReference).where(SecretReference.state == TransferState.PENDING).order_by(SecretReference.id)
        )
    )


def awaiting_count(session: Session) -> int:
    """How many denouncers' identities are still on this networked database (with or without a reference)."""
    unreferenced = session.scalars(
        select(Citizen.full_name)
        .outerjoin(SecretReference, SecretReference.citizen_id == Citizen.id)
        .where(Citizen.confidential.is_(True), Citizen.deleted_at.is_(None), SecretReference.id.is_(None))
    ).all()
    return len(awaiting(session)) + sum(1 for name in unreferenced if not refs.is_label(name))


def reference_of(session: Session, citizen_id: int) -> str | None:
    return session.scalar(select(SecretReference.reference).where(SecretReference.citizen_id == citizen_id))


# ---- export ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    package_id: str
    path: Path
    sha256: str
    references: tuple[str, ...]  # identities carried (and wiped here)
    cases: int
    documents: int


def _identity(session: Session, citizen: Citizen | CitizenVersion) -> dict[str, Any]:
    names = catalogues.unit_names(session, {c for c in (citizen.commune_code, citizen.province_code) if c})
    return {
        "full_name": citizen.full_name,
        "id_number": citizen.id_number or "",
        "phone": citizen.phone or "",
        "address_detail": citizen.address_detail or "",
        "address": format_address(
            citizen.address_detail, names.get(citizen.commune_code or ""), names.get(citizen.province_code or "")
        ),
    }


def _holders(session: Session, citizen_ids: Sequence[int]) -> tuple[list[Petition], list[Visit]]:
    if not citizen_ids:
        return [], []
    petitions = session.scalars(
        select(Petition)
        .outerjoin(PetitionParty, PetitionParty.petition_id == Petition.id)
        .where(or_(Petition.citizen_id.in_(citizen_ids), PetitionParty.citizen_id.in_(citizen_ids)))
        .distinct()
        .order_by(Petition.id)
    ).all()
    visits = session.scalars(
        select(Visit)
        .outerjoin(VisitParticipant, VisitParticipant.visit_id == Visit.id)
        .where(or_(Visit.citizen_id.in_(citizen_ids), VisitParticipant.citizen_id.in_(citizen_ids)))
        .distinct()
        .order_by(Visit.id)
    ).all()
    return list(petitions), list(visits)


def _documents(session: Session, petitions: Iterable[Petition], visits: Iterable[Visit]) -> list[IssuedDocument]:
    petition_ids = [p.id for p in petitions]
    visit_ids = [v.id for v in visits]
    if not petition_ids and not visit_ids:
        return []
    return list(
        session.scalars(
            select(IssuedDocument)
            .where(or_(IssuedDocument.petition_id.in_(petition_ids), IssuedDocument.visit_id.in_(visit_ids)))
            .order_by(IssuedDocument.id)
        )
    )


def _document_facts(session: Session, document: IssuedDocument, office: layout.Office) -> dict[str, Any]:
    """What the document's template prints, the person left out (the station fills it from its store)."""
    data = facts.load(session, document, office, withhold_denouncer=False, may_see=True)
    return {
        "doc_type": data.doc_type.value,
        "document_id": data.document_id,
        "symbol": data.symbol,
        "issued_on": data.issued_on.isoformat(),
        "recipient": data.recipient,
        "content": dict(data.content),
        "kind": data.kind.value if data.kind else None,
        "head_count": data.head_count,
        "organisation": data.organisation,
        "officer_name": data.officer_name,
        "petition_id": data.petition_id,
        "visit_id": data.visit_id,
    }


def _secrets(identities: Iterable[dict[str, Any]]) -> list[str]:
    found = {
        str(value)
        for identity in identities
        for value in (identity["full_name"], identity["id_number"], identity["phone"])
        if value and len(str(value)) >= 3
    }
    return sorted(found, key=lambda s: (-len(s), s))


def _pattern(parts: Sequence[str], *, escaped: bool = False) -> re.Pattern[str]:
    """One case-blind pattern of every part (longest first, so a full name goes before any part of it)."""
    ordered = sorted(set(parts), key=lambda s: (-len(s), s))
    alternatives = [p if escaped else re.escape(p) for p in ordered] or ["(?!)"]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def _people(holder: Petition | Visit) -> Sequence[PetitionParty | VisitParticipant]:
    return holder.parties if isinstance(holder, Petition) else holder.participants


def _scrub(text: str | None, pattern: re.Pattern[str]) -> str | None:
    if not text:
        return text
    return pattern.sub("[…]", text)


def _wipe_person(row: Citizen | CitizenVersion, reference: str) -> None:
    row.full_name = refs.label(reference)
    row.id_number = None
    row.phone = None
    row.address_detail = None
    row.province_code = None
    row.commune_code = None
    if isinstance(row, Citizen):
        row.id_number_digest = None
        row.id_kind = None
        row.gender = None
        row.birth_year = None
        row.ethnicity = None
        row.nationality = None
        row.name_folded = ""


def export_to_station(session: Session, actor: Actor, path: Path) -> ExportResult:
    """Seal the identities awaiting transfer (and the case state of every reference) into ``path``,
    then wipe those identities from this database, all in the caller's transaction.

    The file is written first: if it cannot be written nothing is wiped. Run ``scrub_file`` on the
    engine after the transaction commits.
    """
    require(actor, Permission.REVEAL_IDENTITY)
    if not enabled(session):
        raise RuleViolation(MODE_OFF)
    pairing = pairing_of(session)
    assign_references(session)
    every = list(session.scalars(select(SecretReference).order_by(SecretReference.id)))
    pending = [r for r in every if r.state == TransferState.PENDING]
    office = layout.office_from_settings(session)

    identities: dict[str, dict[str, Any]] = {}
    for ref in pending:
        citizen = session.get(Citizen, ref.citizen_id)
        assert citizen is not None
        versions = session.scalars(select(CitizenVersion).where(CitizenVersion.citizen_id == citizen.id)).all()
        identities[ref.reference] = {
            **_identity(session, citizen),
            "gender": citizen.gender.value if citizen.gender else None,
            "birth_year": citizen.birth_year,
            "ethnicity": citizen.ethnicity or "",
            "nationality": citizen.nationality or "",
            "versions": [{"recorded_at": v.recorded_at.isoformat(), **_identity(session, v)} for v in versions],
        }

    ref_of_citizen = {r.citizen_id: r.reference for r in every}
    petitions, visits = _holders(session, list(ref_of_citizen))
    cases: list[dict[str, Any]] = []
    for petition in petitions:
        reference = ref_of_citizen.get(petition.citizen_id or -1) or next(
            (ref_of_citizen[p.citizen_id] for p in petition.parties if p.citizen_id in ref_of_citizen), None
        )
        cases.append(
            {
                "reference": reference,
                "holder": "petition",
                "holder_id": petition.id,
                "number": f"{petition.reg_seq}/{petition.reg_year}",
                "received_on": petition.received_on.isoformat(),
                "kind": petition.kind.value,
                "status": petition.status.value,
                "summary": petition.summary,
            }
        )
    for visit in visits:
        reference = ref_of_citizen.get(visit.citizen_id) or next(
            (ref_of_citizen[p.citizen_id] for p in visit.participants if p.citizen_id in ref_of_citizen), None
        )
        cases.append(
            {
                "reference": reference,
                "holder": "visit",
                "holder_id": visit.id,
                "number": "",
                "received_on": visit.received_on.isoformat(),
                "kind": visit.matter_kind.value,
                "status": visit.outcome.value,
                "summary": visit.summary,
            }
        )
    reference_of_holder = {(c["holder"], c["holder_id"]): c["reference"] for c in cases}
    documents = []
    for document in _documents(session, petitions, visits):
        reference = reference_of_holder.get(("petition", document.petition_id)) or reference_of_holder.get(
            ("visit", document.visit_id)
        )
        if reference:
            documents.append({"reference": reference, **_document_facts(session, document, office)})

    package_id = package.new_package_id("TD")
    header = {
        "format": 1,
        "package_id": package_id,
        "created_at": now_local().isoformat(timespec="seconds"),
        "identities": len(identities),
        "cases": len(cases),
        "documents": len(documents),
    }
    payload = {
        "office": asdict(office),
        "identities": identities,
        "cases": cases,
        "documents": documents,
        "exported_by": actor.username,
    }
    path = Path(path)
    sha = package.seal_to_station(path, pairing, header, payload)

    # The package is on the media: now nothing of those identities may stay here.
    # Each holder is scrubbed of the identities of its own people only (one pattern per holder).
    patterns = {
        reference: _pattern(_secrets([identity, *identity["versions"]])) for reference, identity in identities.items()
    }
    for ref in pending:
        citizen = session.get(Citizen, ref.citizen_id)
        assert citizen is not None
        _wipe_person(citizen, ref.reference)
        for version in session.scalars(select(CitizenVersion).where(CitizenVersion.citizen_id == citizen.id)):
            _wipe_person(version, ref.reference)
        ref.state = TransferState.EXPORTED
        ref.exported_at = now_local()
        ref.package_id = package_id
    if patterns:
        pattern_of: dict[tuple[str, int], re.Pattern[str]] = {}
        holders: list[Petition | Visit] = [*petitions, *visits]
        for holder in holders:
            people = [holder.citizen_id, *(p.citizen_id for p in _people(holder))]
            wiped = [patterns[r] for r in (ref_of_citizen.get(c or -1) for c in people) if r in patterns]
            if not wiped:
                continue
            pattern = _pattern([p.pattern for p in wiped], escaped=True)
            pattern_of[("petition" if isinstance(holder, Petition) else "visit", holder.id)] = pattern
            holder.summary = _scrub(holder.summary, pattern) or ""
            holder.summary_folded = fold(holder.summary)
            holder.documents_received = _scrub(holder.documents_received, pattern)
        for document in _documents(session, petitions, visits):
            found = pattern_of.get(("petition", document.petition_id or -1)) or pattern_of.get(
                ("visit", document.visit_id or -1)
            )
            content = json.loads(document.content_json or "{}")
            cleaned = {
                k: (_scrub(v, found) if isinstance(v, str) and found else v)
                for k, v in content.items()
                if k not in _IDENTITY_KEYS
            }
            if cleaned != content:
                document.content_json = json.dumps(cleaned, ensure_ascii=False)
    session.flush()
    audit.record(
        session,
        actor,
        "export",
        "secret_package",
        package_id,
        after={
            "file": path.name,
            "sha256": sha,
            "station_id": pairing.station_id,
            "references": sorted(identities),
            "cases": len(cases),
            "documents": len(documents),
        },
    )
    return ExportResult(package_id, path, sha, tuple(sorted(identities)), len(cases), len(documents))


def scrub_file(engine: Engine) -> bool:
    """Rewrite a SQLite database so that no freed page or WAL frame keeps wiped ciphertext.

    True when the file was rewritten and the WAL emptied; False on a server database (PostgreSQL
    reclaims space itself; its files are the server administrator's) or when another desk holds the
    database open so that the WAL could not be emptied (run again when the desks are closed).
    """
    if engine.dialect.name != "sqlite":
        return False
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert conn is not None
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("VACUUM")
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:  # another desk is writing: the caller says to run it again
        return False
    finally:
        raw.close()
    return not busy


# ---- the station's acknowledgement -----------------------------------------------------------------


def record_refusal(session: Session, actor: Actor, path: Path, message: str) -> None:
    """Put a refused package on the trail. Call it in a new transaction, after the one of
    ``import_from_station`` was rolled back. Nothing was imported."""
    audit.record(session, actor, "refuse", "secret_package", None, after={"file": Path(path).name, "reason": message})


@dataclass(frozen=True)
class AckResult:
    package_id: str
    acknowledges: tuple[str, ...]
    confirmed: tuple[str, ...]
    unknown: tuple[str, ...]


def import_from_station(session: Session, actor: Actor, path: Path) -> AckResult:
    """Open the station's acknowledgement (references received, no identity) and mark them confirmed."""
    require(actor, Permission.REVEAL_IDENTITY)
    pairing = pairing_of(session)
    opened = package.open_from_station(Path(path), pairing)
    package_id = str(opened.header.get("package_id"))
    received = [str(r) for r in opened.payload.get("references", [])]
    rows = {
        r.reference: r for r in session.scalars(select(SecretReference).where(SecretReference.reference.in_(received)))
    }
    confirmed = []
    for reference in received:
        row = rows.get(reference)
        if row is not None and row.state != TransferState.CONFIRMED:
            row.state = TransferState.CONFIRMED
            row.confirmed_at = now_local()
            confirmed.append(reference)
    unknown = tuple(r for r in received if r not in rows)
    acknowledges = tuple(str(p) for p in opened.payload.get("acknowledges", []))
    audit.record(
        session,
        actor,
        "import",
        "secret_package",
        package_id,
        after={
            "file": Path(path).name,
            "sha256": opened.sha256,
            "acknowledges": list(acknowledges),
            "confirmed": confirmed,
            "unknown": list(unknown),
        },
    )
    return AckResult(package_id, acknowledges, tuple(confirmed), unknown)
