"""The layering rule: services and models never import Qt, even transitively."""

import subprocess
import sys


def test_services_and_cli_jobs_do_not_load_qt() -> None:
    code = (
        "import sys, importlib, pkgutil, app.services, app.models, app.cli\n"
        "for m in pkgutil.iter_modules(app.services.__path__):\n"
        "    importlib.import_module('app.services.' + m.name)\n"
        "app.cli.build_parser()\n"
        "print('PySide6' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
