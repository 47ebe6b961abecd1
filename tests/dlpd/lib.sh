# lib.sh - shared functions for the dlpd real-client tests (sourced).
# Each test makes a scratch directory, starts its own dlpd on sockets
# inside it (and TCP on 127.0.0.1 with a free port), and removes
# everything on exit. Nothing outside the scratch directory is touched.

FAILS=0
PASSES=0
PIDS=()

ok() { PASSES=$((PASSES + 1)); echo "ok   $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL $*"; }
skip() { echo "skipped: $*"; exit 77; }

check() { # check NAME WANT GOT
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: want '$2', got '$3'"; fi
}

finish() {
	# Stop the daemons, then look for sanitizer reports in their logs.
	cleanup_dlpd
	if grep -l -s -E 'AddressSanitizer|LeakSanitizer|runtime error:' \
		"$T"/*.log >/dev/null; then
		grep -h -s -A20 -E 'AddressSanitizer|LeakSanitizer|runtime error:' \
			"$T"/*.log | head -60
		fail "sanitizer report in a dlpd log"
	fi
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

scratch() {
	T=$(mktemp -d /tmp/dlpd-test.XXXXXX)
	chmod 755 "$T"
	# The daemon drops to nobody when run as root: give it a copy of the
	# data it can read and that the reload tests may change.
	cp -r "$DATA" "$T/data"
	chmod -R a+rX "$T/data"
}

cleanup_dlpd() {
	local p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 1 150); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
	done
	PIDS=()
}

# start_dlpd NAME CONFIG-LINES... : start dlpd with $T/NAME.conf; sets PID
start_dlpd() {
	local name=$1
	shift
	printf '%s\n' "data_dir = $T/data" "user = nobody" "$@" >"$T/$name.conf"
	"$DLPD" -c "$T/$name.conf" >"$T/$name.log" 2>&1 &
	PID=$!
	PIDS+=("$PID")
}

# wait_for CMD... : retry for up to 15 s
wait_for() {
	for _ in $(seq 1 150); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

json_field() { # json_field FIELD < json
	python3 -c 'import sys, json
try:
    d = json.load(sys.stdin)
except Exception:
    print("not-json"); sys.exit(0)
v = d
for k in sys.argv[1].split("."):
    v = v.get(k) if isinstance(v, dict) else None
print(v if v is not None else "none")' "$1"
}

# The envelope used by every test: an unknown external recipient, so the
# default policy gives allow / hold / block for the three fixtures.
FROM=${DLPD_TEST_FROM:-alice@corp.example}
RCPT=${DLPD_TEST_RCPT:-bob@example.org}
