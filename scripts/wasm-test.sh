#!/usr/bin/env bash
# The library's unit tests compiled for WebAssembly with SIMD (wasm32-wasip1,
# simd128 from .cargo/config.toml) and run under Node's WASI: the kernels at
# the simd128 level and the scalar baseline against the f64 reference, and the
# URL-fragment and file-store code of the browser build. Node comes from apt
# (nodejs) when missing. Arguments filter tests as for `cargo test`
# (default: model::kernels web::).
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
WASM=$(cargo test --lib --target "$TARGET" --no-run --message-format=json 2>/dev/null \
    | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m.get("profile", {}).get("test") and m.get("executable"):
        print(m["executable"])' | tail -1) || true   # a failed build: shown below
if [ -z "$WASM" ]; then
    cargo test --lib --target "$TARGET" --no-run   # shows the error
    exit 1
fi
if [ $# -eq 0 ]; then set -- model::kernels web::; fi
node --no-warnings scripts/wasi-run.mjs "$WASM" "$@" --test-threads=1
