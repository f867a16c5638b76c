"""Vietnamese text: NFC normalisation and the tone-free folded key every search uses."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Normalise to NFC and collapse runs of white space; reportlab and SQLite need NFC."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def nfc_or_none(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = nfc(text)
    return cleaned or None


def fold(text: str) -> str:
    """Lower-case, strip tones and marks, map đ to d: ``Đặng Thị Ễ`` → ``dang thi e``.

    ``đ`` is a letter of its own in Unicode, not d plus a mark, so NFD alone keeps it.
    """
    decomposed = unicodedata.normalize("NFD", text.lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return nfc(stripped.replace("đ", "d"))


def search_tokens(query: str) -> list[str]:
    """Folded words of a query, keeping only letters and digits."""
    return [tok for tok in re.split(r"[^0-9a-z]+", fold(query)) if tok]


def keep_last(value: str | None, keep: int) -> str | None:
    """``value`` with all but its last ``keep`` characters hidden ("••••••••1234")."""
    if not value:
        return value
    return "•" * max(len(value) - keep, 0) + value[-keep:]
