#!/usr/bin/env bash
# Installs what Services Hub needs to build, and with --test what its tests need, when it is
# missing. Safe to run again: each step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true

apt_updated=false
apt_install() {
  if ! $apt_updated; then
    apt-get update -qq
    apt_updated=true
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

step() { printf '== %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# 0.3.11 needs a newer rustc than this machine's 1.95.
if ! cargo leptos --version 2>/dev/null | grep -q ' 0\.3\.10$'; then
  step "installing cargo-leptos 0.3.10 (about 15 minutes)"
  cargo install cargo-leptos@0.3.10 --locked
fi

# cargo-leptos runs an external wasm-bindgen, which must equal the app's (Cargo.toml pins
# =0.2.130). Without --locked: its lock file names a crate version this registry lacks.
if ! wasm-bindgen --version 2>/dev/null | grep -q ' 0\.2\.130$'; then
  step "installing wasm-bindgen-cli 0.2.130"
  cargo install wasm-bindgen-cli --version 0.2.130
fi

if ! command -v npm >/dev/null; then
  step "installing Node.js and npm"
  apt_install nodejs npm
fi

# wasm-opt for release builds comes from npm's binaryen 132 (cargo-leptos puts
# node_modules/.bin first on PATH); Debian's binaryen 108 silently breaks hydration.
if [ ! -x node_modules/.bin/wasm-opt ]; then
  step "installing build tools from npm (binaryen)"
  npm ci --no-audit --no-fund
fi

if $with_tests; then
  # Playwright cannot download a browser here: the tests drive Debian's Chromium.
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's chromium"
    apt_install chromium
  fi
  if ! command -v brotli >/dev/null; then
    apt_install brotli
  fi
  # The invoice tests read the PDF's text back with pdftotext.
  if ! command -v pdftotext >/dev/null; then
    apt_install poppler-utils
  fi
  # end2end/serve-pair.sh makes the pair's database with psql and waits for A with curl.
  if ! command -v psql >/dev/null; then
    apt_install postgresql-client
  fi
  if ! command -v curl >/dev/null; then
    apt_install curl
  fi
  # aiosmtpd: the real SMTP server the mail tests start (end2end/smtp/server.py).
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    step "installing aiosmtpd (the tests' SMTP server)"
    python3 -m pip install --quiet aiosmtpd
  fi
  # oidc-provider: the OpenID provider the federation tests and journeys start (end2end/oidc).
  if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/@axe-core/playwright ] \
    || [ ! -d end2end/node_modules/oidc-provider ]; then
    step "installing the end-to-end test packages"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  # The repository tests run on PostgreSQL too: start the machine's server if it is down.
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    step "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do
      pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && break
      sleep 1
    done
  fi
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "PostgreSQL is not reachable at 127.0.0.1:5432; the repository tests need it." >&2
    exit 1
  fi
fi
