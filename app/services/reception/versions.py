"""The person as recorded with a visit or a petition.

A citizen's record follows the person (a move, a corrected name); what a visit, a petition and
the papers printed for them showed must not. Each holder row keeps the ``CitizenVersion`` that was
current when it was recorded, and everything that shows such a row reads that version.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session

from app.models import Citizen, CitizenVersion
from app.services.reception.citizens import CitizenInput, person_input

# The fields a version copies: what a register page, a receipt or a slip prints of a person.
VERSIONED = ("full_name", "id_number", "phone", "province_code", "commune_code", "address_detail", "confidential")


# A person as shown: the version a row recorded, or (rows older than versions) the record itself.
Recorded = Citizen | CitizenVersion


class Holder(Protocol):
    citizen_version: CitizenVersion | None

    @property
    def citizen(self) -> Citizen | None: ...


def pin_version(session: Session, citizen: Citizen) -> CitizenVersion:
    """The version that matches ``citizen`` now: the latest one if nothing changed, else a new one."""
    latest = session.scalar(
        select(CitizenVersion)
        .where(CitizenVersion.citizen_id == citizen.id)
        .order_by(CitizenVersion.id.desc())
        .limit(1)
    )
    if latest is not None and all(getattr(latest, f) == getattr(citizen, f) for f in VERSIONED):
        return latest
    version = CitizenVersion(citizen_id=citizen.id, **{f: getattr(citizen, f) for f in VERSIONED})
    session.add(version)
    session.flush()
    return version


def as_recorded(holder: Holder) -> Recorded | None:
    """The person as ``holder`` recorded them (rows older than versions: the citizen's record)."""
    return holder.citizen_version or holder.citizen


def recorded_input(holder: Holder) -> CitizenInput:
    """The person of ``holder`` as form data: the recorded version, with today's gender and birth
    year (which a version does not keep)."""
    citizen = holder.citizen
    person = as_recorded(holder)
    assert citizen is not None and person is not None
    return person_input(person, citizen)


def copy_first(connection: Connection, first: int, last: int, *, offset: int) -> None:
    """Give the citizens ``first``..``last`` (just written in bulk) their first version, numbered
    ``citizen id + offset``: a loader that knows the offset writes the holder rows with their
    version at once. The encrypted columns share the citizen's purposes: the ciphertext is copied."""
    columns = ", ".join(VERSIONED)
    connection.execute(
        text(
            f"INSERT INTO citizen_version (id, citizen_id, recorded_at, {columns}) "
            f"SELECT id + :offset, id, updated_at, {columns} FROM citizen WHERE id BETWEEN :first AND :last"
        ),
        {"offset": offset, "first": first, "last": last},
    )
