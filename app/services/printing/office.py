"""The office's names and signer as every document prints them, read from the settings.

Kept apart from the page layout so that the settings screens and the first-run setup do not load
the PDF toolkit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.common import settings
from app.services.common.text import nfc


@dataclass(frozen=True)
class Office:
    """The office's names and signer, read from the settings every document uses."""

    governing_body: str
    name: str
    symbol: str
    place: str
    signer_name: str
    signer_title: str
    signer_authority: str
    name_in_text: str = ""  # the name inside a sentence: "Ban Tiếp công dân tỉnh"


OFFICE_NAME_IN_TEXT = settings.define(
    "office.name_in_text",
    "",
    "Tên cơ quan viết trong câu văn, ví dụ “Ban Tiếp công dân tỉnh” (để trống: tự suy từ tên cơ quan)",
)


def sentence_case(name: str) -> str:
    """ "BAN TIẾP CÔNG DÂN TỈNH" → "Ban tiếp công dân tỉnh" when no in-text name is configured."""
    return name[:1].upper() + name[1:].lower() if name.isupper() else name


def office_from_settings(session: Session) -> Office:
    def text(definition: settings.SettingDef) -> str:
        return nfc(str(settings.get(session, definition) or ""))

    name = text(settings.OFFICE_NAME)
    return Office(
        governing_body=text(settings.GOVERNING_BODY),
        name=name,
        symbol=text(settings.OFFICE_SYMBOL),
        place=text(settings.PLACE_NAME),
        signer_name=text(settings.SIGNER_NAME),
        signer_title=text(settings.SIGNER_TITLE),
        signer_authority=text(settings.SIGNER_AUTHORITY),
        name_in_text=text(OFFICE_NAME_IN_TEXT) or sentence_case(name),
    )


__all__ = ["OFFICE_NAME_IN_TEXT", "Office", "office_from_settings", "sentence_case"]
