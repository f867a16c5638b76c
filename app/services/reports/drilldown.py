"""The records behind one figure of a report, as rows a list can show (drill-down)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Citizen, Petition
from app.services.common.actor import Actor
from app.services.common.vocab import label
from app.services.reception import visits
from app.services.reports import engine, xlsx
from app.services.reports.engine import ReportGrid
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

LIMIT = 5_000  # a figure rarely hides more; the list says when it is cut
VISIT_HEADERS = (
    "Lượt tiếp số",
    "Ngày tiếp",
    "Hình thức tiếp",
    "Họ tên công dân",
    "Số người",
    "Phân loại",
    "Nội dung",
)
PETITION_HEADERS = ("Mã đơn", "Số đơn", "Ngày nhận", "Người gửi", "Phân loại đơn", "Trạng thái", "Nội dung")


@dataclass(frozen=True)
class DrillDown:
    title: str
    entity: str  # visit | petition
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    ids: tuple[int, ...]
    total: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.ids)


def records(session: Session, actor: Actor, grid: ReportGrid, row: int, col: int) -> DrillDown:
    """What lies behind ``grid.values[row][col]``: the same condition, listed record by record."""
    require(actor, Permission.REPORT)
    ids = engine.cell_ids(session, grid.form, grid.period, row, col)
    leaf = grid.leaves[col]
    title = f"{grid.form.code} — {' › '.join(leaf.path)} ({grid.row_labels[row]}): {grid.value(row, col):,}".replace(
        ",", "."
    )
    return listing(session, actor, title, grid.entity, ids)


def listing(session: Session, actor: Actor, title: str, entity: str, ids: Sequence[int]) -> DrillDown:
    """The visits or petitions of ``ids`` as list rows (the first LIMIT of them), headed by ``title``."""
    shown = list(ids[:LIMIT])
    if entity == "visit":
        found = visits.visit_rows(session, actor, shown)
        rows = tuple(
            (
                str(r.id),
                f"{r.received_at:%d/%m/%Y}",
                r.reception_kind_label,
                r.citizen_name,
                str(r.head_count),
                r.matter_kind_label,
                r.summary,
            )
            for r in found
        )
        return DrillDown(title, "visit", VISIT_HEADERS, rows, tuple(r.id for r in found), len(ids))
    result = session.execute(
        select(
            Petition.id,
            Petition.reg_seq,
            Petition.reg_year,
            Petition.received_on,
            Petition.kind,
            Petition.status,
            Petition.summary,
            Petition.organisation_name,
            Citizen.full_name,
            Citizen.confidential,
        )
        .outerjoin(Citizen, Citizen.id == Petition.citizen_id)
        .where(Petition.id.in_(shown))
        .order_by(Petition.received_on, Petition.id)
    ).all()
    rows = tuple(
        (
            str(r.id),
            f"{r.reg_seq}/{r.reg_year}",
            f"{r.received_on:%d/%m/%Y}",
            r.organisation_name or confidential.shown(actor, r.full_name, bool(r.confidential)) or "",
            label(r.kind),
            label(r.status),
            r.summary,
        )
        for r in result
    )
    return DrillDown(title, "petition", PETITION_HEADERS, rows, tuple(r.id for r in result), len(ids))


def save_xlsx(session: Session, actor: Actor, found: DrillDown, path: Path) -> Path:
    """The listed records as a workbook, headed by the figure they make up; the export is audited."""
    require(actor, Permission.REPORT)
    xlsx.write_list(found.title, found.headers, found.rows, Path(path))
    audit.record(
        session,
        actor,
        "export",
        "report",
        None,
        after={"drilldown": found.title, "rows": len(found.rows), "file": Path(path).name},
    )
    return Path(path)
