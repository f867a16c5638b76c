"""Giấy biên nhận thông tin, tài liệu, bằng chứng (Thông tư 04/2021/TT-TTCP): signed by both sides.

The list of what was handed in is what the clerk typed followed by the files attached to the
petition / visit. The receipt carries a short lookup code, with its QR, that the citizen quotes
later: typed at the desk, it opens the petition.
"""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from app.models.enums import DocumentType
from app.services.casework.documents import format_lookup_code
from app.services.printing import fonts, layout
from app.services.printing.facts import Facts
from app.services.printing.layout import Signature, esc
from app.services.printing.template import Audience, Template, office_in_text, page, person_markup

QR_SIZE = 24 * mm


def qr_drawing(payload: str, size: float = QR_SIZE) -> Drawing:
    """A QR code of ``payload`` scaled to a square of ``size`` points."""
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    # The renderer starts from Helvetica unless told otherwise: keep the PDF to the bundled font.
    drawing.initialFontName = fonts.REGULAR
    drawing.add(widget)
    return drawing


def lookup_block(code: str) -> Flowable:
    """ "Mã tra cứu: 7K3M-Q9TZ" with its QR beside it."""
    shown = format_lookup_code(code)
    text = layout.para(
        f"Mã tra cứu biên nhận: {layout.b(shown)}. Khi hỏi về việc đã nộp, công dân đọc hoặc đưa mã này "
        "(hoặc mã QR bên cạnh) cho cán bộ tiếp công dân.",
        indent=False,
    )
    table = Table([[text, qr_drawing(code)]], colWidths=[layout.PORTRAIT_WIDTH - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.REGULAR),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def received_items(facts: Facts) -> list[str]:
    """What the clerk typed, then each attached file by name."""
    return [*facts.items("items"), *(f"Tệp đính kèm: {name}" for name in facts.items("attachments"))]


def build(facts: Facts) -> list[Flowable]:
    at = facts.datetime("received_at")
    when = f"Hồi {at:%H} giờ {at:%M} phút, {layout.long_date(at.date())}" if at else "Hôm nay"
    receiver = facts.officer_name or "…"
    items = received_items(facts)
    code = facts.text("lookup_code")
    body: list[Flowable] = [
        layout.para(f"{esc(when)}, tại {esc(office_in_text(facts))}."),
        layout.para(f"Tôi là: {layout.b(receiver)}, cán bộ tiếp công dân."),
        layout.para(f"Đã nhận của {person_markup(facts)}."),
        layout.para(f"Các thông tin, tài liệu, bằng chứng đã nhận gồm {len(items)} mục:"),
        *layout.numbered(items or ["…"]),
        *([layout.para(f"Nội dung trình bày: {esc(facts.text('summary'))}")] if facts.text("summary") else []),
        layout.para("Giấy biên nhận được lập thành 02 bản, người nộp giữ 01 bản, cơ quan tiếp nhận giữ 01 bản."),
        *([lookup_block(code)] if code else []),
    ]
    citizen = facts.petitioner.name if facts.petitioner else ""
    signatures = layout.parties(
        Signature(title="Người nộp", note="(Ký, ghi rõ họ tên)", name=citizen),
        Signature(title="Người nhận", note="(Ký, ghi rõ họ tên)", name=facts.officer_name),
    )
    return page(
        facts,
        title="Giấy biên nhận",
        subtitle="Thông tin, tài liệu, bằng chứng",
        body=body,
        closing=signatures,
    )


TEMPLATE = Template(DocumentType.RECEIPT, "receipt", "Giấy biên nhận", Audience.CITIZEN, build)
