#!/bin/bash
# http_bench.sh [MESSAGES...] - start a dlpd on a scratch unix socket
# (workers = CPUs, queue large enough for 64 clients), run http_bench
# against it (with dlpd's pid, for the CPU figure), stop it. Default
# messages: the dlpd test fixtures. Environment: BUILD (build directory),
# SECONDS_PER_RUN (3), REPEATS (3), CLIENTS (1,2,8,64), DLPD_OPTS (more
# dlpd -o options, space-separated).
# Usage: bench/http_bench.sh [-C CLAMD_SOCKET] [FILE|DIR ...]
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$SRC/build}
[ $# -gt 0 ] || set -- "$SRC/tests/dlpd"
T=$(mktemp -d /tmp/dlpd-bench.XXXXXX)
chmod 755 "$T"
N=$(nproc)
"$BUILD/bin/dlpd" -o http_socket="$T/scan.sock" -o milter_socket= \
	-o data_dir="$SRC/signatures" -o workers="$N" -o queue_size=128 \
	-o user=nobody ${DLPD_OPTS:-} 2>"$T/dlpd.log" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$T"' EXIT
for _ in $(seq 1 100); do
	curl -sf --unix-socket "$T/scan.sock" http://dlp/v1/health >/dev/null && break
	sleep 0.1
done
"$BUILD/bin/http_bench" -s "$T/scan.sock" -d "$SRC/signatures" \
	-t "${SECONDS_PER_RUN:-3}" -r "${REPEATS:-3}" -c "${CLIENTS:-1,2,8,64}" \
	-w "$N" -p "$PID" "$@"
