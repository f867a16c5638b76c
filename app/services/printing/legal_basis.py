"""The legal basis ("Căn cứ …;") each printed document cites, per document and kind of petition.

One table, so that a complaint's paper never cites the denunciation law (and the reverse), and an
office or a later release corrects a citation here rather than in a template. A petition of several
kinds (hỗn hợp) cites every family's instruments, articles merged per instrument.

The instruments are those of domain.md §1 with its "Corrections 2026-12": Luật Tiếp công dân
(art. 9 refusal; art. 26, 27, 28: handling a complaint, a denunciation, a recommendation or
reflection at the reception), Luật Khiếu nại 2011 with Nghị định 124/2020, Luật Tố cáo 2018 with
Nghị định 31/2019, Nghị định 64/2014 for reception, Thông tư 04/2021 (reception) and 05/2021
(petition processing). Luật 136/2025/QH15 amends the three laws from 01/7/2026: papers issued from
that day say so.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from app.models.enums import DocumentType, HandlingAction, MatterKind
from app.services.common.legal_refs import DENUNCIATION_LAW_SHORT

AMENDED_2025 = "được sửa đổi, bổ sung năm 2025"
AMENDED_FROM = dt.date(2026, 7, 1)  # Luật 136/2025/QH15 takes effect


@dataclass(frozen=True)
class Instrument:
    title: str
    amended_from: dt.date | None = None  # from this day the title carries AMENDED_2025

    def name_on(self, day: dt.date) -> str:
        if self.amended_from is not None and day >= self.amended_from:
            return f"{self.title}, {AMENDED_2025}"
        return self.title


LTCD = Instrument("Luật Tiếp công dân năm 2013", AMENDED_FROM)
LKN = Instrument("Luật Khiếu nại năm 2011", AMENDED_FROM)
LTC = Instrument(DENUNCIATION_LAW_SHORT, AMENDED_FROM)
ND64 = Instrument("Nghị định số 64/2014/NĐ-CP ngày 26/6/2014 của Chính phủ")
ND124 = Instrument("Nghị định số 124/2020/NĐ-CP ngày 19/10/2020 của Chính phủ")
ND31 = Instrument("Nghị định số 31/2019/NĐ-CP ngày 10/4/2019 của Chính phủ")
TT04 = Instrument("Thông tư số 04/2021/TT-TTCP ngày 01/10/2021 của Thanh tra Chính phủ")
TT05 = Instrument("Thông tư số 05/2021/TT-TTCP ngày 01/10/2021 của Thanh tra Chính phủ")
# Laws before decrees before circulars, as "Căn cứ" lines are ordered.
ORDER: tuple[Instrument, ...] = (LTCD, LKN, LTC, ND64, ND124, ND31, TT04, TT05)


@dataclass(frozen=True)
class Citation:
    instrument: Instrument
    articles: tuple[int, ...] = ()  # empty: the instrument as a whole

    def sentence(self, day: dt.date) -> str:
        """ "Căn cứ Điều 11 và Điều 27 Luật Khiếu nại năm 2011;"."""
        name = self.instrument.name_on(day)
        return f"Căn cứ {articles_text(self.articles)} {name};" if self.articles else f"Căn cứ {name};"


def articles_text(articles: Iterable[int]) -> str:
    words = [f"Điều {n}" for n in articles]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1]


def cite(instrument: Instrument, *articles: int) -> Citation:
    return Citation(instrument, tuple(articles))


class Family(enum.StrEnum):
    """The law a petition's kind falls under: recommendations and reflections share one."""

    COMPLAINT = "khieu_nai"
    DENUNCIATION = "to_cao"
    PROPOSAL = "kien_nghi_phan_anh"


FAMILIES: Mapping[MatterKind, tuple[Family, ...]] = {
    MatterKind.COMPLAINT: (Family.COMPLAINT,),
    MatterKind.DENUNCIATION: (Family.DENUNCIATION,),
    MatterKind.RECOMMENDATION: (Family.PROPOSAL,),
    MatterKind.REFLECTION: (Family.PROPOSAL,),
    MatterKind.MIXED: tuple(Family),
}

Row = Mapping[Family, tuple[Citation, ...]]

_AT_DESK: Row = {
    Family.COMPLAINT: (cite(LTCD, 26), cite(LKN), cite(TT04)),
    Family.DENUNCIATION: (cite(LTCD, 27), cite(LTC), cite(ND31), cite(TT04)),
    Family.PROPOSAL: (cite(LTCD, 28), cite(ND64), cite(TT04)),
}
_PROCESSING: Row = {
    Family.COMPLAINT: (cite(LKN), cite(ND124), cite(TT05)),
    Family.DENUNCIATION: (cite(LTC), cite(ND31), cite(TT05)),
    Family.PROPOSAL: (cite(LTCD), cite(TT05)),
}
_RESOLUTION: Row = {
    Family.COMPLAINT: (cite(LKN, 31, 40), cite(ND124)),
    Family.DENUNCIATION: (cite(LTC, 35), cite(ND31)),
    Family.PROPOSAL: (cite(LTCD), cite(TT05)),
}

# Dialogue in complaint resolution: Luật Khiếu nại, Điều 30 (first instance) and Điều 39 (second).
_DIALOGUE: Row = {
    Family.COMPLAINT: (cite(LKN, 30, 39), cite(ND124)),
    Family.DENUNCIATION: (cite(LTC), cite(ND31)),
    Family.PROPOSAL: (cite(LTCD), cite(TT05)),
}
# A leader's reception (periodic or ad hoc) and its conclusions.
_LEADER_RECEPTION: Row = {
    Family.COMPLAINT: (cite(LTCD), cite(LKN), cite(ND64), cite(TT04)),
    Family.DENUNCIATION: (cite(LTCD), cite(LTC), cite(ND64), cite(TT04)),
    Family.PROPOSAL: (cite(LTCD), cite(ND64), cite(TT04)),
}

BASIS: Mapping[DocumentType, Row] = {
    DocumentType.RECEIPT: _AT_DESK,
    DocumentType.APPOINTMENT: _AT_DESK,
    DocumentType.REFUSAL: {
        Family.COMPLAINT: (cite(LTCD, 9), cite(LKN), cite(TT04)),
        Family.DENUNCIATION: (cite(LTCD, 9), cite(LTC), cite(TT04)),
        Family.PROPOSAL: (cite(LTCD, 9), cite(ND64), cite(TT04)),
    },
    DocumentType.GUIDANCE: _PROCESSING,
    DocumentType.FORWARDING: {
        **_PROCESSING,
        # A denunciation outside competence is forwarded within 05 working days (art. 24).
        Family.DENUNCIATION: (cite(LTC, 24), cite(ND31), cite(TT05)),
    },
    DocumentType.ACCEPTANCE_PROPOSAL: {
        Family.COMPLAINT: (cite(LKN, 27), cite(ND124), cite(TT05)),
        Family.DENUNCIATION: (cite(LTC, 29), cite(ND31), cite(TT05)),
        Family.PROPOSAL: (cite(LTCD), cite(TT05)),
    },
    DocumentType.ACCEPTANCE: {
        Family.COMPLAINT: (cite(LKN, 27), cite(ND124)),
        Family.DENUNCIATION: (cite(LTC, 29), cite(ND31)),
        Family.PROPOSAL: (cite(LTCD), cite(TT05)),
    },
    DocumentType.NON_ACCEPTANCE: {
        Family.COMPLAINT: (cite(LKN, 11, 27), cite(ND124)),
        Family.DENUNCIATION: (cite(LTC, 29), cite(ND31)),
        Family.PROPOSAL: (cite(LTCD), cite(TT05)),
    },
    DocumentType.RETURN: {
        Family.COMPLAINT: (cite(LKN), cite(TT05)),
        Family.DENUNCIATION: (cite(LTC), cite(TT05)),
        Family.PROPOSAL: (cite(LTCD), cite(TT05)),
    },
    DocumentType.REMINDER: _PROCESSING,
    DocumentType.DECISION: _RESOLUTION,
    # Answering the person received: Luật Tiếp công dân, Điều 28 khoản 1.
    DocumentType.NOTICE: {
        Family.COMPLAINT: (cite(LTCD, 26, 28), cite(LKN), cite(TT04)),
        Family.DENUNCIATION: (cite(LTCD, 27, 28), cite(LTC), cite(TT04)),
        Family.PROPOSAL: (cite(LTCD, 28), cite(ND64), cite(TT04)),
    },
    DocumentType.DIALOGUE_NOTICE: _DIALOGUE,
    DocumentType.DIALOGUE_MINUTES: _DIALOGUE,
    DocumentType.RECEPTION_MINUTES: _LEADER_RECEPTION,
    DocumentType.RECEPTION_CONCLUSION: _LEADER_RECEPTION,
}

# A decision cites what the action it records rests on; other actions fall back to BASIS.
_SUSPENSION: Row = {
    Family.COMPLAINT: (cite(LKN), cite(ND124)),
    Family.DENUNCIATION: (cite(LTC, 34), cite(ND31)),
    Family.PROPOSAL: (cite(LTCD), cite(TT05)),
}
DECISION_BASIS: Mapping[HandlingAction, Row] = {
    HandlingAction.SUSPEND: _SUSPENSION,
    HandlingAction.RESUME: _SUSPENSION,
    HandlingAction.TERMINATE: _SUSPENSION,
    HandlingAction.EXTEND: {**_SUSPENSION, Family.DENUNCIATION: (cite(LTC, 30), cite(ND31))},
    HandlingAction.DECIDE: _RESOLUTION,
}


def citations(doc_type: DocumentType, kind: MatterKind | None, action: str = "") -> tuple[Citation, ...]:
    """What ``doc_type`` cites for a petition of ``kind`` (unknown kind: every family, like a mixed one)."""
    row = BASIS.get(doc_type, _PROCESSING)
    if doc_type == DocumentType.DECISION and action in {a.value for a in DECISION_BASIS}:
        row = DECISION_BASIS[HandlingAction(action)]
    families = FAMILIES[kind] if kind is not None else tuple(Family)
    return merged(c for family in families for c in row[family])


def merged(found: Iterable[Citation]) -> tuple[Citation, ...]:
    """One citation per instrument, in ORDER; a whole-instrument citation absorbs its articles."""
    articles: dict[Instrument, set[int] | None] = {}
    for citation in found:
        known = articles.get(citation.instrument, set())
        if known is None or not citation.articles:
            articles[citation.instrument] = None
        else:
            articles[citation.instrument] = known | set(citation.articles)
    return tuple(
        Citation(instrument, tuple(sorted(articles[instrument] or ())))
        for instrument in ORDER
        if instrument in articles
    )


def sentences(doc_type: DocumentType, kind: MatterKind | None, day: dt.date, action: str = "") -> list[str]:
    """The "Căn cứ …;" lines of a document issued on ``day``."""
    return [c.sentence(day) for c in citations(doc_type, kind, action)]
