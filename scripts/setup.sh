#!/usr/bin/env bash
# Set up everything the assistant needs, reusing what is already there.
#   scripts/setup.sh [--demo]   (--demo: load the demo clinic into an empty database)
source "$(dirname "$0")/common.sh"
ensure_venv
ensure_language_models
ensure_widget_assets
ensure_database "${1:-}"
ensure_model
