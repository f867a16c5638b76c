"""The people of the demo office: names, identity numbers and addresses drawn like a province's.

``Dice`` holds the cheap draws every part of the generator shares, from one ``random.Random`` so
that a seed gives the same history; ``People`` knows the office's administrative units.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdminUnit
from app.models.enums import AdminLevel, Gender, IdKind
from app.services.common.errors import RuleViolation
from app.services.demo.profile import HOME_PROVINCE_SHARE, _fold_cached, _Pools
from app.services.reception.identity import BIRTH_PROVINCES

_T = TypeVar("_T")


class Dice:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # random.randint/choice cost five times this: they are called a few million times per run.
    def _int(self, low: int, high: int) -> int:
        return low + int(self.rng.random() * (high - low + 1))

    def _choice(self, items: Sequence[_T]) -> _T:
        return items[int(self.rng.random() * len(items))]

    def _pick(self, table: tuple[tuple[Any, ...], tuple[float, ...]]) -> Any:
        values, cum = table
        return values[bisect(cum, self.rng.random() * cum[-1])]


class People(Dice):
    def __init__(
        self,
        rng: random.Random,
        pools: _Pools,
        home: str,
        others: list[str],
        unit_names: dict[str, str],
        communes: dict[str, tuple[tuple[str, ...], tuple[float, ...]]],
    ) -> None:
        super().__init__(rng)
        self.pools = pools
        self.home = home
        self.provinces = others
        self.unit_names = unit_names
        self.communes = communes
        self.used_ids: set[str] = set()

    @classmethod
    def of_office(cls, session: Session, rng: random.Random, pools: _Pools, home: str) -> People:
        """The people of the office whose home province is ``home`` (the first province if unknown)."""
        rows = session.execute(
            select(AdminUnit.code, AdminUnit.name, AdminUnit.parent_code, AdminUnit.level)
            .where(AdminUnit.valid_to.is_(None))
            .order_by(AdminUnit.code)
        ).all()
        unit_names = {code: name for code, name, _, _ in rows}
        provinces = [code for code, _, _, level in rows if level == AdminLevel.PROVINCE]
        if not provinces:
            raise RuleViolation("Danh mục đơn vị hành chính trống; không tạo được dữ liệu mẫu.")
        if home not in provinces:
            home = provinces[0]
        others = [p for p in provinces if p != home] or provinces
        communes: dict[str, list[str]] = {}
        for code, _, parent, level in rows:
            if level == AdminLevel.COMMUNE and parent:
                communes.setdefault(parent, []).append(code)
        # A few communes bring most of the matters (big projects, land disputes): Zipf-like weights.
        weighted = {
            province: (tuple(codes), tuple(accumulate(1.0 / (i + 3) for i in range(len(codes)))))
            for province, codes in communes.items()
        }
        return cls(rng, pools, home, others, unit_names, weighted)

    def name(self, gender: Gender, province: str, age: int) -> tuple[str, str]:
        """A full name and its folded form (folded word by word: fold works letter by letter)."""
        rng, pools = self.rng, self.pools
        surname = pools.surnames[bisect(pools.surname_cum, rng.random() * pools.surname_cum[-1])]
        if "|" in surname:
            north, south = surname.split("|")
            surname = south if int(province) >= 44 and rng.random() < 0.8 else north
        middles, middle_cum = pools.middle[gender]
        # Older people carry the classic Văn / Thị more often.
        if age >= 55 and rng.random() < 0.4:
            middle = "Văn" if gender == Gender.MALE else "Thị"
        else:
            middle = middles[bisect(middle_cum, rng.random() * middle_cum[-1])]
        given = self._choice(pools.given[gender])
        folded = f"{_fold_cached(surname)} {_fold_cached(middle)} {_fold_cached(given)}"
        return f"{surname} {middle} {given}", folded

    def id_number(self, province: str, gender: Gender, birth_year: int) -> tuple[str | None, IdKind | None]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.05:
            return None, None  # no paper shown
        if roll < 0.08:
            while True:
                number = f"{self._int(10_000_000, 399_999_999):09d}"
                if number not in self.used_ids:
                    self.used_ids.add(number)
                    return number, IdKind.CMND
        codes = self.pools.birth_codes.get(province) or ("001",)
        birth_code = self._choice(codes) if rng.random() < 0.9 else self._choice(tuple(BIRTH_PROVINCES))
        century = 0 if birth_year < 2000 else 2
        sex = century + (0 if gender == Gender.MALE else 1)
        while True:
            number = f"{birth_code}{sex}{birth_year % 100:02d}{self._int(0, 999_999):06d}"
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number, IdKind.CCCD

    def address(self, province: str | None = None) -> tuple[str, str | None, str]:
        rng = self.rng
        if province is None:
            province = self.home if rng.random() < HOME_PROVINCE_SHARE else self._choice(self.provinces)
        codes, cum = self.communes.get(province, ((), ()))
        commune = codes[bisect(cum, rng.random() * cum[-1])] if codes else None
        name = self.unit_names.get(commune or "", "")
        if name.startswith("Phường"):
            detail = f"Số {self._int(1, 180)}, đường {self._choice(self.pools.streets)}"
            if rng.random() < 0.4:
                detail = f"Số {self._int(1, 60)}, ngõ {self._int(2, 120)}, đường {self._choice(self.pools.streets)}"
        elif rng.random() < 0.5:
            detail = f"Thôn {self._choice(self.pools.hamlets)}"
        else:
            detail = f"Xóm {self._int(1, 15)}"
        return province, commune, detail
