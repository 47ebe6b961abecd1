#!/bin/sh
# check-format.sh SOURCE_DIR - every C file follows the committed
# .clang-format. Skips (77) when clang-format is not installed.
set -u
cd "$1" || exit 1
command -v clang-format >/dev/null 2>&1 || { echo "SKIP: no clang-format"; exit 77; }
bad=0 n=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find engine cli daemon include tests bench -name '*.[ch]'); do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f (run clang-format -i $f)"
		bad=$((bad + 1))
	fi
done
echo "$((n - bad)) passed, $bad failed"
[ $bad -eq 0 ]
