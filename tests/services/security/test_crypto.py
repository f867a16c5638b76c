"""Identity fields are encrypted at rest; CCCD lookup works through a keyed digest; the key store is strict."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import keyring
import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEntry, Citizen
from app.models.enums import MatterKind, Role
from app.services.common.actor import Actor
from app.services.common.errors import PermissionDenied, StorageError, ValidationError
from app.services.common.text import fold
from app.services.reception import citizens, visits
from app.services.security import crypto, keys
from tests.helpers import add_visit, visit_input
from tests.keyring_memory import MemoryKeyring

SECRET_NAME = "Trương Thị Bí Mật"
SECRET_ID = "024185007777"
OTHER_ID = "024085008888"
LEAD = Actor(user_id=None, username="lanhdao", full_name="Lãnh Đạo", role=Role.LEAD)
CLERK = Actor(user_id=None, username="tiepdan", full_name="Cán Bộ", role=Role.CLERK)


def _raw_bytes(db_path: Path) -> bytes:
    data = db_path.read_bytes()
    for suffix in ("-wal", "-shm", "-journal"):
        extra = db_path.with_name(db_path.name + suffix)
        if extra.exists():
            data += extra.read_bytes()
    return data


@pytest.mark.sqlite_only
def test_raw_database_file_holds_no_denouncer_identity_and_no_cccd(db: Database, db_path: Path) -> None:
    with db.transaction() as session:
        denounced = visits.register_visit(
            session,
            LEAD,
            _with_contact(
                visit_input(
                    SECRET_NAME, id_number=SECRET_ID, kind=MatterKind.DENUNCIATION, summary="Tố cáo cán bộ xã nhận tiền"
                ),
                phone="0912345678",
                address_detail="Số 9 ngõ Bí Mật",
            ),
        )
        visits.register_visit(session, LEAD, visit_input("Nguyễn Văn Khiếu", id_number=OTHER_ID))
    with db.session() as session:
        # Still readable through the application…
        citizen = session.get(Citizen, denounced.citizen_id)
        assert citizen is not None and citizen.full_name == SECRET_NAME and citizen.id_number == SECRET_ID
        # …and found by exact CCCD through the keyed digest.
        assert [m.full_name for m in citizens.find_returning(session, OTHER_ID)] == ["Nguyễn Văn Khiếu"]
    db.dispose()
    raw = _raw_bytes(db_path)
    assert "Tố cáo cán bộ xã nhận tiền".encode() in raw  # the reading works: ordinary text is there
    for needle in (SECRET_NAME, fold(SECRET_NAME), "truong thi bi mat", SECRET_ID, OTHER_ID, "0912345678", "Bí Mật"):
        assert needle.encode("utf-8") not in raw, needle


def _with_contact(data: visits.VisitInput, **contact: str) -> visits.VisitInput:
    return dataclasses.replace(data, citizen=dataclasses.replace(data.citizen, **contact))


def test_audit_entries_hold_no_cccd_or_denouncer_identity(session: Session) -> None:
    saved = visits.register_visit(
        session, LEAD, visit_input(SECRET_NAME, id_number=SECRET_ID, kind=MatterKind.DENUNCIATION)
    )
    corrected = visit_input("Trương Thị Bí Mật Hai", id_number=SECRET_ID, kind=MatterKind.DENUNCIATION)
    visits.update_visit(session, LEAD, saved.id, corrected)
    add_visit(session, name="Nguyễn Văn Khiếu", id_number=OTHER_ID)
    session.commit()
    trail = " ".join(f"{e.before_json} {e.after_json} {e.reason}" for e in session.scalars(select(AuditEntry)).all())
    for needle in (SECRET_NAME, SECRET_ID, OTHER_ID, "truong thi"):
        assert needle not in trail
    citizen_update = session.scalars(select(AuditEntry).where(AuditEntry.entity == "citizen")).one()
    assert "Bảo mật danh tính" in (citizen_update.after_json or "")  # the change shows, not the value


def test_reveal_requires_the_right_and_a_reason_and_is_audited(session: Session) -> None:
    saved = visits.register_visit(
        session, LEAD, visit_input(SECRET_NAME, id_number=SECRET_ID, kind=MatterKind.DENUNCIATION)
    )
    rows = visits.visit_rows(session, CLERK, [saved.id])
    assert rows[0].citizen_name == "[Bảo mật danh tính]" and rows[0].id_number == "[Bảo mật danh tính]"
    with pytest.raises(PermissionDenied, match="không có quyền xem thông tin người tố cáo"):
        citizens.reveal_identity(session, CLERK, saved.citizen_id, "kiểm tra")
    with pytest.raises(ValidationError, match="lý do"):
        citizens.reveal_identity(session, LEAD, saved.citizen_id, "  ")
    revealed = citizens.reveal_identity(session, LEAD, saved.citizen_id, "Giải quyết tố cáo số 12/2026")
    assert revealed.full_name == SECRET_NAME and revealed.id_number == SECRET_ID
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
    assert entry.username == "lanhdao" and entry.reason == "Giải quyết tố cáo số 12/2026"


def test_denouncer_is_not_found_by_name(session: Session) -> None:
    visits.register_visit(session, LEAD, visit_input(SECRET_NAME, id_number=None, kind=MatterKind.DENUNCIATION))
    assert citizens.find_returning(session, "truong thi bi") == []
    assert list(visits.visit_ids(session, visits.VisitFilter(text="bi mat"))) == []


def test_digest_is_keyed_and_ciphertext_is_bound_to_its_column() -> None:
    a, b = crypto.DataKey.generate(), crypto.DataKey.generate()
    assert a.digest(SECRET_ID, "p") != b.digest(SECRET_ID, "p")
    assert a.digest(SECRET_ID, "p") == a.digest(SECRET_ID, "p")
    token = a.encrypt(SECRET_NAME, "citizen.full_name")
    assert token != a.encrypt(SECRET_NAME, "citizen.full_name")  # random nonce
    assert a.decrypt(token, "citizen.full_name") == SECRET_NAME
    with pytest.raises(StorageError, match="Không giải mã được"):
        a.decrypt(token, "citizen.phone")
    with pytest.raises(StorageError, match="Không giải mã được"):
        b.decrypt(token, "citizen.full_name")
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(StorageError):
        a.decrypt(tampered, "citizen.full_name")


def test_tampered_ciphertext_in_the_file_is_reported(db: Database) -> None:
    with db.transaction() as session:
        saved = visits.register_visit(session, LEAD, visit_input(SECRET_NAME, id_number=SECRET_ID))
    with db.transaction() as session:
        session.execute(
            text("UPDATE citizen SET full_name = :v WHERE id = :i"),
            {"v": crypto.PREFIX + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "i": saved.citizen_id},
        )
    with db.session() as session, pytest.raises(StorageError, match="Không giải mã được"):
        session.get(Citizen, saved.citizen_id)


def test_the_key_lives_in_the_keyring_and_reopening_finds_it(db_path: Path, _memory_keyring: MemoryKeyring) -> None:
    first = Database(f"sqlite:///{db_path}")
    assert first.key is not None
    stored = [account for service, account in _memory_keyring.store if service == keys.SERVICE]
    assert stored == [f"data-key-{first.key.key_id}"]
    first.dispose()
    again = Database(f"sqlite:///{db_path}")
    assert again.key == first.key
    again.dispose()
    _memory_keyring.store.clear()
    with pytest.raises(StorageError, match="Không tìm thấy khóa dữ liệu"):
        Database(f"sqlite:///{db_path}")


@pytest.mark.parametrize("backend", ["keyring.backends.null.Keyring", "keyring.backends.fail.Keyring"])
def test_no_usable_keyring_is_refused_not_bypassed(db_path: Path, backend: str) -> None:
    from keyring.core import load_keyring

    keyring.set_keyring(load_keyring(backend))  # the autouse fixture restores the previous one
    with pytest.raises(StorageError, match="TIEPDAN_KEY_FILE"):
        Database(f"sqlite:///{db_path}")
    assert not list(db_path.parent.glob("*.key"))


def test_plaintext_keyrings_alt_backend_counts_as_no_store() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    assert not keys._is_safe(PlaintextKeyring())
    assert keys._is_safe(MemoryKeyring())


def test_explicit_key_file_is_created_private(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _memory_keyring: MemoryKeyring
) -> None:
    key_file = tmp_path / "secret" / "tiepdan.key"
    monkeypatch.setenv(keys.ENV_KEY_FILE, str(key_file))
    db = Database(f"sqlite:///{db_path}")
    db.dispose()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert _memory_keyring.store == {}  # the file was asked for, so the keyring is not used
    os.chmod(key_file, 0o644)
    with pytest.raises(StorageError, match="chmod 600"):
        Database(f"sqlite:///{db_path}")


def test_recovery_text_moves_the_key_to_another_machine(db: Database, _memory_keyring: MemoryKeyring) -> None:
    assert db.key is not None
    line = keys.recovery_text(db.key)
    _memory_keyring.store.clear()
    assert keys.load_key(db.key.key_id) is None
    assert keys.import_recovery_text(line) == db.key
    with pytest.raises(StorageError, match="TIEPDAN-KEY-1"):
        keys.import_recovery_text("not a key")
