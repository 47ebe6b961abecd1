#!/bin/bash
# exposure.sh DLPD FIXTURES DATA - privilege and exposure of dlpd:
# it refuses a world-writable config (its own and the engine's), binds no
# TCP port unless told to and then only loopback (unless allow_remote and
# a token), drops root for the configured user, and never opens a file
# named by a client (strace, when installed, watches every open while
# requests carry path-like values). Loopback only, a few seconds.
set -u
DLPD=$1 FIX=$2 DATA=$3
. "$FIX/lib.sh"
command -v curl >/dev/null || skip "curl is not installed"
command -v python3 >/dev/null || skip "python3 is not installed"
scratch
trap 'cleanup_dlpd; rm -rf "$T"' EXIT

# World-writable configuration is refused, before anything is bound.
printf '%s\n' "data_dir = $T/data" "http_socket = $T/ww.sock" \
	"milter_socket =" >"$T/ww.conf"
chmod 0666 "$T/ww.conf"
"$DLPD" -c "$T/ww.conf" >"$T/ww.log" 2>&1 &
pid=$!
for _ in $(seq 1 50); do kill -0 $pid 2>/dev/null || break; sleep 0.1; done
if kill -0 $pid 2>/dev/null; then
	kill -KILL $pid
	fail "world-writable dlpd.conf: still running"
else
	wait $pid
	rc=$?
	[ "$rc" -ne 0 ] && grep -q world-writable "$T/ww.log" &&
		ok "world-writable dlpd.conf refused (exit $rc)" ||
		fail "world-writable dlpd.conf: exit $rc: $(cat "$T/ww.log")"
fi
[ ! -e "$T/ww.sock" ] && ok "nothing bound for a refused config" ||
	fail "socket created for a refused config"
chmod 0644 "$T/ww.conf"
printf 'max_parts = 100\n' >"$T/engine.conf"
chmod 0646 "$T/engine.conf"
printf 'engine_config = %s\n' "$T/engine.conf" >>"$T/ww.conf"
out=$("$DLPD" -c "$T/ww.conf" --check-config 2>&1)
rc=$?
[ "$rc" -ne 0 ] && grep -q world-writable <<<"$out" &&
	ok "world-writable engine_config refused" ||
	fail "world-writable engine_config: exit $rc: $out"

# No TCP listener by default; a non-loopback one needs opt-in and token.
start_dlpd def "http_socket = $T/def.sock" "milter_socket ="
DEF=$PID
wait_for curl -sf --unix-socket "$T/def.sock" http://dlp/v1/health ||
	{ cat "$T/def.log"; fail "dlpd did not start"; finish; exit 1; }
n=$(ss -Hltnp 2>/dev/null | grep -c "pid=$DEF,")
check "no TCP listener by default" 0 "$n"
printf '%s\n' "data_dir = $T/data" "http_socket =" "milter_socket =" \
	"http_tcp = 0.0.0.0:$(free_port)" >"$T/any.conf"
out=$("$DLPD" -c "$T/any.conf" --check-config 2>&1)
[ $? -ne 0 ] && grep -q "not loopback" <<<"$out" &&
	ok "0.0.0.0 refused without allow_remote and a token" ||
	fail "0.0.0.0 accepted: $out"

# Drops root (when run as root): every uid of the process is the user's.
if [ "$(id -u)" -eq 0 ]; then
	want=$(id -u nobody)
	uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$DEF/status")
	check "runs as nobody (real, effective, saved, fs uid)" \
		"$want $want $want $want" "$uids"
	gids=$(awk '/^Groups:/ {$1=""; print}' "/proc/$DEF/status" | tr -d ' ')
	[ "$gids" != "0" ] && ok "no root supplementary group" ||
		fail "supplementary groups: $gids"
else
	echo "skipped: privilege drop (not root)"
fi

# A client's header values and body are never used as paths.
if command -v strace >/dev/null && strace -f -qq -e trace=none true 2>/dev/null; then
	strace -f -qq -e trace=open,openat,openat2,creat,execve -p "$DEF" \
		-o "$T/strace.log" &
	SP=$!
	sleep 1
	for v in /etc/shadow ../../../etc/passwd "$T/probe" file:///etc/hosts; do
		curl -s --unix-socket "$T/def.sock" -H "DLP-Rcpt: $v" \
			-H "DLP-Queue-Id: $v" -H "DLP-Mail-From: $v" \
			-H "DLP-Request-Id: $(basename "$v")" \
			-H 'Content-Type: message/rfc822' \
			--data-binary "Subject: $v

see $v" http://dlp/v1/scan >/dev/null
	done
	curl -s --unix-socket "$T/def.sock" "http://dlp/../../etc/passwd" >/dev/null
	curl -s --unix-socket "$T/def.sock" "http://dlp/v1/scan?file=/etc/shadow" \
		--data-binary @"$FIX/allow.eml" >/dev/null
	# The control: a reload opens the data files, so strace must see
	# policy.conf, or it was not watching.
	kill -USR1 "$DEF"
	for _ in $(seq 1 50); do
		grep -q policy.conf "$T/strace.log" 2>/dev/null && break
		sleep 0.1
	done
	kill "$SP" 2>/dev/null
	wait "$SP" 2>/dev/null
	bad=$(grep -E 'shadow|passwd|/probe|hosts|execve' "$T/strace.log" | head -3)
	if ! grep -q policy.conf "$T/strace.log"; then
		echo "skipped: strace did not see the reload; cannot watch opens"
	elif [ -z "$bad" ]; then
		ok "no file named by a client was opened (reload's opens seen)"
	else
		fail "client-named path opened: $bad"
	fi
else
	echo "skipped: strace not usable here; the path check needs it"
fi
finish
