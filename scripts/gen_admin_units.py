"""Generate resources/seeds/admin_units.json from the vietnam-provinces package.

Run at development time only (``pip install vietnam-provinces==2025.10.1``); the
application reads the JSON file and never imports the package.
"""

from __future__ import annotations

import json
from pathlib import Path

from vietnam_provinces import Province, Ward  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "resources" / "seeds" / "admin_units.json"


def main() -> None:
    provinces = [
        {"code": f"{p.code.value:02d}", "name": p.name, "division_type": p.division_type.value}
        for p in Province.iter_all()
    ]
    communes = [
        {
            "code": f"{w.code.value:05d}",
            "name": w.name,
            "division_type": w.division_type.value,
            "province_code": f"{w.province_code.value:02d}",
        }
        for w in Ward.iter_all()
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "source": "vietnam-provinces 2025.10.1",
        "valid_from": "2025-07-01",
        "provinces": provinces,
        "communes": communes,
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    print(f"{len(provinces)} provinces, {len(communes)} communes -> {OUT}")


if __name__ == "__main__":
    main()
