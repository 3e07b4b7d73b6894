#!/bin/sh
# Starts the release build on a fresh database for the browser journeys: demo data, the
# journeys' own accounts and agreements (created through the admin CLI, as an operator would),
# then the server.
set -eu
cd "$(dirname "$0")/.."
export DATABASE_URL="sqlite://target/e2e/services-hub.db?mode=rwc"
export SERVICES_HUB_MAIL_DIR=target/e2e/mail
export LEPTOS_SITE_ADDR=127.0.0.1:3300
# Every journey signs in from 127.0.0.1: the per-address limits (their own HTTP test holds
# them) must not throttle a whole suite coming from one address.
export SERVICES_HUB_SIGN_IN_ATTEMPTS_PER_MINUTE=600
# Required second factors have their own tests (and a journey the lead runs with it on).
export SERVICES_HUB_REQUIRE_SECOND_FACTOR=false
bin=./target/release/services-hub
rm -rf target/e2e
mkdir -p target/e2e
# The journeys' DNS server (domains.spec.ts): TXT records from target/e2e/dns.json, which the
# journeys write; Node's own UDP socket, nothing to install. The portal asks it, not the
# system's resolver. It goes when Playwright stops the server's process group.
export SERVICES_HUB_DNS_SERVER=127.0.0.1:5354
DNS_RECORDS=target/e2e/dns.json DNS_ADDRESS=127.0.0.1:5354 node end2end/dns/server.mjs >/dev/null &
"$bin" demo
# A second organization, for the journeys across tenants.
"$bin" admin create-organization --name Fabrikam --domain fabrikam.com >/dev/null
# The Default Workspace's id from `admin activate-agreement`'s line.
activate() {
  "$bin" admin activate-agreement --agreement "$1" |
    sed -n 's/.*Default Workspace \([0-9][0-9]*\) created.*/\1/p'
}
# Each project (JavaScript on / off) gets its own accounts and agreements, so lockouts, profile
# edits and invitations of one never touch the other.
for project in js nojs; do
  for who in wrong profile signout password stranger twofa; do
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

  # Case sharing and Customer Activity (case-sharing.spec.ts). Contoso's "shared" workspace:
  # opener (a support contact), sharee and bystander (plain members); multi is a support contact
  # there and in a second Contoso workspace; Fabrikam's workspace has its own support contact.
  # Members are added with `admin add-member`, as an operator would.
  for who in opener sharee bystander multi; do
    printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
      --email "$who-$project@contoso.com" --kind work --name "E2E $who $project"
  done
  printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
    --email "contact-$project@fabrikam.com" --kind work --name "E2E fabrikam $project"
  shared=$(activate "$("$bin" admin create-agreement --organization Contoso --type premier \
    --services-admin "shared-sa-$project@contoso.com" --contact-limit 3)")
  second=$(activate "$("$bin" admin create-agreement --organization Contoso --type unified \
    --services-admin "second-sa-$project@contoso.com" --contact-limit 3)")
  fabrikam=$(activate "$("$bin" admin create-agreement --organization Fabrikam --type unified \
    --services-admin "sa-$project@fabrikam.com" --contact-limit 3)")
  "$bin" admin add-member --workspace "$shared" --email "opener-$project@contoso.com" --support-contact
  "$bin" admin add-member --workspace "$shared" --email "sharee-$project@contoso.com"
  "$bin" admin add-member --workspace "$shared" --email "bystander-$project@contoso.com"
  "$bin" admin add-member --workspace "$shared" --email "multi-$project@contoso.com" --support-contact
  "$bin" admin add-member --workspace "$second" --email "multi-$project@contoso.com" --support-contact
  "$bin" admin add-member --workspace "$fabrikam" --email "contact-$project@fabrikam.com" --support-contact

  # Groups (groups.spec.ts): a plain member of the demo's Contoso workspace (the demo creates
  # it first: id 1), whom Megan puts in a group.
  printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
    --email "grouped-$project@contoso.com" --kind work --name "E2E grouped $project"
  "$bin" admin add-member --workspace 1 --email "grouped-$project@contoso.com"

  # "Forgot your password?" (passwords.spec.ts): a personal account, whose address no
  # organization's directory can claim, that resets its password from the mail.
  printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
    --email "forgot-$project@home.example" --kind personal --name "E2E forgot $project"

  # Federation (federation.spec.ts): an organization per project with a verified domain (the
  # operator's domains are verified) and its Global Administrator; the journey configures the
  # directory through the page. Its directory user is dana-<project> at the provider below.
  "$bin" admin create-organization --name "Northwind Directory $project" --domain "$project.northwind.example" >/dev/null
  printf '%s\n' "E2E-Password-2026" | "$bin" admin create-account \
    --email "admin@$project.northwind.example" --kind work --name "E2E federation admin $project"
  "$bin" admin assign-role --email "admin@$project.northwind.example" --role global
done
# The journeys' OpenID provider (end2end/oidc/provider.mjs: npm's oidc-provider): issuer
# http://127.0.0.1:9400, client services-hub / services-hub-test-secret, users dana-js and
# dana-nojs (password Directory-Password-2026). It goes with the server's process group.
node end2end/oidc/provider.mjs --port 9400 \
  --redirect http://127.0.0.1:3300/federation/callback >/dev/null 2>&1 &
exec "$bin"
