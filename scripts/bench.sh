#!/usr/bin/env bash
# Prints the portal's speed and memory figures on this machine (README, "Benchmarks"); asserts
# nothing. Builds the release (scripts/build.sh), then:
#  1. first load per page in Chromium, cold cache: WASM + JS transferred, time to hydrated;
#  2. the Manage Users page signed in, wrk -t2 -c32: 10 sample members against 10,000, on SQLite
#     and on PostgreSQL (throughput, p50, p99; with a search too), and the server's RSS idle and
#     after the load;
#  3. the server-side benchmarks (Manage Users queries, a 10,000-line bulk file, Customer
#     Activity, the Services pages), built in their own target directory so the release build
#     stays intact.
# BENCH_SECONDS (default 10) is each wrk run's length.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test >/dev/null
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v wrk >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
seconds=${BENCH_SECONDS:-10}
bash scripts/build.sh
bin=./target/release/services-hub
work=target/bench-run
rm -rf "$work"
mkdir -p "$work"
pg_admin=postgres://postgres@127.0.0.1:5432/postgres

# start PORT DATABASE_URL MEMBERS: a fresh server with the demo and MEMBERS sample members.
pid=
start() {
  export LEPTOS_SITE_ADDR="127.0.0.1:$1" DATABASE_URL="$2" SERVICES_HUB_MAIL_DIR="$work/mail"
  export SERVICES_HUB_BASE_URL="http://127.0.0.1:$1" SERVICES_HUB_SIGN_IN_ATTEMPTS_PER_MINUTE=600
  "$bin" demo --members "$3" | head -n 1
  "$bin" >"$work/server-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return
    sleep 0.1
  done
  echo "the server on port $1 did not start:" >&2
  cat "$work/server-$1.log" >&2
  exit 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
rss() { echo "$(( $(ps -o rss= -p "$pid") / 1024 )) MB"; }
cookie() {
  curl -fs -o /dev/null -D - -H "Origin: http://127.0.0.1:$1" -H 'Accept: application/json' \
    --data 'identifier=megan%40contoso.com&kind=work&password=Demo-Password-2026&next=%2F' \
    "http://127.0.0.1:$1/api/sign_in" | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\);.*/\1/p' | head -n 1
}
# load PORT PATH LABEL: wrk's throughput and latency percentiles in one line.
load() {
  wrk -t2 -c32 -d"${seconds}s" --latency -H "Cookie: $(cookie "$1")" "http://127.0.0.1:$1$2" >"$work/wrk.txt"
  printf '  %-44s %8s req/s   p50 %8s   p99 %8s\n' "$3" \
    "$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")" \
    "$(awk '$1 == "50%" {print $2}' "$work/wrk.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$work/wrk.txt")"
  if grep -q 'Non-2xx' "$work/wrk.txt"; then grep 'Non-2xx' "$work/wrk.txt"; fi
}

echo
echo "== 1. first load in Chromium"
start 3400 "sqlite://$work/first-load.db?mode=rwc" 0
(cd end2end && node bench/first-load.mjs http://127.0.0.1:3400 5)
stop

echo
echo "== 2. Manage Users signed in, wrk -t2 -c32 for ${seconds} s"
for engine in sqlite postgres; do
  for members in 10 10000; do
    if [ "$engine" = sqlite ]; then
      url="sqlite://$work/users-$members.db?mode=rwc"
    else
      psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS bench_users_$members WITH (FORCE)" -c "CREATE DATABASE bench_users_$members"
      url="postgres://postgres@127.0.0.1:5432/bench_users_$members"
    fi
    echo "-- $engine, $members sample members"
    start 3401 "$url" "$members"
    idle=$(rss)
    load 3401 /workspaces/1/users "Manage Users, first page"
    load 3401 "/workspaces/1/users?sort=email&desc=1&page=200" "Manage Users, page 200 by address"
    load 3401 "/workspaces/1/users?q=patti.archie" "Manage Users, search \"patti.archie\""
    echo "  server RSS: idle $idle, after the load $(rss)"
    stop
    if [ "$engine" = postgres ]; then
      psql -q "$pg_admin" -c "DROP DATABASE bench_users_$members WITH (FORCE)"
    fi
  done
done

echo
echo "== 3. server-side benchmarks (own target directory: target/bench)"
export CARGO_TARGET_DIR=target/bench
cargo bench -q -p services-hub --bench manage_users
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS bench_server WITH (FORCE)" -c "CREATE DATABASE bench_server"
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_server \
  cargo bench -q -p services-hub --bench manage_users
psql -q "$pg_admin" -c "DROP DATABASE bench_server WITH (FORCE)"
cargo bench -q -p services-hub --bench activity
cargo bench -q -p services-hub --bench services
psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS bench_server WITH (FORCE)" -c "CREATE DATABASE bench_server"
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_server \
  cargo bench -q -p services-hub --bench services
psql -q "$pg_admin" -c "DROP DATABASE bench_server WITH (FORCE)"
