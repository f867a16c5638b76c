"""Tone-insensitive text search. The one module with dialect-specific SQL.

SQLite: FTS5 tables over the folded columns (created in migration 0002), queried with
token prefixes so that ``nguyen van d`` finds ``Nguyễn Văn Dũng`` as the clerk types.
Other databases (PostgreSQL): ``LIKE`` over the same folded columns, same results.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, literal_column, or_, select, text
from sqlalchemy.orm import Session

from app.models import Citizen, Petition, Visit
from app.services.text import search_tokens


def fts_query(tokens: list[str]) -> str:
    # Tokens hold only [0-9a-z] (search_tokens), so quoting cannot be escaped from.
    return " ".join(f'"{tok}"*' for tok in tokens)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _fts_ids(fts_table: str, tokens: list[str]) -> Select[tuple[int]]:
    return (
        select(literal_column("rowid", type_=Citizen.id.type))
        .select_from(text(fts_table))
        .where(text(f"{fts_table} MATCH :fts_{fts_table}").bindparams(**{f"fts_{fts_table}": fts_query(tokens)}))
    )


def citizen_name_matches(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``Citizen`` for every word of ``query`` as a name prefix (or substring)."""
    tokens = search_tokens(query)
    if not tokens:
        return Citizen.id.is_(None)
    if _is_sqlite(session):
        return Citizen.id.in_(_fts_ids("citizen_fts", tokens))
    return and_(*[Citizen.name_folded.contains(tok, autoescape=True) for tok in tokens])


def visit_text_matches(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``Visit``: the words appear in the summary or in the citizen's name."""
    tokens = search_tokens(query)
    if not tokens:
        return Visit.id.is_(None)
    if _is_sqlite(session):
        return or_(
            Visit.id.in_(_fts_ids("visit_fts", tokens)),
            Visit.citizen_id.in_(_fts_ids("citizen_fts", tokens)),
        )
    return or_(
        and_(*[Visit.summary_folded.contains(tok, autoescape=True) for tok in tokens]),
        Visit.citizen_id.in_(
            select(Citizen.id).where(and_(*[Citizen.name_folded.contains(t, autoescape=True) for t in tokens]))
        ),
    )


def petition_text_matches(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``Petition``: the words appear in the summary or the sender's name."""
    tokens = search_tokens(query)
    if not tokens:
        return Petition.id.is_(None)
    if _is_sqlite(session):
        return or_(
            Petition.id.in_(_fts_ids("petition_fts", tokens)),
            Petition.citizen_id.in_(_fts_ids("citizen_fts", tokens)),
        )
    return or_(
        and_(*[Petition.summary_folded.contains(tok, autoescape=True) for tok in tokens]),
        Petition.citizen_id.in_(
            select(Citizen.id).where(and_(*[Citizen.name_folded.contains(t, autoescape=True) for t in tokens]))
        ),
    )
