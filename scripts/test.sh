#!/usr/bin/env bash
# Run every test, doing its own set-up. Exits non-zero on any failure.
#   1. lint and types; pytest: the import contract, records (SQLite and PostgreSQL), importer,
#      guidance, actions (database faults included), NLU components
#   2. rasa data validate, training (only when needed, beside pytest), dialogue tests (rasa test)
#   3. live tests: the real action and Rasa servers on loopback, through the REST webhook
#   4. scale-out: two Rasa replicas and two action servers behind nginx, sharing PostgreSQL
#      (conversations) and Redis (locks); one replica killed under load
#   5. the widget in headless Chromium (Playwright, .venv-browser), against the real servers
#   6. the frozen set of exchanges that write: every row scored, none may be invented
source "$(dirname "$0")/common.sh"
ensure_venv
ensure_language_models
ensure_widget_assets
ensure_browser_tools

step "Starting PostgreSQL on loopback for the records tests"
if RECONNECT_TEST_POSTGRES_URL="$(scripts/postgres.sh start)"; then
  export RECONNECT_TEST_POSTGRES_URL
  # Once it runs, a PostgreSQL test that cannot connect is a failure, not a skip.
  export RECONNECT_REQUIRE_POSTGRES=1
  trap 'scripts/postgres.sh stop || true' EXIT
elif [ -n "${CI:-}" ]; then
  die "PostgreSQL could not be started; CI must test it"
else
  echo "warning: PostgreSQL could not be started; its tests will be skipped" >&2
fi

step "Lint (ruff: pyflakes, bugbear, import order, complexity) and types (mypy)"
"$VENV/bin/ruff" check actions reconnect tests scripts
"$VENV/bin/mypy"

step "Checking the training data (rasa data validate)"
"$VENV/bin/rasa" data validate

# Training (when needed) runs beside pytest, which mostly keeps one core busy; no pytest test
# reads the trained model. Its output goes to results/train.log, printed if it fails.
mkdir -p results
step "Training the assistant in the background if needed (log: results/train.log)"
ensure_model > results/train.log 2>&1 &
TRAINING=$!

step "Unit and integration tests (pytest)"
if ! "$PY" -m pytest -m "not live and not scaleout" "$@"; then
  kill "$TRAINING" 2>/dev/null || true
  die "pytest failed"
fi

step "Waiting for training"
if ! wait "$TRAINING"; then
  tail -n 60 results/train.log >&2
  die "training failed (results/train.log)"
fi
grep -E "^==>|model is current|Your Rasa model is trained" results/train.log || true

step "Dialogue tests (rasa test, failing on any prediction error)"
rm -rf results/dialogue
"$VENV/bin/rasa" test core --e2e --model models/reconnect.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/dialogue

step "Live tests: action server and Rasa server on loopback"
"$PY" -m pytest -m live tests/live "$@"

step "Scale-out: two Rasa replicas, two action servers, nginx, PostgreSQL and Redis on loopback"
"$PY" -m pytest -m scaleout tests/scaleout "$@"

step "Browser tests: the widget in headless Chromium, against the real servers"
"$BROWSER_VENV/bin/python" -m pytest --confcutdir=tests/browser -p no:cacheprovider tests/browser


step "All tests passed"
