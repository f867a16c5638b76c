"""What the records of a meeting share (biên bản đối thoại, biên bản tiếp công dân): when and where
it was held, who took part, the numbered parts, the closing sentence and the two signature blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.platypus import Flowable

from app.services.common.text import nfc
from app.services.printing import layout
from app.services.printing.facts import Facts
from app.services.printing.layout import Signature, b, esc
from app.services.printing.template import page

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")


def at_text(at: dt.datetime | None) -> str:
    """ "09 giờ 30 phút, ngày 02 tháng 3 năm 2026" (or "…" when the time is not known)."""
    return f"{at:%H} giờ {at:%M} phút, {layout.long_date(at.date())}" if at else "…"


def opening(facts: Facts, at: dt.datetime | None, place: str) -> Flowable:
    return layout.para(f"Vào hồi {esc(at_text(at))}, tại {esc(place or '…')}.")


def paragraphs(facts: Facts, key: str, default: str = "…") -> list[str]:
    """A text typed on several lines (stored as a list of its lines) as its paragraphs."""
    value = facts.content.get(key)
    if isinstance(value, list | tuple):
        found = [facts.scrub(nfc(str(v))) for v in value if str(v).strip()]
    else:
        found = [facts.text(key)] if facts.text(key) else []
    return found or [default]


def part(number: int, heading: str, paragraphs: Sequence[str] = (), items: Sequence[str] = ()) -> list[Flowable]:
    """ "I. Thành phần tham gia:" then its paragraphs (or a numbered list)."""
    out: list[Flowable] = [layout.para(b(f"{ROMAN[number - 1]}. {heading}"), indent=False)]
    out += [layout.para(esc(p)) for p in paragraphs]
    out += layout.numbered(items) if items else []
    return out


def closing_sentence(copies: int = 2) -> Flowable:
    return layout.para(
        "Biên bản đã được đọc lại cho những người tham gia cùng nghe, thống nhất và ký xác nhận. "
        f"Biên bản được lập thành {copies:02d} bản có giá trị như nhau, mỗi bên giữ 01 bản."
    )


def minutes_page(
    facts: Facts,
    *,
    title: str,
    subtitle: str,
    body: Sequence[Flowable],
    left: Signature,
    right: Signature,
) -> list[Flowable]:
    """A record of a meeting on the standard page: no "Kính gửi", no "Nơi nhận"; both sides sign."""
    return page(
        facts,
        title=title,
        subtitle=subtitle,
        body=body,
        closing=layout.parties(left, right, keep_with=[closing_sentence()]),
    )
