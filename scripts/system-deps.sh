#!/usr/bin/env bash
# Installs the Debian/Ubuntu system libraries Qt needs (offscreen for tests, xcb for a real
# window), the fonts, and poppler-utils (pdftoppm for looking at printouts). Does nothing
# when everything is present or the machine has no apt-get.
set -euo pipefail
mode=${1:-test}
pkgs=(libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libx11-6 libdbus-1-3 fonts-dejavu-core poppler-utils)
if [ "$mode" = "run" ]; then
  pkgs+=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
         libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth)
fi
# Debian's Python needs python3-venv for `python -m venv` (ensurepip).
if ! "${PYTHON:-python3}" -c "import ensurepip" >/dev/null 2>&1; then
  pkgs+=(python3-venv)
fi
command -v apt-get >/dev/null 2>&1 || exit 0
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "Missing system packages (run as root): apt-get install ${missing[*]}" >&2; exit 1
  fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
