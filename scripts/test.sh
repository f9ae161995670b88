#!/usr/bin/env bash
# The whole test suite, from a fresh Debian machine with only Rust on it.
# Installs the system packages the window and headless-rendering tests need
# (shared/STACK.md), then runs formatting, lints and every test.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES="xvfb xauth libgl1-mesa-dri libxcursor1 libxi6 libxkbcommon-x11-0 libegl1 libegl-mesa0"
missing=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    echo "installing:$missing"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi

cargo fmt --check
cargo clippy --workspace --all-targets -- -D warnings

# The core crate depends on no windowing, GL, dialog or image crate.
if cargo tree -p ebm-core -e normal --prefix none | grep -E '^(eframe|egui[a-z_-]*|three-d|glutin|winit|rfd|image) '; then
    echo "ebm-core depends on a front-end crate (above)" >&2
    exit 1
fi

cargo test --workspace
