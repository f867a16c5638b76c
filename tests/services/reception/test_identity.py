import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from app.models.enums import Gender, IdKind
from app.services.reception.identity import check_id_number

TODAY = dt.date(2026, 11, 26)


def test_valid_cccd_with_separators() -> None:
    check = check_id_number("024.085-001 234", birth_year=1985, gender=Gender.MALE, today=TODAY)
    assert check.ok and check.kind == IdKind.CCCD
    assert check.number == "024085001234"
    assert check.warnings == ()
    assert check.birth_year == 1985 and check.gender == Gender.MALE


def test_wrong_length_is_an_error_in_vietnamese() -> None:
    check = check_id_number("02408500123", today=TODAY)
    assert not check.ok
    assert check.error is not None and "12 chữ số" in check.error and "11" in check.error


def test_letters_are_an_error() -> None:
    assert check_id_number("02408500123A", today=TODAY).error is not None


def test_nine_digits_is_old_cmnd() -> None:
    check = check_id_number("123456789", today=TODAY)
    assert check.ok and check.kind == IdKind.CMND


def test_inferences_only_warn() -> None:
    # Province 003 does not exist; digit 4 = 1 → female born 1900s; year 85 → 1985.
    check = check_id_number("003185001234", birth_year=1990, gender=Gender.MALE, today=TODAY)
    assert check.ok
    joined = " ".join(check.warnings)
    assert "003" in joined and "1990" in joined and "Giới tính" in joined


def test_future_birth_year_warns() -> None:
    check = check_id_number("024299001234", today=TODAY)  # 2000s + 99 = 2099
    assert check.ok and any("tương lai" in w for w in check.warnings)


def test_empty_is_allowed() -> None:
    assert check_id_number("  ").ok


@given(st.text(max_size=30))
def test_any_input_gives_a_result_never_an_exception(raw: str) -> None:
    check = check_id_number(raw, today=TODAY)
    assert check.ok or (check.error and check.error.strip())
