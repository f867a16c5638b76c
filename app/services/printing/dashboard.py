"""Bản tin số liệu cho lãnh đạo: the dashboard on one A4 landscape page, for the leader's briefing.

The office header with the national heading, the key figures of the last 12 months, and four charts
(visits and petitions per month by kind, resolution on time and late, overdue petitions per body),
drawn on the page canvas from the same geometry as the screen (``reports.charts``).
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from app.services.common.actor import Actor
from app.services.printing import fonts, layout
from app.services.printing.layout import short_date
from app.services.reports import charts, dashboard
from app.services.reports.dashboard import Dashboard, MonthlyChart, RankedChart
from app.services.security import audit
from app.services.security.permissions import Permission, require

TITLE = "BẢN TIN SỐ LIỆU TIẾP CÔNG DÂN, XỬ LÝ ĐƠN"
FRAME_WIDTH = landscape(A4)[0] - layout.MARGIN_LEFT - layout.MARGIN_RIGHT
CHART_WIDTH = FRAME_WIDTH / 2 - 4 * mm
CHART_HEIGHT = 52 * mm
CHART_TEXT = 7.5  # points


def _measure(text: str, size: float) -> float:
    return float(stringWidth(text, fonts.REGULAR, size))


class ChartFlowable(Flowable):  # type: ignore[misc]
    """A chart's picture drawn straight on the page canvas (y flipped: the picture's y grows downwards).

    Not reportlab.graphics: its renderer starts every drawing in Helvetica, a standard-14 font with no
    Vietnamese letters, which the file would then list."""

    def __init__(self, chart: MonthlyChart | RankedChart, width: float = CHART_WIDTH, height: float = CHART_HEIGHT):
        super().__init__()
        self.width, self.height = width, height
        self.picture = charts.picture(chart, width, height, _measure, CHART_TEXT)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv, height = self.canv, self.height
        for line in self.picture.lines:
            canv.setStrokeColor(HexColor(line.color))
            canv.setLineWidth(line.width * 0.6)
            canv.line(line.x1, height - line.y1, line.x2, height - line.y2)
        for bar in self.picture.bars:
            canv.setFillColor(HexColor(bar.color))
            canv.rect(bar.x, height - bar.y - bar.h, bar.w, bar.h, stroke=0, fill=1)
        for text in self.picture.texts:
            canv.setFillColor(HexColor(text.color))
            canv.setFont(fonts.BOLD if text.bold else fonts.REGULAR, text.size)
            y = height - text.y
            if text.align == "right":
                canv.drawRightString(text.x, y, text.text)
            elif text.align == "center":
                canv.drawCentredString(text.x, y, text.text)
            else:
                canv.drawString(text.x, y, text.text)


def _charts(board: Dashboard) -> Table:
    cells = [
        [ChartFlowable(board.visits_by_kind), ChartFlowable(board.petitions_by_kind)],
        [ChartFlowable(board.resolution), ChartFlowable(board.overdue_by_agency)],
    ]
    table = Table(cells, colWidths=[FRAME_WIDTH / 2, FRAME_WIDTH / 2])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),  # else the table sets Helvetica
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def render_dashboard(session: Session, actor: Actor, as_of: dt.date | None = None) -> bytes:
    """The dashboard at ``as_of`` as a one-page PDF; the print is recorded in the audit trail."""
    require(actor, Permission.REPORT)
    board = dashboard.build(session, actor, as_of)
    office = layout.office_from_settings(session)
    st = layout.styles()
    figures = dashboard.key_figures(board)
    story: list[Flowable] = [
        layout.OfficeHeader(office, None, None, width=FRAME_WIDTH),
        Paragraph(TITLE, st.title),
        Paragraph(f"Số liệu đến ngày {short_date(board.as_of)}", st.subtitle),
        Spacer(1, 2),
        Paragraph(figures.sentence(("<b>", "</b>")), st.plain),  # figures and fixed words only
        _charts(board),
    ]
    pdf = layout.build_pdf(
        story,
        title_text=f"Bản tin số liệu tiếp công dân, xử lý đơn đến ngày {short_date(board.as_of)}",
        author=office.name,
        landscape_page=True,
    )
    audit.record(
        session,
        actor,
        "print",
        "dashboard",
        None,
        after={"as_of": board.as_of, "visits": figures.visits, "petitions": figures.petitions},
    )
    return pdf
