#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR - "cmake --install" into a temporary
# prefix gives a working tree: library, header, dlp.pc, programs and the
# default data, found by the installed programs without DLP_DATA_DIR.
set -u
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset DLP_DATA_DIR
fail=0 n=0
ck() { n=$((n + 1)); if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

cmake --install "$build" --prefix "$tmp/usr" >"$tmp/log" 2>&1 || { cat "$tmp/log"; exit 1; }
ck "header installed" "[ -f '$tmp/usr/include/dlp.h' ]"
ck "shared library installed" "[ -n \"\$(find '$tmp/usr' -name 'libdlp.so*' | head -1)\" ]"
pc=$(find "$tmp/usr" -name dlp.pc | head -1)
ck "dlp.pc installed" "[ -n '$pc' ]"
ck "policy installed" "[ -f '$tmp/usr/share/dlpscan/policy.conf' ]"
ck "signatures installed" "ls '$tmp'/usr/share/dlpscan/*.sig >/dev/null"
# Move the source data out of sight: the installed copy must be used.
out=$("$tmp/usr/bin/dlpscan" --json "$src/examples/harmless.eml")
ck "installed dlpscan runs" "printf '%s' '$out' | grep -q '\"verdict\":\"allow\"'"
"$tmp/usr/bin/dlpscan" "$src/tests/messages/official-sensitive-unknown.eml" >/dev/null
ck "installed dlpscan finds its data (hold exits 1)" "[ $? -eq 1 ]"
# A program built against the installed library with pkg-config
# (DLP_TEST_LDFLAGS: the sanitizer runtime when the library has one).
cat >"$tmp/t.c" <<'C'
#include <dlp.h>
#include <stdio.h>
int main(void) { printf("%s\n", dlp_version()); return 0; }
C
PKG_CONFIG_PATH=$(dirname "$pc") cc -o "$tmp/t" "$tmp/t.c" \
	$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs dlp) \
	-Wl,-rpath,"$(dirname "$(dirname "$pc")")" ${DLP_TEST_LDFLAGS:-} 2>"$tmp/cc.log" || cat "$tmp/cc.log"
ck "links with pkg-config dlp" "'$tmp/t' >/dev/null"
[ $fail -eq 0 ] || exit 1
echo "$n passed, 0 failed"
