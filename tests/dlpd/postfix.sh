#!/bin/bash
# postfix.sh DLPD FIXTURES DATA - dlpd's milter behind a real Postfix.
#
# A private Postfix instance (postfix -c DIR start) listens on 127.0.0.1
# on a free port, with smtpd_milters pointing at dlpd's unix milter
# socket and milter_default_action = quarantine; swaks sends the three
# fixtures: allow is delivered to a test Maildir with X-DLP-Verdict:
# allow, hold lands in the hold queue, block gets 550 5.7.1. Then dlpd is
# stopped and one more message is held (fail closed). The instance lives
# in a scratch directory, never touches the system Postfix (no
# /etc/postfix change, no port 25), and is stopped and removed on exit.
# Skips (77) when not root or when postfix/swaks are missing.
set -u
DLPD=$1 FIX=$2 DATA=$3
. "$FIX/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root: master(8) of a private Postfix must start as root"
for c in postfix postconf postqueue postcat swaks python3; do
	command -v "$c" >/dev/null || PATH=$PATH:/usr/sbin
	command -v "$c" >/dev/null ||
		skip "$c is not installed (Debian packages postfix, swaks)"
done
getent passwd postfix >/dev/null || skip "no postfix user (install the Debian package postfix)"
scratch
PF_UP=0
cleanup() {
	[ "$PF_UP" = 1 ] && postfix -c "$T/etc" stop >/dev/null 2>&1
	cleanup_dlpd
	rm -rf "$T"
}
trap cleanup EXIT

SMTP_PORT=$(free_port)
DOMAIN=${RCPT#*@}
start_dlpd pf "http_socket = $T/scan.sock" "milter_socket = unix:$T/milter.sock" \
	"socket_group = postfix" "audit_log = $T/audit.jsonl" "milter_timeout = 70"
wait_for test -S "$T/milter.sock" &&
	wait_for curl -sf --unix-socket "$T/scan.sock" http://dlp/v1/health ||
	{ cat "$T/pf.log"; fail "dlpd did not start"; finish; exit 1; }

# The instance, as in docs/dlpd.md and the gateway spec (section 7.2).
mkdir -p "$T"/{etc,queue,data,log,mail}
chmod 755 "$T/log"
chown 65534:65534 "$T/mail" # virtual(8) delivers as uid 65534
cat >"$T/etc/main.cf" <<EOF2
compatibility_level = 3.6
queue_directory = $T/queue
data_directory = $T/data
myhostname = dlp-test.localdomain
inet_interfaces = loopback-only
inet_protocols = ipv4
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
virtual_mailbox_domains = $DOMAIN
virtual_mailbox_base = $T/mail
virtual_mailbox_maps = static:sink/
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
default_transport = error:5.7.1 test instance delivers only to $DOMAIN
maillog_file = $T/log/maillog
maillog_file_prefixes = $T/log
smtpd_milters = unix:$T/milter.sock
non_smtpd_milters = \$smtpd_milters
milter_default_action = quarantine
milter_connect_timeout = 5s
milter_command_timeout = 10s
milter_content_timeout = 60s
EOF2
cat >"$T/etc/master.cf" <<EOF2
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
pickup    unix n - n 60  1 pickup
cleanup   unix n - n -   0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n -   - trivial-rewrite
bounce    unix - - n -   0 bounce
defer     unix - - n -   0 bounce
trace     unix - - n -   0 bounce
verify    unix - - n -   1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n -   - proxymap
smtp      unix - - n -   - smtp
relay     unix - - n -   - smtp
showq     unix n - n -   - showq
error     unix - - n -   - error
retry     unix - - n -   - error
discard   unix - - n -   - discard
virtual   unix - n n -   - virtual
anvil     unix - - n -   1 anvil
scache    unix - - n -   1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF2
chown "$(postconf -c "$T/etc" -h mail_owner)" "$T/data"
postfix -c "$T/etc" check >"$T/pf-check.log" 2>&1 &&
	postfix -c "$T/etc" start >"$T/pf-start.log" 2>&1 ||
	{ cat "$T"/pf-*.log; fail "private postfix did not start"; finish; exit 1; }
PF_UP=1
wait_for python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT), timeout=1)"

send() { # send FILE : swaks exit code; transcript in $T/swaks.FILE
	swaks --server 127.0.0.1 --port "$SMTP_PORT" --from "$FROM" --to "$RCPT" \
		--data "$FIX/$1" --timeout 60 >"$T/swaks.$1" 2>&1
}
hold_ids() {
	postqueue -c "$T/etc" -j | python3 -c '
import sys, json
for l in sys.stdin:
    d = json.loads(l)
    if d.get("queue_name") == "hold":
        print(d["queue_id"])'
}
delivered_with() { grep -l -s "^X-DLP-Verdict: $1" "$T"/mail/sink/new/* >/dev/null; }

send allow.eml
check "swaks: allow accepted" 0 $?
wait_for delivered_with allow
check "allow delivered to the Maildir with X-DLP-Verdict: allow" 0 $?
grep -l -s "Shall we meet" "$T"/mail/sink/new/* >/dev/null
check "delivered message is intact" 0 $?

send hold.eml
check "swaks: hold accepted (250)" 0 $?
wait_for sh -c "postqueue -c $T/etc -j | grep -q '\"queue_name\": *\"hold\"'"
check "postqueue -j shows queue_name hold" 0 $?
ID=$(hold_ids | head -1)
postcat -c "$T/etc" -hq "$ID" 2>/dev/null | grep -q '^X-DLP-Verdict: hold'
check "held message carries X-DLP-Verdict: hold" 0 $?
grep -q "milter triggers HOLD action" "$T/log/maillog"
check "maillog: milter-hold" 0 $?

send block.eml
rc=$?
check "swaks: block refused after DATA (exit 26)" 26 "$rc"
grep -q '550 5.7.1' "$T/swaks.block.eml"
check "swaks saw 550 5.7.1" 0 $?
delivered_with block && fail "blocked message delivered" || ok "blocked message not delivered"

# Fail closed: scanner down -> milter_default_action = quarantine.
cleanup_dlpd
before=$(hold_ids | wc -l)
send allow.eml
check "scanner down: still accepted (250)" 0 $?
wait_for sh -c "[ \$(postqueue -c $T/etc -j | grep -c '\"queue_name\": *\"hold\"') -gt $before ]"
check "scanner down: message held, not delivered" 0 $?
check "scanner down: nothing more delivered" 1 "$(ls "$T"/mail/sink/new | wc -l)"

finish
