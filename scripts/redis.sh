#!/usr/bin/env bash
# Start a throw-away Redis server on loopback (Rasa's lock store for the scale-out test and
# benchmark), installing it from Debian's packages when it is missing and we may (root with
# apt-get). Its data folder is var/redis-$REDIS_TEST_PORT; nothing is saved to disk. Prints
# the server's URL on the last line of stdout; everything else goes to stderr.
#   scripts/redis.sh start   ->  redis://127.0.0.1:$REDIS_TEST_PORT
#   scripts/redis.sh stop
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
REDIS_TEST_PORT="${REDIS_TEST_PORT:-56379}"
DATA_DIR="${REDIS_TEST_DIR:-$ROOT/var/redis-$REDIS_TEST_PORT}"
log() { echo "$*" >&2; }

start() {
  if ! command -v redis-server >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "Installing Redis from Debian's packages ..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2 \
        || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2; }
    else
      log "Redis is not installed (and cannot be installed here without root)."
      exit 1
    fi
  fi
  if [ -f "$DATA_DIR/redis.pid" ] && kill -0 "$(cat "$DATA_DIR/redis.pid")" 2>/dev/null; then
    log "Redis test server already running on 127.0.0.1:$REDIS_TEST_PORT"
  else
    rm -rf "$DATA_DIR"
    mkdir -p "$DATA_DIR"
    redis-server --bind 127.0.0.1 --port "$REDIS_TEST_PORT" --protected-mode yes \
      --dir "$DATA_DIR" --pidfile "$DATA_DIR/redis.pid" --logfile "$DATA_DIR/redis.log" \
      --daemonize yes --save "" --appendonly no >&2
    for _ in $(seq 50); do
      redis-cli -h 127.0.0.1 -p "$REDIS_TEST_PORT" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$REDIS_TEST_PORT" ping | grep -q PONG \
      || { log "Redis did not start: $(tail -n 5 "$DATA_DIR/redis.log")"; exit 1; }
  fi
  echo "redis://127.0.0.1:$REDIS_TEST_PORT"
}

stop() {
  if [ -f "$DATA_DIR/redis.pid" ]; then
    local pid
    pid="$(cat "$DATA_DIR/redis.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$DATA_DIR"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) log "usage: $0 start|stop"; exit 2 ;;
esac
