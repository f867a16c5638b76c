import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from app.services.common.text import fold, nfc, search_tokens


def test_fold_strips_tones_and_folds_d_stroke() -> None:
    assert fold("Đặng Thị Đào") == "dang thi dao"
    assert fold("Nguyễn Văn Dũng") == "nguyen van dung"
    assert fold("TRẦN ĐỨC HƯNG") == "tran duc hung"


def test_decomposed_input_folds_like_composed() -> None:
    composed = "Lê Thị Hồng Nhung"
    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed)


def test_nfc_collapses_whitespace_and_composes() -> None:
    assert nfc("  Phạm \t Quốc\nViệt ") == "Phạm Quốc Việt"
    assert nfc(unicodedata.normalize("NFD", "Việt")) == "Việt"


def test_search_tokens_drop_punctuation() -> None:
    assert search_tokens('Đặng "Văn"* OR') == ["dang", "van", "or"]


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
