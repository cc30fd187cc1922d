#!/usr/bin/env bash
# Run the assistant: set up what is missing, then start the action server and the Rasa
# server on $BIND_HOST. Ctrl-C stops both.
source "$(dirname "$0")/common.sh"
ensure_venv
ensure_language_models
ensure_widget_assets
ensure_database --demo
ensure_model

step "Starting the action server on $ACTION_HOST:$ACTION_PORT"
"$PY" -m reconnect.action_server --actions actions --host "$ACTION_HOST" --port "$ACTION_PORT" \
  --logging-config-file logging.yml &
action_pid=$!
trap 'kill "$action_pid" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$ACTION_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$action_pid" 2>/dev/null || die "the action server stopped; see the lines above"
  sleep 1
done

cat <<MSG

==> Starting the Rasa server on $BIND_HOST:$RASA_PORT (the model takes about 40 s to load)
    Chat once it says "Rasa server is up and running":
      $PY scripts/chat.py --staff T01        (demo therapist Dr. Alex Rivera)
    or send a message to the REST webhook yourself:
      curl -s localhost:$RASA_PORT/webhooks/rest/webhook -H 'Content-Type: application/json' \\
        -d '{"sender": "me", "message": "pull up Dana Whitfield", "metadata": {"staff_id": "T01"}}'
MSG
"$VENV/bin/rasa" run --interface "$BIND_HOST" --port "$RASA_PORT" \
  --model models/reconnect.tar.gz --endpoints endpoints.yml --credentials credentials.yml \
  --logging-config-file logging.yml
