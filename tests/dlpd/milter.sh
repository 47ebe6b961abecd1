#!/bin/bash
# milter.sh DLPD FIXTURES DATA - protocol-level milter cases with
# miltertest (Debian package miltertest): each verdict, several messages
# on one connection, abort, oversize, disconnect mid-body; then garbage
# on the milter socket and overload (on_overload = tempfail).
set -u
DLPD=$1 FIX=$2 DATA=$3
. "$FIX/lib.sh"
command -v miltertest >/dev/null || skip "miltertest is not installed (Debian package miltertest)"
command -v python3 >/dev/null || skip "python3 is not installed"
scratch
trap 'cleanup_dlpd; rm -rf "$T"' EXIT

MPORT=$(free_port)
start_dlpd milter "http_socket = $T/scan.sock" \
	"milter_socket = inet:$MPORT@127.0.0.1" "audit_log = $T/audit.jsonl" \
	"max_message_bytes = 65536" "milter_timeout = 30"
wait_for curl -sf --unix-socket "$T/scan.sock" http://dlp/v1/health ||
	{ cat "$T/milter.log"; fail "dlpd did not start"; finish; exit 1; }

timeout 120 miltertest -D port="$MPORT" -D dir="$FIX" -D from="<$FROM>" \
	-D rcpt="<$RCPT>" -s "$FIX/milter.lua" >"$T/mt.out" 2>&1
rc=$?
cat "$T/mt.out"
check "miltertest suite" 0 "$rc"

# Garbage on the milter socket: the daemon keeps serving.
python3 - "$MPORT" <<'PY'
import socket, sys
for junk in (b"\xff\xff\xff\xffGARBAGE", b"\x00\x00\x00\x05Xabcd", b"hello\r\n"):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    s.sendall(junk)
    s.close()
PY
sleep 0.5
timeout 60 miltertest -D port="$MPORT" -D dir="$FIX" -D from="<$FROM>" \
	-D rcpt="<$RCPT>" -D only=1 -s "$FIX/milter.lua" >"$T/mt2.out" 2>&1
check "milter still serves after garbage" 0 $?
grep -q '"frontend":"milter"' "$T/audit.jsonl"
check "milter decisions audited" 0 $?

# SIGUSR1 reloads while libmilter owns the other signals.
kill -USR1 "$PID"
wait_for sh -c "curl -s --unix-socket $T/scan.sock http://dlp/v1/ready | grep -q '\"policy_generation\":2'"
check "SIGUSR1 reload with the milter on" 0 $?
timeout 60 miltertest -D port="$MPORT" -D dir="$FIX" -D from="<$FROM>" \
	-D rcpt="<$RCPT>" -D only=1 -s "$FIX/milter.lua" >"$T/mt2.out" 2>&1
check "milter serves on the new engine" 0 $?
cleanup_dlpd

# Overload: one worker, no queue, slow scans -> on_overload.
MPORT=$(free_port)
start_dlpd busy "http_socket = $T/busy.sock" \
	"milter_socket = inet:$MPORT@127.0.0.1" "workers = 1" \
	"queue_size = 0" "scan_delay_ms = 2000" "on_overload = tempfail"
wait_for curl -sf --unix-socket "$T/busy.sock" http://dlp/v1/health
curl -s --unix-socket "$T/busy.sock" -H "DLP-Rcpt: <$RCPT>" \
	--data-binary @"$FIX/allow.eml" http://dlp/v1/scan >/dev/null &
BG=$!
wait_for sh -c "curl -s --unix-socket $T/busy.sock http://dlp/metrics | grep -q '^dlp_inflight 1'"
timeout 60 miltertest -D port="$MPORT" -D dir="$FIX" -D from="<$FROM>" \
	-D rcpt="<$RCPT>" -D expect_tempfail=1 -s "$FIX/milter.lua" >"$T/mt3.out" 2>&1
rc=$?
cat "$T/mt3.out"
check "overloaded milter answers tempfail" 0 "$rc"
wait $BG
finish
