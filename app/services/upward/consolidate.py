"""Consolidated forms: the same form definitions, one row per unit that reported, then the total.

The figures of each unit come from its package in force for the period (a re-sent package replaced
the earlier one); the upper office's own figures may be added as one more row, computed from its own
register. A total is the plain sum of the unit rows, column by column, so it adds up the way every
unit's own totals did. Every consolidated figure drills down to the unit figures it sums.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ReceivedPackage, SubordinateUnit
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.reports import engine, forms, service, xlsx
from app.services.reports.engine import Number, ReportGrid
from app.services.reports.periods import Period
from app.services.security import audit
from app.services.security.permissions import Permission, require

TOTAL_LABEL = "Tổng cộng"


@dataclass(frozen=True)
class RowSource:
    """Where a row of a consolidated form comes from."""

    kind: str  # unit | own | total
    name: str
    unit_id: int | None = None
    package_id: int | None = None
    received_at: dt.datetime | None = None
    form_row: int = 0  # the row of the unit's own form


@dataclass(frozen=True)
class Consolidated:
    grid: ReportGrid  # rows: the units (and the office itself), then the total(s)
    sources: tuple[RowSource, ...]
    missing: tuple[str, ...]  # declared units with no package for the period

    @property
    def total_rows(self) -> list[int]:
        return [i for i, s in enumerate(self.sources) if s.kind == "total"]


@dataclass(frozen=True)
class UnitFigure:
    name: str
    value: Number
    received_at: dt.datetime | None
    package_id: int | None
    kind: str  # unit | own


@dataclass(frozen=True)
class FigureSources:
    title: str
    value: Number
    parts: tuple[UnitFigure, ...]

    @property
    def parts_sum(self) -> Number:
        return sum(p.value for p in self.parts)


@dataclass(frozen=True)
class _UnitPackage:
    unit_id: int
    name: str
    package_id: int
    received_at: dt.datetime
    figures: dict[str, list[list[Number]]]


def _packages(session: Session, period: Period) -> list[_UnitPackage]:
    rows = session.execute(
        select(
            SubordinateUnit.id,
            SubordinateUnit.name,
            ReceivedPackage.id,
            ReceivedPackage.received_at,
            ReceivedPackage.figures_json,
        )
        .join(ReceivedPackage, ReceivedPackage.unit_id == SubordinateUnit.id)
        .where(
            SubordinateUnit.active.is_(True),
            ReceivedPackage.period_start == period.start,
            ReceivedPackage.period_end == period.end,
            ReceivedPackage.replaced_at.is_(None),
        )
        .order_by(SubordinateUnit.sort_order, SubordinateUnit.id)
    ).all()
    return [_UnitPackage(u, name, p, at, json.loads(figures)) for u, name, p, at, figures in rows]


def _missing(session: Session, period: Period, present: set[int]) -> tuple[str, ...]:
    rows = session.execute(
        select(SubordinateUnit.id, SubordinateUnit.name)
        .where(SubordinateUnit.active.is_(True))
        .order_by(SubordinateUnit.sort_order, SubordinateUnit.id)
    ).all()
    return tuple(name for unit_id, name in rows if unit_id not in present)


def consolidate(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    include_own: bool = False,
    codes: Sequence[str] | None = None,
) -> list[Consolidated]:
    """Every form of the version the period is reported on, consolidated over the units' packages."""
    require(actor, Permission.REPORT)
    version = service.form_version(session, period)
    chosen = [forms.get_form(c, version) for c in codes] if codes else list(forms.all_forms(version))
    # The office's own evaluation gives each form's header and columns (and its own figures).
    office = str(settings.get(session, settings.OFFICE_NAME))
    own = engine.evaluate_all(session, chosen, period, office)
    packages = _packages(session, period)
    missing = _missing(session, period, {p.unit_id for p in packages})
    result: list[Consolidated] = []
    for grid in own:
        rows = _Rows(grid)
        for p in packages:
            figures = p.figures.get(grid.form.code)
            if figures is not None:
                rows.add(p.name, figures, RowSource("unit", p.name, p.unit_id, p.package_id, p.received_at))
        if include_own:
            rows.add(office, grid.values, RowSource("own", office))
        result.append(rows.consolidated(office, missing))
    return result


class _Rows:
    """The rows of one consolidated form as they are added, with the running totals per form row."""

    def __init__(self, grid: ReportGrid) -> None:
        self.grid = grid
        self.single = len(grid.row_labels) == 1
        self.labels: list[str] = []
        self.values: list[tuple[Number, ...]] = []
        self.sources: list[RowSource] = []
        self.totals: list[list[Number]] = [[0] * len(grid.leaves) for _ in grid.row_labels]

    def _label(self, name: str, r: int) -> str:
        return name if self.single else f"{name} — {self.grid.form.rows[r].label.replace('{office}', name)}"

    def add(self, name: str, rows: Sequence[Sequence[Number]], source: RowSource) -> None:
        for r, row in enumerate(rows):
            self.labels.append(self._label(name, r))
            self.values.append(tuple(row))
            self.sources.append(dataclasses.replace(source, form_row=r))
            total = self.totals[r]
            for c, value in enumerate(row):
                total[c] += value

    def consolidated(self, office: str, missing: tuple[str, ...]) -> Consolidated:
        labels, values, sources = list(self.labels), list(self.values), list(self.sources)
        for r, total in enumerate(self.totals):
            labels.append(self._label(TOTAL_LABEL, r))
            values.append(tuple(_tidy(v) for v in total))
            sources.append(RowSource("total", TOTAL_LABEL, form_row=r))
        grid = dataclasses.replace(self.grid, office=office, row_labels=tuple(labels), values=tuple(values))
        return Consolidated(grid, tuple(sources), missing)


def _tidy(value: Number) -> Number:
    """Sums of amounts carry float noise (0.1 + 0.2): rounded to the precision a form shows."""
    if isinstance(value, float):
        rounded = round(value, 6)
        return int(rounded) if rounded.is_integer() else rounded
    return value


def figure_sources(consolidated: Consolidated, row: int, col: int) -> FigureSources:
    """The unit figures behind one consolidated figure: every unit's for a total, the unit's own otherwise."""
    grid = consolidated.grid
    if not 0 <= row < len(grid.row_labels) or not 0 <= col < len(grid.leaves):
        raise ValidationError({"cell": "Ô của biểu tổng hợp không tồn tại."})
    source = consolidated.sources[row]
    if source.kind == "total":
        rows = [i for i, s in enumerate(consolidated.sources) if s.kind != "total" and s.form_row == source.form_row]
    else:
        rows = [row]
    parts = tuple(
        UnitFigure(
            consolidated.sources[i].name,
            grid.values[i][col],
            consolidated.sources[i].received_at,
            consolidated.sources[i].package_id,
            consolidated.sources[i].kind,
        )
        for i in rows
    )
    leaf = grid.leaves[col]
    value = grid.values[row][col]
    title = f"{grid.form.code} — {' › '.join(leaf.path)} ({grid.row_labels[row]}): {value:,}".replace(",", ".")
    return FigureSources(title, value, parts)


def save_xlsx(
    session: Session,
    actor: Actor,
    consolidated: Sequence[Consolidated],
    path: Path,
    *,
    today: dt.date | None = None,
) -> Path:
    """The consolidated forms as one workbook, through the report writer (text cells kept text)."""
    require(actor, Permission.REPORT)
    grids = [c.grid for c in consolidated]
    xlsx.write_workbook(grids, service.letterhead(session), Path(path), today or local_today())
    period = grids[0].period if grids else None
    audit.record(
        session,
        actor,
        "export",
        "report",
        None,
        after={
            "consolidated": [g.form.code for g in grids],
            "units": sum(1 for s in consolidated[0].sources if s.kind == "unit") if consolidated else 0,
            "from": period.start if period else None,
            "to": period.end if period else None,
            "file": Path(path).name,
        },
    )
    return Path(path)
