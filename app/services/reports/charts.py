"""The dashboard's charts as plain geometry: bars, lines and texts in a box, y growing downwards.

The screen (QPainter, ``app/ui/reports/dashboard.py``) and the printed briefing (reportlab graphics,
``app/services/printing/dashboard.py``) paint the same ``Picture``: one layout, two painters, no
chart library. Text widths come from the painter (``Measure``), so labels are cut to fit its font.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from app.services.reports.dashboard import Figure, MonthlyChart, RankedChart, number

Measure = Callable[[str, float], float]  # (text, font size) -> width in the same units as the box

# Colour-blind-safe, print-friendly (Tableau 10), in series order.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
GRID = "#d9d9d9"
AXIS = "#606060"
TEXT = "#202020"
MUTED = "#606060"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    color: str
    figure: Figure | None = None  # None: a legend swatch

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    align: str = "left"  # left | center | right
    color: str = TEXT
    bold: bool = False


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str = GRID
    width: float = 1.0


@dataclass(frozen=True)
class Picture:
    width: float
    height: float
    bars: tuple[Bar, ...]
    texts: tuple[Text, ...]
    lines: tuple[Line, ...]

    def figure_at(self, x: float, y: float) -> Figure | None:
        for bar in self.bars:
            if bar.figure is not None and bar.contains(x, y):
                return bar.figure
        return None

    def bar_of(self, figure: Figure) -> Bar:
        return next(b for b in self.bars if b.figure is figure)


def nice_ceiling(value: float) -> tuple[float, float]:
    """A round top for the axis and its step (at most 5 steps): 437 → (500, 100); at least (4, 1)."""
    if value <= 4:
        return 4.0, 1.0
    raw = value / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return step * math.ceil(value / step), step


def fit(text: str, size: float, width: float, measure: Measure) -> str:
    """``text`` cut with "…" to ``width``."""
    if measure(text, size) <= width:
        return text
    while text and measure(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _legend(
    names: list[str], x: float, y: float, width: float, size: float, measure: Measure
) -> tuple[list[Bar], list[Text], float]:
    """Swatches and names in rows from (x, y); returns the height used."""
    bars: list[Bar] = []
    texts: list[Text] = []
    cx, cy = x, y
    row = size * 1.5
    for n, name in enumerate(names):
        item = size + 4 + min(measure(name, size), width * 0.45) + 12
        if cx > x and cx + item > x + width:
            cx, cy = x, cy + row
        bars.append(Bar(cx, cy + 1, size, size - 2, PALETTE[n % len(PALETTE)]))
        texts.append(Text(cx + size + 4, cy + size - 1, fit(name, size, width * 0.45, measure), size))
        cx += item
    return bars, texts, (cy - y) + row


def monthly(chart: MonthlyChart, width: float, height: float, measure: Measure, size: float = 9) -> Picture:
    """Stacked bars per month, series in palette order, a legend under the title."""
    bars: list[Bar] = []
    texts: list[Text] = [Text(0, size + 2, chart.title, size + 2, bold=True)]
    lines: list[Line] = []
    names = [s.name for s in chart.series]
    swatches, legend_texts, legend_h = _legend(names, 0, size + 8, width, size, measure)
    bars += swatches
    texts += legend_texts
    top = size + 8 + legend_h + 4
    count = len(chart.months)
    totals = [chart.month_total(n) for n in range(count)]
    ceiling, step = nice_ceiling(max(totals, default=0))
    axis_w = measure(number(int(ceiling)), size) + 6
    left, bottom = axis_w, height - size * 2 - 2
    # Room on the right for half of the last month's label.
    plot_w, plot_h = width - left - measure("00/00", size) / 2, bottom - top
    ticks = round(ceiling / step)
    for t in range(ticks + 1):
        value = t * step
        y = bottom - plot_h * value / ceiling
        lines.append(Line(left, y, width, y, GRID if t else AXIS, 0.8))
        texts.append(Text(left - 4, y + size / 3, number(int(value)), size, "right", MUTED))
    slot = plot_w / max(count, 1)
    bar_w = max(slot * 0.72, 1.0)
    every = max(1, math.ceil(measure("00/00", size) * 1.4 / slot))
    for n, month in enumerate(chart.months):
        x = left + n * slot + (slot - bar_w) / 2
        y = bottom
        for s, series in enumerate(chart.series):
            figure = series.figures[n]
            if figure.value <= 0:
                continue
            h = plot_h * figure.value / ceiling
            y -= h
            bars.append(Bar(x, y, bar_w, h, PALETTE[s % len(PALETTE)], figure))
        if (count - 1 - n) % every == 0:
            texts.append(Text(x + bar_w / 2, bottom + size + 3, month.short, size, "center", MUTED))
    return Picture(width, height, tuple(bars), tuple(texts), tuple(lines))


def ranked(
    chart: RankedChart, width: float, height: float, measure: Measure, size: float = 9, limit: int = 8
) -> Picture:
    """Horizontal bars, the largest first; the names on the left, the value at the bar's end."""
    bars: list[Bar] = []
    texts: list[Text] = [Text(0, size + 2, chart.title, size + 2, bold=True)]
    lines: list[Line] = []
    shown = chart.figures[:limit]
    top = size + 10
    rest = len(chart.figures) - len(shown)
    bottom = height - (size * 1.6 if rest > 0 or chart.total is not None else 0)
    if not shown:
        texts.append(Text(width / 2, (top + bottom) / 2, "Không có.", size, "center", MUTED))
        return Picture(width, height, (), tuple(texts), ())
    name_w = min(max(measure(f.label, size) for f in shown) + 6, width * 0.42)
    value_w = measure(number(max(f.value for f in shown)), size) + 8
    row = (bottom - top) / max(len(shown), 1)
    bar_h = min(row * 0.7, size * 2.2)
    plot_w = width - name_w - value_w
    biggest = max(f.value for f in shown) or 1
    lines.append(Line(name_w, top, name_w, top + row * len(shown), AXIS, 0.8))
    for n, figure in enumerate(shown):
        y = top + n * row + (row - bar_h) / 2
        w = max(plot_w * figure.value / biggest, 1.0)
        bars.append(Bar(name_w, y, w, bar_h, PALETTE[0], figure))
        baseline = y + bar_h / 2 + size / 3
        texts.append(Text(name_w - 4, baseline, fit(figure.label, size, name_w - 6, measure), size, "right"))
        texts.append(Text(name_w + w + 4, baseline, number(figure.value), size))
    notes = []
    if chart.total is not None:
        notes.append(f"Tổng số: {number(chart.total.value)} {chart.unit}")
    if rest > 0:
        notes.append(f"còn {rest} mục khác không hiện")
    if notes:
        texts.append(Text(0, height - 3, "; ".join(notes) + ".", size, "left", MUTED))
    return Picture(width, height, tuple(bars), tuple(texts), tuple(lines))


def picture(
    chart: MonthlyChart | RankedChart, width: float, height: float, measure: Measure, size: float = 9
) -> Picture:
    if isinstance(chart, MonthlyChart):
        return monthly(chart, width, height, measure, size)
    return ranked(chart, width, height, measure, size)
