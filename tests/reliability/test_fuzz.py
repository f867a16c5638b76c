"""Malformed input thrown at the validators and the command line: only clear errors, no crash, nothing half-written."""

from __future__ import annotations

import argparse
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.cli import build_parser, main
from app.db import Database
from app.models import LOCAL_TZ, AuditEntry, Citizen, Visit
from app.models.enums import Gender, MatterKind, ReceptionKind, VisitOutcome
from app.services.common.actor import SYSTEM
from app.services.common.errors import AppError
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput, check_citizen
from app.services.reception.identity import check_id_number

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text with what clerks and scanners really produce: Vietnamese letters in both normal forms,
# digits with separators, control characters, surrogates are impossible in str but odd planes are not.
messy_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 .-_/", max_size=20),
    st.sampled_from(
        ["", " ", "\x00", "Nguyễn Văn A", "Nguye\u0302\u0303n", "٣٤٥", "１２３４５６７８９０１２", "0" * 5000]
    ),
)
# Plausible values too, so that some fuzzed saves succeed and are checked whole.
names = st.one_of(st.sampled_from(["Nguyễn Văn An", "Đặng Thị Đào", "Lê B", "Trần Đức Hưng"]), messy_text)
maybe_int = st.one_of(st.none(), st.integers(min_value=-(10**12), max_value=10**12))


@FUZZ
@given(raw=st.one_of(st.none(), messy_text), year=maybe_int, gender=st.one_of(st.none(), st.sampled_from(Gender)))
def test_id_number_check_never_crashes(raw: str | None, year: int | None, gender: Gender | None) -> None:
    result = check_id_number(raw, birth_year=year, gender=gender, today=dt.date(2026, 11, 26))
    assert result.error is None or isinstance(result.error, str)


citizen_inputs = st.builds(
    CitizenInput,
    full_name=names,
    id_number=st.one_of(st.none(), st.sampled_from(["024085001234", "024 185 001 235", "123456789"]), messy_text),
    gender=st.one_of(st.none(), st.sampled_from(Gender)),
    birth_year=st.one_of(st.integers(1930, 2010), maybe_int),
    phone=st.one_of(st.none(), messy_text),
    province_code=st.one_of(st.none(), st.sampled_from(["24", "01", "99", "", "xx"])),
    commune_code=st.one_of(st.none(), st.sampled_from(["07210", "00000", ""])),
    address_detail=st.one_of(st.none(), messy_text),
)


@FUZZ
@given(data=citizen_inputs)
def test_citizen_check_never_crashes(data: CitizenInput) -> None:
    checked = check_citizen(data, today=dt.date(2026, 11, 26))
    assert all(isinstance(m, str) and m for m in checked.errors.values())


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    from tests.keyring_memory import memory_keyring

    with memory_keyring():
        database = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}")
        yield database
        database.dispose()


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(model)) or 0) for model in (Visit, Citizen, AuditEntry)
        )


visit_inputs = st.builds(
    visits.VisitInput,
    reception_kind=st.sampled_from(ReceptionKind),
    citizen=citizen_inputs,
    summary=names,
    matter_kind=st.sampled_from(MatterKind),
    outcome=st.sampled_from(VisitOutcome),
    received_at=st.one_of(
        st.none(),
        st.datetimes(min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2100, 1, 1), timezones=st.just(LOCAL_TZ)),
    ),
    leader_name=st.one_of(st.none(), names),
    head_count=st.one_of(st.just(1), st.integers(min_value=-5, max_value=20_000)),
    is_crowd=st.booleans(),
    representatives=st.one_of(st.just(()), st.lists(citizen_inputs, max_size=7).map(tuple)),
    field_code=st.one_of(st.none(), st.sampled_from(["DD", "xx", ""])),
)


@FUZZ
@given(data=visit_inputs)
def test_register_visit_saves_whole_or_refuses_clearly(fuzz_db: Database, data: visits.VisitInput) -> None:
    before = _counts(fuzz_db)
    try:
        with fuzz_db.transaction() as session:
            visits.register_visit(session, SYSTEM, data)
    except AppError as exc:
        event("refused")
        assert exc.user_message.strip()
        assert _counts(fuzz_db) == before  # nothing half-written
    else:
        event("saved")
        after = _counts(fuzz_db)
        assert after[0] == before[0] + 1 and after[2] > before[2]


# ---- the command line ----------------------------------------------------------------------------

# Commands that open a window or wait for a person are left out; everything else is fair game.
_SKIP = {"gui"}


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: p for name, p in sub.choices.items() if name not in _SKIP}


COMMANDS = _commands()


def _options(parser: argparse.ArgumentParser) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found += list(action.choices)
        found += [o for o in action.option_strings if o not in ("-h", "--help", "--db")]
    return found


argv_strategy = st.sampled_from(sorted(COMMANDS)).flatmap(
    lambda name: st.lists(
        st.one_of(
            st.sampled_from(_options(COMMANDS[name]) or ["--x"]),
            messy_text.filter(lambda t: not t.startswith("-")),
            st.sampled_from(["2026-02-30", "31/12/2026", "-1", "0", "99999999999999999999", "ra.tdbak", "x.pdf"]),
        ),
        max_size=6,
    ).map(lambda rest: [name, *rest])
)


@FUZZ
@given(argv=argv_strategy)
def test_random_command_lines_end_with_a_clear_exit_code(
    fuzz_db: Database, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    from tests.keyring_memory import memory_keyring

    work = tmp_path_factory.mktemp("cli")
    monkeypatch.chdir(work)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with memory_keyring():
        try:
            code = main([*argv, "--db", str(work / "cli.sqlite3")])
        except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
            code = exc.code if isinstance(exc.code, int) else 2
    assert code in (0, 1, 2), argv


def test_fuzz_targets_cover_every_command() -> None:
    assert {"audit", "backup", "check", "restore", "user", "search"} <= set(COMMANDS)
    assert Path(__file__).exists()
