"""Register-style tables (A4 landscape): cells broken into lines once, a repeated numbered header.

Table string cells cost one text object per line, and Paragraph cells are re-wrapped at every
measure, split and draw: with them 200 visits took seconds. ``Lines`` cells are laid out once and
drawn as one text object each.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, LongTable, TableStyle

from app.services.printing import fonts

CELL_SIZE = 10
PAD = 3
LEADING = CELL_SIZE * 1.2

Segment = tuple[bool, str]  # (bold?, text): a piece of a cell that starts a new line


def fit(text: str, font: str, width: float) -> list[str]:
    """Break at spaces; a single word wider than the column ("1234/QĐ-UBND") is cut, after "/" or "-"."""
    lines: list[str] = []
    for part in text.split("\n"):
        for line in simpleSplit(part, font, CELL_SIZE, width) or [""]:
            while stringWidth(line, font, CELL_SIZE) > width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and stringWidth(line[:cut], font, CELL_SIZE) > width:
                    cut -= 1
                # Prefer to break after a "/" or "-" ("1234/ QĐ-UBND"), as a clerk would by hand.
                soft = max(line.rfind("/", 0, cut), line.rfind("-", 0, cut))
                if soft > 0:
                    cut = soft + 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


def clip(text: str, width_mm: float, font: str = fonts.REGULAR) -> str:
    """The text on one line of a column, cut at a word with "…" when longer (a summary's list)."""
    width = width_mm * mm - 2 * PAD
    line = " ".join(text.split())
    if stringWidth(line, font, CELL_SIZE) <= width:
        return line
    while line and stringWidth(line + "…", font, CELL_SIZE) > width:
        cut = line.rfind(" ")
        line = line[:cut] if cut > 0 and stringWidth(line[:cut] + "…", font, CELL_SIZE) > width / 2 else line[:-1]
    return line.rstrip(" ,;–-") + "…"


def wrapped(text: str, width_mm: float, font: str = fonts.REGULAR) -> str:
    """Text broken into a column's lines, for a plain string cell (headers)."""
    return "\n".join(fit(text, font, width_mm * mm - 2 * PAD))


class Lines(Flowable):  # type: ignore[misc]
    """A cell of lines broken once, each bold or regular, drawn as one text object."""

    def __init__(self, segments: Sequence[Segment], width_mm: float) -> None:
        super().__init__()
        fonts.register()
        width = width_mm * mm - 2 * PAD
        self.lines: list[tuple[str, str]] = []
        for bold, text in segments:
            font = fonts.BOLD if bold else fonts.REGULAR
            self.lines += [(font, chunk) for chunk in fit(text, font, width)]
        self.width = width
        self.height = len(self.lines) * LEADING

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        text = self.canv.beginText(0, self.height - LEADING + CELL_SIZE * 0.25)
        current = ""
        for font, line in self.lines:
            if font != current:
                text.setFont(font, CELL_SIZE, LEADING)
                current = font
            text.textLine(line)
        self.canv.drawText(text)


def plain(text: str, width_mm: float) -> Lines:
    return Lines([(False, text)], width_mm)


def _group_spans(groups: Sequence[str]) -> list[tuple[str, int, int]]:
    """(heading, first, last) of each run of neighbouring columns that share a group heading."""
    spans: list[tuple[str, int, int]] = []
    for k, group in enumerate(groups):
        if not group:
            continue
        if spans and spans[-1][0] == group and spans[-1][2] == k - 1:
            spans[-1] = (group, spans[-1][1], k)
        else:
            spans.append((group, k, k))
    return spans


def _header(
    columns: Sequence[tuple[str, float]], groups: Sequence[str]
) -> tuple[list[list[object]], list[tuple[str, tuple[int, int], tuple[int, int]]]]:
    """The heading rows and their SPAN commands: one row, or two when columns are grouped under a
    merged heading (the register's "Hướng xử lý"); the other headings then span both rows."""
    heads: list[object] = [wrapped(h, w, fonts.BOLD) for h, w in columns]
    spans = _group_spans(groups)
    if not spans:
        return [heads], []
    top, bottom = list(heads), list[object]([""] * len(columns))
    commands: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    grouped: set[int] = set()
    for label, first, last in spans:
        width = sum(w for _, w in columns[first : last + 1])
        top[first : last + 1] = [wrapped(label, width, fonts.BOLD), *([""] * (last - first))]
        bottom[first : last + 1] = heads[first : last + 1]
        grouped.update(range(first, last + 1))
        commands.append(("SPAN", (first, 0), (last, 0)))
    commands += [("SPAN", (k, 0), (k, 1)) for k in range(len(columns)) if k not in grouped]
    return [top, bottom], commands


def register_table(
    columns: Sequence[tuple[str, float]],
    body: list[list[object]],
    *,
    empty: str,
    numbered: bool = True,
    groups: Sequence[str] = (),
    centred: Sequence[int] = (),
) -> LongTable:
    """Bold header and a row of column numbers "(1) (2) …" (unless not ``numbered``), both repeated
    on every page; ``empty`` spans the table when there is no row.

    ``groups``: per column, the merged heading it sits under ("" for none); ``centred``: the body
    columns whose cells are centred (a mark "x" in a narrow column)."""
    fonts.register()
    data, spans = _header(columns, groups)
    if numbered:
        data.append([f"({k})" for k in range(1, len(columns) + 1)])
    head = len(data)
    data += body
    if not body:
        data.append([empty, *([""] * (len(columns) - 1))])
    table = LongTable(data, colWidths=[w * mm for _, w in columns], repeatRows=head)
    style = [
        # Table cells default to Helvetica: name the bundled font everywhere.
        ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, head - 1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, head - 1), fonts.BOLD),
        ("ALIGN", (0, 0), (-1, head - 1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += spans
    style += [("ALIGN", (k, head), (k, -1), "CENTER") for k in centred]
    if not body:
        style.append(("SPAN", (0, head), (-1, head)))
    table.setStyle(TableStyle(style))
    return table
