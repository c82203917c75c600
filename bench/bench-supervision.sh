#!/usr/bin/env bash
# bench-supervision.sh DIR [RUNS] — the supervision screen through the console in a real
# terminal, on a data directory of bench-import -k, bench-board's orders and bench-casework.sh:
# per run, the screen's own "counted in N ms" when opened (S supervision Enter) and on C-l, and
# from --timings the keys to the screen painted (S, the picker typed and Enter at once; C-l).
# A benchmark to read, not a timed test. Run from the build directory (HUITOU: another binary).
set -u
dir=${1:?usage: bench-supervision.sh DIR [RUNS]}
runs=${2:-3}
huitou=${HUITOU:-${top_builddir:-$(pwd)}/src/huitou}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-supervision.XXXXXX")
sock=$tmp/tmux.sock
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
tm() { tmux -f /dev/null -S "$sock" "$@"; }
# wait_for TEXT: until the window shows it (60 s at most).
wait_for() {
	for _ in $(seq 1 6000); do
		tm capture-pane -p -t b 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.01
	done
	echo "bench-supervision.sh: no '$1' on the screen" >&2
	return 1
}
counted() { tm capture-pane -p -t b | grep -o 'counted in [0-9]* ms' | tail -1; }
# (the table's search keys are read first: keys-ready in the timings, so they do not compete)
for r in $(seq 1 "$runs"); do
	tm new-session -d -s b -x 120 -y 30 "env -i PATH=/usr/bin:/bin HOME=$tmp \
	    TERM=xterm-256color LANG=C.UTF-8 TZ=UTC HUITOU_NOW=2026-11-28 $huitou --lang en \
	    --timings $tmp/t -d $dir"
	wait_for "[1] " || exit 1
	for _ in $(seq 1 3000); do grep -q '^keys-ready ' "$tmp/t" 2>/dev/null && break; sleep 0.01; done
	tm send-keys -t b S supervision Enter	# at once: the timing runs from the S
	wait_for "counted in" || exit 1
	open=$(counted)
	tm send-keys -t b C-l
	sleep 1.5
	again=$(counted)
	tm send-keys -t b q
	sleep 0.2
	tm send-keys -t b Q
	for _ in $(seq 1 500); do tm has-session -t b 2>/dev/null || break; sleep 0.01; done 2>/dev/null
	echo "run $r: opened: $open; C-l: $again; keys: $(grep -E '^key:' "$tmp/t" | tail -2 | tr '\n' ' ')"
	: >"$tmp/t"
done
