#!/usr/bin/env bash
# Starts TiếpDân from the project's venv. Where the OS has no secure keyring (a bare Linux box),
# the data key goes to a key file in the user's data folder, readable by the owner only (0600),
# and we say so: never a silent fallback (see README, "Khóa dữ liệu").
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
if [ -z "${TIEPDAN_KEY_FILE:-}" ] && ! "$py" -c 'import sys; from app.services.security.keys import os_store_available as ok; sys.exit(0 if ok() else 1)' 2>/dev/null; then
  data=$("$py" -c 'from app.paths import data_dir; print(data_dir())')
  export TIEPDAN_KEY_FILE="$data/tiepdan.key"
  echo "Máy không có kho khóa (keyring) của hệ điều hành: khóa dữ liệu được giữ trong tệp $TIEPDAN_KEY_FILE (quyền 600). Hãy sao lưu tệp này cùng dữ liệu." >&2
fi
exec "$py" -m app "$@"
