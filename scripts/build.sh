#!/usr/bin/env bash
# The release build of the portal, as run.sh, test.sh and bench.sh use it: the server binary,
# and the browser code split per page (--split: each page's code is its own WASM chunk),
# named by content hash (hash-files in Cargo.toml, hashes in target/release/hash.txt) and
# precompressed with brotli and gzip (--precompress), then prints what a first visit to the
# sign-in page downloads.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo leptos build --release --split --precompress
pkg=target/site/pkg
hash() { sed -n "s/^$1: *//p" target/release/hash.txt; }
js="$pkg/services-hub.$(hash js).js"
wasm="$pkg/services-hub.$(hash wasm).wasm"
size() { stat -c %s "$1"; }
chunks=$(find "$pkg" -name '*.wasm' ! -name 'services-hub.*' | wc -l)
echo "== browser code: first load $(size "$wasm") bytes of WASM + $(size "$js") of JS," \
  "as transferred (brotli) $(( $(size "$wasm.br") + $(size "$js.br") )) bytes;" \
  "$chunks more chunks of $(find "$pkg" -name '*.wasm' ! -name 'services-hub.*' -printf '%s\n' | awk '{s += $1} END {print s + 0}') bytes load with their pages"
