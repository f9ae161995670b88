#!/usr/bin/env bash
# Whether two ebm-lab binaries train to byte-identical weights: 1,500 steps of
# dual-nll, dual-energy, eye-nll, regressor-energy and hinge + adam + batch 16,
# each saved with --save-model and compared with cmp. For refactors that must
# not change behaviour (issue 22): build the old commit's binary beside the new.
#   benches/same-weights.sh OLD_BINARY NEW_BINARY
set -euo pipefail
old=$1
new=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cases=(
    "dual-nll|--preset dual-nll"
    "dual-energy|--preset dual-energy"
    "eye-nll|--preset eye-nll"
    "regressor-energy|--preset regressor-energy"
    "hinge-adam-batch16|--preset dual-hinge --set optimizer=adam --set batch=16"
)
differ=0
for c in "${cases[@]}"; do
    name=${c%%|*}
    args=${c#*|}
    # shellcheck disable=SC2086
    "$old" train $args --steps 1500 --save-model "$dir/$name.old.json" 2>/dev/null
    # shellcheck disable=SC2086
    "$new" train $args --steps 1500 --save-model "$dir/$name.new.json" 2>/dev/null
    if cmp -s "$dir/$name.old.json" "$dir/$name.new.json"; then
        echo "$name: identical ($(wc -c < "$dir/$name.new.json") bytes)"
    else
        echo "$name: DIFFERENT"
        differ=1
    fi
done
exit $differ
