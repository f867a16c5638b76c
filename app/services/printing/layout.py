"""Building blocks of a state administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I).

Everything a template needs: the office header with the national heading, the place-date line,
the title, body paragraphs, "Nơi nhận" with the signature block, and ``build_pdf`` which lays the
story out on A4 with the prescribed margins, Liberation Serif embedded, and a fixed creation date
(``invariant``) so that the same data always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from app.services.common.text import nfc
from app.services.printing import fonts

# The office block moved to its own module; documents still import it from here.
from app.services.printing.office import OFFICE_NAME_IN_TEXT as OFFICE_NAME_IN_TEXT
from app.services.printing.office import Office as Office
from app.services.printing.office import office_from_settings as office_from_settings
from app.services.printing.office import sentence_case as sentence_case

# NĐ 30/2020: top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
PORTRAIT_WIDTH = A4[0] - MARGIN_LEFT - MARGIN_RIGHT

# Sizes in points, inside the ranges NĐ 30 prescribes.
SIZE_HEADING = 12.5  # national heading, 12–13
SIZE_MOTTO = 13.5  # motto, 13–14
SIZE_BODY_NAME = 12.5  # governing / issuing body, 12–13
SIZE_NUMBER = 13  # "Số: …", 13
SIZE_TEXT = 14  # place-date, title, body, 13–14
SIZE_RECIPIENTS_HEAD = 12
SIZE_RECIPIENTS = 11
SIZE_SIGN = 13.5
SIZE_FORM_NUMBER = 11  # "Mẫu số 01": a small line above the heading, as in the circulars' appendices
LEFT_COL = 68 * mm  # header column of the bodies; the rest is the national heading's
SIGN_COL = 80 * mm


@dataclass(frozen=True)
class Signature:
    """One signature block: authority line ("KT. TRƯỞNG BAN"), title, a note, space, the name."""

    title: str
    name: str = ""
    authority: str = ""
    note: str = ""
    dateline: str = ""  # italic place-date line above the block (the register's signature)


def office_signature(office: Office) -> Signature:
    return Signature(title=office.signer_title, name=office.signer_name, authority=office.signer_authority)


# ---- text ------------------------------------------------------------------------------------------


def esc(value: object) -> str:
    """Data as paragraph markup: NFC, white space collapsed, ``<&>`` escaped."""
    return escape(nfc(str(value)))


def b(value: object) -> str:
    return f"<b>{esc(value)}</b>"


def i(value: object) -> str:
    return f"<i>{esc(value)}</i>"


def two(n: int) -> str:
    return f"{n:02d}"


def long_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026": NĐ 30 writes days below 10 and months 1–2 with a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    return f"{place}, {long_date(day)}" if place else long_date(day).capitalize()


def short_date(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "…"


def _style(name: str, **kw: Any) -> ParagraphStyle:
    fonts.register()
    base: dict[str, Any] = {"fontName": fonts.REGULAR, "fontSize": SIZE_TEXT, "leading": SIZE_TEXT * 1.25}
    base.update(kw)
    return ParagraphStyle(name, **base)


class Styles:
    """Paragraph styles, built after the fonts are registered."""

    def __init__(self) -> None:
        self.body = _style("body", alignment=TA_JUSTIFY, firstLineIndent=10 * mm, spaceBefore=4)
        self.plain = _style("plain", alignment=TA_JUSTIFY, spaceBefore=4)
        self.item = _style("item", alignment=TA_JUSTIFY, leftIndent=10 * mm, spaceBefore=2)
        self.title = _style("title", fontName=fonts.BOLD, alignment=TA_CENTER, spaceBefore=14)
        self.subtitle = _style("subtitle", fontName=fonts.BOLD, alignment=TA_CENTER)
        self.center = _style("center", alignment=TA_CENTER, spaceBefore=10)
        self.addressee = _style("addressee", alignment=TA_LEFT, leftIndent=25 * mm, spaceBefore=10)
        size, head = SIZE_RECIPIENTS, SIZE_RECIPIENTS_HEAD
        self.recipients_head = _style("rh", fontName=fonts.BOLD_ITALIC, fontSize=head, leading=head * 1.2)
        self.recipients = _style("r", fontSize=size, leading=size * 1.2, leftIndent=2 * mm, firstLineIndent=-2 * mm)
        sign = SIZE_SIGN
        self.sign = _style("sign", fontName=fonts.BOLD, fontSize=sign, leading=sign * 1.2, alignment=TA_CENTER)
        self.sign_note = _style("sn", fontName=fonts.ITALIC, fontSize=sign, leading=sign * 1.2, alignment=TA_CENTER)
        self.sign_name = _style("sname", fontName=fonts.BOLD, alignment=TA_CENTER)
        form = SIZE_FORM_NUMBER
        self.form_number = _style("form", fontName=fonts.BOLD, fontSize=form, leading=form * 1.2, alignment=TA_RIGHT)


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles


# ---- flowables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    font: str
    size: float
    rule: float = 0.0  # width of a rule drawn under the line (0: none)
    gap: float = 0.0  # extra space before the line


def _column_lines(spec: Sequence[tuple[str, str, float, str]], width: float) -> list[_Line]:
    """Wrap each (text, font, size, rule) entry to ``width``; rule is "", "short" or "text"."""
    lines: list[_Line] = []
    for text, font, size, rule in spec:
        if not text:
            continue
        wrapped = simpleSplit(nfc(text), font, size, width) or [""]
        for n, chunk in enumerate(wrapped):
            last = n == len(wrapped) - 1
            rule_width = 0.0
            if last and rule == "text":
                rule_width = stringWidth(chunk, font, size)
            elif last and rule == "short":
                widest = max(stringWidth(c, font, size) for c in wrapped)
                rule_width = max(widest / 3, 18 * mm)
            lines.append(_Line(chunk, font, size, rule_width))
    return lines


_RULE_SPACE = 5.0


def _lines_height(lines: Sequence[_Line]) -> float:
    return sum(line.size * 1.2 + (_RULE_SPACE if line.rule else 0) + line.gap for line in lines)


class OfficeHeader(Flowable):  # type: ignore[misc]
    """Top of the first page: bodies and "Số:" on the left, national heading and place-date on the right."""

    def __init__(
        self,
        office: Office,
        number: str | None,
        day: dt.date | None,
        *,
        excerpt: str = "",
        national: bool = True,
        width: float = PORTRAIT_WIDTH,
    ) -> None:
        super().__init__()
        self.width = width
        left_w, right_w = LEFT_COL, width - LEFT_COL
        self.left = _column_lines(
            [
                (office.governing_body.upper(), fonts.REGULAR, SIZE_BODY_NAME, ""),
                (office.name.upper(), fonts.BOLD, SIZE_BODY_NAME, "short"),
            ],
            left_w - 2 * mm,
        )
        national_lines = [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", fonts.BOLD, SIZE_HEADING, ""),
            ("Độc lập - Tự do - Hạnh phúc", fonts.BOLD, SIZE_MOTTO, "text"),
        ]
        self.right = _column_lines(national_lines if national else [], right_w)
        # The number and the place-date line share a row below the taller of the two blocks.
        self.number = _column_lines([(f"Số: {number}", fonts.REGULAR, SIZE_NUMBER, "")], left_w) if number else []
        self.excerpt = _column_lines([(excerpt, fonts.REGULAR, 12, "")], left_w - 4 * mm) if excerpt else []
        dateline = [(place_date(office.place, day), fonts.ITALIC, SIZE_TEXT, "")] if day else []
        self.date = _column_lines(dateline, right_w)
        self.left_w, self.right_w = left_w, right_w

    def _heights(self) -> tuple[float, float]:
        top = max(_lines_height(self.left), _lines_height(self.right)) + 8
        bottom = max(_lines_height(self.number) + _lines_height(self.excerpt), _lines_height(self.date))
        return top, bottom

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        top, bottom = self._heights()
        return self.width, top + bottom

    def _draw_column(self, lines: Sequence[_Line], center_x: float, y: float) -> float:
        canv = self.canv
        for line in lines:
            y -= line.size * 1.2 + line.gap
            canv.setFont(line.font, line.size)
            baseline = y + line.size * 0.22
            canv.drawCentredString(center_x, baseline, line.text)
            if line.rule:
                # Clear of the descenders (p, g, ạ), as the printed forms have it.
                rule_y = baseline - line.size * 0.24 - 2.5
                y -= _RULE_SPACE
                canv.setLineWidth(0.6)
                canv.line(center_x - line.rule / 2, rule_y, center_x + line.rule / 2, rule_y)
        return y

    def draw(self) -> None:
        top, bottom = self._heights()
        height = top + bottom
        left_center = self.left_w / 2
        right_center = self.left_w + self.right_w / 2
        self._draw_column(self.left, left_center, height)
        self._draw_column(self.right, right_center, height)
        y = self._draw_column(self.number, left_center, height - top)
        self._draw_column(self.excerpt, left_center, y)
        self._draw_column(self.date, right_center, height - top)


class Rule(Flowable):  # type: ignore[misc]
    """A short centred horizontal line (under a document's title or excerpt), clear of descenders."""

    def __init__(self, length: float, width: float = PORTRAIT_WIDTH, above: float = 5, below: float = 4) -> None:
        super().__init__()
        self.length, self.width, self.above, self.below = length, width, above, below

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.above + self.below

    def draw(self) -> None:
        self.canv.setLineWidth(0.6)
        x = (self.width - self.length) / 2
        self.canv.line(x, self.below, x + self.length, self.below)


def title(text: str, subtitle: str = "") -> list[Flowable]:
    """Bold capital title, optional bold excerpt line(s) under it, and a short rule."""
    st = styles()
    out: list[Flowable] = [Paragraph(esc(text.upper()), st.title)]
    if subtitle:
        out.append(Paragraph(esc(subtitle), st.subtitle))
    out.append(Rule(35 * mm))
    return out


def form_number(text: str) -> list[Flowable]:
    """The template's official number ("Mẫu số 01") on a small line at the top right of the first
    page, where the circulars' appendices put it; nothing when the number is not known."""
    return [Paragraph(esc(text), styles().form_number)] if text else []


def addressee(*names: str) -> Paragraph:
    """ "Kính gửi: …" (one line per addressee when several)."""
    cleaned = [esc(n) for n in names if n]
    if len(cleaned) <= 1:
        return Paragraph(f"Kính gửi: {cleaned[0] if cleaned else '…'}", styles().center)
    lines = "<br/>".join(f"- {n};" for n in cleaned)
    return Paragraph(f"Kính gửi:<br/>{lines}", styles().addressee)


def para(markup: str, *, indent: bool = True) -> Paragraph:
    """A justified body paragraph; ``markup`` must already be escaped (use esc/b/i)."""
    return Paragraph(markup, styles().body if indent else styles().plain)


def numbered(items: Sequence[str]) -> list[Paragraph]:
    return [Paragraph(f"{n}. {esc(item)}", styles().item) for n, item in enumerate(items, 1)]


def _signature_cell(sig: Signature) -> list[Flowable]:
    st = styles()
    out: list[Flowable] = []
    if sig.dateline:
        out.append(Paragraph(esc(sig.dateline), st.sign_note))
    # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH": one line per level of authority.
    for line in re.split(r"\s*(?:\n|/)\s*", sig.authority.strip()) if sig.authority.strip() else []:
        out.append(Paragraph(esc(line.upper()), st.sign))
    out.append(Paragraph(esc(sig.title.upper()) if sig.title else "&nbsp;", st.sign))
    if sig.note:
        out.append(Paragraph(esc(sig.note), st.sign_note))
    out.append(Spacer(1, 24 * mm))
    out.append(Paragraph(esc(sig.name) if sig.name else "&nbsp;", st.sign_name))
    return out


def closing(recipients: Sequence[str], signature: Signature, width: float = PORTRAIT_WIDTH) -> Flowable:
    """ "Nơi nhận:" with its list at the bottom left, the signature block at the bottom right."""
    st = styles()
    left: list[Flowable] = [Paragraph("Nơi nhận:", st.recipients_head)]
    items = list(recipients)
    for n, item in enumerate(items):
        end = "." if n == len(items) - 1 else ";"
        left.append(Paragraph(f"- {esc(item)}{end}", st.recipients))
    return _two_columns(left, _signature_cell(signature), width)


def parties(
    left: Signature, right: Signature, width: float = PORTRAIT_WIDTH, *, keep_with: Sequence[Flowable] = ()
) -> Flowable:
    """Two signature blocks side by side (receipt: the person handing in and the receiver).

    ``keep_with``: flowables that must stay on the same page as the signatures (a closing line);
    they go inside the one KeepTogether, because nested KeepTogethers misjudge the space left.
    """
    return _two_columns(_signature_cell(left), _signature_cell(right), width, equal=True, keep_with=keep_with)


def _two_columns(
    left: list[Flowable],
    right: list[Flowable],
    width: float,
    *,
    equal: bool = False,
    keep_with: Sequence[Flowable] = (),
) -> Flowable:
    widths = [width / 2, width / 2] if equal else [width - SIGN_COL, SIGN_COL]
    table = Table([[left, right]], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                # Table cells default to Helvetica even when they only hold paragraphs.
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([*keep_with, Spacer(1, 8), table])


# ---- the document ----------------------------------------------------------------------------------

PageHook = Callable[[Canvas, BaseDocTemplate], None]


def build_pdf(
    story: list[Flowable],
    *,
    title_text: str,
    author: str,
    landscape_page: bool = False,
    on_page: PageHook | None = None,
    canvasmaker: type[Canvas] = Canvas,
    page_size: tuple[float, float] | None = None,
    margins: tuple[float, float, float, float] | None = None,
) -> bytes:
    """Lay ``story`` out on A4 with NĐ 30 margins; ``invariant`` pins dates and the file id.

    A small slip (a queue ticket on an 80 mm roll) passes its own ``page_size`` and ``margins``
    (top, right, bottom, left)."""
    fonts.register()
    buffer = io.BytesIO()
    size = page_size or (landscape(A4) if landscape_page else A4)
    top, right, bottom, left = margins or (MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT)
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=nfc(title_text),
        author=nfc(author),
        creator="TiếpDân",
        invariant=1,
        # Otherwise the canvas starts in Helvetica and the file lists a standard-14 font it never uses.
        initialFontName=fonts.REGULAR,
    )
    frame = Frame(
        left,
        bottom,
        size[0] - left - right,
        size[1] - top - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    hooks: dict[str, Any] = {"onPage": on_page} if on_page else {}
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], **hooks)])
    doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Defers each page until the total is known, then writes "Trang x/y" (register) or "x" (letters).

    ``pagination`` is set on the subclass: "register" puts "Trang x/y" at the bottom centre of every
    page; "letter" puts the bare number at the top centre from page 2, as NĐ 30 prescribes.
    """

    pagination = "register"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._number(total)
            super().showPage()
        super().save()

    def _number(self, total: int) -> None:
        width, height = self._pagesize
        number = self._pageNumber
        if self.pagination == "register":
            self.setFont(fonts.REGULAR, 11)
            self.drawCentredString(width / 2, MARGIN_BOTTOM / 2, f"Trang {number}/{total}")
        elif number > 1:
            self.setFont(fonts.REGULAR, 13)
            self.drawCentredString(width / 2, height - MARGIN_TOP / 2 - 4, str(number))


class LetterCanvas(NumberedCanvas):
    pagination = "letter"
