#!/usr/bin/env bash
# The cases of issue 12 against one binary: prints "case | exit | first stderr line | effect".
# Usage: scripts/issue12_cases.sh path/to/ebm-lab   (run as root for the ownership cases)
set -u
BIN=$(realpath "$1")
T=$(mktemp -d)
cd "$T" || exit 1
Q=(train --preset dual-nll --steps 5)
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$(head -c 150 err | head -1 | tr '|' '/')" "$3"; }
run() { "$BIN" "$@" 2>err >out; echo $?; }

mknod nulldev c 1 3
rc=$(run "${Q[@]}" --metrics-json nulldev); row "1 --metrics-json on a char device" "$rc" "$( [ -c nulldev ] && echo 'still a device' || echo 'REPLACED by a regular file')"
mkfifo fifo; (cat fifo > fifo.out &) ; sleep 0.2
rc=$(timeout 20 "$BIN" "${Q[@]}" --metrics-json fifo 2>err; echo $?); sleep 0.3
row "1 --metrics-json on a FIFO (reader attached)" "$rc" "$( [ -p fifo ] && echo "still a FIFO, reader got $(wc -c < fifo.out) bytes" || echo 'FIFO REPLACED')"
echo old > real.json; ln -s real.json link.json
rc=$(run "${Q[@]}" --metrics-json link.json); row "1 --metrics-json on a symlink" "$rc" "$( [ -L link.json ] && echo link kept || echo 'LINK REPLACED'), target $(head -c 3 real.json)…"
echo theirs > theirs.json; chmod 644 theirs.json; chown 65534:65534 theirs.json
rc=$(run "${Q[@]}" --metrics-json theirs.json); row "1 someone else's 0644 file" "$rc" "content: $(head -c 6 theirs.json)"
codes=""; for _ in $(seq 20); do "$BIN" presets 2>err | head -1 >/dev/null; codes="$codes ${PIPESTATUS[0]}"; done
row "2 presets piped to head -1, 20 runs" "$(echo $codes | tr ' ' '\n' | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')" ""
"$BIN" presets >/dev/full 2>err; row "2 presets > /dev/full" "$?" ""
"$BIN" "${Q[@]}" 2>/dev/full; row "2 train 2>/dev/full" "$?" ""
echo 'lr = 0.02' > lr.toml
rc=$(run train --preset eye-regressor --settings lr.toml --steps 1 --metrics-json m3.json)
row "3 --preset eye-regressor --settings lr.toml" "$rc" "$(python3 -c "import json;s=json.load(open('m3.json'))['settings'];print(s['dataset'],s['architecture'],s['lr'])")"
python3 - <<'PY'
import json
def layer(o,i,w): return {"w":[[w]*i for _ in range(o)],"b":[0.0]*o}
def model(h,d,w): return {"architecture":"dual","cost":"l1","nets":{"g1":[layer(h,1,w),layer(d,h,w)],"g2":[layer(h,1,w),layer(d,h,w)]}}
json.dump(model(257,4,0.1),open("h257.json","w")); json.dump(model(20,33,0.1),open("d33.json","w"))
json.dump(model(3,2,1e39),open("w1e39.json","w")); json.dump(model(3,2,1e38),open("w1e38.json","w"))
PY
for f in h257 d33 w1e39 w1e38; do rc=$(run "${Q[@]}" --load-model $f.json); row "4/7 --load-model $f" "$rc" ""; done
"$BIN" train --preset dual-nll --steps 100000000 --gif g.gif --gif-every 1000000 2>err & pid=$!
for _ in $(seq 100); do ls -a | grep -q '\.tmp$' && break; sleep 0.1; done; sleep 0.3; kill -INT $pid; wait $pid; rc=$?
row "5 SIGINT during --gif" "$rc" "left: $(ls -a | grep '\.tmp$' | tr '\n' ' ')"
rm -f .*.tmp
rc=$(run "${Q[@]}" --gif g2.gif --gif-size 8192x8192); row "6 --gif-size 8192x8192" "$rc" ""
rc=$(run "${Q[@]}" --set loss=nll --set beta=1e-320); row "7 --set beta=1e-320" "$rc" ""
printf -- '-1,1e30\n0,0\n1,1e30\n' > big.csv; rc=$(run "${Q[@]}" --set dataset=custom --set data=big.csv --set cost=square --set lr=0.5); row "7 CSV y = 1e30" "$rc" ""
printf 'x,y\n0,0\n1,1e39\n' > f32.csv; rc=$(run "${Q[@]}" --set dataset=custom --set data=f32.csv); row "7 CSV y = 1e39" "$rc" ""
printf 'nan,nan\n0,0\n1,1\n' > nan.csv; rc=$(run "${Q[@]}" --set dataset=custom --set data=nan.csv); row "8 CSV first line nan,nan" "$rc" ""
printf '0x1,0\n0,0\n1,1\n' > hex.csv; rc=$(run "${Q[@]}" --set dataset=custom --set data=hex.csv); row "8 CSV first line 0x1,0" "$rc" ""
name=$(printf 'm%.0s' $(seq 250)).json; rc=$(run "${Q[@]}" --metrics-json "$name"); row "9 255-byte file name" "$rc" "$( [ -f "$name" ] && echo written || echo 'not written')"
rc=$(run "${Q[@]}" --png-every 2 frames --set dataset=custom --set data=/nonexistent.csv); row "9 --png-every DIR, later check fails" "$rc" "$( [ -d frames ] && echo 'frames/ left behind' || echo 'no frames/')"
rc=$(run "${Q[@]}" --set $'lr\nx=1'); row "9 unknown key with a newline" "$rc" "$(wc -l < err) stderr lines"
for f in --fps --gif-every --size --gif-size; do rc=$(run "${Q[@]}" --gif g3.gif $f -1); row "9 $f -1" "$rc" ""; done
printf 'lr = 0.01\n[extra]\nx = 1\n' > t.toml; rc=$(run train --steps 1 --settings t.toml); row "9 unknown TOML table" "$rc" ""
python3 -c "print('lr = ' + '['*200 + '1' + ']'*200)" > deep.toml; rc=$(run train --steps 1 --settings deep.toml); row "9 TOML nested 200 deep" "$rc" ""
rc=$(run train --preset dual-square-square --set lr=50 --set cost=square --steps 2000 --surface-csv s.csv)
row "10 divergence, surface CSV" "$rc" "$(python3 -c "
import math
e=[float(l.rsplit(',',1)[1]) for l in open('s.csv').read().split()[1:]]
print(sum(map(math.isfinite,e)),'of',len(e),'energies finite')")"
cd / && rm -rf "$T"
