#!/bin/sh
# Two portal instances on one PostgreSQL database, for the journeys across instances
# (instances.spec.ts): A on 127.0.0.1:3310, B on 127.0.0.1:3311, the installation a provider runs
# once one machine is not enough. The browser's cookie for 127.0.0.1 goes to both ports, as one
# cookie goes to every instance behind a load balancer.
set -eu
cd "$(dirname "$0")/.."
bin=./target/release/services-hub
admin_url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
base="${admin_url%/*}"
db=services_hub_e2e_pair
psql "$admin_url" -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
export DATABASE_URL="$base/$db"
export SERVICES_HUB_MAIL_DIR=target/e2e-pair/mail
# Low enough that the last journey can show the limit is one for both instances, high enough
# for the journeys' own sign-ins before it.
export SERVICES_HUB_SIGN_IN_ATTEMPTS_PER_MINUTE=40
rm -rf target/e2e-pair
mkdir -p target/e2e-pair

# Two processes migrate the empty database at the same moment: neither may fail.
"$bin" admin create-organization --name Contoso --domain contoso.com >target/e2e-pair/first.log 2>&1 &
first=$!
"$bin" admin create-organization --name Fabrikam --domain fabrikam.com >target/e2e-pair/second.log 2>&1 &
second=$!
wait "$first" || { cat target/e2e-pair/first.log >&2; exit 1; }
wait "$second" || { cat target/e2e-pair/second.log >&2; exit 1; }

account() {
  printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account --email "$1" --kind work --name "$2"
}
for project in js nojs; do
  for who in alex sam lock; do
    account "$who-$project@contoso.com" "Pair $who $project"
  done
  agreement=$("$bin" admin create-agreement --organization Contoso --type premier \
    --services-admin "sa-$project@contoso.com" --contact-limit 5)
  workspace=$("$bin" admin activate-agreement --agreement "$agreement" |
    sed -n 's/.*Default Workspace \([0-9][0-9]*\) created.*/\1/p')
  "$bin" admin add-member --workspace "$workspace" --email "alex-$project@contoso.com" --support-contact
  "$bin" admin add-member --workspace "$workspace" --email "sam-$project@contoso.com"
  # An operator: with the installation's default, staff must set up two-step verification.
  printf '%s\n' "E2E-Password-2026" | "$bin" admin create-staff \
    --email "ops-$project@provider.example" --name "Pair operator $project" --role operator
done

LEPTOS_SITE_ADDR=127.0.0.1:3310 SERVICES_HUB_BASE_URL=http://127.0.0.1:3310 \
  "$bin" >target/e2e-pair/a.log 2>&1 &
for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:3310/healthz >/dev/null 2>&1 && break
  sleep 0.1
done
# Playwright waits for B's health; A answered first.
LEPTOS_SITE_ADDR=127.0.0.1:3311 SERVICES_HUB_BASE_URL=http://127.0.0.1:3311 exec "$bin" 2>target/e2e-pair/b.log
