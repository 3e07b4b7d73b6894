#!/bin/sh
# Starts the release build on a fresh database for the browser journeys: demo data, the
# journeys' own accounts (created through the admin CLI, as an operator would), then the server.
set -eu
cd "$(dirname "$0")/.."
export DATABASE_URL="sqlite://target/e2e/services-hub.db?mode=rwc"
export SERVICES_HUB_MAIL_DIR=target/e2e/mail
export LEPTOS_SITE_ADDR=127.0.0.1:3300
bin=./target/release/services-hub
rm -rf target/e2e
mkdir -p target/e2e
"$bin" demo
# Each project (JavaScript on / off) gets its own accounts, so lockouts and profile edits of
# one never touch the other.
for project in js nojs; do
  for who in wrong profile signout password; do
    printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
      --email "$who-$project@contoso.com" --kind work --name "E2E $who $project"
  done
done
exec "$bin"
