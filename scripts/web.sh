#!/usr/bin/env bash
# The browser build: ./scripts/web.sh builds web/dist/ (index.html, the JS glue
# and the .wasm: a static folder any web server can host);
# ./scripts/web.sh serve [PORT] builds, then serves it on http://127.0.0.1:PORT/
# (default 8080) until Ctrl+C.
#
# Installs what it needs, once: the wasm32 Rust target (rustup), wasm-bindgen-cli
# at exactly the wasm-bindgen version of Cargo.lock (cargo install, ~3 min), and
# binaryen's wasm-opt from the npm registry into .web-tools/ (skipped with a
# note when npm is missing: the .wasm is then just larger).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=wasm32-unknown-unknown
OUT=web/dist
TOOLS="$PWD/.web-tools"

if ! rustup target list --installed | grep -qx "$TARGET"; then
    rustup target add "$TARGET"
fi

# The wasm-bindgen version that Cargo.lock pins; the CLI must match it exactly.
BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ -z "$BINDGEN_VERSION" ]; then
    echo "error: no wasm-bindgen in Cargo.lock" >&2
    exit 1
fi
BINDGEN="$TOOLS/bin/wasm-bindgen"
if ! { [ -x "$BINDGEN" ] && "$BINDGEN" --version | grep -q " $BINDGEN_VERSION\$"; }; then
    echo "installing wasm-bindgen-cli $BINDGEN_VERSION into $TOOLS (once)"
    # Not --locked: its lock file names a webpki-roots release the registry no longer has.
    cargo install --root "$TOOLS" wasm-bindgen-cli --version "=$BINDGEN_VERSION"
fi

WASM_OPT="$TOOLS/node_modules/.bin/wasm-opt"
if [ ! -x "$WASM_OPT" ] && command -v npm >/dev/null; then
    echo "installing binaryen (wasm-opt) from npm into $TOOLS (once)"
    npm install --no-audit --no-fund --silent --prefix "$TOOLS" binaryen@132 || true
fi

# .cargo/config.toml adds the simd128 target feature for this target.
cargo build --release --target "$TARGET" --bin ebm-lab-web --features web

rm -rf "$OUT"
mkdir -p "$OUT"
"$BINDGEN" --target web --no-typescript --out-dir "$OUT" \
    "target/$TARGET/release/ebm-lab-web.wasm"
WASM="$OUT/ebm-lab-web_bg.wasm"
if [ -x "$WASM_OPT" ]; then
    # -O1, not -O2: -O2 made the contrast scans ~1.5x slower in Chromium
    # (hinge, square-square at K = 512; docs/PERFORMANCE.md) for 0.5 % less
    # gzipped size.
    "$WASM_OPT" -O1 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types \
        --enable-multivalue "$WASM" -o "$WASM.opt"
    mv "$WASM.opt" "$WASM"
else
    echo "note: wasm-opt not available; the .wasm is not size-optimised"
fi
cp web/index.html "$OUT/"
raw=$(stat -c %s "$WASM")
gz=$(gzip -9 -c "$WASM" | wc -c)
echo "built $OUT: $(basename "$WASM") $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped"

if [ "${1:-}" = serve ]; then
    PORT="${2:-8080}"
    echo "serving on http://127.0.0.1:$PORT/ (Ctrl+C stops)"
    exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$OUT"
fi
