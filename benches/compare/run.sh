#!/usr/bin/env bash
# Side by side: ebm-lab, JAX (jit) and PyTorch (eager), one thread each.
# Installs what it needs into benches/compare/.venv (not committed), builds
# ebm-lab in release, checks the three agree after 100 steps from the same
# weights, and prints the ratio table; then the 2-D density's CD step against
# JAX (density.py). Usage: benches/compare/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$here/.venv"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -c "import numpy, jax" 2>/dev/null || "$venv/bin/pip" install -q numpy "jax[cpu]"
if ! "$py" -c "import torch" 2>/dev/null; then
    "$venv/bin/pip" install -q torch --index-url https://download.pytorch.org/whl/cpu \
        || "$venv/bin/pip" install -q torch \
        || echo "PyTorch did not install: comparing with JAX only"
fi

(cd "$root" && cargo build --release --quiet)

# One thread everywhere, pinned to one core.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
export XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
export JAX_PLATFORMS=cpu
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$here"
# Both comparisons run even if the first disagrees; non-zero if either failed.
status=0
"${pin[@]}" "$py" compare.py --ebm "$root/target/release/ebm-lab" --work "$work" "$@" || status=$?
echo
"${pin[@]}" "$py" density.py --ebm "$root/target/release/ebm-lab" --work "$work" || status=$?
exit "$status"
