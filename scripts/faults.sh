#!/usr/bin/env bash
# The fault tests in their long form (README, "Fault tests"): the release binary as a process
# under 50 writers for FAULTS_SECONDS (default 10) per test, killed with SIGKILL, stopped with
# SIGTERM mid-request, and with the machine's PostgreSQL restarted under it. Prints the figures
# (writes/s, acknowledged vs present, recovery time); asserts that nothing acknowledged is lost,
# never a time. `scripts/test.sh` runs the same tests in their short form (3 s).
#
# Restarting PostgreSQL cuts every other client of it: run this when no other test uses it.
# Built in its own target directory, so the release build of scripts/build.sh stays intact.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
export FAULTS_SECONDS="${FAULTS_SECONDS:-10}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TARGET_DIR=target/faults
cargo test --release -p services-hub --test faults -- --nocapture --test-threads=1
