#!/usr/bin/env bash
# console-dashboard.sh — the dashboard (screen 2) in a real terminal: its counts are those of
# "huitou export" computed here from the CSV, its bars line up, keys 1–9 switch screens and each
# screen keeps its state, Enter on a district limits the table, at 80x24 and wider, in Chinese
# and in English; the counts are made again on C-l; a bad view file is reported FILE:LINE.
. "$(dirname "$0")/lib.sh"

"$HUITOU" -d "$TMP/demo" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
"$HUITOU" -d "$TMP/demo" export institution >"$TMP/all.csv"
. "$(dirname "$0")/term.sh"

# The expected table, from the CSV: per district (in code order) its name, the count of each
# status in the form's order, the total, open (unlicensed or rectifying) and overdue
# (rectifying, deadline before 2026-11-28); then the city's line.
expected() {
	python3 - "$TMP/all.csv" "$top_srcdir/contrib/data/divisions/areas.csv" <<'PY'
import csv, sys
names = {r["code"]: r["name"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))
         if r["cityCode"] == "6101"}
statuses = ["licensed", "unlicensed", "rectifying", "suspended", "banned"]
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
def line(name, rs):
    n = [sum(r["status"] == s for r in rs) for s in statuses]
    n.append(len(rs))
    n.append(sum(r["status"] in ("unlicensed", "rectifying") for r in rs))
    n.append(sum(r["status"] == "rectifying" and r["rectify_deadline"] != ""
                 and r["rectify_deadline"] < "2026-11-28" for r in rs))
    return name + " " + " ".join(str(x) for x in n)
for code in sorted(names):
    print(line(names[code], [r for r in rows if r["district"] == code]))
print(line("西安市", rows))
PY
}
expected >"$TMP/expected"
check_eq "the demo has rectifying institutions both overdue and not" "yes" \
    "$(awk '$1 == "西安市" { print ($9 > 0 && $9 < $4) ? "yes" : "no" }' "$TMP/expected")"

# What the dashboard shows: name and numbers of each table line; and, per district line, the
# display column where its bar starts and the bar's length.
shown() {
	python3 - "$TMP/screen" <<'PY'
import re, sys
for line in open(sys.argv[1], encoding="utf-8").read().split("\n")[2:]:
    m = re.match(r"^ (\S+)((?:\s+\d+)+)(?:\s+(#+))?\s*$", line)
    if m:
        print(m.group(1) + " " + " ".join(m.group(2).split()))
PY
}
bars() {
	python3 - "$TMP/screen" <<'PY'
import re, sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
starts, lens = set(), []
for line in open(sys.argv[1], encoding="utf-8").read().split("\n")[2:]:
    m = re.match(r"^ (\S+)((?:\s+\d+)+)\s+(#+)\s*$", line)
    if m:
        starts.add(w(line[:m.start(3)]))
        lens.append((int(m.group(2).split()[5]), len(m.group(3))))
longest = max(l for t, l in lens)
ordered = all(l1 <= l2 for t1, l1 in lens for t2, l2 in lens if t1 < t2)
print(len(starts), len(lens), "ordered" if ordered else "unordered",
      "full" if [l for t, l in lens if t == max(t for t, _ in lens)][0] == longest else "short")
PY
}

# check_dashboard SESSION WHAT COLS: the dashboard on the screen equals the CSV's counts
# (waiting WAIT_TRIES tenths of a second at most for it to), its bars line up, and nothing is
# wider than the window.
check_dashboard() {
	for _ in $(seq 1 "$WAIT_TRIES"); do
		screen "$1"
		shown >"$TMP/shown"
		cmp -s "$TMP/expected" "$TMP/shown" && break
		sleep 0.1
	done
	if diff "$TMP/expected" "$TMP/shown" >"$TMP/diff"; then ok "$2: every district's counts equal the export's"
	else not_ok "$2: every district's counts equal the export's" "$(cat "$TMP/diff")" "$(cat "$TMP/screen")"; fi
	check_eq "$2: the 13 bars start in one column, longer for larger totals" "1 13 ordered full" "$(bars)"
	check_eq "$2: no line is wider than the window" "" \
	    "$(python3 -c '
import sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
print(" ".join(str(i) for i, l in enumerate(open(sys.argv[1], encoding="utf-8").read().split("\n")) if w(l) > int(sys.argv[2])))
' "$TMP/screen" "$3")"
}

# ---- Chinese, 80x24 ----
COLS=80 ROWS=24 start zh TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console starts on screen 1, the institutions" zh "[1] 校外培训机构"
keys zh 2
check_screen "2 shows the dashboard, screen 2, in the title" zh "[2] 治理看板"
check_screen "the dashboard has a column per status (Chinese labels)" zh "无证无照"
check_screen "and the named counts" zh "逾期"
check_screen "the status line says what day overdue is counted on" zh "2026-11-28"
check_dashboard zh "zh_CN 80x24" 80
check_screen "the counts' expressions are shown" zh "status=rectifying and rectify_deadline<today"

# Enter on the third district (in code order) opens its institutions.
third=$(sed -n 3p "$TMP/expected" | cut -d' ' -f1)
n=$(sed -n 3p "$TMP/expected" | cut -d' ' -f7)
keys zh j j Enter
check_screen "Enter on a district opens the table limited to it" zh "l: district=$third"
check_screen "the table counts that district's institutions" zh "$n/240"
keys zh 1
check_screen "1 switches to the institutions, all of them" zh "240/240"
keys zh l 'status=banned' Enter
check_screen "screen 1 takes a limit" zh "l: status=banned"
keys zh 2
check_screen "2 comes back to where screen 2 was: the district's table" zh "l: district=$third"
keys zh q
check_screen "q goes back to the dashboard" zh "[2] 治理看板"
keys zh Enter
check_screen "the cursor stayed on the third district" zh "l: district=$third"
keys zh q 1
check_screen "screen 1 kept its limit" zh "l: status=banned"

# A cell: Right and Left choose it in the row, Enter opens exactly what it counts.
keys zh 2 Right Right Enter
check_screen "Enter on the district's overdue cell: the table counts what the cell counted" zh \
    "$(sed -n 3p "$TMP/expected" | cut -d' ' -f9)/240"
keys zh q Left Left Left Enter
check_screen "Enter on the district's 取缔 cell counts that status" zh \
    "$(sed -n 3p "$TMP/expected" | cut -d' ' -f6)/240"
banned=$(python3 - "$TMP/all.csv" "$top_srcdir/contrib/data/divisions/areas.csv" "$third" <<'PY'
import csv, sys
code = [r["code"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))
        if r["cityCode"] == "6101" and r["name"] == sys.argv[3]][0]
print(" ".join(r["id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
               if r["district"] == code and r["status"] == "banned"))
PY
)
screen zh
check_eq "exactly the district's banned institutions" "$banned" \
    "$(grep -oE 'JG-[0-9]{6}-[0-9]{6}' "$TMP/screen" | paste -sd' ')"
keys zh q Right

# Counted again on C-l, not before: a change made meanwhile shows after it.
keys zh 2
id=$(python3 -c '
import csv, sys
print([r["id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["status"] == "licensed"][0])' "$TMP/all.csv")
cp "$TMP/expected" "$TMP/expected.before"
"$HUITOU" -d "$TMP/demo" set --reason 测试 "$id" status=rectifying rectify_deadline=2026-11-01 >/dev/null
"$HUITOU" -d "$TMP/demo" export institution >"$TMP/all.csv"
expected >"$TMP/expected"
if cmp -s "$TMP/expected" "$TMP/expected.before"; then not_ok "the change changes the counts"; else
	ok "the change changes the counts"; fi
keys zh j k	# keys that move the cursor and repaint, but do not count
screen zh
shown >"$TMP/shown"
if cmp -s "$TMP/expected.before" "$TMP/shown"; then ok "the counts wait for C-l: the screen keeps the counts before the change"
else not_ok "the counts wait for C-l: the screen keeps the counts before the change" "$(diff "$TMP/expected.before" "$TMP/shown")"; fi
keys zh C-l
check_dashboard zh "after a change and C-l" 80
keys zh Q
check_exit zh "Q on screen 2, with screen 1 kept behind it, ends huitou cleanly (every view freed)"

# ---- English, 80x24 and 132x40 ----
COLS=80 ROWS=24 start en TERM=xterm LANG=C.UTF-8 NO_COLOR=1
check_screen "C.UTF-8: the console opens" en "[1] Training institution"
keys en 2
check_screen "C.UTF-8: 2 shows the dashboard in English" en "[2] Dashboard"
check_dashboard en "C.UTF-8 80x24" 80
tm resize-window -t en -x 132 -y 40
check_screen "132x40: the labels have room" en "Overdue"
check_screen "132x40: whole status labels" en "Unlicensed"
check_dashboard en "C.UTF-8 132x40" 132
keys en ?
check_screen "? on the dashboard shows its keys" en "screen.1"
keys en q 9
check_screen "9 is the filings" en "[9] Filing "
keys en 2
check_screen "and 2 the dashboard again" en "[2] Dashboard"
keys en Q
check_exit en "Q from the dashboard ends huitou cleanly"

# ---- a data directory's own dashboard file; a bad line is reported FILE:LINE ----
mkdir -p "$TMP/demo/views"
printf 'form institution\nrows district\ncolumns status\ncount late\n  where rectify_deadline<today-30\n' \
    >"$TMP/demo/views/dashboard.view"
COLS=100 ROWS=30 start own TERM=xterm LANG=C.UTF-8
check_screen "own view: the console opens" own "240/240"
keys own 2
check_screen "a data directory's own dashboard file is used" own "rectify_deadline<today-30"
keys own Q
printf 'form institution\nrows district\ncolumns colour\n' >"$TMP/demo/views/dashboard.view"
COLS=100 ROWS=30 start bad TERM=xterm LANG=C.UTF-8
check_screen "bad view: the console opens" bad "240/240"
keys bad 2
check_screen "a bad line of the dashboard file is reported FILE:LINE" bad "dashboard.view:3:"
check_screen "naming what is wrong" bad "colour"
screen bad
check_eq "and screen 1 stays" 1 "$(grep -c '\[1\]' "$TMP/screen")"
keys bad Q
check_exit bad "after a bad view file huitou ends cleanly"

done_testing
