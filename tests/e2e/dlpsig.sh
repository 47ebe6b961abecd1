#!/bin/sh
# dlpsig.sh DLPSIG SOURCE_DIR - the analyst's tool: lint, test, compile,
# explain and corpus, on the shipped set and on broken sets.
set -u
dlpsig=$1 src=$2
msgs=$src/tests/messages
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

run() { # run NAME WANT_EXIT COMMAND...
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	"$@" >"$tmp/out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok   $name"
	else
		echo "FAIL $name: exit $rc, want $want"
		sed 's/^/  /' "$tmp/out"
		fail=1
	fi
}

has() { # has NAME PATTERN
	n=$((n + 1))
	if grep -q -- "$2" "$tmp/out"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no \"$2\" in:"
		sed 's/^/  /' "$tmp/out"
		fail=1
	fi
}

run "lint shipped set" 0 "$dlpsig" lint
has "lint summary" "0 errors"
printf 'rule a\n  pattern /ok/\n  match ok\nrule b\n  pattern /(x/\n  match x\n' >"$tmp/bad.sig"
run "lint rejects a bad pattern" 1 "$dlpsig" lint "$tmp/bad.sig"
has "lint names file:line" "bad.sig:5: rule b: pattern rejected"
printf 'rule a\n  level 9\n  pattern /x/\n' >"$tmp/syntax.sig"
run "lint syntax error" 1 "$dlpsig" lint "$tmp/syntax.sig"
has "syntax error position" "syntax.sig:2:9: level must be 0-5"
run "test shipped examples" 0 "$dlpsig" test
has "test summary" " passed, 0 failed"
printf 'rule a\n  pattern /SECRET/\n  match SECRET\n  nomatch TOP SECRET\n' >"$tmp/ex.sig"
run "test a failing example" 1 "$dlpsig" test "$tmp/ex.sig"
has "failing example named" "ex.sig:4: rule a: nomatch example failed"
run "compile cold" 0 "$dlpsig" compile --cache-dir "$tmp/cache"
has "compiled" "compiled and cached"
run "compile warm" 0 "$dlpsig" compile --cache-dir "$tmp/cache"
has "cache hit" "loaded from the cache"
run "explain" 0 "$dlpsig" explain "$msgs/official-sensitive-army-ml.eml"
has "explain finding" "uk-official-sensitive"
has "explain verdict" "verdict: hold"
mkdir -p "$tmp/new"
cp "$src"/signatures/*.sig "$tmp/new/"
printf 'rule lunch\n  level 3\n  pattern /\\blunch\\b/i\n  match lunch\n' >"$tmp/new/extra.sig"
run "corpus shows a changed verdict" 1 "$dlpsig" corpus "$msgs" --signatures "$tmp/new"
has "corpus change line" "changed .*harmless.eml: allow -> block"
has "corpus rule counts" "^lunch  *0  *1"
run "unknown command" 3 "$dlpsig" frobnicate
if [ $fail -ne 0 ]; then
	exit 1
fi
echo "$n passed, 0 failed"
