#!/usr/bin/env bash
# Start nginx on loopback as the load balancer of the scale-out test and benchmark, with a
# config generated here, installing it from Debian's packages when it is missing and we may
# (root with apt-get). Each balancer is NAME=LISTEN_PORT:BACKEND,BACKEND,... (backends are
# host:port); a backend that refuses connections or times out is skipped for 10 s and the
# request goes to the next. No access log; bodies are kept in memory, never written to disk.
#   scripts/nginx.sh start DIR rasa=18080:127.0.0.1:5005,127.0.0.1:5006 actions=18081:...
#   scripts/nginx.sh stop DIR
set -euo pipefail
log() { echo "$*" >&2; }

nginx_bin() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; }; }

write_config() {
  local dir="$1"; shift
  mkdir -p "$dir/tmp"
  {
    echo "worker_processes 1;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/error.log warn;"
    echo "events { worker_connections 512; }"
    echo "http {"
    echo "  access_log off;"
    for kind in client_body proxy fastcgi uwsgi scgi; do echo "  ${kind}_temp_path $dir/tmp/$kind;"; done
    echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }"
    local spec name rest port backends backend
    for spec in "$@"; do
      name="${spec%%=*}"; rest="${spec#*=}"; port="${rest%%:*}"; backends="${rest#*:}"
      echo "  upstream $name {"
      for backend in ${backends//,/ }; do
        echo "    server $backend max_fails=1 fail_timeout=10s;"
      done
      echo "    keepalive 16;"
      echo "  }"
      echo "  server {"
      echo "    listen 127.0.0.1:$port;"
      # Bodies and replies stay in memory, never in temporary files (the action server's
      # calls carry the conversation, which must not land on disk).
      echo "    client_max_body_size 8m;"
      echo "    client_body_buffer_size 8m;"
      echo "    location / {"
      echo "      proxy_pass http://$name;"
      echo "      proxy_http_version 1.1;"
      echo "      proxy_set_header Upgrade \$http_upgrade;"
      echo "      proxy_set_header Connection \$connection_upgrade;"
      echo "      proxy_set_header Host \$host;"
      echo "      proxy_connect_timeout 2s;"
      echo "      proxy_read_timeout 300s;"
      echo "      proxy_next_upstream error timeout;"
      echo "      proxy_buffers 64 64k;"
      echo "      proxy_max_temp_file_size 0;"
      echo "    }"
      echo "  }"
    done
    echo "}"
  } > "$dir/nginx.conf"
}

start() {
  local dir="$1"; shift
  local bin
  if ! bin="$(nginx_bin)"; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      log "Installing nginx from Debian's packages ..."
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2 \
        || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >&2; }
      bin="$(nginx_bin)" || { log "nginx did not install"; exit 1; }
    else
      log "nginx is not installed (and cannot be installed here without root)."
      exit 1
    fi
  fi
  stop "$dir"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  write_config "$dir" "$@"
  "$bin" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >&2
  echo "$dir/nginx.conf"
}

stop() {
  local dir="$1" pid
  if [ -f "$dir/nginx.pid" ]; then
    pid="$(cat "$dir/nginx.pid")"
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/nginx.pid"
  fi
}

case "${1:-}" in
  start) shift; [ $# -ge 2 ] || { log "usage: $0 start DIR NAME=PORT:BACKEND,..."; exit 2; }; start "$@" ;;
  stop) shift; [ $# -ge 1 ] || { log "usage: $0 stop DIR"; exit 2; }; stop "$1" ;;
  *) log "usage: $0 start DIR NAME=PORT:BACKEND,... | stop DIR"; exit 2 ;;
esac
