#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: a fresh cluster in a temp folder, reached only
# through a Unix socket inside that folder (so no TCP port can collide), tuned for speed, not
# durability. Installs Debian's `postgresql` package when no server binaries are found.
#
#   scripts/pg_test_server.sh run CMD...   start, run CMD with TIEPDAN_TEST_PG_URL set, stop, remove
#   scripts/pg_test_server.sh start        start; prints `export TIEPDAN_TEST_PG_URL=…` and the folder
#   scripts/pg_test_server.sh stop DIR     stop the server started in DIR and remove DIR
#   scripts/pg_test_server.sh check        exit 0 when a server can be had (binaries or apt-get)
#
# TIEPDAN_PG_OPTIONS adds server settings, e.g. for benchmarks a server's memory rather than a
# test cluster's: TIEPDAN_PG_OPTIONS='-c shared_buffers=1GB -c work_mem=16MB' (later -c win).
#
# Run as root, the server runs as the `postgres` user (postgres refuses to run as root).
set -euo pipefail
DBNAME=tiepdan_test

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

can_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1
}

install_server() {
  echo "Installing system packages: postgresql" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
}

# Runs a server binary as the user that owns the cluster.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      runuser -u postgres -- "$@"
    else
      su -s /bin/bash postgres -c "$(printf '%q ' "$@")"
    fi
  else
    "$@"
  fi
}

start() {
  local bindir dir port=5432 user
  if ! bindir=$(find_bindir); then
    can_install || { echo "No PostgreSQL server binaries (initdb, pg_ctl) and no apt-get to install them." >&2; exit 1; }
    install_server
    bindir=$(find_bindir) || { echo "PostgreSQL installed but initdb not found." >&2; exit 1; }
  fi
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "Running as root needs the 'postgres' system user." >&2; exit 1; }
    user=postgres
  else
    user=$(id -un)
  fi
  # Short path: a Unix socket path may not exceed ~107 bytes.
  dir=$(mktemp -d /tmp/tiepdan-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  # C.UTF-8: byte order like SQLite, but lower()/upper() know Vietnamese letters; plain C where missing.
  as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync >"$dir/initdb.log" 2>&1 \
    || { rm -rf "$dir/data"; as_owner "$bindir/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 \
         --no-locale --no-sync >"$dir/initdb.log" 2>&1; } \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  # Listen on the private socket only; durability is worthless for a test cluster and costs time.
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
    -o "-c listen_addresses='' -k $dir -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    -o "-c max_connections=200 -c shared_buffers=64MB ${TIEPDAN_PG_OPTIONS:-}" start \
    || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
  echo "$bindir" >"$dir/bindir"
  as_owner "$bindir/createdb" -h "$dir" -p "$port" -U "$user" "$DBNAME" || { stop "$dir"; exit 1; }
  URL="postgresql+psycopg://$user@/$DBNAME?host=$dir&port=$port"
  DIR=$dir
}

stop() {
  local dir=$1 bindir
  [ -d "$dir/data" ] || { echo "$dir is not a test cluster" >&2; return 1; }
  bindir=$(cat "$dir/bindir")
  as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -s stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  check)
    if find_bindir >/dev/null; then
      # As root the server must run as `postgres` (the package creates that user).
      [ "$(id -u)" -ne 0 ] || id postgres >/dev/null 2>&1
    else
      can_install
    fi
    ;;
  start)
    start
    echo "export TIEPDAN_TEST_PG_URL='$URL'"
    echo "# stop with: $0 stop $DIR"
    ;;
  stop)
    stop "${2:?usage: $0 stop DIR}"
    ;;
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: $0 run CMD..." >&2; exit 2; }
    start
    trap 'stop "$DIR"' EXIT
    trap 'exit 130' INT TERM
    echo "PostgreSQL test server: $URL" >&2
    TIEPDAN_TEST_PG_URL=$URL "$@"
    ;;
  *)
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
