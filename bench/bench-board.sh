#!/usr/bin/env bash
# bench-board.sh DIR [RUNS] — the task board through the console in a real terminal, on a data
# directory of bench-import -k with bench-board's orders: --timings gives, from inside the
# binary, the key "4" to the board painted (its first paint: counted and its cards read) and a
# card moved right (">": the move, LMDB and git, and the repaint). Medians of RUNS starts
# (default 5). A benchmark to read, not a timed test. Run from the build directory.
set -u
dir=${1:?usage: bench-board.sh DIR [RUNS]}
runs=${2:-5}
huitou=${top_builddir:-$(pwd)}/src/huitou
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-board.XXXXXX")
sock=$tmp/tmux.sock
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
tm() { tmux -f /dev/null -S "$sock" "$@"; }
# wait_for TEXT: until the window shows it (10 s at most).
wait_for() {
	for _ in $(seq 1 1000); do
		tm capture-pane -p -t b 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.01
	done
	echo "bench-board.sh: no '$1' on the screen" >&2
	return 1
}
for r in $(seq 1 "$runs"); do
	tm new-session -d -s b -x 80 -y 24 "env -i PATH=/usr/bin:/bin HOME=$tmp TERM=xterm-256color \
	    LANG=C.UTF-8 TZ=UTC HUITOU_NOW=2026-11-28 $huitou --timings $tmp/t -d $dir"
	wait_for "[1] " || exit 1
	tm send-keys -t b 4
	wait_for "[4] Task board" || exit 1
	sleep 0.2
	tm send-keys -t b '>'
	wait_for " → " || exit 1
	sleep 0.2
	tm send-keys -t b Q
	for _ in $(seq 1 500); do tm has-session -t b 2>/dev/null || break; sleep 0.01; done
	echo "run $r: $(grep -E '^key:(screen.4|board.move-right) ' "$tmp/t" | tail -2 | tr '\n' ' ')"
done
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f ms", v[int((NR + 1) / 2)] / 1000 }'; }
echo "board's first paint (key 4 to the screen written): median $(awk '$1 == "key:screen.4" { print $2 }' "$tmp/t" | median)"
echo "a card moved right (move, commit, repaint): median $(awk '$1 == "key:board.move-right" { print $2 }' "$tmp/t" | median)"
