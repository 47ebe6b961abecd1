#!/bin/bash
# load.sh DLPD FIXTURES DATA [SECONDS] - dlpd under load and faults, on
# loopback only, for SECONDS (default 60): concurrent scanning clients,
# slowloris clients, clients that vanish mid-body and oversized bodies all
# at once, with milter sessions alongside (miltertest, when installed),
# after a 1 GiB header line streamed as a message and a 1 GiB HTTP
# request header line. Checks: no crash, every well-formed request
# answered, an audit line for each verdict (and one per answered scan
# request in all), RSS printed before and after with bounded growth.
set -u
DLPD=$1 FIX=$2 DATA=$3 SECS=${4:-60}
. "$FIX/lib.sh"
command -v curl >/dev/null || skip "curl is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
scratch
trap 'cleanup_dlpd; rm -rf "$T"' EXIT

PORT=$(free_port)
MPORT=$(free_port)
MILTER=0
command -v miltertest >/dev/null && MILTER=1
start_dlpd load "http_socket = $T/load.sock" "http_tcp = 127.0.0.1:$PORT" \
	"milter_socket = inet:$MPORT@127.0.0.1" "milter_timeout = 30" \
	"audit_log = $T/audit.jsonl" "workers = 2" \
	"queue_size = 64" "max_connections = 64" "max_message_bytes = 1M" \
	"http_timeout = 3" "request_timeout = 6"
D=$PID
wait_for curl -sf --unix-socket "$T/load.sock" http://dlp/v1/health ||
	{ cat "$T/load.log"; fail "dlpd did not start"; finish; exit 1; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$D/status"; }
# Warm up (engine pages, scan state per worker), then measure.
for _ in 1 2 3 4; do
	curl -s --unix-socket "$T/load.sock" -H "DLP-Rcpt: <$RCPT>" \
		--data-binary @"$FIX/block.eml" http://dlp/v1/scan >/dev/null
done
RSS0=$(rss)
echo "RSS before: $RSS0 kB"

# Milter sessions (one accepted message each) for the length of the
# storm, one at a time, counted.
if [ "$MILTER" = 1 ]; then
	(
		end=$(($(date +%s) + SECS + 2))
		while [ "$(date +%s)" -lt "$end" ]; do
			if timeout 60 miltertest -D port="$MPORT" -D dir="$FIX" \
			    -D from="<$FROM>" -D rcpt="<$RCPT>" -D only=1 \
			    -s "$FIX/milter.lua" >>"$T/mt.out" 2>&1; then
				echo ok >>"$T/mt.count"
			else
				echo fail >>"$T/mt.count"
			fi
		done
	) &
	MT=$!
fi
python3 - "$PORT" "$FIX" "$SECS" "$T/counts" <<'PY'
import http.client, os, socket, sys, threading, time
port, fix, secs, out = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
msgs = {v: open(os.path.join(fix, v + ".eml"), "rb").read()
        for v in ("allow", "hold", "block")}
lock = threading.Lock()
c = {"sent": 0, "verdicts": 0, "busy": 0, "lost": 0, "wrong": 0,
     "slow": 0, "cut": 0, "big413": 0, "bigother": 0}
def add(k, n=1):
    with lock:
        c[k] += n

def raw(data, read=True, timeout=30):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        return s.recv(4096) if read else b""
    finally:
        s.close()

def status_of(reply):
    try:
        return int(reply.split(b" ", 2)[1])
    except Exception:
        return 0

def stream_giant(head, piece, total, tail):
    """Send head, then copies of piece up to total bytes (partial sends
    resumed), then tail; return the status of the reply (0 = none) and
    the bytes sent when it came."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    sent = 0
    st = 0
    view = memoryview(piece)
    off = 0
    try:
        s.sendall(head)
        s.setblocking(False)
        while sent < total:
            try:
                reply = s.recv(4096)
                if reply:
                    st = status_of(reply)
                break
            except BlockingIOError:
                pass
            try:
                n = s.send(view[off:])
                sent += n
                off = (off + n) % len(piece)
            except BlockingIOError:
                time.sleep(0.001)
            except (BrokenPipeError, ConnectionResetError):
                break
        s.setblocking(True)
        s.settimeout(10)
        if st == 0:
            try:
                if sent >= total:
                    s.sendall(tail)
                st = status_of(s.recv(4096))
            except Exception:
                pass
    finally:
        s.close()
    return st, sent

GB = 1 << 30
piece = b"A" * (1 << 20)
# 1: a message whose first header line is 1 GiB, chunked (no length).
t0 = time.time()
def chunks():
    return b"%x\r\n" % len(piece) + piece + b"\r\n"
head = (b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"DLP-Rcpt: <b@example.org>\r\n\r\n" + b"9\r\nSubject: \r\n")
st, sent = stream_giant(head, chunks(), GB, b"0\r\n\r\n")
print("1 GiB header line in the message: status %d after %d MiB, %.1f s"
      % (st, sent >> 20, time.time() - t0))
c["giant_msg"] = st
# 2: an HTTP request header line of 1 GiB.
t0 = time.time()
st, sent = stream_giant(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nDLP-Rcpt: ",
                        piece, GB, b"\r\n\r\n")
print("1 GiB HTTP header line: status %d after %d MiB, %.1f s"
      % (st, sent >> 20, time.time() - t0))
c["giant_hdr"] = st

stop = time.time() + secs
def good(i):
    names = ["allow", "hold", "block"]
    n = 0
    while time.time() < stop:
        v = names[(i + n) % 3]
        n += 1
        add("sent")
        try:
            h = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            h.request("POST", "/v1/scan", msgs[v],
                      {"DLP-Rcpt": "<b@example.org>",
                       "DLP-Mail-From": "<a@corp.example>",
                       "Content-Type": "message/rfc822"})
            r = h.getresponse()
            body = r.read()
            h.close()
        except Exception as e:
            add("lost")
            print("lost:", e)
            continue
        if r.status == 200:
            add("verdicts")
            if ('"action":"%s"' % v).encode() not in body:
                add("wrong")
        elif r.status == 503:
            add("busy")
        else:
            add("lost")
            print("status", r.status, body[:200])

def slowloris():
    while time.time() < stop:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            for ch in b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nX-Slow: ":
                if time.time() > stop:
                    break
                s.send(bytes([ch]))
                time.sleep(0.3)
            s.close()
        except OSError:
            pass  # the server hung up on us: what it should do
        add("slow")

def cutter():
    while time.time() < stop:
        try:
            raw(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: "
                b"100000\r\nDLP-Rcpt: <b@example.org>\r\n\r\n" + b"x" * 3000,
                read=False)
        except OSError:
            pass
        add("cut")
        time.sleep(0.05)

def oversize():
    while time.time() < stop:
        try:
            rep = raw(b"POST /v1/scan HTTP/1.1\r\nHost: x\r\nContent-Length: "
                      b"5000000\r\nDLP-Rcpt: <b@example.org>\r\n\r\n" +
                      b"y" * 65536)
            add("big413" if status_of(rep) == 413 else "bigother")
        except OSError:
            add("bigother")
        time.sleep(0.1)

ts = ([threading.Thread(target=good, args=(i,)) for i in range(6)] +
      [threading.Thread(target=slowloris) for _ in range(4)] +
      [threading.Thread(target=cutter) for _ in range(2)] +
      [threading.Thread(target=oversize) for _ in range(2)])
for t in ts:
    t.start()
for t in ts:
    t.join()
with open(out, "w") as f:
    for k, v in sorted(c.items()):
        f.write("%s %s\n" % (k, v))
print(" ".join("%s=%s" % kv for kv in sorted(c.items())))
PY
get() { awk -v k="$1" '$1 == k {print $2}' "$T/counts"; }
if [ "$MILTER" = 1 ]; then
	wait "$MT"
	mok=$(grep -c '^ok' "$T/mt.count")
	mfail=$(grep -c '^fail' "$T/mt.count")
	[ "$mok" -gt 0 ] && [ "$mfail" -eq 0 ] &&
		ok "milter sessions during the storm: $mok, all accepted" ||
		{ fail "milter sessions: $mok ok, $mfail failed"; tail -20 "$T/mt.out"; }
	mlines=$(grep '"frontend":"milter"' "$T/audit.jsonl" |
		grep -c '"verdict":"\(allow\|hold\|block\)"')
	check "one audit line per milter session" "$mok" "$mlines"
else
	echo "skipped: milter sessions (miltertest is not installed)"
fi
kill -0 "$D" 2>/dev/null && ok "dlpd survived" || fail "dlpd died"
check "1 GiB header line in a message -> 413" 413 "$(get giant_msg)"
case $(get giant_hdr) in
413 | 431) ok "1 GiB HTTP header line -> $(get giant_hdr)" ;;
*) fail "1 GiB HTTP header line: status $(get giant_hdr)" ;;
esac
check "every well-formed request answered" 0 "$(get lost)"
check "every verdict right" 0 "$(get wrong)"
[ "$(get verdicts)" -gt 0 ] && ok "$(get verdicts) verdicts, $(get busy) busy (503)" ||
	fail "no verdicts"
[ "$(get big413)" -gt 0 ] && [ "$(get bigother)" -eq 0 ] &&
	ok "oversized bodies: $(get big413) x 413" ||
	fail "oversized: $(get big413) x 413, $(get bigother) other"
# Still serving after the storm.
got=$(curl -s --unix-socket "$T/load.sock" -H "DLP-Rcpt: <$RCPT>" \
	--data-binary @"$FIX/hold.eml" http://dlp/v1/scan | json_field action)
check "serves after the storm" hold "$got"
# One audit line per verdict given: the load's, the warm-up's and the
# last one (503s are audited too, as "overloaded").
lines=$(grep '"frontend":"http"' "$T/audit.jsonl" |
	grep -c '"verdict":"\(allow\|hold\|block\)"')
check "one audit line per verdict" "$(($(get verdicts) + 5))" "$lines"
busy=$(grep '"frontend":"http"' "$T/audit.jsonl" |
	grep -c '"reason":"overloaded"')
check "one audit line per 503" "$(get busy)" "$busy"
RSS1=$(rss)
echo "RSS after: $RSS1 kB (before $RSS0 kB)"
# A sanitized dlpd keeps freed memory in quarantine (256 MiB by default).
limit=131072
# (gcc links libasan.so; clang links the runtime into the binary)
if ldd "$DLPD" | grep -q libasan || grep -q __asan_init "$DLPD"; then
	limit=$((limit + 262144))
fi
[ "$RSS1" -lt $((RSS0 + limit)) ] && ok "RSS growth under $((limit / 1024)) MiB" ||
	fail "RSS grew from $RSS0 to $RSS1 kB"
finish
