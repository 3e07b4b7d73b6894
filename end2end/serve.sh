#!/bin/sh
# Starts the release build on a fresh database for the browser journeys: demo data, the
# journeys' own accounts and agreements (created through the admin CLI, as an operator would),
# then the server.
set -eu
cd "$(dirname "$0")/.."
export DATABASE_URL="sqlite://target/e2e/services-hub.db?mode=rwc"
export SERVICES_HUB_MAIL_DIR=target/e2e/mail
export LEPTOS_SITE_ADDR=127.0.0.1:3300
bin=./target/release/services-hub
rm -rf target/e2e
mkdir -p target/e2e
"$bin" demo
# Each project (JavaScript on / off) gets its own accounts and agreements, so lockouts, profile
# edits and invitations of one never touch the other.
for project in js nojs; do
  for who in wrong profile signout password stranger; do
    printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
      --email "$who-$project@contoso.com" --kind work --name "E2E $who $project"
  done
  # A Premier and a Unified agreement with the same Services Administrator, who registers from
  # the invitation mail in the journeys.
  premier=$("$bin" admin create-agreement --organization Contoso --type premier \
    --services-admin "sa-$project@contoso.com" --csam csam@provider.example --contact-limit 3 \
    --reactive-hours 50)
  "$bin" admin activate-agreement --agreement "$premier"
  unified=$("$bin" admin create-agreement --organization Contoso --type unified \
    --services-admin "sa-$project@contoso.com" --contact-limit 3)
  "$bin" admin activate-agreement --agreement "$unified"
done
exec "$bin"
