"""``python -m app petition list|show`` as a user runs them; a denouncer stays masked."""

from __future__ import annotations

import pytest

from app.cli import main
from app.db import Database
from app.models.enums import MatterKind
from tests.petition_builders import register


def test_list_and_show(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.transaction() as session:
        register(session)
        register(session, kind=MatterKind.DENUNCIATION, name="Hoàng Văn Tố", summary="Tố cáo cán bộ xã nhận tiền")
    assert main(["petition", "list", "--db", db.url]) == 0
    out = capsys.readouterr().out
    assert "1/2026" in out and "Nguyễn Văn Dũng" in out and "Hoàng Văn Tố" not in out
    assert "— 2 đơn." in out
    assert main(["petition", "show", "1/2026", "--db", db.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Đơn số 1/2026") and "Tiếp nhận" in out and "Xử lý đơn" in out
    assert main(["petition", "show", "7/2026", "--db", db.url]) == 2
    assert "Không có đơn số 7/2026" in capsys.readouterr().err
