"""The list's text filter gives the same visits on SQLite (FTS5) and PostgreSQL (full-text search):
every word of the query starts a word of the summary or of the person's name, where words are split
at every character that is not a letter or a digit, whatever punctuation the clerk typed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from app.services.common.actor import SYSTEM
from app.services.common.text import fold, search_tokens
from app.services.reception import visits
from tests.helpers import visit_input

SUMMARIES = (
    "Khiếu nại việc thu hồi đất ở thôn Đông",
    "Liên hệ qua thư a.b@c.com hoặc http://ubnd.vn/tiep_dan",
    "Diện tích 1.5ha, thửa số 12/3, tờ bản đồ 07",
    "Ông-bà Nguyễn (con trai) phản ánh v1.2.3 phần mềm",
    "Mã x1y2 và số điện thoại 0912.345.678",
    "Đề nghị giải quyết chế độ 3,14 triệu; Hà-Nội",
    "Tố cáo cán bộ địa chính xã",
)
NAMES = ("Trần Văn Ánh", "Đỗ Thị Hà", "Lê Hoàng An", "Nguyễn Văn Bình", "Phạm Thu", "Vũ Đức Đạt", "Hồ Xuân Cán")
QUERIES = (
    "b",
    "c",
    "com",
    "vn",
    "tiep",
    "dan",
    "5",
    "5ha",
    "1",
    "3",
    "07",
    "7",
    "ba",
    "con",
    "v1",
    "2",
    "x1y2",
    "y2",
    "0912",
    "345",
    "14",
    "ha noi",
    "noi",
    "thu hoi dat",
    "dat thu",
    "hoi",
    "oi",
    "an",
    "hoang",
    "anh tran",
    "d",
    "dat",
    "xa",
    "ca",
    "duc dat",
    "xuan ho",
    "phan anh",
    "van",
    "thi ha",
)


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", fold(text)) if w]


def _expected(query: str, rows: list[tuple[int, str, str]]) -> set[int]:
    tokens = search_tokens(query)
    return {
        vid
        for vid, summary, name in rows
        if all(any(w.startswith(tok) for w in _words(summary)) for tok in tokens)
        or all(any(w.startswith(tok) for w in _words(name)) for tok in tokens)
    }


@pytest.fixture
def saved(session: Session) -> list[tuple[int, str, str]]:
    rows = []
    for i, (summary, name) in enumerate(zip(SUMMARIES, NAMES, strict=True)):
        vid = visits.register_visit(
            session, SYSTEM, visit_input(name, id_number=f"0241900000{i:02d}", summary=summary)
        ).id
        rows.append((vid, summary, name))
    session.commit()
    return rows


def test_each_query_word_starts_a_word_of_the_summary_or_the_name(
    session: Session, saved: list[tuple[int, str, str]]
) -> None:
    wrong = {}
    for query in QUERIES:
        found = list(visits.visit_ids(session, visits.VisitFilter(text=query)))
        if sorted(found) != sorted(_expected(query, saved)):  # each visit once, summary and name alike
            wrong[query] = (sorted(found), sorted(_expected(query, saved)))
    assert wrong == {}


def test_the_corpus_is_not_trivial(saved: list[tuple[int, str, str]]) -> None:
    sizes = {len(_expected(q, saved)) for q in QUERIES}
    assert 0 in sizes and max(sizes) >= 2  # some queries find nothing, some several visits
    # "can" is in the summary and in the name of one visit: that visit is listed once.
    assert [vid for vid, summary, name in saved if "Cán" in name and "cán" in summary]
