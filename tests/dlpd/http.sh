#!/bin/bash
# http.sh DLPD FIXTURES DATA - dlpd's HTTP/JSON frontend with curl, on the
# unix socket and on TCP 127.0.0.1: each verdict, health/ready/metrics,
# the error statuses (400, 401, 404, 405, 413, 500, 503), reload (good and
# bad), bad clients (garbage, slow, flood), the absolute request deadline
# (slow head, slow body, kept-alive connections), 413 while a chunked body
# streams, and an audit log without content. Bounded: loopback only, a
# few seconds, small counts.
set -u
DLPD=$1 FIX=$2 DATA=$3
. "$FIX/lib.sh"
command -v curl >/dev/null || skip "curl is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
scratch
trap 'cleanup_dlpd; rm -rf "$T"' EXIT

PORT=$(free_port)
start_dlpd main "http_socket = $T/scan.sock" "http_tcp = 127.0.0.1:$PORT" \
	"milter_socket =" "audit_log = $T/audit.jsonl" "workers = 2" \
	"max_message_bytes = 1M" "max_rcpts = 100"
MAIN=$PID
wait_for curl -sf --unix-socket "$T/scan.sock" http://dlp/v1/health ||
	{ cat "$T/main.log"; fail "dlpd did not start"; finish; exit 1; }

UX=(--unix-socket "$T/scan.sock")
BASE_UX=http://dlp
BASE_TCP=http://127.0.0.1:$PORT

scan() { # scan SOCKET-ARGS... -- FILE : prints the JSON reply
	curl -sS "$@" -H 'Content-Type: message/rfc822' \
		-H "DLP-Mail-From: <$FROM>" -H "DLP-Rcpt: <$RCPT>" \
		-H "DLP-Queue-Id: TESTQ1"
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# Each verdict on both sockets.
for v in allow hold block; do
	got=$(scan "${UX[@]}" --data-binary @"$FIX/$v.eml" $BASE_UX/v1/scan |
		json_field action)
	check "unix: $v.eml -> $v" "$v" "$got"
	got=$(scan --data-binary @"$FIX/$v.eml" $BASE_TCP/v1/scan |
		json_field action)
	check "tcp: $v.eml -> $v" "$v" "$got"
done
reply=$(scan "${UX[@]}" --data-binary @"$FIX/block.eml" $BASE_UX/v1/scan)
check "block carries smtp_reply 550" 550 "$(json_field smtp_reply.code <<<"$reply")"
check "block carries 5.7.1" 5.7.1 "$(json_field smtp_reply.enhanced <<<"$reply")"
hdr=$(curl -sS -D - -o /dev/null "${UX[@]}" -H "DLP-Rcpt: <$RCPT>" \
	-H 'DLP-Request-Id: test-req-42' --data-binary @"$FIX/hold.eml" \
	$BASE_UX/v1/scan | tr -d '\r')
check "DLP-Action header" "DLP-Action: hold" "$(grep -i '^DLP-Action:' <<<"$hdr")"
check "request id echoed" "DLP-Request-Id: test-req-42" \
	"$(grep -i '^DLP-Request-Id:' <<<"$hdr")"
# rspamd's header names are aliases.
got=$(curl -sS "${UX[@]}" -H "From: <$FROM>" -H "Rcpt: <$RCPT>" \
	-H 'Queue-Id: RSPAMDQ' --data-binary @"$FIX/hold.eml" \
	$BASE_UX/v1/scan | json_field action)
check "rspamd aliases -> hold" hold "$got"
grep -q '"queue_id":"RSPAMDQ"' "$T/audit.jsonl"
check "alias Queue-Id reaches the audit log" 0 $?

# Health, readiness, metrics.
check "health 200" 200 "$(status "${UX[@]}" $BASE_UX/v1/health)"
check "health body" ok "$(curl -s "${UX[@]}" $BASE_UX/v1/health | json_field status)"
check "ready" ready "$(curl -s "${UX[@]}" $BASE_UX/v1/ready | json_field status)"
check "ready generation 1" 1 "$(curl -s $BASE_TCP/v1/ready | json_field policy_generation)"
m=$(curl -s "${UX[@]}" $BASE_UX/metrics)
for v in allow block; do
	n=$(sed -n "s/^dlp_scans_total{action=\"$v\",frontend=\"http\"} //p" <<<"$m")
	check "metrics: 2+ $v scans counted" yes "$([ "${n:-0}" -ge 2 ] && echo yes || echo "no ($n)")"
done
for k in dlp_scan_duration_seconds_bucket dlp_scan_bytes_total dlp_inflight \
	dlp_errors_total dlp_rejected_total dlp_policy_generation dlp_signature_info; do
	grep -q "^$k" <<<"$m"
	check "metrics has $k" 0 $?
done

# Error statuses.
head -c $((2 * 1024 * 1024)) /dev/zero >"$T/big"
check "413 by Content-Length" 413 "$(status "${UX[@]}" --data-binary @"$T/big" $BASE_UX/v1/scan)"
check "413 while streaming chunked" 413 "$(status "${UX[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$T/big" $BASE_UX/v1/scan)"
check "400 empty body" 400 "$(status "${UX[@]}" -X POST $BASE_UX/v1/scan)"
check "400 bad request id" 400 "$(status "${UX[@]}" -H 'DLP-Request-Id: a b' --data-binary @"$FIX/allow.eml" $BASE_UX/v1/scan)"
check "400 control byte in an address" 400 "$(status "${UX[@]}" -H "DLP-Rcpt: <a$(printf '\x01')b@x.example>" --data-binary @"$FIX/allow.eml" $BASE_UX/v1/scan)"
many=$(python3 -c 'print(",".join("<r%d@x.example>" % i for i in range(150)))')
check "400 more than max_rcpts" 400 "$(status "${UX[@]}" -H "DLP-Rcpt: $many" --data-binary @"$FIX/allow.eml" $BASE_UX/v1/scan)"
got=$(python3 - "$PORT" "$FIX/allow.eml" <<'PY'
import socket, sys
body = open(sys.argv[2], "rb").read()
hdrs = "".join("DLP-Rcpt: <r%d@x.example>\r\n" % i for i in range(10000))
req = ("POST /v1/scan HTTP/1.1\r\nHost: x\r\n" + hdrs +
       "Content-Length: %d\r\n\r\n" % len(body)).encode() + body
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
try:
    s.sendall(req)
except OSError:
    pass                    # the server may close before reading it all
try:
    line = s.recv(100).decode("latin-1").split("\r\n")[0]
    print(line.split(" ")[1] if line else "closed")
except OSError:
    print("closed")
PY
)
case $got in 4* | closed) got=refused ;; esac
check "10,000 recipient headers refused" refused "$got"
check "405 GET /v1/scan" 405 "$(status "${UX[@]}" $BASE_UX/v1/scan)"
check "405 POST /v1/health" 405 "$(status "${UX[@]}" -d x $BASE_UX/v1/health)"
check "404" 404 "$(status "${UX[@]}" $BASE_UX/v1/nothing)"
check "404 no file access" 404 "$(status "${UX[@]}" $BASE_UX/../../etc/passwd --path-as-is)"
raw() { # raw BYTES : send raw bytes on TCP, print the status line
	python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
try:
    print(s.recv(200).decode("latin-1").split("\r\n")[0])
except Exception as e:
    print("error", e)
PY
}
got=$(raw 'GARBAGE \x00\x01\x02 NOT HTTP\r\n\r\n')
check "garbage -> 400" 400 "$(cut -d' ' -f2 <<<"$got")"
got=$(raw 'POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')
check "bad Content-Length -> 400" 400 "$(cut -d' ' -f2 <<<"$got")"

# Slow and vanishing clients and a small flood do not stop service.
python3 - "$PORT" <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
conns = []
for i in range(40):        # a flood of idle connections
    try:
        conns.append(socket.create_connection(("127.0.0.1", port), timeout=2))
    except OSError:
        break
slow = socket.create_connection(("127.0.0.1", port), timeout=5)
slow.sendall(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
for _ in range(3):          # a slow body: one byte a second
    slow.sendall(b"x"); time.sleep(1)
cut = socket.create_connection(("127.0.0.1", port), timeout=5)
cut.sendall(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\nabc")
cut.close()                 # disconnect mid-body
for c in conns: c.close()
PY
BAD=$!
sleep 1
got=$(scan "${UX[@]}" --data-binary @"$FIX/hold.eml" $BASE_UX/v1/scan | json_field action)
check "served during a flood and a slow client" hold "$got"
wait $BAD
check "still healthy after bad clients" 200 "$(status --max-time 5 $BASE_TCP/v1/health)"

# Reload: good, then a broken set (rejected, old keeps serving).
kill -USR1 "$MAIN"
wait_for sh -c "curl -s --unix-socket $T/scan.sock http://dlp/v1/ready | grep -q '\"policy_generation\":2'"
check "SIGUSR1 reload -> generation 2" 2 "$(curl -s "${UX[@]}" $BASE_UX/v1/ready | json_field policy_generation)"
cp "$T/data/policy.conf" "$T/policy.good"
printf 'this is = not [ a policy\n%%%%%%\n' >"$T/data/policy.conf"
kill -USR1 "$MAIN"
wait_for grep -q "reload rejected" "$T/main.log"
check "bad set rejected with a log line" 0 $?
check "old set keeps serving" 2 "$(curl -s "${UX[@]}" $BASE_UX/v1/ready | json_field policy_generation)"
got=$(scan "${UX[@]}" --data-binary @"$FIX/block.eml" $BASE_UX/v1/scan | json_field action)
check "scans still work after a bad reload" block "$got"
cp "$T/policy.good" "$T/data/policy.conf"

# Audit log: one JSON object per line, decisions without content.
python3 - "$T/audit.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
recs = [json.loads(l) for l in lines]
need = {"time", "sender", "recipients", "verdict", "rules"}
assert recs and all(need <= set(r) for r in recs), "missing fields"
assert {"allow", "hold", "block"} <= {r["verdict"] for r in recs}
assert any(r.get("queue_id") == "TESTQ1" for r in recs)
PY
check "audit log lines are JSON with the decision fields" 0 $?
# The unix socket's peer (SO_PEERCRED: curl, as us) is audited; TCP has none.
python3 - "$T/audit.jsonl" <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
q = [r for r in recs if r.get("queue_id") == "TESTQ1"]
ux = [r for r in q if "peer" in r]
assert len(ux) >= 3 and len(q) - len(ux) >= 3, (len(ux), len(q))
for r in ux:
    p = r["peer"]
    assert p["uid"] == os.getuid() and p["gid"] == os.getgid(), p
    assert p["pid"] > 0 and p["pid"] != os.getpid(), p
PY
check "audit log names the unix socket peer (uid, gid, pid)" 0 $?
! grep -q -e 'Shall we meet' -e 'staffing plan' -e 'Summary of the operation' "$T/audit.jsonl"
check "audit log holds no message content" 0 $?

# Unix socket permissions.
check "unix socket mode 0660" 660 "$(stat -c %a "$T/scan.sock")"

# Overload, deadline and auth: a second instance, one worker, no queue,
# each scan delayed (scan_delay_ms is a testing knob).
PORT2=$(free_port)
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/token"
chmod 600 "$T/token"
[ "$(id -u)" = 0 ] && chown nobody "$T/token"
start_dlpd slow "http_socket = $T/slow.sock" "http_tcp = 127.0.0.1:$PORT2" \
	"http_token_file = $T/token" "milter_socket =" "workers = 1" \
	"queue_size = 0" "scan_delay_ms = 1500" "scan_timeout = 5" \
	"retry_after = 7"
wait_for curl -sf --unix-socket "$T/slow.sock" http://dlp/v1/health ||
	{ cat "$T/slow.log"; fail "second dlpd did not start"; }
S=(--unix-socket "$T/slow.sock")
scan "${S[@]}" --data-binary @"$FIX/allow.eml" $BASE_UX/v1/scan >"$T/first" &
FIRST=$!
wait_for sh -c "curl -s --unix-socket $T/slow.sock http://dlp/metrics | grep -q '^dlp_inflight 1'"
hdr=$(curl -s -D - -o /dev/null "${S[@]}" -H "DLP-Rcpt: <$RCPT>" \
	--data-binary @"$FIX/allow.eml" $BASE_UX/v1/scan | tr -d '\r')
check "503 when the pool is saturated" 503 "$(head -1 <<<"$hdr" | cut -d' ' -f2)"
check "Retry-After on 503" "Retry-After: 7" "$(grep -i '^Retry-After:' <<<"$hdr")"
check "ready says overloaded" 503 "$(status "${S[@]}" $BASE_UX/v1/ready)"
wait $FIRST
check "the running scan still finishes" allow "$(json_field action <"$T/first")"
grep -q '^dlp_rejected_total{reason="overload"} 1' <(curl -s "${S[@]}" $BASE_UX/metrics)
check "overload counted in metrics" 0 $?
check "TCP without token -> 401" 401 "$(status http://127.0.0.1:$PORT2/v1/ready)"
check "TCP wrong token -> 401" 401 "$(status -H 'Authorization: Bearer wrong-token-wrong-token' http://127.0.0.1:$PORT2/v1/ready)"
check "TCP with token -> 200" 200 "$(status -H "Authorization: Bearer $(cat "$T/token")" http://127.0.0.1:$PORT2/v1/ready)"
check "TCP health needs no token" 200 "$(status http://127.0.0.1:$PORT2/v1/health)"
cleanup_dlpd

start_dlpd late "http_socket = $T/late.sock" "milter_socket =" \
	"workers = 1" "scan_delay_ms = 3000" "scan_timeout = 1"
wait_for curl -sf --unix-socket "$T/late.sock" http://dlp/v1/health
reply=$(curl -s -w '\n%{http_code}' --unix-socket "$T/late.sock" \
	-H "DLP-Rcpt: <$RCPT>" --data-binary @"$FIX/allow.eml" $BASE_UX/v1/scan)
check "500 when no verdict in time (gateway holds)" 500 "$(tail -1 <<<"$reply")"
check "500 body says timeout" timeout "$(head -1 <<<"$reply" | json_field error.code)"

# Absolute request deadline and early 413: a third instance with a short
# request_timeout and a small message limit (http_timeout stays long, so
# only the deadline can cut a client that trickles bytes).
PORT3=$(free_port)
start_dlpd deadline "http_socket = $T/dl.sock" "http_tcp = 127.0.0.1:$PORT3" \
	"milter_socket =" "workers = 1" "request_timeout = 3" \
	"http_timeout = 60" "max_message_bytes = 1M"
wait_for curl -sf --unix-socket "$T/dl.sock" http://dlp/v1/health ||
	{ cat "$T/deadline.log"; fail "third dlpd did not start"; }
python3 - "$PORT3" "$T/dl.sock" >"$T/deadline.out" 2>&1 <<'PY'
import socket, sys, threading, time
port, path = int(sys.argv[1]), sys.argv[2]
res = {}

def connect(kind):
    if kind == "tcp":
        return socket.create_connection(("127.0.0.1", port), timeout=15)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(15)
    s.connect(path)
    return s

def trickle(name, kind, head, data):
    """Send head at once, then data one byte a second; record after how
    many seconds the server hung up (-1: it never did within 9 s)."""
    s = connect(kind)
    t0 = time.time()
    s.sendall(head)
    got = -1.0
    try:
        for b in data:
            if time.time() - t0 > 9:
                break
            s.send(bytes([b]))
            s.settimeout(1.0)
            try:
                if s.recv(4096) == b"":
                    got = time.time() - t0
                    break
            except socket.timeout:
                pass
    except OSError:
        got = time.time() - t0
    s.close()
    res[name] = got

def oversize(name, kind):
    """Stream a 64 MiB chunked body; record the status and the MiB sent
    when the reply came, and whether the server then closed."""
    s = connect(kind)
    s.sendall(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    piece = memoryview(b"%x\r\n" % 65536 + b"A" * 65536 + b"\r\n")
    sent, off, reply = 0, 0, b""
    s.setblocking(False)
    while sent < (64 << 20):
        try:
            reply = s.recv(4096)
            break
        except BlockingIOError:
            pass
        try:
            n = s.send(piece[off:])  # partial sends resumed
            sent += n
            off = (off + n) % len(piece)
        except BlockingIOError:
            time.sleep(0.001)
        except OSError:
            break
    s.setblocking(True)
    s.settimeout(10)
    try:
        if not reply:
            reply = s.recv(4096)
        rest = s.recv(4096)
        closed = rest == b"" or b"\r\n\r\n" not in rest
    except OSError:
        closed = True
    s.close()
    st = reply.split(b" ", 2)[1].decode() if reply.count(b" ") >= 2 else "none"
    res[name] = "%s %d %s" % (st, sent >> 20, "closed" if closed else "open")

def keepalive():
    """Six quick requests over about five seconds on one connection:
    each request has its own deadline."""
    s = connect("unix")
    n = 0
    try:
        for _ in range(6):
            s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
            if s.recv(4096).startswith(b"HTTP/1.1 200"):
                n += 1
            time.sleep(1)
    except OSError:
        pass
    s.close()
    res["keepalive"] = n

hdr = b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 40
ts = [threading.Thread(target=trickle, args=("slowhead_tcp", "tcp", b"", hdr)),
      threading.Thread(target=trickle, args=("slowhead_unix", "unix", b"", hdr)),
      threading.Thread(target=trickle, args=("slowbody", "tcp",
          b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n",
          b"x" * 100)),
      threading.Thread(target=keepalive)]
for t in ts:
    t.start()
oversize("big_tcp", "tcp")
oversize("big_unix", "unix")
for t in ts:
    t.join()
for k, v in sorted(res.items()):
    print(k, v)
PY
cat "$T/deadline.out"
dl() { awk -v k="$1" '$1 == k {print $2}' "$T/deadline.out"; }
within() { # within NAME LO HI : the trickling client was cut in [LO, HI] s
	python3 -c 'import sys; v = float(sys.argv[1] or -1)
sys.exit(0 if float(sys.argv[2]) <= v <= float(sys.argv[3]) else 1)' \
		"$(dl "$1")" "$2" "$3" &&
		ok "$1: cut after $(dl "$1") s (request_timeout 3 s)" ||
		fail "$1: want a cut within 3 s, got '$(dl "$1")' (-1: never)"
}
within slowhead_tcp 2.5 5.5
within slowhead_unix 2.5 5.5
within slowbody 2.5 5.5
check "kept-alive connection: each request its own deadline" 6 "$(dl keepalive)"
for k in big_tcp big_unix; do
	read -r st mib closed <<<"$(awk -v k=$k '$1 == k {print $2, $3, $4}' "$T/deadline.out")"
	check "$k: 413 while streaming" 413 "$st"
	[ "${mib:-64}" -lt 16 ] && ok "$k: 413 after $mib MiB of 64, reading stopped" ||
		fail "$k: 413 only after ${mib:-?} MiB of 64 (the body was read on)"
	check "$k: connection closed after the 413" closed "$closed"
done
got=$(scan --unix-socket "$T/dl.sock" --data-binary @"$FIX/block.eml" \
	$BASE_UX/v1/scan | json_field action)
check "deadline instance still scans" block "$got"
grep -q "request not received within request_timeout" "$T/deadline.log"
check "the cut is logged" 0 $?
cleanup_dlpd

# Configuration checks.
"$DLPD" -c "$T/main.conf" --check-config >"$T/check.out" 2>&1
check "--check-config accepts a good file" 0 $?
printf 'workers = many\n' >"$T/bad.conf"
"$DLPD" -c "$T/bad.conf" --check-config >"$T/check.out" 2>&1
check "--check-config rejects a bad file" 1 $?
grep -q "bad.conf:1:" "$T/check.out"
check "the error names file and line" 0 $?

finish
