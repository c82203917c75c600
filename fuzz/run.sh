#!/bin/sh
# run.sh — "make fuzz": each libFuzzer target for a bounded time on its seed corpus, one TAP
# line per target (how many inputs it ran, or the sanitizer's report that stopped it).
# usage: run.sh FUZZDIR SECONDS TARGET...   (TARGET: the built program, fuzz/fuzz-NAME)
# New inputs the fuzzer finds go to fuzz/work/NAME (not the seeds); a crash, leak or hang is
# kept as fuzz/crashes/NAME-*; each run's output is fuzz/work/NAME.log.
set -u
src=$1 seconds=$2
shift 2
mkdir -p fuzz/work fuzz/crashes
echo "1..$#"
n=0 failed=0
for target in "$@"; do
	n=$((n + 1))
	name=${target##*/fuzz-}
	log=fuzz/work/$name.log
	mkdir -p "fuzz/work/$name"
	set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-artifact_prefix="fuzz/crashes/$name-"
	[ -f "$src/dict/$name.dict" ] && set -- "$@" -dict="$src/dict/$name.dict"
	if "$target" "$@" "fuzz/work/$name" "$src/corpus/$name" >"$log" 2>&1; then
		runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log")
		echo "ok $n - fuzz-$name: ${runs:-?}, $(ls "fuzz/work/$name" | wc -l) new inputs"
	else
		failed=$((failed + 1))
		echo "not ok $n - fuzz-$name: stopped (see $log and fuzz/crashes/)"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20 | sed 's/^/# /'
	fi
done
[ "$failed" -eq 0 ]
