#!/usr/bin/env bash
# console-limit-scan.sh — a limit that reads every search key (l name~qmx) filters between
# keys (issue 13, a keystroke of a limit ≤ 20 ms at 1,000,000): in a real terminal (tmux,
# 80x24, Chinese) on 3,000 institutions, with the hidden test option --limit-slice making each
# slice 30 ids and a pause, the progress shows on the status line, the final count equals
# `huitou export --where` for the same words, T during the scan tags exactly the limit's rows
# (the scan finished first, never a part), Esc stops it and every row shows again, a form opened
# during the scan leaves it going, a second limit typed during the scan replaces the first, and
# a limit of index terms (district=… and status=…) filters the same way with export's answer.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
"$HUITOU" -d "$DATA" init --city 6101 >/dev/null || { echo "Bail out! init"; exit 1; }
{
	echo "name,district,category,status"
	for i in $(seq 1 3000); do
		case $((i % 6)) in
		0) echo "启明星学校$i,610102,subject,licensed" ;;
		1) echo "博雅学校$i,610103,subject,licensed" ;;
		2) echo "青木棉学校$i,610113,non_subject,rectifying" ;;
		*) echo "新城区墨香书院$i,610102,non_subject,licensed" ;;
		esac
	done
} >"$TMP/in.csv"
"$HUITOU" -d "$DATA" import institution "$TMP/in.csv" >/dev/null || { echo "Bail out! import"; exit 1; }
count() { "$HUITOU" -d "$DATA" export institution --where "$1" | tail -n +2 | wc -l; }
qmx=$(count 'name~qmx')
boya=$(count 'name~博雅')
check_eq "(export finds 启明星's 500 by their initials, not 区墨香)" 500 "$qmx"

start b TERM=xterm-256color LANG=zh_CN.UTF-8 --limit-slice 30
wait_for b "3000/3000" || echo "# the console did not open"

tm send-keys -t b l 'name~qmx' Enter	# not keys(): it waits until huitou is idle
check_screen "the limit shows its progress on the status line while it filters" b "筛选中"
grep -qE '筛选中 [0-9]+% · 已找到 [0-9]+' "$TMP/screen" &&
	ok "as a percentage and the rows found so far" ||
	not_ok "as a percentage and the rows found so far" "$(tail -2 "$TMP/screen")"
grep -q "启明星学校" "$TMP/screen" && ok "the rows found are shown before the end" ||
	not_ok "the rows found are shown before the end" "$(cat "$TMP/screen")"
check_screen "the final count is export --where's" b "校外培训机构 $qmx/3000"
check_eq "and the progress is gone" 0 "$(grep -c '筛选中' "$TMP/screen")"
check_eq "no row shown is another's" 0 "$(sed -n '3,22p' "$TMP/screen" | grep -c '墨香\|博雅\|青木')"

keys b l Enter
check_screen "l and an empty line shows every row" b "3000/3000"
tm send-keys -t b l 'name~qmx' Enter
wait_for b "筛选中" || echo "# no progress seen before T"
tm send-keys -t b T 'status=licensed' Enter
check_screen "T during the scan tags exactly the limit's rows, not the part found" b "已标记 $qmx 行"
check_screen "the scan was finished first" b "校外培训机构 $qmx/3000"
keys b '\;' t
check_screen "(tags cleared)" b "校外培训机构 $qmx/3000"

keys b l Enter
tm send-keys -t b l 'name~qmx' Enter
wait_for b "筛选中" || echo "# no progress seen before Esc"
tm send-keys -t b Escape
check_screen "Esc stops the limit" b "筛选已停止"
check_screen "and every row shows again" b "3000/3000"
check_eq "with no limit left on the status line" 0 "$(grep -c 'l: name' "$TMP/screen")"
sleep 0.5
screen b
check_eq "and nothing filters after it" 0 "$(grep -c '筛选中' "$TMP/screen")"

tm send-keys -t b l 'name~qmx' Enter
wait_for b "筛选中" || echo "# no progress seen before Enter"
tm send-keys -t b Enter
check_screen "keys work while it filters: Enter opens the row's form" b "启明星学校6"
check_screen "(its form)" b "统一社会信用代码"
tm send-keys -t b Escape
check_screen "the scan went on meanwhile: back in the table, the final count" b "校外培训机构 $qmx/3000"

keys b l Enter
tm send-keys -t b l 'name~qmx' Enter
wait_for b "筛选中" || echo "# no progress seen before the second limit"
tm send-keys -t b l 'name~博雅' Enter
check_screen "a second limit replaces the first: its own count" b "校外培训机构 $boya/3000"
check_screen "and its own words" b "l: name~博雅"
check_eq "(博雅 has 500)" 500 "$boya"

# A limit of "field=value" terms reads its indexes a slice of ids at a time too.
shown_count() {	# the final count, once the scan has ended
	for _ in $(seq 1 "$WAIT_TRIES"); do
		screen b
		grep -q '机构 [0-9]*/3000' "$TMP/screen" && break
		sleep 0.1
	done
	sed -n 's/.*机构 \([0-9]*\)\/3000.*/\1/p' "$TMP/screen"
}
keys b l Enter
tm send-keys -t b l 'district=610102 and status=licensed' Enter
check_screen "an index-only limit filters between keys too" b "筛选中"
both=$(count 'district=610102 and status=licensed')
check_eq "(export finds 启明星's and 墨香's 2000 there)" 2000 "$both"
check_screen "its final count is export --where's" b "校外培训机构 $both/3000"
check_eq "no row shown is of another district or status" 0 \
    "$(sed -n '3,22p' "$TMP/screen" | grep -c '博雅\|青木\|碑林\|雁塔\|整改')"
tm send-keys -t b l 'district=610102 and name~qmx' Enter
check_screen "an index term and words: the final count is export --where's" b \
    "校外培训机构 $(count 'district=610102 and name~qmx')/3000"
check_eq "an index term and words that match nothing: 0" 0 \
    "$(keys b l 'district=610113 and name~qmx' Enter; shown_count)"
# A range term (a date) is counted first, as before, and still holds with words.
range='district=610113 and rectify_deadline>2000-01-01 and name~青木'
check_eq "a range term with words: export --where's count (no deadline set: 0)" "$(count "$range")" \
    "$(keys b l "$range" Enter; shown_count)"
check_eq "one term alone, with the last id in it" "$(count 'district=610113')" \
    "$(keys b l 'district=610113' Enter; shown_count)"
keys b q
check_exit b "the console ends cleanly"
done_testing
