#!/bin/sh
# cli.sh DLPSCAN SOURCE_DIR - the command line: exit statuses, errors,
# inputs (file, directory, Maildir, mbox, stdin), human output and the
# default data directory lookup.
set -u
dlpscan=$1 src=$2
msgs=$src/tests/messages
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

check() { # check NAME WANT_EXIT COMMAND...
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok   $name (exit $rc)"
	else
		echo "FAIL $name: exit $rc, want $want"
		sed 's/^/  stdout: /' "$tmp/out"
		sed 's/^/  stderr: /' "$tmp/err"
		fail=1
	fi
}

expect_out() { # expect_out NAME GREP-PATTERN FILE
	n=$((n + 1))
	if grep -q -- "$2" "$3"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no \"$2\" in:"
		sed 's/^/  /' "$3"
		fail=1
	fi
}

check help 0 "$dlpscan" --help
expect_out "help text" "usage: dlpscan" "$tmp/out"
check version 0 "$dlpscan" --version
expect_out "version text" "^dlpscan [0-9]" "$tmp/out"
check "bad option" 3 "$dlpscan" --no-such-option "$msgs/harmless.eml"
expect_out "bad option message" "unknown or incomplete option" "$tmp/err"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { echo "FAIL bad option: not one line"; fail=1; }
check "missing argument" 3 "$dlpscan" --rcpt
check "no input" 3 "$dlpscan"
check "unreadable file" 3 "$dlpscan" "$tmp/does-not-exist.eml"
expect_out "unreadable message" "does-not-exist.eml: No such file" "$tmp/err"
check "bad keywords file" 3 "$dlpscan" --keywords "$tmp/none.txt" "$msgs/harmless.eml"
printf 'rule x\n  pattern /a(/\n' >"$tmp/bad.sig"
check "bad signature file" 3 "$dlpscan" --signatures "$tmp/bad.sig" "$msgs/harmless.eml"
expect_out "bad signature names file:line" "bad.sig:2" "$tmp/err"

# Verdict exit statuses; the default data directory (no DLP_DATA_DIR).
unset DLP_DATA_DIR
check "allow exits 0" 0 "$dlpscan" "$msgs/harmless.eml"
expect_out "human output" "harmless.eml: allow level 0" "$tmp/out"
check "hold exits 1" 1 "$dlpscan" "$msgs/official-sensitive-unknown.eml"
expect_out "hold reason" "hold level 2: .*OFFICIAL-SENSITIVE" "$tmp/out"
check "block exits 2" 2 "$dlpscan" --rcpt a@partner.example \
	--trusted-domain partner.example "$msgs/secret-noforn-partner.eml"
check "worst wins" 2 "$dlpscan" "$msgs/harmless.eml" \
	"$msgs/secret-noforn-partner.eml"
check "quiet" 1 "$dlpscan" --quiet "$msgs/official-sensitive-unknown.eml"
[ -s "$tmp/out" ] && { echo "FAIL quiet printed"; fail=1; }

# stdin, a folder, a Maildir and an mbox.
check "stdin" 0 sh -c "\"$dlpscan\" - <\"$msgs/harmless.eml\""
expect_out "stdin source" "^-: allow" "$tmp/out"
mkdir -p "$tmp/dir" "$tmp/Maildir/cur" "$tmp/Maildir/new" "$tmp/Maildir/tmp"
cp "$msgs/harmless.eml" "$tmp/dir/a.eml"
cp "$msgs/official-sensitive-unknown.eml" "$tmp/dir/b.eml"
check "directory" 1 "$dlpscan" --json "$tmp/dir"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || { echo "FAIL directory: not 2 results"; fail=1; }
cp "$msgs/harmless.eml" "$tmp/Maildir/cur/1:2,S"
cp "$msgs/harmless.eml" "$tmp/Maildir/new/2"
check "maildir" 0 "$dlpscan" "$tmp/Maildir"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || { echo "FAIL maildir: not 2 results"; fail=1; }
{
	printf 'From a@x Tue Dec  1 09:00:00 2026\n'; cat "$msgs/harmless.eml"
	printf '\nFrom b@x Tue Dec  1 09:01:00 2026\n'
	cat "$msgs/official-sensitive-unknown.eml"
	printf '\nFrom c@x Tue Dec  1 09:02:00 2026\n'; cat "$msgs/harmless.eml"
} >"$tmp/box.mbox"
check "mbox" 1 "$dlpscan" "$tmp/box.mbox"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || { echo "FAIL mbox: not 3 results"; fail=1; }
expect_out "mbox message names" "box.mbox#2: hold" "$tmp/out"

# Libraries that print to stdout on corrupt input (libytnef) must not
# break the JSON lines: scan the corpus TNEF files, when present.
corpus=${DLP_CORPUS:-$src/../shared/corpus}
if [ -d "$corpus/tnef" ] && command -v jq >/dev/null 2>&1; then
	tnefs=$(find "$corpus/tnef" -name '*.tnef' | sort)
	[ -n "$tnefs" ] || { echo "FAIL no .tnef files under $corpus/tnef"; fail=1; }
	for t in $tnefs; do
		{
			printf 'From: a@example.com\nTo: b@example.org\nSubject: t\n'
			printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n'
			printf -- '--B\nContent-Type: text/plain\n\nhi\n--B\n'
			printf 'Content-Type: application/ms-tnef; name=winmail.dat\n'
			printf 'Content-Transfer-Encoding: base64\n\n'
			base64 "$t"
			printf -- '--B--\n'
		} >"$tmp/t.eml"
		"$dlpscan" --json "$tmp/t.eml" >"$tmp/out" 2>/dev/null
		n=$((n + 1))
		if jq -e . "$tmp/out" >/dev/null 2>&1 && [ "$(wc -l <"$tmp/out")" -eq 1 ]; then
			:
		else
			echo "FAIL stdout is not one JSON line for $(basename "$t")"
			fail=1
		fi
	done
	echo "ok   JSON output stays clean over $(echo "$tnefs" | wc -l) corpus TNEF files"
fi

if [ $fail -ne 0 ]; then
	echo "cli: some checks failed"
	exit 1
fi
echo "$n passed, 0 failed"
