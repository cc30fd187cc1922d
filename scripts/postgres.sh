#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the tests, installing it from Debian's
# packages when it is missing and we may (root with apt-get). Prints the database URL on the
# last line of stdout; everything else goes to stderr.
#   scripts/postgres.sh start   ->  postgresql://reconnect@127.0.0.1:$PG_TEST_PORT/reconnect_test
#   scripts/postgres.sh stop
set -euo pipefail
PG_TEST_PORT="${PG_TEST_PORT:-55432}"
DATA_DIR="${PG_TEST_DIR:-/tmp/reconnect-pg-$PG_TEST_PORT}"
log() { echo "$*" >&2; }

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

# initdb refuses to run as root: run the server as the 'postgres' system user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

start() {
  local bin
  if ! bin="$(pg_bin)"; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "Installing PostgreSQL from Debian's packages ..."
      apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      bin="$(pg_bin)" || { log "PostgreSQL did not install"; exit 1; }
    else
      log "PostgreSQL is not installed (and cannot be installed here without root)."
      exit 1
    fi
  fi
  if [ -f "$DATA_DIR/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; then
    log "PostgreSQL test server already running on 127.0.0.1:$PG_TEST_PORT"
  else
    rm -rf "$DATA_DIR"
    mkdir -p "$DATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DATA_DIR"
    as_owner "$bin/initdb" -D "$DATA_DIR" -U reconnect --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w \
      -o "-h 127.0.0.1 -p $PG_TEST_PORT -k $DATA_DIR -F" start >&2
  fi
  as_owner "$bin/psql" -h 127.0.0.1 -p "$PG_TEST_PORT" -U reconnect -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'reconnect_test'" | grep -q 1 \
    || as_owner "$bin/createdb" -h 127.0.0.1 -p "$PG_TEST_PORT" -U reconnect reconnect_test
  echo "postgresql://reconnect@127.0.0.1:$PG_TEST_PORT/reconnect_test"
}

stop() {
  local bin
  bin="$(pg_bin)" || exit 0
  if [ -d "$DATA_DIR" ]; then
    as_owner "$bin/pg_ctl" -D "$DATA_DIR" -m fast stop >&2 || true
    rm -rf "$DATA_DIR"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) log "usage: $0 start|stop"; exit 2 ;;
esac
