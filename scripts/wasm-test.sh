#!/usr/bin/env bash
# The library's unit tests compiled for WebAssembly with SIMD (wasm32-wasip1,
# simd128 from .cargo/config.toml) and run under Node's WASI: the kernels at
# the simd128 level and the scalar baseline against the f64 reference, and the
# URL-fragment and file-store code of the browser build. Node comes from apt
# (nodejs) when missing. Arguments filter tests as for `cargo test`
# (default: model::kernels store:: in ebm-core, web:: in ebm-lab).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=wasm32-wasip1
if ! rustup target list --installed | grep -qx "$TARGET"; then
    rustup target add "$TARGET"
fi
if ! command -v node >/dev/null; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends nodejs
fi
# The test binary of one package's library, built for $TARGET.
wasm_tests() {
    cargo test -p "$1" --lib --target "$TARGET" --no-run --message-format=json 2>/dev/null \
        | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(m["executable"])' | tail -1
}
# ebm-core holds the kernels and the browser's file store; ebm-lab the link
# (URL fragment) and frame-budget code of the page.
for pkg in ebm-core ebm-lab; do
    WASM=$(wasm_tests "$pkg") || true   # a failed build: shown below
    if [ -z "$WASM" ]; then
        cargo test -p "$pkg" --lib --target "$TARGET" --no-run   # shows the error
        exit 1
    fi
    if [ $# -gt 0 ]; then
        FILTERS=("$@")
    elif [ "$pkg" = ebm-core ]; then
        FILTERS=(model::kernels store::)
    else
        FILTERS=(web::)
    fi
    node --no-warnings scripts/wasi-run.mjs "$WASM" "${FILTERS[@]}" --test-threads=1
done
