"""Demo data: what a user trying the app (or a benchmark) relies on being true of it."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import (
    LOCAL_TZ,
    Case,
    Citizen,
    CitizenVersion,
    Deadline,
    ImportBatch,
    Petition,
    PetitionEvent,
    PetitionParty,
    Visit,
    VisitParticipant,
)
from app.models.enums import DeadlineStatus, HandlingAction, IdKind, MatterKind, ReceptionKind, Role
from app.services import demo
from app.services.common.actor import Actor
from app.services.common.errors import RuleViolation, ValidationError
from app.services.common.text import fold
from app.services.deadlines import calendar, clocks, engine, followup
from app.services.demo import generator
from app.services.reception import citizens, versions, visits
from app.services.reception.identity import check_id_number
from tests.conftest import PgDatabases
from tests.helpers import add_visit
from tests.keyring_memory import memory_keyring

NOW = dt.datetime(2026, 11, 26, 10, 30, tzinfo=LOCAL_TZ)
N = 300
CHUNK = 70


def _fill(db: Database, visits: int = N, seed: int = 7, **kwargs: object) -> demo.DemoSummary:
    with db.transaction() as session:
        return demo.generate(session, visits, seed=seed, now=NOW, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def filled(
    tmp_path_factory: pytest.TempPathFactory, pg_databases: PgDatabases | None
) -> Iterator[tuple[Database, demo.DemoSummary]]:
    """One demo database shared by the read-only checks (generating it is the slow part)."""
    pg_name = pg_databases.create() if pg_databases else None
    if pg_databases and pg_name:
        url = pg_databases.url_of(pg_name)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    with memory_keyring(), pytest.MonkeyPatch.context() as patch:
        # Several chunks, so that what one chunk's rows need of an earlier one is checked too.
        patch.setattr(generator, "CHUNK_VISITS", CHUNK)
        database = Database(url)
        # Seed 3: in 300 visits a handful of clocks is still open; with this one some are overdue.
        summary = _fill(database, seed=3)
        patch.undo()
        yield database, summary
        database.dispose()
    if pg_databases and pg_name:
        pg_databases.drop(pg_name)


@pytest.fixture
def demo_session(filled: tuple[Database, demo.DemoSummary]) -> Iterator[Session]:
    with filled[0].session() as session:
        yield session


def test_counts_and_every_reference_exists(filled: tuple[Database, demo.DemoSummary], demo_session: Session) -> None:
    summary = filled[1]
    s = demo_session
    assert summary.visits == N == s.scalar(select(func.count()).select_from(Visit))
    assert summary.citizens == s.scalar(select(func.count()).select_from(Citizen))
    assert summary.petitions == s.scalar(select(func.count()).select_from(Petition))
    # About 60 % of visits hand in a petition, plus about 40 % more by post, forwarded or online.
    assert 0.8 * N <= summary.petitions <= 1.2 * N
    orphans = s.scalar(
        select(func.count())
        .select_from(Visit)
        .outerjoin(Citizen, Citizen.id == Visit.citizen_id)
        .where(Citizen.id.is_(None))
    )
    assert orphans == 0
    assert s.scalar(select(func.count()).select_from(Visit).where(Visit.case_id.is_(None))) == 0
    # Every case groups at least one visit or petition.
    used = select(Visit.case_id).union(select(Petition.case_id).where(Petition.case_id.is_not(None)))
    assert s.scalar(select(func.count()).select_from(Case).where(Case.id.not_in(used))) == 0
    batch = s.scalars(select(ImportBatch)).one()
    assert batch.source_name == demo.DEMO_BATCH and batch.imported == N
    assert s.scalar(select(func.count()).select_from(Visit).where(Visit.import_batch_id != batch.id)) == 0
    assert s.scalar(select(func.count()).select_from(Citizen).where(Citizen.import_batch_id != batch.id)) == 0


def test_names_are_vietnamese_in_nfc(demo_session: Session) -> None:
    names = list(demo_session.scalars(select(Citizen.full_name)))
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert all(len(n.split()) >= 3 for n in names)
    surnames = Counter(n.split()[0] for n in names)
    # Nguyễn is about 38 % of Vietnamese people; the next ones follow.
    assert 0.25 <= surnames["Nguyễn"] / len(names) <= 0.5
    assert {"Trần", "Lê", "Phạm"} <= set(surnames)
    assert sum(fold(n) != n.lower() for n in names) / len(names) > 0.9  # diacritics almost everywhere


def test_identity_numbers_agree_with_gender_and_birth_year(demo_session: Session) -> None:
    rows = demo_session.execute(
        select(Citizen.id_number, Citizen.id_kind, Citizen.birth_year, Citizen.gender).where(
            Citizen.id_number.is_not(None)
        )
    ).all()
    cccd = [r for r in rows if r.id_kind == IdKind.CCCD]
    assert len(cccd) > 0.8 * len(rows)
    for number, _, birth_year, gender in cccd:
        checked = check_id_number(number, birth_year=birth_year, gender=gender, today=NOW.date())
        assert checked.ok and checked.warnings == (), (number, checked.warnings)
    numbers = [r.id_number for r in rows]
    assert len(numbers) == len(set(numbers))


def test_addresses_are_real_units_mostly_in_the_office_province(demo_session: Session) -> None:
    from app.models import AdminUnit

    rows = demo_session.execute(
        select(Citizen.province_code, Citizen.commune_code, AdminUnit.parent_code).join(
            AdminUnit, AdminUnit.code == Citizen.commune_code
        )
    ).all()
    assert rows and all(province == parent for province, _, parent in rows)
    home = Counter(p for p, _, _ in rows).most_common(1)[0]
    assert home[0] == "24" and home[1] / len(rows) > 0.7


def test_crowd_visits_have_five_people_and_representatives(demo_session: Session) -> None:
    crowds = list(demo_session.scalars(select(Visit).where(Visit.is_crowd.is_(True))))
    assert crowds
    for visit in crowds:
        assert visit.head_count >= 5
        reps = demo_session.scalar(
            select(func.count()).select_from(VisitParticipant).where(VisitParticipant.visit_id == visit.id)
        )
        assert reps is not None and 2 <= reps <= 5
    assert (
        demo_session.scalar(
            select(func.count()).select_from(Visit).where(Visit.is_crowd.is_(False), Visit.head_count >= 5)
        )
        == 0
    )


def test_visits_fall_on_working_days_in_office_hours_within_24_months(demo_session: Session) -> None:
    work = calendar.package_calendar(range(2024, 2028))
    rows = demo_session.execute(
        select(Visit.received_at, Visit.received_on, Visit.reception_kind, Visit.leader_name)
    ).all()
    for at, on, kind, leader in rows:
        local = at.astimezone(LOCAL_TZ)
        assert local.date() == on
        assert dt.date(2024, 11, 26) <= on <= NOW.date() and local <= NOW
        assert work.is_working_day(on), on
        minutes = local.hour * 60 + local.minute
        assert 450 <= minutes < 690 or 810 <= minutes < 1020, local
        assert (leader is not None) == (kind != ReceptionKind.REGULAR)
    kinds = Counter(r.reception_kind for r in rows)
    assert kinds[ReceptionKind.REGULAR] > 0.75 * len(rows)
    assert kinds[ReceptionKind.PERIODIC] > 0
    # Spread over the whole period, not bunched at one end.
    assert min(r.received_on for r in rows) < dt.date(2025, 3, 1) and max(r.received_on for r in rows) > dt.date(
        2026, 9, 1
    )


def test_matter_kinds_mix_and_returning_citizens(demo_session: Session) -> None:
    rows = demo_session.execute(
        select(Visit.citizen_id, Visit.case_id, Visit.matter_kind).order_by(Visit.received_at)
    ).all()
    kinds = Counter(r.matter_kind for r in rows)
    assert 0.35 <= kinds[MatterKind.COMPLAINT] / N <= 0.55
    assert 0.04 <= kinds[MatterKind.DENUNCIATION] / N <= 0.18
    seen: set[tuple[int, int]] = set()
    returning = 0
    for citizen_id, case_id, _ in rows:
        returning += (citizen_id, case_id) in seen
        seen.add((citizen_id, case_id))
    assert 0.15 <= returning / N <= 0.35


def test_denouncers_are_separate_confidential_records(demo_session: Session) -> None:
    rows = demo_session.execute(
        select(Visit.matter_kind, Citizen.confidential, Citizen.name_folded).join(
            Citizen, Citizen.id == Visit.citizen_id
        )
    ).all()
    assert any(r.matter_kind == MatterKind.DENUNCIATION for r in rows)
    for kind, confidential, folded in rows:
        assert confidential == (kind == MatterKind.DENUNCIATION)
        if confidential:
            assert folded == ""  # never in the search index
    name = demo_session.scalar(select(Citizen.full_name).where(Citizen.confidential.is_(True)).limit(1))
    assert name is not None
    confidential_ids = set(demo_session.scalars(select(Citizen.id).where(Citizen.confidential.is_(True))))
    assert not confidential_ids & {m.id for m in citizens.find_returning(demo_session, name, limit=50)}


def test_summaries_are_vietnamese_and_folded_like_the_desk(demo_session: Session) -> None:
    for summary, folded in demo_session.execute(select(Visit.summary, Visit.summary_folded)):
        assert unicodedata.is_normalized("NFC", summary)
        assert folded == fold(summary)
    for summary, folded in demo_session.execute(select(Petition.summary, Petition.summary_folded)):
        assert folded == fold(summary)
    starts = Counter(s.split()[0] for s in demo_session.scalars(select(Visit.summary)))
    assert {"Khiếu", "Tố", "Đề"} <= set(starts)


def test_petitions_are_numbered_per_year_in_order_of_receipt(demo_session: Session) -> None:
    rows = demo_session.execute(
        select(Petition.reg_year, Petition.reg_seq, Petition.received_on).order_by(Petition.reg_year, Petition.reg_seq)
    ).all()
    by_year: dict[int, list[tuple[int, dt.date]]] = {}
    for year, seq, on in rows:
        assert on.year == year
        by_year.setdefault(year, []).append((seq, on))
    for entries in by_year.values():
        assert [seq for seq, _ in entries] == list(range(1, len(entries) + 1))
        dates = [on for _, on in entries]
        assert dates == sorted(dates)


def test_petition_timelines_are_plausible(demo_session: Session) -> None:
    events: dict[int, list[tuple[HandlingAction, dt.date]]] = {}
    for pid, action, on in demo_session.execute(
        select(PetitionEvent.petition_id, PetitionEvent.action, PetitionEvent.occurred_on).order_by(PetitionEvent.id)
    ):
        events.setdefault(pid, []).append((action, on))
    petitions = demo_session.execute(select(Petition.id, Petition.received_on, Petition.status)).all()
    assert len(events) == len(petitions)
    for pid, received, _ in petitions:
        steps = events[pid]
        assert steps[0] == (HandlingAction.RECEIVE, received)
        days = [on for _, on in steps]
        assert days == sorted(days) and days[-1] <= NOW.date()
        if len(steps) > 1:
            assert steps[1][0] == HandlingAction.CLASSIFY
    statuses = Counter(p.status for p in petitions)
    assert len(statuses) >= 5  # received, classified, accepted, forwarded, guided, filed, resolved …


def test_petitions_carry_the_clocks_their_timeline_implies(
    filled: tuple[Database, demo.DemoSummary], demo_session: Session
) -> None:
    s = demo_session
    rows = s.scalars(select(Deadline).order_by(Deadline.id)).all()
    assert len(rows) == filled[1].clocks
    # Every petition was received, so every petition got its processing clock from its receipt.
    received = dict(s.execute(select(Petition.id, Petition.received_on)).all())
    first = {r.petition_id: r for r in reversed(rows) if r.rule_code == engine.XU_LY_DON}
    assert set(first) == set(received)
    assert all(r.start_on == received[r.petition_id] for r in first.values())
    statuses = Counter(r.status for r in rows)
    assert statuses[DeadlineStatus.MET] > len(rows) / 2
    assert statuses[DeadlineStatus.OPEN] > 0
    # Due dates are the engine's, on the office calendar; a met clock was met on one of its petition's events.
    rules = clocks.rules(s)
    cal = calendar.work_calendar(s, range(NOW.year - 3, NOW.year + 2))
    event_days: dict[int, set[dt.date]] = {}
    for pid, on in s.execute(select(PetitionEvent.petition_id, PetitionEvent.occurred_on)):
        event_days.setdefault(pid, set()).add(on)
    for r in rows:
        assert r.due_on == engine.due_for_length(r.start_on, r.length, r.unit, cal).due
        assert r.length in {rules[r.rule_code].length_for(complicated=c)[0] for c in (False, True)}
        if r.status == DeadlineStatus.MET:
            assert r.met_on in event_days[r.petition_id]
        else:
            assert r.met_on is None


def test_followup_board_shows_demo_clocks(demo_session: Session) -> None:
    lead = Actor(user_id=None, username="lanh.dao", full_name="Lãnh đạo ban", role=Role.LEAD)
    board = followup.board(demo_session, lead, NOW.date())
    assert board.overdue and all(i.due_on is not None and i.due_on < NOW.date() for i in board.overdue)
    assert board.due_soon or board.due_today
    assert followup.overdue_count(demo_session, NOW.date()) >= len(board.overdue)


def test_old_forwarded_petitions_are_answered_and_old_decisions_enforced(demo_session: Session) -> None:
    """Like a real office: two months on, the other body has answered and the decision is enforced;
    only a recent tail (and a rare straggler) is still open."""
    cutoff = NOW.date() - dt.timedelta(days=60)
    s = demo_session
    forwarded = set(
        s.scalars(
            select(PetitionEvent.petition_id).where(
                PetitionEvent.action == HandlingAction.FORWARD, PetitionEvent.occurred_on < cutoff
            )
        )
    )
    answered = set(
        s.scalars(select(PetitionEvent.petition_id).where(PetitionEvent.action == HandlingAction.ANSWER_RECEIVED))
    )
    decided = s.execute(select(Petition.decided_on, Petition.enforced_on).where(Petition.decided_on < cutoff)).all()
    assert len(forwarded) >= 10 and len(decided) >= 10
    assert len(forwarded - answered) <= len(forwarded) * 0.05
    assert sum(1 for _, enforced in decided if enforced is None) <= len(decided) * 0.05
    assert all(enforced is None or enforced >= on for on, enforced in decided)


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    def snapshot(path: Path, seed: int) -> list[tuple[object, ...]]:
        database = Database(f"sqlite:///{path}")
        _fill(database, visits=120, seed=seed)
        with database.session() as s:
            rows = s.execute(
                select(Visit.received_at, Visit.summary, Citizen.full_name, Citizen.id_number)
                .join(Citizen, Citizen.id == Visit.citizen_id)
                .order_by(Visit.id)
            ).all()
            clock_rows = s.execute(
                select(
                    Deadline.petition_id, Deadline.rule_code, Deadline.due_on, Deadline.status, Deadline.met_on
                ).order_by(Deadline.id)
            ).all()
        database.dispose()
        return [tuple(r) for r in rows] + [tuple(r) for r in clock_rows]

    first = snapshot(tmp_path / "a.sqlite3", 5)
    assert first == snapshot(tmp_path / "b.sqlite3", 5)
    assert first != snapshot(tmp_path / "c.sqlite3", 6)


def test_refuses_a_database_with_real_visits_unless_forced(db: Database, session: Session) -> None:
    add_visit(session)
    with pytest.raises(RuleViolation, match="lượt tiếp thật"):
        _fill(db, visits=20)
    summary = _fill(db, visits=20, force=True)
    assert summary.visits == 20
    assert demo.real_visit_count(session) == 1


def test_a_second_run_continues_the_register(db: Database, session: Session) -> None:
    _fill(db, visits=60, seed=1)
    _fill(db, visits=60, seed=2)
    rows = session.execute(select(Petition.reg_year, Petition.reg_seq)).all()
    assert len(rows) == len(set(rows))
    assert session.scalar(select(func.count()).select_from(Visit)) == 120
    assert demo.real_visit_count(session) == 0


def test_search_index_covers_demo_rows(filled: tuple[Database, demo.DemoSummary], demo_session: Session) -> None:
    name = demo_session.scalar(
        select(Citizen.full_name).where(Citizen.confidential.is_(False)).order_by(Citizen.id.desc()).limit(1)
    )
    assert name is not None
    found = citizens.find_returning(demo_session, fold(name), limit=50)
    assert name in {m.full_name for m in found}


def test_bad_counts_are_refused() -> None:
    with pytest.raises(ValidationError):
        demo.check_count(0)
    with pytest.raises(ValidationError):
        demo.check_count(demo.MAX_VISITS + 1)


def test_the_search_index_still_follows_the_desk_after_a_demo_load(db: Database, session: Session) -> None:
    _fill(db, visits=40)
    add_visit(session, name="Khổng Thị Xuyến", id_number="024190001111")
    assert [m.full_name for m in citizens.find_returning(session, "khong thi xuyen")] == ["Khổng Thị Xuyến"]


@pytest.mark.parametrize("holder", [Visit, VisitParticipant, Petition, PetitionParty])
def test_every_row_naming_a_person_keeps_that_persons_version(
    demo_session: Session, holder: type[Visit | VisitParticipant | Petition | PetitionParty]
) -> None:
    rows = demo_session.execute(select(holder.citizen_id, holder.citizen_version_id)).all()
    assert rows, holder
    named = [(citizen_id, version_id) for citizen_id, version_id in rows if citizen_id is not None]
    assert all(version_id is not None for _, version_id in named)
    assert all(version_id is None for citizen_id, version_id in rows if citizen_id is None)
    version_of = dict(demo_session.execute(select(CitizenVersion.id, CitizenVersion.citizen_id)).all())
    assert all(version_of[version_id] == citizen_id for citizen_id, version_id in named)


def test_a_version_shows_the_person_as_recorded(demo_session: Session) -> None:
    assert demo_session.scalar(select(func.count()).select_from(CitizenVersion)) == demo_session.scalar(
        select(func.count()).select_from(Citizen)
    )
    for visit in demo_session.scalars(select(Visit).where(Visit.id % 37 == 0)):
        recorded, citizen = visit.citizen_version, visit.citizen
        assert recorded is not None and citizen is not None
        assert [getattr(recorded, f) for f in versions.VERSIONED] == [getattr(citizen, f) for f in versions.VERSIONED]


def test_every_visit_sorts_under_its_citizens_name(demo_session: Session) -> None:
    keys = demo_session.execute(select(Visit.citizen_sort, Citizen.name_folded).join(Visit.citizen)).all()
    assert len(keys) == N
    assert all(sort == name for sort, name in keys)
    assert sum(1 for sort, _ in keys if sort) > N / 2


def test_the_list_filter_finds_visits_of_every_chunk(demo_session: Session) -> None:
    chosen = demo_session.execute(
        select(Visit.id, Visit.summary_folded).order_by(Visit.id).where(Visit.id % CHUNK == 1)
    ).all()
    assert len(chosen) >= N // CHUNK
    for visit_id, folded in chosen:
        words = " ".join(folded.split()[:4])
        assert visit_id in visits.visit_ids(demo_session, visits.VisitFilter(text=words)), words


def test_a_failed_write_rolls_the_whole_load_back(
    db: Database, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_first = versions.copy_first
    calls: list[int] = []

    def fails_on_the_third_chunk(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        copy_first(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generator, "CHUNK_VISITS", 20)
    monkeypatch.setattr(versions, "copy_first", fails_on_the_third_chunk)
    with pytest.raises(RuntimeError, match="disk full"):
        _fill(db, visits=100)
    assert len(calls) == 3
    assert session.scalar(select(func.count()).select_from(Visit)) == 0
    assert session.scalar(select(func.count()).select_from(Citizen)) == 0
    monkeypatch.undo()
    # Nothing half-done stays behind: the desk and a new load both work.
    add_visit(session, name="Khổng Thị Xuyến", id_number="024190001111")
    assert [m.full_name for m in citizens.find_returning(session, "khong thi xuyen")] == ["Khổng Thị Xuyến"]
    assert _fill(db, visits=30, force=True).visits == 30
