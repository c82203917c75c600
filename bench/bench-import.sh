#!/bin/sh
# bench-import.sh — the import benchmark at 1,000 and 100,000 institutions, run from the build
# directory (the current one, or $top_builddir). It builds nothing: "make check" or
# "make bench/bench-import" first. DESIGN.md's budget: 100,000 imported in 3 s or less.
set -eu

builddir=${top_builddir:-.}
bench=$builddir/bench/bench-import
if [ ! -x "$bench" ]; then
	echo "bench-import.sh: $bench is not built; run 'make bench/bench-import' in $builddir" >&2
	exit 2
fi
out=$(mktemp "${TMPDIR:-/tmp}/bench-import-out.XXXXXX")
trap 'rm -f "$out"' EXIT
for n in 1000 100000; do
	if ! "$bench" "$n" >"$out.$n"; then
		cat "$out.$n"
		rm -f "$out.$n"
		echo "bench-import.sh: bench-import $n failed" >&2
		exit 1
	fi
	cat "$out.$n" >>"$out"
	cat "$out.$n"
	rm -f "$out.$n"
	echo
done
echo "summary:"
grep -E '^(bench-import|import|lookup by id):' "$out" | sed 's/^/  /'
