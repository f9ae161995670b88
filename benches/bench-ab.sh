#!/usr/bin/env bash
# `ebm-lab bench` of two binaries, interleaved (A B A B …) on the same machine,
# and each row's median per binary with the ratio B / A: the check that a
# refactor keeps the kernels' speed (issue 22: every row within 1.05).
#   benches/bench-ab.sh OLD_BINARY NEW_BINARY [ROUNDS=5]
set -euo pipefail
a=$1
b=$2
rounds=${3:-5}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for i in $(seq "$rounds"); do
    "$a" bench --json > "$out/a$i.json"
    "$b" bench --json > "$out/b$i.json"
done
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
def rows(p):
    # `bench --json`: {"energy_us": 4.3, …, "simd": "avx512"}
    j = json.load(open(p))
    return {k[:-3]: v for k, v in j.items() if k.endswith("_us")}
a = [rows(f"{d}/a{i}.json") for i in range(1, n + 1)]
b = [rows(f"{d}/b{i}.json") for i in range(1, n + 1)]
print(f"{'row':<20} {'A µs':>8} {'B µs':>8} {'B/A':>6}   (medians of {n} interleaved runs)")
for name in a[0]:
    ma = statistics.median(r[name] for r in a)
    mb = statistics.median(r[name] for r in b)
    print(f"{name:<20} {ma:8.2f} {mb:8.2f} {mb / ma:6.2f}")
PY
