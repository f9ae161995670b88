#!/usr/bin/env bash
# Long runs of a preset over seeds: the final state line of each.
#   benches/long_run.sh PRESET STEPS "SEEDS" [--set k=v ...]
# e.g. benches/long_run.sh dual-nll 1000000 "0 1 2" --set weight_decay=0.0001
# Uses $EBM_LAB_BIN (default: target/debug/ebm-lab, opt-level 3 for this crate).
set -euo pipefail
preset=$1; steps=$2; seeds=$3; shift 3
bin=${EBM_LAB_BIN:-target/debug/ebm-lab}
for s in $seeds; do
  start=$(date +%s)
  line=$("$bin" train --preset "$preset" --steps "$steps" --set seed="$s" "$@" 2>&1 | tail -1)
  echo "$preset seed=$s $* | $line | $(( $(date +%s) - start )) s"
done
