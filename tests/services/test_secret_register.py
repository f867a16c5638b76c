"""Sổ mật mode: identities go to the standalone store, the networked database keeps only references."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.db import Database
from app.models import AuditEntry, Citizen, CitizenVersion, SecretReference, Visit
from app.models.enums import DocumentType, Gender, MatterKind, ReceptionKind, Role, VisitOutcome
from app.models.secret_register import StoreAudit, TransferState
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, RuleViolation, StorageError
from app.services.printing import render
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput
from app.services.secret_register import networked, printing, store
from app.services.security import confidential
from app.services.security import secret_references as refs
from tests import printing_data as data
from tests.helpers import local

NAME = "Hoàng Văn Tố"
ID_NUMBER = "024085009876"
PHONE = "0912345678"
ADDRESS = "Số 7 ngõ Trúc Lâm"
LEAD = Actor(user_id=None, username="lanhdao", full_name="Lãnh đạo Ban", role=Role.LEAD)
CLERK = Actor(user_id=None, username="tiep", full_name="Cán bộ tiếp", role=Role.CLERK)


def add_denunciation(session: object, received_at: dt.datetime | None = None) -> visits.SavedVisit:
    saved = visits.register_visit(
        session,  # type: ignore[arg-type]
        SYSTEM,
        visits.VisitInput(
            reception_kind=ReceptionKind.REGULAR,
            citizen=CitizenInput(
                full_name=NAME,
                id_number=ID_NUMBER,
                gender=Gender.MALE,
                birth_year=1980,
                phone=PHONE,
                province_code="24",
                address_detail=ADDRESS,
            ),
            summary="Tố cáo cán bộ địa chính xã nhận tiền khi cấp giấy chứng nhận quyền sử dụng đất",
            matter_kind=MatterKind.DENUNCIATION,
            outcome=VisitOutcome.GUIDED,
            received_at=received_at or local(2026, 11, 20, 9, 30),
            officer_name="Phạm Thu Hà",
            documents_received="Đơn tố cáo (02 trang)",
        ),
    )
    return saved


@dataclasses.dataclass
class Sides:
    db: Database
    station: store.SecretStore
    visit_id: int
    receipt_id: int
    folder: Path


@pytest.fixture
def sides(db: Database, tmp_path: Path) -> Iterator[Sides]:
    folder = tmp_path / "usb"
    station = store.create_store(tmp_path / "station" / "so-mat.sqlite3", SYSTEM, folder / "ghep-cap.json")
    with db.transaction() as session:
        data.setup_office(session)
        saved = add_denunciation(session)
        ref, _pdf = render.receipt_for_visit(session, SYSTEM, saved.id, ["Đơn tố cáo (02 trang)"])
        networked.pair(session, SYSTEM, folder / "ghep-cap.json")
        networked.set_enabled(session, SYSTEM, True)
    yield Sides(db, station, saved.id, ref.id, folder)
    station.dispose()


def _ciphertexts(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT full_name, id_number, phone, address_detail FROM citizen WHERE confidential "
                "UNION ALL SELECT full_name, id_number, phone, address_detail FROM citizen_version WHERE confidential"
            )
        ).all()
    return [value for row in rows for value in row if value]


def _export(sides: Sides, name: str = "sang-so-mat.tdsm") -> networked.ExportResult:
    with sides.db.transaction() as session:
        result = networked.export_to_station(session, LEAD, sides.folder / name)
    networked.scrub_file(sides.db.engine)
    return result


@pytest.mark.sqlite_only
def test_round_trip_leaves_nothing_identifying_in_the_networked_file(sides: Sides, db_path: Path) -> None:
    before = _ciphertexts(sides.db)
    assert len(before) >= 4 and all(value.startswith("enc1:") for value in before)
    with sides.db.session() as session:
        assert networked.awaiting_count(session) == 1

    result = _export(sides)
    assert len(result.references) == 1 and result.documents == 1
    reference = result.references[0]
    assert refs.parse(reference) == reference

    # Read while the database is still open (the WAL as the desks leave it), then after closing.
    wal = db_path.with_name(db_path.name + "-wal")
    raw = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    sides.db.dispose()
    raw += db_path.read_bytes()
    for secret in [NAME, ID_NUMBER, PHONE, ADDRESS, *before]:
        assert secret.encode("utf-8") not in raw, secret
    assert reference.encode() in raw

    db = Database(sides.db.url)
    try:
        with db.session() as session:
            citizen = session.scalars(select(Citizen).where(Citizen.confidential.is_(True))).one()
            assert citizen.full_name == f"{reference} · Danh tính lưu tại sổ mật"
            assert (citizen.id_number, citizen.phone, citizen.address_detail, citizen.birth_year) == (
                None,
                None,
                None,
                None,
            )
            versions = session.scalars(select(CitizenVersion).where(CitizenVersion.citizen_id == citizen.id)).all()
            assert versions and all(v.full_name == citizen.full_name and v.id_number is None for v in versions)
            assert confidential.shown(CLERK, citizen.full_name, True) == citizen.full_name
            assert networked.awaiting_count(session) == 0

        # The station opens the package, and prints the receipt with the name.
        imported = store.import_package(sides.station, LEAD, result.path)
        assert imported.identities == (reference,) and imported.documents == 1
        assert store.identity_of(sides.station, LEAD, reference)["full_name"] == NAME
        [entry] = store.entries(sides.station, LEAD)
        assert entry.full_name == NAME and entry.documents[0][0] == sides.receipt_id
        _stem, pdf = printing.print_document(sides.station, LEAD, sides.receipt_id)
        station_text = data.pdf_text(pdf)
        assert "GIẤY BIÊN NHẬN" in station_text.upper()
        assert NAME in station_text and ID_NUMBER in station_text

        # The networked desk prints the same receipt masked, with the reference.
        with db.transaction() as session:
            desk_text = data.pdf_text(render.render_document(session, LEAD, sides.receipt_id))
        assert NAME not in desk_text and ID_NUMBER not in desk_text
        assert reference in desk_text and "người tố cáo" in desk_text

        # The acknowledgement comes back: references only.
        ack_id, acknowledged = store.export_acknowledgement(sides.station, LEAD, sides.folder / "xac-nhan.tdsm")
        assert acknowledged == (reference,)
        assert NAME.encode() not in (sides.folder / "xac-nhan.tdsm").read_bytes()
        with db.transaction() as session:
            ack = networked.import_from_station(session, LEAD, sides.folder / "xac-nhan.tdsm")
        assert ack.confirmed == (reference,) and ack.acknowledges == (result.package_id,)
        with db.session() as session:
            row = session.scalars(select(SecretReference)).one()
            assert row.state == TransferState.CONFIRMED and row.package_id == result.package_id
            trail = session.execute(
                select(AuditEntry.action, AuditEntry.entity_id).where(AuditEntry.entity == "secret_package")
            ).all()
        assert set(trail) == {("export", result.package_id), ("import", ack_id)}
    finally:
        db.dispose()

    with sides.station.session() as session:
        actions = [a for a in session.scalars(select(StoreAudit.action).order_by(StoreAudit.id))]
    assert actions[0] == "init" and {"import", "export", "print", "reveal"} <= set(actions)
    assert store.verify_audit(sides.station)


def test_a_tampered_package_is_refused_and_nothing_imported(sides: Sides, tmp_path: Path) -> None:
    result = _export(sides)
    raw = bytearray(result.path.read_bytes())
    raw[-20] ^= 0x01
    bad = tmp_path / "sua.tdsm"
    bad.write_bytes(bytes(raw))
    with pytest.raises(StorageError, match="không mở được: tệp đã bị sửa đổi"):
        store.import_package(sides.station, LEAD, bad)
    # A header changed (the count) fails the same way: the header is bound into the cipher.
    header_edit = result.path.read_bytes().replace(b'"identities": 1', b'"identities": 2')
    bad.write_bytes(header_edit)
    with pytest.raises(StorageError, match="không mở được"):
        store.import_package(sides.station, LEAD, bad)
    with sides.station.session() as session:
        assert session.scalars(select(StoreAudit.action)).all() == ["init", "refuse", "refuse"]
    # The genuine package still goes in, once.
    store.import_package(sides.station, LEAD, result.path)
    with pytest.raises(RuleViolation, match="đã được nhập"):
        store.import_package(sides.station, LEAD, result.path)


def test_another_stations_package_and_a_forged_acknowledgement_are_refused(sides: Sides, tmp_path: Path) -> None:
    result = _export(sides)
    other = store.create_store(tmp_path / "khac.sqlite3", SYSTEM, tmp_path / "khac.json")
    try:
        with pytest.raises(StorageError, match="dành cho sổ mật mã"):
            store.import_package(other, LEAD, result.path)
        # An acknowledgement sealed by a station this office is not paired with does not open here.
        forged = tmp_path / "gia.tdsm"
        store.export_acknowledgement(other, LEAD, forged)
        with sides.db.transaction() as session, pytest.raises(StorageError, match="dành cho sổ mật mã"):
            networked.import_from_station(session, LEAD, forged)
    finally:
        other.dispose()
    # The package of the other direction is refused by its side with what to do, and the refusal audited.
    with sides.db.transaction() as session, pytest.raises(StorageError, match="chỉ nhập được trên máy sổ mật") as err:
        networked.import_from_station(session, LEAD, result.path)
    with sides.db.transaction() as session:
        networked.record_refusal(session, LEAD, result.path, err.value.user_message)
    with sides.db.session() as session:
        refused = session.scalars(
            select(AuditEntry.after_json).where(AuditEntry.entity == "secret_package", AuditEntry.action == "refuse")
        ).all()
    assert len(refused) == 1 and result.path.name in refused[0]
    not_a_package = tmp_path / "ghi-chu.txt"
    not_a_package.write_text("ghi chú", encoding="utf-8")
    with pytest.raises(StorageError, match="không phải gói dữ liệu sổ mật"):
        store.import_package(sides.station, LEAD, not_a_package)


def test_export_needs_the_mode_and_the_right(sides: Sides) -> None:
    with sides.db.transaction() as session, pytest.raises(PermissionDenied):
        networked.export_to_station(session, CLERK, sides.folder / "x.tdsm")
    with sides.db.transaction() as session:
        networked.set_enabled(session, SYSTEM, False)
    with sides.db.transaction() as session, pytest.raises(RuleViolation, match="Chế độ sổ mật đang tắt"):
        networked.export_to_station(session, LEAD, sides.folder / "x.tdsm")
    assert not (sides.folder / "x.tdsm").exists()
    with sides.db.session() as session:
        citizen = session.scalars(select(Citizen).where(Citizen.confidential.is_(True))).one()
        assert citizen.full_name == NAME  # nothing wiped


def test_a_later_export_carries_case_state_and_new_documents_without_identities(sides: Sides) -> None:
    first = _export(sides)
    store.import_package(sides.station, LEAD, first.path)
    with sides.db.transaction() as session:
        ref, _pdf = render.issue_for_visit(
            session, LEAD, sides.visit_id, DocumentType.APPOINTMENT, dict(data.CONTENT[DocumentType.APPOINTMENT])
        )
    second = _export(sides, "lan-2.tdsm")
    assert second.references == () and second.documents == 2
    imported = store.import_package(sides.station, LEAD, second.path)
    assert imported.identities == () and imported.documents == 2
    _stem, pdf = printing.print_document(sides.station, LEAD, ref.symbol)
    assert NAME in data.pdf_text(pdf)


def test_a_name_quoted_in_the_summary_is_scrubbed_with_the_identity(sides: Sides) -> None:
    with sides.db.transaction() as session:
        visit = session.get(Visit, sides.visit_id)
        assert visit is not None
        visit.summary = f"Ông {NAME} (điện thoại {PHONE}) tố cáo cán bộ địa chính xã"
        other = add_denunciation(session, local(2026, 11, 21, 10, 0))  # a second visit, nothing quoted
    _export(sides)
    with sides.db.session() as session:
        visit = session.get(Visit, sides.visit_id)
        assert visit is not None
        assert visit.summary == "Ông […] (điện thoại […]) tố cáo cán bộ địa chính xã"
        assert NAME.lower() not in visit.summary_folded and "hoang van to" not in visit.summary_folded
        kept = session.get(Visit, other.id)
        assert kept is not None and kept.summary.startswith("Tố cáo cán bộ địa chính")
