#!/usr/bin/env bash
# Builds and starts Services Hub on the embedded SQLite database (data/services-hub.db) with
# demo data, and prints where to sign in. Settings: see the README's operator interface.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/build.sh
./target/release/services-hub demo
echo
echo "Services Hub is starting at ${SERVICES_HUB_BASE_URL:-http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}} (Ctrl-C stops it)."
exec ./target/release/services-hub
