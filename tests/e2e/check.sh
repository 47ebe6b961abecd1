#!/bin/sh
# check.sh DLPSCAN MESSAGE EXPECT - run dlpscan --json on one message and
# check the result against an expectation file:
#
#   # args: --rcpt a@b.example ...    extra dlpscan options (optional)
#   # exit: 2                          expected exit status (optional)
#   .verdict == "block"                every other line: a jq expression
#                                      that must be true of the result
#
# Paths in args are relative to the expectation file's folder.
set -u
dlpscan=$1 msg=$2 expect=$3
dir=$(dirname "$expect")

command -v jq >/dev/null 2>&1 || { echo "SKIP: jq is not installed"; exit 77; }

args=$(sed -n 's/^# args: //p' "$expect")
want_exit=$(sed -n 's/^# exit: //p' "$expect")
out=$(cd "$dir" && eval "\"$dlpscan\" --json $args \"$msg\"")
rc=$?
fail=0
if [ -n "$want_exit" ] && [ "$rc" != "$want_exit" ]; then
	echo "FAIL: exit status $rc, want $want_exit"
	fail=1
fi
if ! printf '%s\n' "$out" | jq -e . >/dev/null 2>&1; then
	echo "FAIL: output is not JSON:"
	printf '%s\n' "$out"
	exit 1
fi
n=0
while IFS= read -r line; do
	case $line in '#'*|'') continue ;; esac
	n=$((n + 1))
	if printf '%s\n' "$out" | jq -e "$line" >/dev/null 2>&1; then
		echo "ok   $line"
	else
		echo "FAIL $line"
		fail=1
	fi
done < "$expect"
if [ $fail -ne 0 ]; then
	echo "result was:"
	printf '%s\n' "$out" | jq .
	exit 1
fi
echo "$n checks passed"
