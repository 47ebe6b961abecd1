#!/bin/sh
# run-one.sh BINARY NAME SECONDS WORKDIR - fuzz one harness for SECONDS.
# The seed corpus is generated into WORKDIR/NAME/seeds (seeds.sh); new
# inputs go to WORKDIR/NAME/corpus, crashes to WORKDIR/NAME/crash-*.
# Exit status: 0 when no crash was found, else libFuzzer's.
# DLP_FUZZ_SEED (default 1) is libFuzzer's -seed: a fixed seed makes a
# run mutate the same way each time, so a smoke run that fails is
# reproducible and fails because of the change under test; 0 means a
# random seed (run-all.sh's default, for the longer runs that hunt).
set -eu
bin=$1
name=$2
secs=$3
work=$4
here=$(cd "$(dirname "$0")" && pwd)
dir=$work/$name
mkdir -p "$dir/corpus"
rm -rf "$dir/seeds"
sh "$here/seeds.sh" "$name" "$dir/seeds"
dict=""
case $name in
mime | scan | decode | address | dlpd) dict="-dict=$here/mime.dict" ;;
html) dict="-dict=$here/html.dict" ;;
pdf | pdfobj) dict="-dict=$here/pdf.dict" ;;
esac
seed=${DLP_FUZZ_SEED:-1}
echo "fuzz $name: $secs s, seed $seed, $(ls "$dir/seeds" | wc -l) seeds, $dict"
# Leaks are checked (detect_leaks; full stacks so that tests/lsan.supp
# can match frames inside libraries built without frame pointers); a 5 s per-input timeout and a 2 GiB
# RSS ceiling turn hangs and blow-ups into reported failures.
# shellcheck disable=SC2086
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:fast_unwind_on_malloc=0} \
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$here/../lsan.supp:print_suppressions=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$bin" -seed="$seed" -max_total_time="$secs" -timeout=5 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$dir/" $dict \
    "$dir/corpus" "$dir/seeds"
