"""Rules that change on a date: each clock follows the version in force on the day it starts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.cli import main
from app.services.common.errors import ValidationError
from app.services.deadlines import calendar, engine, reception_days

AMENDED = dt.date(2026, 7, 1)  # Luật 136/2025/QH15 takes effect
CAL = calendar.package_calendar(range(2026, 2028))


def _amended_rules() -> dict[str, engine.Rule]:
    """The shipped rules with an amendment of the processing limit from 01/07/2026, as an office
    would enter one: 10 working days before, 7 from that day."""
    return engine.load_rules(
        overrides={
            engine.XU_LY_DON: {
                "amendments": [{"effective_from": "2026-07-01", "length": 7, "source": "Văn bản sửa đổi (ví dụ)"}]
            }
        }
    )


def test_a_clock_started_before_the_amendment_keeps_the_old_length() -> None:
    rule = _amended_rules()[engine.XU_LY_DON]
    before = engine.compute_due(rule, dt.date(2026, 6, 30), CAL)
    after = engine.compute_due(rule, AMENDED, CAL)
    # 30/06/2026 + 10 working days = 14/07/2026; 01/07/2026 + 7 working days = 10/07/2026.
    assert before.due == dt.date(2026, 7, 14)
    assert after.due == dt.date(2026, 7, 10)
    assert "Áp dụng cho thời hạn bắt đầu từ ngày 01/07/2026." in after.steps
    assert "Văn bản sửa đổi (ví dụ)" in after.steps[0]
    assert "Thông tư 05/2021/TT-TTCP" in before.steps[0]


def test_versions_list_their_first_and_last_day() -> None:
    rule = _amended_rules()[engine.XU_LY_DON]
    spans = [(since, until) for _, since, until in rule.versions()]
    assert spans == [(dt.date(2021, 11, 16), dt.date(2026, 6, 30)), (AMENDED, None)]
    assert engine.period_text(*spans[0]) == "từ 16/11/2021 đến 30/06/2026"


def test_an_amendment_must_come_after_the_rule_and_carry_its_date() -> None:
    with pytest.raises(ValidationError, match="effective_from"):
        engine.load_rules(overrides={engine.XU_LY_DON: {"amendments": [{"length": 7}]}})
    with pytest.raises(ValidationError, match="sau ngày có hiệu lực"):
        engine.load_rules(overrides={engine.XU_LY_DON: {"amendments": [{"effective_from": "2020-01-01", "length": 7}]}})


def test_reception_answer_rule_is_ten_working_days() -> None:
    rule = engine.get_rule(engine.TRA_LOI_TAI_TIEP)
    assert "Điều 28 khoản 1" in rule.source
    # Received on Thursday 25/06/2026: ten working days end on Thursday 09/07/2026.
    assert engine.compute_due(rule, dt.date(2026, 6, 25), CAL).due == dt.date(2026, 7, 9)


def test_complaint_decision_takes_effect_after_30_days_or_45_in_remote_areas() -> None:
    rule = engine.get_rule(engine.HIEU_LUC_QUYET_DINH)
    assert engine.compute_due(rule, dt.date(2026, 3, 2), CAL).due == dt.date(2026, 4, 1)
    assert engine.compute_due(rule, dt.date(2026, 3, 2), CAL, remote=True).due == dt.date(2026, 4, 16)


def test_commune_chairman_reception_days_either_side_of_the_amendment() -> None:
    chairman = reception_days.duty("chu_tich_ubnd_xa")
    # June 2026 has five Mondays (1, 8, 15, 22, 29): one day a week → 5 days.
    assert chairman.required_days(dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == 5
    # From 01/07/2026: two days a month.
    assert chairman.required_days(dt.date(2026, 7, 1), dt.date(2026, 7, 31)) == 2
    # Quarter spanning the change: June under the old rule, July and August under the new.
    assert chairman.required_days(dt.date(2026, 6, 1), dt.date(2026, 8, 31)) == 5 + 2 + 2
    assert chairman.in_force(dt.date(2026, 6, 30)).text() == "ít nhất 1 ngày trong 1 tuần"  # type: ignore[union-attr]
    assert chairman.in_force(AMENDED).text() == "ít nhất 2 ngày trong 1 tháng"  # type: ignore[union-attr]


def test_deadline_list_shows_each_rules_effective_dates(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--db", str(db_path), "--list"]) == 0
    out = capsys.readouterr().out
    assert "xu_ly_don\tXử lý đơn" in out
    assert "áp dụng từ 16/11/2021:" in out
    assert "tra_loi_tiep_nhan_tai_tiep_cong_dan\t" in out
    assert "ít nhất 1 ngày trong 1 tuần, áp dụng từ 01/07/2014 đến 30/06/2026" in out
    assert "ít nhất 2 ngày trong 1 tháng, áp dụng từ 01/07/2026" in out


def test_an_office_reading_of_a_rule_holds_in_every_version(tmp_path: Path) -> None:
    """A rule the law amended, then read differently by the office (a point marked to confirm):
    the office's remote-area length applies before and after the amendment, the amended length stays."""
    shipped = engine.rule_to_dict(_amended_rules()[engine.XU_LY_DON])
    rules_file = tmp_path / "rules.json"
    rules_file.write_text(json.dumps({"rules": [shipped]}, ensure_ascii=False), encoding="utf-8")
    rules = engine.load_rules(rules_file, overrides={engine.XU_LY_DON: {"variants": {"remote": 15}}})
    old, new = (version for version, _, _ in rules[engine.XU_LY_DON].versions())
    assert (old.length, old.remote) == (10, 15)
    assert (new.length, new.remote, new.effective_from) == (7, 15, AMENDED)
