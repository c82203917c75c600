#!/usr/bin/env bash
# bench-memory.sh DIR [RUNS] — the console's two budgets at any size, on a data directory made by
# `bench/bench-import -k N`: the dashboard's opening (key 2 to its screen written, --timings,
# and what its status line says) and the console's memory (RssAnon and VmRSS from
# /proc/PID/status) at start, once the table has read what it reads between keys, after the
# dashboard, after Enter on its first district (a table of its own), after a search (/ and a
# word, n twice) and after two limits. Prints one line per run.
# A benchmark to read, not a timed test. Run from the build directory.
set -u
dir=${1:?usage: bench-memory.sh DIR [RUNS]}
runs=${2:-3}
huitou=${top_builddir:-$(pwd)}/src/huitou
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-memory.XXXXXX")
sock=$tmp/tmux.sock
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
tm() { tmux -f /dev/null -S "$sock" "$@"; }
# wait_for TEXT [SECONDS]: until the window shows it (30 s unless said).
wait_for() {
	local end=$((SECONDS + ${2:-30}))
	while [ $SECONDS -lt $end ]; do
		tm capture-pane -p -t b 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.02
	done
	echo "bench-memory.sh: no '$1' on the screen" >&2
	return 1
}
# mem PID: "RssAnon/VmRSS" in MB.
mem() {
	awk '/^RssAnon:/ { a = $2 } /^VmRSS:/ { r = $2 }
	    END { printf "%.0f/%.0f", a / 1024, r / 1024 }' "/proc/$1/status"
}
# settle: until the table's background work is done (keys-ready in the timings), 120 s at most.
settle() {
	for _ in $(seq 1 1200); do
		grep -q '^keys-ready' "$tmp/t" 2>/dev/null && return 0
		sleep 0.1
	done
	return 0
}
echo "bench-memory.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); MB as RssAnon/VmRSS"
for r in $(seq 1 "$runs"); do
	rm -f "$tmp/t"
	tm new-session -d -s b -x 120 -y 30 "env -i PATH=/usr/bin:/bin HOME=$tmp TERM=xterm-256color \
	    LANG=C.UTF-8 TZ=UTC HUITOU_NOW=2026-11-28 $huitou --timings $tmp/t -d $dir"
	wait_for "[1] " || exit 1
	pid=$(tm display-message -p -t b '#{pane_pid}')
	sleep 0.5
	m_start=$(mem "$pid")
	settle
	sleep 0.5
	m_settled=$(mem "$pid")
	tm send-keys -t b 2
	wait_for "counted in" || exit 1
	sleep 0.3
	said=$(tm capture-pane -p -t b | grep -o 'counted in [0-9]* ms')
	m_dash=$(mem "$pid")
	tm send-keys -t b Enter	# the first district's institutions, a table of its own
	wait_for "l: district=" || exit 1
	sleep 0.5
	m_enter=$(mem "$pid")
	tm send-keys -t b q
	sleep 0.3
	tm send-keys -t b 1
	wait_for "[1] " || exit 1
	tm send-keys -t b /
	for ch in q m x; do tm send-keys -t b "$ch"; sleep 0.2; done
	tm send-keys -t b Enter
	sleep 0.3
	tm send-keys -t b n
	sleep 0.2
	tm send-keys -t b n
	sleep 0.5
	m_search=$(mem "$pid")
	tm send-keys -t b l 'name~qmx' Enter
	wait_for "l: name~qmx" || exit 1
	while tm capture-pane -p -t b | grep -q "filtering"; do sleep 0.02; done
	sleep 0.5
	m_limit=$(mem "$pid")
	tm send-keys -t b l 'status=banned and district=雁塔区' Enter
	wait_for "l: status" || exit 1
	sleep 0.5
	m_limit2=$(mem "$pid")
	tm send-keys -t b q q
	sleep 0.5
	tm kill-server >/dev/null 2>&1
	first=$(awk '$1 == "first-screen" { printf "%.1f", $2 / 1000 }' "$tmp/t")
	dash=$(awk '$1 ~ /^key:screen.2/ { printf "%.1f ", $2 / 1000 }' "$tmp/t")
	keys=$(awk '$1 == "keys-ready" { printf "%.1f ", $2 / 1e6 }' "$tmp/t")
	lim=$(awk '$1 ~ /^key:table.limit/ { printf "%.1f ", $2 / 1000 }' "$tmp/t")
	final=$(awk '$1 == "limit-done" { printf "%.1f ", $2 / 1000 }' "$tmp/t")
	live=$(awk '$1 == "live-key" { printf "%.1f ", $2 / 1000 }' "$tmp/t")
	echo "run $r: first screen ${first} ms; dashboard ${dash:-?}ms (${said}); limits ${lim}ms (final count ${final:-? }ms);" \
	    "search keys ${live}ms; keys ready ${keys:-?}s"
	echo "  memory: start $m_start, settled $m_settled, dashboard $m_dash, its Enter $m_enter," \
	    "search $m_search," \
	    "limit name~qmx $m_limit, limit status+district $m_limit2"
	[ -n "${KEEP_TIMINGS:-}" ] && cp "$tmp/t" "$KEEP_TIMINGS.$r"
done
