"""Subordinate offices for the upward-reporting tests: each a SQLite file of its own with a little demo
data, which computes its forms and exports its signed package like a real commune would."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import keyring

from app.db import Database
from app.models import LOCAL_TZ
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.demo import runner
from app.services.reports import periods, service
from app.services.reports.periods import Period
from app.services.security import crypto
from app.services.upward import package
from tests.keyring_memory import MemoryKeyring

QUARTER = periods.quarter(2026, 3)  # 15/06/2026 – 14/09/2026
DEMO_NOW = dt.datetime(2026, 10, 1, 10, 0, tzinfo=LOCAL_TZ)
ON_TIME = dt.datetime(2026, 9, 16, 9, 0, tzinfo=LOCAL_TZ)  # before the due date (14/09 + 5 days)


@dataclass
class UnitPackage:
    code: str
    name: str
    path: Path
    db_file: Path
    values: dict[str, list[list[float | int]]]  # what the unit itself computed, per form


class Offices:
    """Makes subordinate offices from one migrated template file (migrating once, copying per unit)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.template = folder / "template.sqlite3"
        self.keyring = MemoryKeyring()  # the offices' data keys (their signing keys derive from them)
        Database(f"sqlite:///{self.template}", unlock=False).dispose()

    @contextmanager
    def keys(self) -> Iterator[None]:
        """The offices' own key store for the block (each office's database needs its key to open); the
        process's current data key is the caller's again afterwards."""
        previous = keyring.get_keyring()
        try:
            current: crypto.DataKey | None = crypto.current()
        except StorageError:
            current = None
        keyring.set_keyring(self.keyring)
        try:
            yield
        finally:
            keyring.set_keyring(previous)
            crypto.activate(current)  # opening an office made its key the process's current one

    def office(self, code: str, name: str) -> Path:
        path = self.folder / f"unit_{code}.sqlite3"
        shutil.copyfile(self.template, path)
        db = Database(f"sqlite:///{path}")
        with db.transaction() as session:
            settings.put(session, settings.OFFICE_COMMUNE, code)
            settings.put(session, settings.OFFICE_NAME, f"UBND {name.upper()}")
            settings.put(session, settings.GOVERNING_BODY, "UBND TỈNH BẮC NINH")
        db.dispose()
        return path

    def export(
        self,
        db_file: Path,
        code: str,
        name: str,
        *,
        visits: int,
        seed: int,
        period: Period = QUARTER,
        suffix: str = "",
    ) -> UnitPackage:
        """Add ``visits`` demo visits to the unit's register and export its package of ``period``."""
        db = Database(f"sqlite:///{db_file}")
        out = self.folder / "outbox" / f"{code}{suffix}{package.SUFFIX}"
        with db.transaction() as session:
            runner.generate(session, visits, seed=seed, now=DEMO_NOW, force=True)
            grids = service.grids(session, SYSTEM, period)
            package.build_package(session, SYSTEM, period, out, now=DEMO_NOW)
        db.dispose()
        values = {g.form.code: [list(row) for row in g.values] for g in grids}
        return UnitPackage(code, name, out, db_file, values)


def make_units(folder: Path, units: list[tuple[str, str]], *, visits: int = 25) -> tuple[Offices, list[UnitPackage]]:
    """One office and one package of ``QUARTER`` per unit; the keys live in a keyring of their own."""
    offices = Offices(folder)
    made: list[UnitPackage] = []
    with offices.keys():
        for n, (code, name) in enumerate(units, 1):
            made.append(offices.export(offices.office(code, name), code, name, visits=visits, seed=n))
    return offices, made


def rewrite_member(source: Path, target: Path, member: str, change: object) -> Path:
    """A copy of a package with one member's bytes changed by ``change(bytes) -> bytes`` (tampering)."""
    with zipfile.ZipFile(source) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts[member] = change(parts[member])  # type: ignore[operator]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def bump_first_figure(data: bytes) -> bytes:
    """The package's JSON with its first figure raised by one (signature left as it was)."""
    info = json.loads(data)
    info["forms"][0]["values"][0][1] += 1
    return json.dumps(info, ensure_ascii=False, indent=1).encode("utf-8")
