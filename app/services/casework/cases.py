"""Cases (vụ việc): the visits and petitions of the same people about the same matter are one case.

``related`` offers likely duplicates / related items while a clerk types (never blocking):
the same person's earlier visits and petitions, and petitions or visits by other people about
the same matter (similar summary or the same respondent). The clerk links (cases merge) or
dismisses. ``case_age`` says whether a case is old or newly arising for a reporting period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, Protocol

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from app.models import Case, CaseDismissal, Citizen, Petition, PetitionParty, Visit
from app.models.mixins import now_local
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import fold, nfc_or_none, search_tokens
from app.services.common.vocab import label
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

SIMILARITY = settings.define(
    "cases.similarity", 0.3, "Độ giống nhau tối thiểu của nội dung để gợi ý cùng vụ việc (0–1)"
)
CANDIDATE_POOL = 1000
OLD: Literal["cũ"] = "cũ"
NEW: Literal["mới phát sinh"] = "mới phát sinh"

# Syllables too common in petitions to say anything about the matter.
_STOP = frozenset(
    [
        "ve",
        "viec",
        "cua",
        "va",
        "cac",
        "cho",
        "khi",
        "tai",
        "theo",
        "doi",
        "voi",
        "khong",
        "duoc",
        "da",
        "co",
        "la",
        "nguoi",
        "don",
        "de",
        "nghi",
        "trong",
        "so",
        "ong",
        "ba",
        "toi",
        "chung",
        "gia",
        "dinh",
        "khieu",
        "nai",
        "to",
        "cao",
        "kien",
        "phan",
        "anh",
        "giai",
        "quyet",
        "yeu",
        "cau",
        "xem",
        "xet",
        "nay",
        "do",
        "mot",
        "nhung",
        "nhu",
        "thi",
        "ma",
        "o",
        "tu",
        "den",
        "len",
        "ra",
        "vao",
        "bi",
        "boi",
        "vi",
        "duoc",
        "can",
        "bo",
        "co",
        "quan",
    ]
)


@dataclass(frozen=True)
class MatterDraft:
    """What the form holds so far: the person, the summary, the respondent."""

    citizen_id: int | None = None
    summary: str = ""
    respondent_name: str | None = None
    exclude_petition_id: int | None = None
    exclude_visit_id: int | None = None
    case_id: int | None = None


@dataclass(frozen=True)
class CaseCandidate:
    key: str  # "petition:12" or "visit:40"
    item_kind: Literal["petition", "visit"]
    item_id: int
    case_id: int | None
    same_person: bool
    number: str
    received_on: dt.date
    person: str
    summary: str
    score: float
    status: str

    @property
    def reason_label(self) -> str:
        return "Cùng người" if self.same_person else "Cùng nội dung, người khác"


class HasFirstReceived(Protocol):
    @property
    def first_received_on(self) -> dt.date: ...


def case_age(case: HasFirstReceived, period_start: dt.date) -> Literal["cũ", "mới phát sinh"]:
    """ "cũ" when the case was first received before the period, else "mới phát sinh" (domain.md §2)."""
    return OLD if case.first_received_on < period_start else NEW


# ---- similarity ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [t for t in search_tokens(text) if t not in _STOP and len(t) > 1]


def _shingles(text: str) -> set[str]:
    """Pairs of consecutive meaningful syllables: "thu hoi", "hoi dat" — Vietnamese words are mostly two syllables."""
    words = _words(text)
    pairs = {f"{a} {b}" for a, b in pairwise(words)}
    return pairs or set(words)


def similarity(a: str, b: str) -> float:
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


# ---- candidates ------------------------------------------------------------------------------------


def _person_ids(session: Session, citizen_id: int | None) -> set[int]:
    return {citizen_id} if citizen_id is not None else set()


def related(session: Session, actor: Actor, draft: MatterDraft | int) -> list[CaseCandidate]:
    """Likely duplicates and related items for a draft (or for a citizen id), best first."""
    if isinstance(draft, int):
        draft = MatterDraft(citizen_id=draft)
    threshold = float(settings.get(session, SIMILARITY))
    dismissed: set[str] = set()
    if draft.exclude_petition_id is not None:
        dismissed = set(
            session.scalars(
                select(CaseDismissal.other_key).where(CaseDismissal.petition_id == draft.exclude_petition_id)
            )
        )
    people = _person_ids(session, draft.citizen_id)
    found: dict[str, CaseCandidate] = {}

    def keep(candidate: CaseCandidate) -> None:
        if candidate.key in dismissed:
            return
        if draft.case_id is not None and candidate.case_id == draft.case_id:
            return
        old = found.get(candidate.key)
        if old is None or (candidate.same_person, candidate.score) > (old.same_person, old.score):
            found[candidate.key] = candidate

    # Same person: every earlier petition (as sender or signer) and visit.
    if people:
        signed = select(PetitionParty.petition_id).where(PetitionParty.citizen_id.in_(people))
        for p, person in _petitions(session, or_(Petition.citizen_id.in_(people), Petition.id.in_(signed)), draft):
            keep(
                _petition_candidate(
                    actor, p, person, True, similarity(draft.summary, p.summary) if draft.summary else 0
                )
            )
        for v, person in _visits(session, Visit.citizen_id.in_(people), draft):
            keep(_visit_candidate(actor, v, person, True, similarity(draft.summary, v.summary) if draft.summary else 0))
    # Same matter, other people: similar summary or the same respondent.
    words = sorted(set(_words(draft.summary)), key=len, reverse=True)[:6]
    respondent = nfc_or_none(draft.respondent_name)
    if words or respondent:
        conds: list[ColumnElement[bool]] = [Petition.summary_folded.contains(w, autoescape=True) for w in words]
        if respondent:
            conds.append(Petition.respondent_folded == fold(respondent))
        for p, person in _petitions(session, or_(*conds), draft):
            score = similarity(draft.summary, p.summary)
            same_respondent = bool(respondent and p.respondent_name and fold(p.respondent_name) == fold(respondent))
            if score >= threshold or same_respondent:
                keep(_petition_candidate(actor, p, person, p.citizen_id in people, score))
        if words:
            vconds = [Visit.summary_folded.contains(w, autoescape=True) for w in words]
            for v, person in _visits(session, or_(*vconds), draft):
                score = similarity(draft.summary, v.summary)
                if score >= threshold:
                    keep(_visit_candidate(actor, v, person, v.citizen_id in people, score))
    ranked = sorted(found.values(), key=lambda c: (not c.same_person, -c.score, -c.received_on.toordinal()))
    return ranked[:12]


def _petitions(
    session: Session, cond: ColumnElement[bool], draft: MatterDraft
) -> list[tuple[Petition, Citizen | None]]:
    stmt = (
        select(Petition, Citizen)
        .outerjoin(Citizen, Citizen.id == Petition.citizen_id)
        .where(Petition.deleted_at.is_(None), cond)
        .order_by(Petition.received_on.desc(), Petition.id.desc())
        .limit(CANDIDATE_POOL)
    )
    if draft.exclude_petition_id is not None:
        stmt = stmt.where(Petition.id != draft.exclude_petition_id)
    return [(row[0], row[1]) for row in session.execute(stmt).all()]


def _visits(session: Session, cond: ColumnElement[bool], draft: MatterDraft) -> list[tuple[Visit, Citizen]]:
    stmt = (
        select(Visit, Citizen)
        .join(Citizen, Citizen.id == Visit.citizen_id)
        .where(Visit.deleted_at.is_(None), cond)
        .order_by(Visit.received_at.desc())
        .limit(CANDIDATE_POOL)
    )
    if draft.exclude_visit_id is not None:
        stmt = stmt.where(Visit.id != draft.exclude_visit_id)
    return [(row[0], row[1]) for row in session.execute(stmt).all()]


def _shown_name(actor: Actor, citizen: Citizen | None, fallback: str = "") -> str:
    if citizen is None:
        return fallback
    return confidential.shown(actor, citizen.full_name, citizen.confidential) or ""


def _petition_candidate(
    actor: Actor, p: Petition, citizen: Citizen | None, same_person: bool, score: float
) -> CaseCandidate:
    fallback = "Nặc danh" if p.is_anonymous else (p.organisation_name or "")
    return CaseCandidate(
        key=f"petition:{p.id}",
        item_kind="petition",
        item_id=p.id,
        case_id=p.case_id,
        same_person=same_person,
        number=f"Đơn số {p.reg_seq}/{p.reg_year}",
        received_on=p.received_on,
        person=_shown_name(actor, citizen, fallback),
        summary=p.summary,
        score=round(score, 3),
        status=label(p.status),
    )


def _visit_candidate(actor: Actor, v: Visit, citizen: Citizen, same_person: bool, score: float) -> CaseCandidate:
    return CaseCandidate(
        key=f"visit:{v.id}",
        item_kind="visit",
        item_id=v.id,
        case_id=v.case_id,
        same_person=same_person,
        number=f"Lượt tiếp {v.received_at:%d/%m/%Y %H:%M}",
        received_on=v.received_on,
        person=_shown_name(actor, citizen),
        summary=v.summary,
        score=round(score, 3),
        status=label(v.outcome),
    )


# ---- link / dismiss --------------------------------------------------------------------------------


def _item(session: Session, key: str) -> Petition | Visit:
    kind, _, raw = key.partition(":")
    if not raw.isdigit() or kind not in ("petition", "visit"):
        raise ValidationError({"key": f"“{key}” không phải là một đơn hay lượt tiếp."})
    item: Petition | Visit | None = (
        session.get(Petition, int(raw)) if kind == "petition" else session.get(Visit, int(raw))
    )
    if item is None or item.deleted_at is not None:
        what = "đơn" if kind == "petition" else "lượt tiếp"
        raise NotFoundError(f"Không tìm thấy {what} số {raw}.")
    return item


def _ensure_case(session: Session, item: Petition | Visit) -> Case:
    if item.case_id is not None:
        case = session.get(Case, item.case_id)
        if case is not None and case.deleted_at is None:
            return case
    kind = item.kind if isinstance(item, Petition) else item.matter_kind
    case = Case(
        title=item.summary[:300], matter_kind=kind, field_code=item.field_code, first_received_on=item.received_on
    )
    session.add(case)
    session.flush()
    item.case_id = case.id
    return case


def link(session: Session, actor: Actor, key: str, other_key: str) -> int:
    """Put two items ("petition:12", "visit:40") in one case, merging their cases; returns the case id.

    The older case survives (its first reception decides "cũ / mới phát sinh"); the other one is
    soft-deleted with the reason and every item it held moves over.
    """
    require(actor, Permission.REGISTER_PETITION)
    first, second = _item(session, key), _item(session, other_key)
    a, b = _ensure_case(session, first), _ensure_case(session, second)
    if a.id == b.id:
        return a.id
    keep, drop = (a, b) if (a.first_received_on, a.id) <= (b.first_received_on, b.id) else (b, a)
    for petition in session.scalars(select(Petition).where(Petition.case_id == drop.id)):
        petition.case_id = keep.id
    for visit in session.scalars(select(Visit).where(Visit.case_id == drop.id)):
        visit.case_id = keep.id
    drop.deleted_at = now_local()
    drop.delete_reason = f"Gộp vào vụ việc số {keep.id}"
    session.flush()
    audit.record(
        session,
        actor,
        "merge",
        "case",
        keep.id,
        before={"case_id": drop.id},
        after={"case_id": keep.id, "items": [key, other_key]},
    )
    return keep.id


def dismiss(session: Session, actor: Actor, petition_id: int, other_key: str) -> None:
    """The clerk says the candidate is another matter: it is not offered again for this petition."""
    require(actor, Permission.REGISTER_PETITION)
    _item(session, f"petition:{petition_id}")
    _item(session, other_key)
    exists = session.scalar(
        select(func.count())
        .select_from(CaseDismissal)
        .where(CaseDismissal.petition_id == petition_id, CaseDismissal.other_key == other_key)
    )
    if not exists:
        session.add(CaseDismissal(petition_id=petition_id, other_key=other_key, dismissed_by=actor.user_id))
        session.flush()
        audit.record(session, actor, "dismiss", "case_link", petition_id, after={"other": other_key})


@dataclass(frozen=True)
class CaseView:
    id: int
    title: str
    first_received_on: dt.date
    petition_ids: tuple[int, ...]
    visit_ids: tuple[int, ...]


def case_view(session: Session, case_id: int) -> CaseView:
    case = session.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy vụ việc số {case_id}.")
    petitions = tuple(
        session.scalars(select(Petition.id).where(Petition.case_id == case_id, Petition.deleted_at.is_(None)))
    )
    visits = tuple(session.scalars(select(Visit.id).where(Visit.case_id == case_id, Visit.deleted_at.is_(None))))
    return CaseView(case.id, case.title, case.first_received_on, petitions, visits)
