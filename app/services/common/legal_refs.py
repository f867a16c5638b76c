"""Legal references that several documents and screens cite, each written once as data.

A correction of an article number is made here and reaches every slip, message and list that
cites it (domain.md "Corrections 2026-12").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LegalRef:
    """Provisions of one instrument: ``("điểm b khoản 1 Điều 9", "Điều 47")`` of ``instrument``."""

    instrument: str
    provisions: tuple[str, ...]

    def text(self) -> str:
        """ "điểm b khoản 1 Điều 9, Điều 47 và Điều 56 Luật Tố cáo số 25/2018/QH14"."""
        parts = list(self.provisions)
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]
        return f"{joined} {self.instrument}"

    @property
    def articles(self) -> tuple[int, ...]:
        """The article numbers alone (9, 47, 56), for "Căn cứ Điều …" lines."""
        return tuple(int(p.rsplit("Điều ", 1)[1]) for p in self.provisions if "Điều " in p)


DENUNCIATION_LAW = "Luật Tố cáo số 25/2018/QH14"
DENUNCIATION_LAW_SHORT = "Luật Tố cáo năm 2018"

# The denouncer's name, address, handwriting and other personal information are kept secret: the
# denouncer's right (art. 9 k1 b), the protection of the denouncer (art. 47) and the protection of
# secret information (art. 56: identity separated from the denunciation before verification).
DENOUNCER_SECRECY = LegalRef(DENUNCIATION_LAW, ("điểm b khoản 1 Điều 9", "Điều 47", "Điều 56"))
