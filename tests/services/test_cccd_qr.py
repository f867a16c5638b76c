"""CCCD chip-card QR text: parsing every field, refusing bad scans, mapping old addresses to 2025 units."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import Gender, IdKind
from app.services.common.errors import ValidationError
from app.services.reception import cccd_qr

TODAY = dt.date(2026, 12, 7)
AN = (
    "001095012345|012345678|Nguyễn Văn An|15031995|Nam|"
    "Số 12, Phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội|20042021"
)


def _scan(session: Session, text: str) -> cccd_qr.Scan:
    return cccd_qr.read_scan(session, text, today=TODAY)


def _refused(text: str) -> str:
    with pytest.raises(ValidationError) as caught:
        cccd_qr.parse(text, today=TODAY)
    message = caught.value.fields[cccd_qr.SCAN_KEY]
    assert message.startswith("Mã QR CCCD không đọc được")
    return message


def test_full_card_old_hanoi_address_maps_to_merged_ward(session: Session) -> None:
    scan = _scan(session, AN)
    card = scan.card
    assert (card.id_number, card.id_kind, card.old_id_number) == ("001095012345", IdKind.CCCD, "012345678")
    assert (card.full_name, card.birth_date, card.gender) == ("Nguyễn Văn An", dt.date(1995, 3, 15), Gender.MALE)
    assert card.issued_on == dt.date(2021, 4, 20)
    # Phường Hàng Bạc (Quận Hoàn Kiếm) was merged into Phường Hoàn Kiếm on 01/7/2025.
    assert scan.address == cccd_qr.MappedAddress("01", "00070", "Số 12, Phố Hàng Bạc")
    assert scan.citizen.birth_year == 1995
    assert scan.message() == "Đã đọc mã QR CCCD của Nguyễn Văn An (sinh 15/03/1995)."


def test_old_province_merged_into_new_one(session: Session) -> None:
    # Hải Dương province joined Hải Phòng; its city ward "Phường Hải Dương" is a current name there.
    text = "030186004321||Trần Thị Bích|02021986|Nữ|Thôn Đông, Xã Tân Hưng, Thành phố Hải Dương, Hải Dương|01012022"
    scan = _scan(session, text)
    assert scan.card.gender is Gender.FEMALE
    assert scan.card.old_id_number is None
    assert scan.address.province_code == "31"
    # Xã Tân Hưng was merged under another name: not guessed, the clerk chooses, the old names kept.
    assert scan.address.commune_code is None
    assert scan.address.note == cccd_qr.UNMAPPED_COMMUNE
    assert scan.address.detail == "Thôn Đông, Xã Tân Hưng, Thành phố Hải Dương"
    assert "không xác định được xã/phường mới, hãy chọn" in scan.message()


def test_phuc_xa_maps_to_hong_ha_and_current_addresses_match_by_name(session: Session) -> None:
    old = "001080000111||Lê Văn Bình|01011980|Nam|Tổ 5, Phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội|05052021"
    assert _scan(session, old).address.commune_code == "00097"  # Phường Hồng Hà
    new = "079190000222||Phạm Thu Hà|09091990|Nữ|12 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh|10102025"
    assert _scan(session, new).address == cccd_qr.MappedAddress("79", "26743", "12 Lê Lợi")
    # Bà Rịa - Vũng Tàu is now part of Thành phố Hồ Chí Minh; Phường Vũng Tàu kept its name.
    brvt = "077085000333||Võ Minh Tâm|03031985|Nam|Số 3, Phường Vũng Tàu, Thành phố Vũng Tàu, Bà Rịa - Vũng Tàu|"
    scan = _scan(session, brvt)
    assert scan.address == cccd_qr.MappedAddress("79", "26506", "Số 3")
    assert scan.card.issued_on is None


def test_extra_trailing_fields_of_newer_cards_are_ignored(session: Session) -> None:
    scan = _scan(session, AN + "|Nguyễn Văn Bố|Trần Thị Mẹ|extra")
    assert scan.card.full_name == "Nguyễn Văn An"


def test_cmnd_only_card(session: Session) -> None:
    scan = _scan(session, "|012345678|Đặng Thị Ễ|01011960|Nữ|Xóm 2, Xã Đông Anh, Hà Nội|01012020")
    assert (scan.card.id_number, scan.card.id_kind) == ("012345678", IdKind.CMND)
    assert scan.address.commune_code == "00454"


def test_unknown_province_is_said(session: Session) -> None:
    scan = _scan(session, "001095012345||Nguyễn Văn An|15031995|Nam|Số 1, Phường X, Nowhere|20042021")
    assert scan.address.province_code is None
    assert "tỉnh/thành phố" in scan.message()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("001095012345|012345678|Nguyễn Văn An|15031995", "có 4 trường"),
        ("00109501234|012345678|Nguyễn Văn An|15031995|Nam|Hà Nội|20042021", "đúng 12 chữ số"),
        ("001095012345|01234567|Nguyễn Văn An|15031995|Nam|Hà Nội|20042021", "9 chữ số"),
        ("001095012345||Nguyễn Văn An|31021995|Nam|Hà Nội|20042021", "không phải ngày có thật"),
        ("001095012345||Nguyễn Văn An|1503199|Nam|Hà Nội|20042021", "ddMMyyyy"),
        ("001095012345||Nguyễn Văn An|15031995|Nữ|Hà Nội|20042021", "không khớp"),  # digit 4: male
        ("001096012345||Nguyễn Văn An|15031995|Nam|Hà Nội|20042021", "không khớp"),  # digits 5–6: 96
        ("001095012345||Nguyễn Văn An|15031995|X|Hà Nội|20042021", "Nam hoặc Nữ"),
        ("||Nguyễn Văn An|15031995|Nam|Hà Nội|20042021", "không có số CCCD"),
        ("001095012345||123|15031995|Nam|Hà Nội|20042021", "họ tên"),
        ("001095012345||Nguyễn Văn An|15031995|Nam|Hà Nội|20042031", "ngày cấp"),
        ("a|b|c|d|e|f|g", "12 chữ số"),
    ],
)
def test_bad_scans_are_refused_with_a_clear_message(text: str, says: str) -> None:
    assert says in _refused(text)


def test_looks_like_scan() -> None:
    assert cccd_qr.looks_like_scan(AN)
    assert cccd_qr.looks_like_scan("001095012345|0123456")  # cut by a short field
    assert not cccd_qr.looks_like_scan("Nguyễn Văn An")
