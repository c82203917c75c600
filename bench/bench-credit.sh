#!/usr/bin/env bash
# bench-credit.sh DIR [RUNS] — credit tiers at scale, on a data directory of bench-import -k
# (100,000 institutions) with bench-board's orders (300,000): "huitou credit" (every
# institution's facts from the indexes, the count per tier), "credit --update" the first time
# (every tier changed: one commit of them all) and again (nothing changed, no commit), and one
# institution's explanation. Medians of RUNS (default 3) for the reads. A benchmark to read,
# not a timed test. Run from the build directory.
set -u
dir=${1:?usage: bench-credit.sh DIR [RUNS]}
runs=${2:-3}
huitou=${top_builddir:-$(pwd)}/src/huitou
export HUITOU_NOW=2026-11-28 TZ=UTC LANG=C.UTF-8
h() { "$huitou" -d "$dir" "$@"; }
# ms CMD…: the wall time of CMD in milliseconds (its output dropped).
ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >/dev/null 2>&1 || echo "bench-credit.sh: '$*' failed" >&2
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] " ms" }'; }
inst=$(h export institution --where 'district=610113' | sed -n 2p | cut -d, -f1)
echo "institutions: $(h export institution | tail -n +2 | wc -l), orders: $(h export rectification | tail -n +2 | wc -l)"
echo "credit (count per tier): median $(for _ in $(seq 1 "$runs"); do ms h credit; done | median)"
echo "credit ID (one explanation): median $(for _ in $(seq 1 "$runs"); do ms h credit "$inst"; done | median)"
before=$(git --git-dir="$dir/audit.git" rev-list --count main)
echo "credit --update, first (writes): $(ms h credit --update) ms"
echo "  tiers written in $(($(git --git-dir="$dir/audit.git" rev-list --count main) - before)) commit: $(git --git-dir="$dir/audit.git" log -1 --format=%s main)"
echo "credit --update, again (nothing to write): $(ms h credit --update) ms"
