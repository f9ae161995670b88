#!/usr/bin/env bash
# The browser build tested in a real browser (see scripts/web_test.py).
# Installs, once: Debian's chromium and chromium-driver (apt) and Python's
# selenium (pip, else Debian's python3-selenium); builds web/dist with
# scripts/web.sh; runs the page headless with WebGL2 through SwiftShader.
# Extra arguments go to web_test.py (--no-measure skips the timings).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
missing=""
for p in chromium chromium-driver; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
if ! python3 -c "import selenium" 2>/dev/null; then
    # Debian's own python3 refuses pip installs (PEP 668): then its package.
    python3 -m pip install --quiet selenium 2>/dev/null || {
        $SUDO apt-get update -q
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends python3-selenium
    }
fi

./scripts/web.sh
python3 scripts/web_test.py "$@"
