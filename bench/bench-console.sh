#!/usr/bin/env bash
# bench-console.sh — the console at N institutions (default 100,000) in a real terminal: time
# to the first full screen, to a limit, to a search and to the dashboard, measured from outside
# through tmux (polling every 10 ms, so figures are upper bounds) and inside the binary
# (--timings: from main to the first screen written, from a key to its repaint; medians of
# several keys), and the bytes written per scrolled row. A benchmark to read, not a timed test.
# Run from the build directory.
set -u
n=${1:-100000}
top_builddir=${top_builddir:-$(pwd)}
huitou=$top_builddir/src/huitou
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-console.XXXXXX")
sock=$tmp/tmux.sock
trap 'tmux -S "$sock" kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT

python3 - "$n" >"$tmp/in.csv" <<'PY'
import random, sys
random.seed(1)
d = "610102 610103 610104 610111 610112 610113 610114 610115 610116 610117 610118 610122 610124".split()
w = "启明星 博雅 小牛顿 金话筒 英才 智慧树 晨曦 思源 墨韵 向日葵 小百灵 睿思".split()
s = "艺术 数学 英语 作文 编程 书画 舞蹈 围棋".split()
print("name,district,category,status,rectify_deadline")
for i in range(int(sys.argv[1])):
    st = random.choice(['licensed', 'rectifying', 'banned'])
    due = f"2026-{random.randint(9, 12):02}-{random.randint(1, 28):02}" if st == 'rectifying' else ""
    print(f"{random.choice(w)}{random.choice(s)}培训学校{i},{random.choice(d)},"
          f"{random.choice(['subject', 'non_subject'])},{st},{due}")
PY
"$huitou" -d "$tmp/d" init --city 6101 >/dev/null && "$huitou" -d "$tmp/d" import institution "$tmp/in.csv" >/dev/null \
    || { echo "bench-console: set-up failed" >&2; exit 1; }

now() { date +%s.%N; }
until_screen() {	# TEXT: wait until the screen shows it (10 s at most)
	for _ in $(seq 1 1000); do
		tmux -S "$sock" capture-pane -p -t b | grep -qF -- "$1" && return 0
		sleep 0.01
	done
	return 1
}
t0=$(now)
tmux -S "$sock" new-session -d -s b -x 100 -y 30 \
    "env TERM=xterm LANG=C.UTF-8 $huitou --timings $tmp/timings -d $tmp/d"
until_screen "$n/$n"
echo "first full screen: $(echo "$(now) - $t0" | bc) s (tmux start-up included)"
sleep 3	# the ids and search keys are read between keys: let them be
t0=$(now)
tmux -S "$sock" send-keys -t b l 'status=banned and district=雁塔区' Enter
until_screen "l: status"
echo "limit status=banned and district=雁塔区: $(echo "$(now) - $t0" | bc) s (search keys made on first use)"
t0=$(now)
tmux -S "$sock" send-keys -t b l 'name~qmx' Enter
until_screen "l: name~qmx"
echo "limit name~qmx (keys made): $(echo "$(now) - $t0" | bc) s"
tmux -S "$sock" send-keys -t b l Enter
until_screen "$n/$n"
for expr in 'status=banned and district=雁塔区' 'district=碑林区' 'name~qmx' 'name~启明星' 'qmx' \
    'status=banned and name~博雅' '' 'list=none and status=licensed' 'name~zzz'; do
	tmux -S "$sock" send-keys -t b l "$expr" Enter
	sleep 0.5
done
tmux -S "$sock" send-keys -t b l Enter
for word in qmx boya 启明星 jinhuat zzzz; do	# incremental search, a letter at a time
	tmux -S "$sock" send-keys -t b g /
	for ch in $(echo "$word" | grep -o .); do tmux -S "$sock" send-keys -t b "$ch"; sleep 0.15; done
	tmux -S "$sock" send-keys -t b Enter
	sleep 0.2
	for _ in 1 2 3; do tmux -S "$sock" send-keys -t b n; sleep 0.1; done
done
t0=$(now)
tmux -S "$sock" send-keys -t b 2
until_screen "counted in"
echo "dashboard (screen 2), districts x status and two counts: $(echo "$(now) - $t0" | bc) s;" \
    "it says $(tmux -S "$sock" capture-pane -p -t b | grep -o 'counted in [0-9]* ms')"
t0=$(now)
tmux -S "$sock" send-keys -t b Enter
until_screen "l: district="
echo "Enter on a district: its institutions in $(echo "$(now) - $t0" | bc) s"
tmux -S "$sock" send-keys -t b 1
until_screen "$n/$n"
for _ in $(seq 1 40); do tmux -S "$sock" send-keys -t b j; done
sleep 1
tmux -S "$sock" pipe-pane -t b -o "cat >>$tmp/bytes"
sleep 0.3
: >"$tmp/bytes"
for _ in $(seq 1 50); do tmux -S "$sock" send-keys -t b j; sleep 0.02; done
sleep 1
echo "scrolling one row: $(( $(wc -c <"$tmp/bytes") / 50 )) bytes written (a full screen is $((100 * 30)) cells)"
tmux -S "$sock" send-keys -t b q q
sleep 0.5
# In-binary figures per event (key:ACTION; live-key: one letter of a search to its repaint):
# median, least and most, in ms.
echo "inside the binary (--timings), ms: median [least, most] of n events"
sort -k1,1 -k2,2n "$tmp/timings" | awk '
	function flush() {
		if (n > 0)
			printf "  %-24s %8.2f [%.2f, %.2f] of %d\n", name, v[int((n + 1) / 2)] / 1000,
			    v[1] / 1000, v[n] / 1000, n
	}
	$1 != name { flush(); name = $1; n = 0 }
	{ v[++n] = $2 }
	END { flush() }'
