#!/usr/bin/env bash
# Runs every test of Services Hub: unit, repository and HTTP tests (SQLite and PostgreSQL),
# then the browser journeys in Chromium against the release build. Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
mkdir -p target
started=$(date +%s)

echo "== release build: scripts/build.sh"
build_started=$(date +%s)
bash scripts/build.sh | tee target/build.log
build_secs=$(( $(date +%s) - build_started ))
first_load=$(sed -n 's/.*as transferred (brotli) \([0-9]*\) bytes.*/\1/p' target/build.log)

echo "== unit tests (app) and repository + HTTP tests (server) on SQLite and PostgreSQL"
cargo test -p app --features ssr 2>&1 | tee target/test-app.log
cargo test -p services-hub --no-run
# A run of the HTTP tests that hangs (seen twice under heavy load on a 2-core machine, never
# reproduced alone) would hold CI until its own limit: the run gets 20 minutes, and on a
# time-out one more run, said out loud. A failing test fails at once.
set +e
timeout 1200 cargo test -p services-hub 2>&1 | tee target/test-server.log
status=${PIPESTATUS[0]}
set -e
if [ "$status" -eq 124 ]; then
  echo "== the HTTP tests did not finish within 20 minutes (a hang): running them once more"
  timeout 1200 cargo test -p services-hub 2>&1 | tee target/test-server.log
elif [ "$status" -ne 0 ]; then
  exit "$status"
fi

echo "== browser journeys (Playwright, Debian Chromium, JavaScript on and off)"
(cd end2end && npx playwright test) 2>&1 | tee target/test-e2e.log

rust_passed=$(grep -ho 'test result: ok\. [0-9]* passed' target/test-app.log target/test-server.log | awk '{s += $4} END {print s + 0}')
e2e_passed=$(grep -Eo '^ *[0-9]+ passed' target/test-e2e.log | tail -n 1 | awk '{print $1 + 0}')
echo
echo "== summary"
echo "release build: ${build_secs}s; sign-in page's WASM + JS ${first_load} bytes as transferred (brotli)"
echo "Rust tests: ${rust_passed} passed; browser journeys: ${e2e_passed} passed; total $(( $(date +%s) - started ))s"
echo "$(( rust_passed + e2e_passed )) passed, 0 failed"
