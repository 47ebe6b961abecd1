#!/bin/sh
# run-all.sh SECONDS [BUILD] - run every libFuzzer harness for SECONDS
# each (default 60), one after another, from a build configured with
#	CC=clang cmake -S . -B build-fuzz -DDLP_FUZZ=ON
#	cmake --build build-fuzz --target dlp_fuzz
# (BUILD defaults to build-fuzz). Corpora and crashes are kept in
# BUILD/fuzz-work/NAME/. Exit status is non-zero when any harness crashed;
# the names of those harnesses are printed at the end.
# A random libFuzzer seed unless DLP_FUZZ_SEED is set (see run-one.sh).
set -eu
secs=${1:-60}
DLP_FUZZ_SEED=${DLP_FUZZ_SEED:-0}
export DLP_FUZZ_SEED
here=$(cd "$(dirname "$0")" && pwd)
build=${2:-$here/../../build-fuzz}
bindir=$build/tests/fuzz
work=$build/fuzz-work
mkdir -p "$work"
failed=""
found=0
for bin in "$bindir"/fuzz_*; do
	[ -x "$bin" ] || continue
	found=1
	name=$(basename "$bin" | sed 's/^fuzz_//')
	if ! sh "$here/run-one.sh" "$bin" "$name" "$secs" "$work" \
	    >"$work.$name.log" 2>&1; then
		failed="$failed $name"
		echo "FAIL $name (log: $work.$name.log)"
	else
		echo "ok   $name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$work.$name.log" | sed 's/.*: //') runs"
	fi
done
[ "$found" = 1 ] || { echo "run-all.sh: no harnesses in $bindir" >&2; exit 2; }
[ -z "$failed" ] || { echo "crashed:$failed"; exit 1; }
echo "all harnesses ran $secs s without a crash"
