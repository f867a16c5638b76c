"""The layering rules: no Qt below app/ui, models hold data only, service packages import downwards."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from app.services import LAYERS

APP = Path(__file__).resolve().parents[1] / "app"
SERVICES = APP / "services"


def test_services_and_cli_jobs_do_not_load_qt() -> None:
    code = (
        "import sys, importlib, pkgutil, app.services, app.models, app.cli\n"
        "for m in pkgutil.walk_packages(app.services.__path__, 'app.services.'):\n"
        "    importlib.import_module(m.name)\n"
        "app.cli.build_parser()\n"
        "print('PySide6' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _service_package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["app", "services"] and parts[2] in LAYERS else None


def test_every_service_module_lives_in_a_package_with_a_rule() -> None:
    loose = [p.name for p in SERVICES.glob("*.py") if p.name != "__init__.py"]
    packages = {p.name for p in SERVICES.iterdir() if (p / "__init__.py").exists()}
    assert loose == []
    assert packages == set(LAYERS)


@pytest.mark.parametrize("package", sorted(LAYERS))
def test_service_package_imports_only_what_its_rule_allows(package: str) -> None:
    allowed = LAYERS[package] | {package}
    broken = sorted(
        f"{path.relative_to(APP.parent)} imports {module}"
        for path in (SERVICES / package).rglob("*.py")
        for module in _imported_modules(path)
        if (other := _service_package_of(module)) is not None and other not in allowed
    )
    assert broken == []


def test_layers_have_no_circle() -> None:
    done: set[str] = set()

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, " → ".join((*path, package))
        if package not in done:
            for lower in LAYERS[package]:
                visit(lower, (*path, package))
            done.add(package)

    for package in LAYERS:
        visit(package, ())


# The encrypted column type is the one thing a model takes from a service: the column must
# encrypt on the way in, with the key the security package holds.
MODEL_MAY_USE = {"app.services.security.crypto", "app.services.security.crypto.EncryptedText"}


def test_models_import_neither_services_nor_ui() -> None:
    broken = sorted(
        f"{path.relative_to(APP.parent)} imports {module}"
        for path in (APP / "models").rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith(("app.services", "app.ui", "app.cli", "PySide6")) and module not in MODEL_MAY_USE
    )
    assert broken == []


def test_services_never_import_the_ui_or_the_command_line() -> None:
    broken = sorted(
        f"{path.relative_to(APP.parent)} imports {module}"
        for path in SERVICES.rglob("*.py")
        for module in _imported_modules(path)
        if module.startswith(("app.ui", "app.cli"))
    )
    assert broken == []
