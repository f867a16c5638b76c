"""The sections of the navigation rail, one module each.

The main window shows them in ``SECTIONS`` order. A section's module
``app.ui.sections.<key>`` defines ``create(ctx: UiContext) -> QWidget``; while a
module does not exist yet the window shows a plain "not available yet" page for it.
"""

SECTIONS: list[tuple[str, str]] = [
    ("reception", "Tiếp công dân"),
    ("petitions", "Đơn thư"),
    ("followup", "Theo dõi"),
    ("reports", "Báo cáo"),
    # After the clerks' four, so that Ctrl+1…4 stay where their hands know them.
    ("reception_days", "Lịch tiếp"),
    ("catalogues", "Danh mục"),
    ("admin", "Quản trị"),
]
