#!/usr/bin/env bash
# console-freq.sh — the frequency view (F) at 80x24 in Chinese: the rows counted by status
# equal the export's counts, largest first, with their share; a pair (street x status) over a
# limit; "s" sorts by value; Enter shows exactly the rows a line counts, the empty value too.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
# Labels as the screen shows them: status options from the form, streets from the divisions.
awk '/^field status/ { s = 1; next } /^field / { s = 0 }
    s && $1 == "option" { print $2, $3 }' "$top_srcdir/forms/institution.form" >"$TMP/status.txt"
git_log -1 --format=%H >/dev/null
git --git-dir="$DATA/audit.git" show HEAD:divisions.csv | awk -F, '{ print $1, $3 }' >"$TMP/div.txt"
label_of() { awk -v v="$2" '$1 == v { print $2; f = 1 } END { if (!f) print "（空）" }' "$1"; }
# The lines of the frequency view: the value columns and the count (share and bar left out).
freq_lines() {	# N: how many value columns
	screen f
	sed -n "3,$((${ROWS:-24} - 2))p" "$TMP/screen" | awk -v n="$1" 'NF > n { line = $1
	    for (i = 2; i <= n + 1; i++) line = line " " $i; print line }'
}

start f TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for f "240/240" || echo "# the console did not open"

# F, the status column from the pick list, no second column.
keys f F status Enter Enter
check_screen "F counts the 240 rows by status" f "5 个值，共 240 行"
tail -n +2 "$TMP/all.csv" | cut -d, -f8 | sort | uniq -c | while read -r n v; do
	echo "$(label_of "$TMP/status.txt" "$v") $n"
done | sort >"$TMP/want"
freq_lines 1 >"$TMP/got"
check_eq "each status's count equals the export's" "$(cat "$TMP/want")" "$(sort "$TMP/got")"
check_eq "the largest count comes first" "$(sort -k2,2nr "$TMP/want" | head -1 | cut -d' ' -f2)" \
    "$(head -1 "$TMP/got" | cut -d' ' -f2)"
check_eq "counts go down the list" "$(cut -d' ' -f2 "$TMP/got" | sort -nr)" "$(cut -d' ' -f2 "$TMP/got")"
top=$(head -1 "$TMP/got" | cut -d' ' -f2)
check_screen "with its share of the rows" f "$(awk -v n="$top" 'BEGIN { printf "%.1f%%", 100 * n / 240 }')"

# Enter on the second line: the table of exactly those rows.
second=$(sed -n 2p "$TMP/got")
keys f Down Enter
check_screen "Enter on a line shows exactly its rows" f "${second#* }/240"
screen f
check_eq "every row shown has that status" "$(( ${second#* } < 20 ? ${second#* } : 20 ))" \
    "$(sed -n '3,22p' "$TMP/screen" | grep -c " ${second% *}\$")"
check_grep "the limit says which" "$TMP/screen" "l: status="
keys f q s
check_screen "s sorts by value" f "按值"
check_eq "by value: the status options in the form's order" "$(cut -d' ' -f2 "$TMP/status.txt")" \
    "$(freq_lines 1 | cut -d' ' -f1)"
keys f q

# A pair over a limit: 雁塔区's rows by street and status, counted from the records.
n=$(awk -F, '$4 == "610113"' "$TMP/all.csv" | wc -l)
keys f l 'district=雁塔区' Enter
check_screen "the limit applies" f "$n/240"
keys f F street Enter status Enter
awk -F, '$4 == "610113" { print $5, $8 }' "$TMP/all.csv" | sort | uniq -c | while read -r c s v; do
	[ -n "$v" ] || { v=$s; s=""; }
	echo "$(label_of "$TMP/div.txt" "$s") $(label_of "$TMP/status.txt" "$v") $c"
done | sort >"$TMP/want"
check_screen "the pair counts the limited rows only" f "$(wc -l <"$TMP/want") 个值，共 $n 行"
freq_lines 2 >"$TMP/got"
check_eq "each street x status count equals the export's" "$(cat "$TMP/want")" "$(sort "$TMP/got")"
first=$(head -1 "$TMP/got")
keys f Enter
check_screen "Enter on a pair shows its rows: limit and both values" f "${first##* }/240"
screen f
set -- $first
check_eq "each row shown is in that street with that status" "${first##* }" \
    "$(sed -n '3,22p' "$TMP/screen" | grep " 雁塔区 *$1 .* $2\$" | wc -l)"
keys f q
# The empty street counts as (空), and drills down to the rows with no street.
empty=$(grep -n '^（空）' "$TMP/got" | head -1 | cut -d: -f1)
if [ -n "$empty" ]; then
	keys f g
	for _ in $(seq 2 "$empty"); do keys f Down; done
	keys f Enter
	check_screen "the empty value drills down to the rows without one" f \
	    "$(sed -n "${empty}p" "$TMP/got" | cut -d' ' -f3)/240"
	keys f q
else
	not_ok "the demo data has a row without a street in 雁塔区"
fi
keys f q Q
check_exit f "the console leaves cleanly after the frequency view"

done_testing
