#!/bin/sh
# bench-smoke.sh SOURCE_DIR BUILD_DIR WORK_DIR - run bench/run --quick with
# the programs of BUILD_DIR into a fresh WORK_DIR and check that it wrote a results .md and a valid .json with
# the headline section. Asserts nothing about speed.
set -eu
src=$1 build=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
"$src/bench/run" --quick --build "$build" --results "$work/results" --tmp "$work/tmp" \
	>"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
json=$(ls "$work"/results/*.json)
md=$(ls "$work"/results/*.md)
[ -s "$md" ] || { echo "no markdown results"; exit 1; }
python3 - "$json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("machine", "headline", "corpus", "recall", "dlpbench"):
    assert k in d, "missing " + k
assert d["dlpbench"]["mix"]["mix"]["count"] > 0
assert len(d["recall"]) > 0
print("bench-smoke: valid JSON with", d["dlpbench"]["mix"]["mix"]["count"], "messages")
PY
