"""The bundled Times New Roman–metric font (Liberation Serif 2), registered with reportlab once.

Never fall back to the standard-14 fonts: they have no Vietnamese glyphs and drop them silently
(docs/ecosystem.md §3).
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.paths import resource

FAMILY = "LiberationSerif"
REGULAR = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
BOLD_ITALIC = "LiberationSerif-BoldItalic"

_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
_lock = threading.Lock()
_registered = False


def register() -> None:
    """Register the four faces and the family mapping (so <b>/<i> in paragraphs pick the right face)."""
    global _registered
    with _lock:
        if _registered:
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, ITALIC)
        addMapping(FAMILY, 1, 1, BOLD_ITALIC)
        _registered = True
