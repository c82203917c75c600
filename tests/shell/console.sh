#!/usr/bin/env bash
# console.sh — the console in a real terminal: tmux runs huitou at a fixed size and TERM, keys
# go in with send-keys, and what a coordinator would see comes back with capture-pane.
. "$(dirname "$0")/lib.sh"

"$HUITOU" -d "$TMP/demo" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
"$HUITOU" -d "$TMP/demo" export institution >"$TMP/all.csv"
. "$(dirname "$0")/term.sh"

first_id=$(sed -n 2p "$TMP/all.csv" | cut -d, -f1)
second_id=$(sed -n 3p "$TMP/all.csv" | cut -d, -f1)

start t TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console opens on the institutions (Chinese under zh_CN)" t "校外培训机构"
check_screen "the status line counts 240 of 240" t "240/240"
check_screen "the first row is the first id" t "$first_id"
screen t
check_eq "row 3 of the screen is the first institution" "$first_id" "$(sed -n 3p "$TMP/screen" | awk '{print $1}')"

# Chinese columns line up: in every row the district column starts at the same display column.
python3 - "$TMP/screen" >"$TMP/cols" <<'PY'
import sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
names = "新城区 碑林区 莲湖区 灞桥区 未央区 雁塔区 阎良区 临潼区 长安区 高陵区 鄠邑区 蓝田县 周至县".split()
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[2:22]
cols = set()
for line in lines:
    hits = [line.rindex(n) for n in names if n in line]  # names may hold a district too
    if hits:
        cols.add(w(line[:max(hits)]))
    if w(line) > 80:
        print("wide")
print(" ".join(str(c) for c in sorted(cols)))
PY
check_eq "the district column starts at display column 38 in every row (the name shrinks to fit)" "38" "$(cat "$TMP/cols")"

keys t j Enter
check_screen "j then Enter opens the second institution" t "$second_id"
check_screen "the record shows its labels" t "统一社会信用代码"
keys t Escape
check_screen "Esc leaves an unchanged form for the table" t "240/240"

keys t ?
check_screen "? shows the help of the table" t "table.search"
check_screen "the help shows the key for limit" t "table.limit"
keys t q
check_screen "q goes back from the help to the table" t "240/240"

want=$(grep -m1 '启明' "$TMP/all.csv" | cut -d, -f1)
keys t / 启明 Enter
keys t Enter
check_screen "/ finds a name by Chinese" t "$want"
keys t Escape
keys t g / qimingx Enter Enter
check_screen "/ finds a name by pinyin (qimingx finds 启明星)" t "启明星"
keys t Escape
# Without the names where other words spell qmx too (新城区墨香: qu mo xiang), the first
# match from the top is the first 启明星 in id order.
want=$(grep -v '区墨' "$TMP/all.csv" | grep -m1 '启明星' | cut -d, -f1)
keys t l 'not name~区墨' Enter g / qmx Enter Enter
check_screen "/ finds a name by pinyin initials (qmx finds the first 启明星)" t "$want"
keys t Escape l Enter

# Incremental search: the cursor (reverse video without colours) moves as each letter comes.
# cursor_row NAME: the table row under the cursor, escapes removed.
cursor_row() {
	tm capture-pane -p -e -t "$1" | sed -n '3,22p' | grep -E $'\e\\[([0-9]+;)*7(;[0-9]+)*m' | head -1 |
	    sed 's/\x1b\[[0-9;]*m//g'
}
start i TERM=xterm LANG=C.UTF-8 NO_COLOR=1
check_screen "the incremental search's console opens" i "240/240"
keys i l 'not name~区墨' Enter	# where 新城区墨香 spells qmx too
check_screen "limited to the names without 区墨" i "l: not name"
first_row=$(cursor_row i)
keys i /
keys i q
keys i m
keys i x
row=$(cursor_row i)
case $row in
*启明星*) ok "typing q, m, x moves the cursor to a 启明星 row before Enter" ;;
*) not_ok "typing q, m, x moves the cursor to a 启明星 row before Enter" "cursor on: $row" ;;
esac
check_screen "the prompt is still open while typing" i "/qmx"
keys i Escape
check_eq "the cursor is seen before the search (the test can fail)" yes "$([ -n "$first_row" ] && echo yes)"
check_eq "Esc puts the cursor back where it was" "$first_row" "$(cursor_row i)"
keys i / q m x Enter
check_eq "Enter keeps the match" "$row" "$(cursor_row i)"
keys i n
next=$(cursor_row i)
case $next in
*启明星*) check_eq "n goes on to another 启明星 row" "different" "$([ "$next" != "$row" ] && echo different)" ;;
*) not_ok "n goes on to another 启明星 row" "cursor on: $next" ;;
esac
keys i / zzzz Enter
check_screen "a word found nowhere says so" i "not found: zzzz"
check_eq "and leaves the cursor where it was" "$next" "$(cursor_row i)"
rm -f "$TMP/timings"
tm kill-session -t i

# --timings: one line per event, durations only.
tm new-session -d -s tim -x 80 -y 24 \
    "env -i PATH=/usr/bin:/bin HOME=$TMP/home TERM=xterm LANG=C.UTF-8 $HUITOU --timings $TMP/timings -d $TMP/demo"
check_screen "with --timings the console opens" tim "240/240"
keys tim j / q Enter
keys tim q
gone tim || echo "# the --timings console did not quit"
check_grep "--timings notes the first full screen" "$TMP/timings" "first-screen "
check_grep "--timings notes a key to its repaint" "$TMP/timings" "key:cursor.down "
check_grep "--timings notes each letter of an incremental search" "$TMP/timings" "live-key "
check_eq "--timings writes only event names and microseconds" "" \
    "$(grep -Ev '^[a-z:.-]+ [0-9]+$' "$TMP/timings")"

n=$(tail -n +2 "$TMP/all.csv" | cut -d, -f8 | grep -c '^rectifying$')
keys t l 'status=rectifying' Enter
check_screen "l limits by an expression; the status line counts the rows" t "$n/240"
check_screen "the limit is shown" t "l: status=rectifying"
n=$(tail -n +2 "$TMP/all.csv" | awk -F, '$4 == "610113" && $8 == "rectifying"' | wc -l)
keys t l 'district=雁塔区 and status=整改中' Enter
check_screen "a limit may name a district and a status in Chinese" t "$n/240"
# Dates through their index (HUITOU_NOW makes today 2026-11-28): a range, a whole date.
n=$(tail -n +2 "$TMP/all.csv" | awk -F, '$9 != "" && $9 < "2026-11-28" && $8 == "rectifying"' | wc -l)
keys t l 'rectify_deadline<today and status=rectifying' Enter
check_screen "a limit by a date before today, with a status" t " $n/240"
check_eq "some are overdue and some not (the test can fail)" "yes" \
    "$([ "$n" -gt 0 ] && [ "$n" -lt "$(tail -n +2 "$TMP/all.csv" | cut -d, -f8 | grep -c '^rectifying$')" ] && echo yes)"
n=$(tail -n +2 "$TMP/all.csv" | awk -F, '$9 >= "2026-12-01"' | wc -l)
keys t l '整改期限>=2026年12月1日' Enter
check_screen "a limit by a date from a day on, the date typed in Chinese" t " $n/240"
day=$(tail -n +2 "$TMP/all.csv" | awk -F, '$9 != "" { print $9; exit }')
n=$(tail -n +2 "$TMP/all.csv" | awk -F, -v d="$day" '$9 == d' | wc -l)
keys t l "rectify_deadline=$day" Enter
check_screen "a limit by one whole date" t " $n/240"
keys t l 'colour=red' Enter
check_screen "a bad limit is refused, naming the word" t "colour"
keys t Escape
keys t l Enter
check_screen "an empty limit shows all rows again" t "240/240"

tm resize-window -t t -x 60 -y 20
check_screen "a window too small says so" t "80x24"
tm resize-window -t t -x 100 -y 30
check_screen "enlarged again, the table is back" t "240/240"
keys t q
if gone t; then ok "q on the table quits"; else not_ok "q on the table quits"; fi

# Scrolling one row must not repaint the screen: count what huitou writes to the terminal.
start s TERM=xterm-256color LANG=C.UTF-8
check_screen "the scroll test's console opens" s "240/240"
keys s G g
for _ in $(seq 1 20); do keys s j; done	# the cursor at the foot of the page: j scrolls now
# size_settles FILE: until FILE has not grown for half a second (WAIT_TRIES tenths at most).
size_settles() {
	local prev=-1 now same=0
	for _ in $(seq 1 $((WAIT_TRIES * 2))); do
		now=$(wc -c <"$1" 2>/dev/null || echo -1)
		if [ "$now" = "$prev" ]; then same=$((same + 1)); else same=0; fi
		[ "$same" -ge 10 ] && return 0
		prev=$now
		sleep 0.05
	done
}
tm pipe-pane -t s -o "cat >>$TMP/bytes"
for _ in $(seq 1 "$WAIT_TRIES"); do [ -e "$TMP/bytes" ] && break; sleep 0.1; done
size_settles "$TMP/bytes"
: >"$TMP/bytes"
for _ in $(seq 1 25); do keys s j; done
size_settles "$TMP/bytes"
per_row=$(( $(wc -c <"$TMP/bytes") / 25 ))
tm pipe-pane -t s
full=$((80 * 24))
if [ "$per_row" -gt 0 ] && [ "$per_row" -lt $((full / 4)) ]; then
	ok "scrolling one row writes $per_row bytes, not a repaint (a screen is $full cells)"
else
	not_ok "scrolling one row writes less than a quarter of a screen" "$per_row bytes a row"
fi
keys s q

for term in xterm screen tmux-256color vt100; do
	start "term-$term" TERM=$term LANG=C.UTF-8 NO_COLOR=1
	check_screen "TERM=$term: the table opens (English under C.UTF-8)" "term-$term" "Training institution"
	keys "term-$term" q
done

for km in vi emacs default; do
	tm new-session -d -s "km-$km" -x 80 -y 24 \
	    "env -i PATH=/usr/bin:/bin HOME=$TMP/home TERM=xterm LANG=C.UTF-8 $HUITOU --keymap $km -d $TMP/demo"
	check_screen "keymap $km: the console opens" "km-$km" "240/240"
	screen "km-$km"
	check_eq "keymap $km: no error on the message line" "" "$(sed -n 24p "$TMP/screen" | tr -d ' ')"
	tm kill-session -t "km-$km"
done

mkdir -p "$TMP/xdg/huitou"
printf 'bind table x table.tag\nbind table Nope cursor.down\n' >"$TMP/xdg/huitou/keys"
tm new-session -d -s user -x 80 -y 24 \
    "env -i PATH=/usr/bin:/bin HOME=$TMP/home XDG_CONFIG_HOME=$TMP/xdg TERM=xterm LANG=C.UTF-8 $HUITOU -d $TMP/demo"
check_screen "a bad line of the user's keymap is reported FILE:LINE" user "$TMP/xdg/huitou/keys:2:"
keys user x
check_screen "the user's binding works (x tags)" user "tagged 1"
tm kill-session -t user

# ---- sorting: Chinese in pinyin order (安 an, 博 bo, 小 xiao, 中 zhong), which is not the
# order of their code points (中 4E2D, 博 535A, 安 5B89, 小 5C0F) ----
DATA=$TMP/sort
"$HUITOU" -d "$DATA" init --city 6101 >/dev/null || { echo "Bail out! init"; exit 1; }
for name in 中华培训学校 博雅培训学校 安心培训学校 小牛顿培训学校; do
	"$HUITOU" -d "$DATA" new institution name=$name district=雁塔区 category=subject >/dev/null ||
	    { echo "Bail out! new $name"; exit 1; }
done
order() { screen "$1"; sed -n '3,6p' "$TMP/screen" | awk '{ print $2 }' | tr '\n' ' '; }
COLS=100 start sort TERM=xterm LANG=zh_CN.UTF-8
wait_for sort "4/4" >/dev/null
check_eq "unsorted, the rows are in id order" "中华培训学校 博雅培训学校 安心培训学校 小牛顿培训学校 " "$(order sort)"
keys sort Right s
check_eq "s sorts the name column in pinyin order" "安心培训学校 博雅培训学校 小牛顿培训学校 中华培训学校 " "$(order sort)"
keys sort s
check_eq "s again sorts it the other way" "中华培训学校 小牛顿培训学校 博雅培训学校 安心培训学校 " "$(order sort)"
keys sort Q
check_exit sort "the sorting session leaves cleanly"

run "$HUITOU" -d "$TMP/demo" </dev/null
check_status "without a terminal the console refuses (2)" 2

done_testing
