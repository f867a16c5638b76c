"""The Windows installer definition stays in step with the bundle it wraps (Inno Setup itself does
not run here: this checks what can drift)."""

from __future__ import annotations

import re
from pathlib import Path

from app import __version__

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "packaging" / "windows" / "tiepdan.iss"


def test_the_script_is_unicode_for_inno_setup() -> None:
    raw = SCRIPT.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Inno Setup 6 read UTF-8
    assert "TiếpDân" in raw.decode("utf-8-sig")


def test_version_and_bundle_match_the_build() -> None:
    text = SCRIPT.read_text(encoding="utf-8-sig")
    assert re.search(r'#define AppVersion "([^"]+)"', text).group(1) == __version__  # type: ignore[union-attr]
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    bundle = re.search(r'COLLECT\(.*name="([^"]+)"\)', spec).group(1)  # type: ignore[union-attr]
    assert f'#define Bundle "..\\..\\dist\\{bundle}"' in text
    exe = re.search(r'EXE\(.*name="([^"]+)"', spec).group(1)  # type: ignore[union-attr]
    assert f'#define AppExe "{exe}.exe"' in text


def test_uninstalling_keeps_the_data_folder() -> None:
    text = SCRIPT.read_text(encoding="utf-8-sig")
    section = text.split("[UninstallDelete]", 1)[1].split("\n[", 1)[0]
    deletions = [line.lower() for line in section.splitlines() if line.strip() and not line.startswith(";")]
    assert deletions and all("{app}" in line for line in deletions)  # only beside the program
    assert "PrivilegesRequired=lowest" in text  # an office PC without administrator rights
    assert "{group}" in text  # the Start-menu entry
