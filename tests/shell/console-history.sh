#!/usr/bin/env bash
# console-history.sh — a record's history and undo in a real terminal (tmux, term.sh):
# H opens the history of the row under the cursor with who changed what from "huitou set",
# u there undoes the change under the cursor after a y, and u in the table undoes a record's
# newest change; git's log shows each reverting commit and the table the old values.
. "$(dirname "$0")/lib.sh"

D=$TMP/demo
DATA=$D
. "$(dirname "$0")/term.sh"
"$HUITOU" -d "$D" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
"$HUITOU" -d "$D" export institution >"$TMP/all.csv"
g() { git -C "$D/audit.git" "$@"; }

# wait_head_moves WANT: until git's main is not WANT any more (WAIT_TRIES tenths of a second
# at most); prints the new one.
wait_head_moves() {
	for _ in $(seq 1 "$WAIT_TRIES"); do
		[ "$(g rev-parse main)" != "$1" ] && break
		sleep 0.1
	done
	g rev-parse main
}

row() { sed -n "$1p" "$TMP/all.csv"; }
first_id=$(row 2 | cut -d, -f1)
second_id=$(row 3 | cut -d, -f1)
third_id=$(row 4 | cut -d, -f1)
fourth_id=$(row 5 | cut -d, -f1)
old_phone=$("$HUITOU" -d "$D" show "$first_id" | sed -n "s/^phone: //p")
second_status=$(row 3 | cut -d, -f8)
[ "$(row 2 | cut -d, -f8)" = licensed ] && [ "$second_status" != banned ] ||
	{ echo "Bail out! the demo's first institutions are not as this test expects"; exit 1; }
line() { sed -n "$1p" "$TMP/screen"; }
check_line() {		# NAME LINE TEXT: that line of the last screen has TEXT
	if line "$2" | grep -qF -- "$3"; then ok "$1"; else not_ok "$1" "no '$3' on line $2:" "$(line "$2")"; fi
}

"$HUITOU" -d "$D" set --reason 测试 "$first_id" status=rectifying >/dev/null
status_commit=$(g rev-parse main)
"$HUITOU" -d "$D" set "$first_id" phone=13912345678 >/dev/null
phone_commit=$(g rev-parse main)
"$HUITOU" -d "$D" set --reason 测试 "$second_id" status=banned >/dev/null
second_commit=$(g rev-parse main)
"$HUITOU" -d "$D" set --reason 测试 "$fourth_id" status=banned >/dev/null
fourth_commit=$(g rev-parse main)
fifth_id=$(row 6 | cut -d, -f1)
for n in 1 2 3 4 5; do "$HUITOU" -d "$D" set "$fifth_id" notes="复查 $n" >/dev/null; done
author=$(g log -1 --format=%an main)

start h TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console opens on the table" h "240/240"
keys h H
check_screen "H opens the history of the row under the cursor" h "$first_id |"
check_screen "the history shows the newest change" h "$old_phone -> 13912345678"
screen h
check_eq "the history names who made each of the 3 commits, above the status line" 3 \
    "$(sed -n '2,22p' "$TMP/screen" | grep -cF "  $author  ")"
check_screen "the newest change first: the phone, from what to what" h "$old_phone -> 13912345678"
check_screen "then the status, its values as people read them" h "持证 -> 整改中"
check_screen "the status line names the commit under the cursor" h "${phone_commit:0:12}"
screen h
check_line "the newest commit is on top" 2 "$author"
check_line "its change follows, the label in the user's language" 3 "联系电话"
check_line "the cursor's place is counted: 1 of 3 commits" 23 "1/3"

keys h j
check_screen "j moves to the status change" h "${status_commit:0:12}"
head=$(g rev-parse main)
keys h u
check_screen "u asks first, y or n" h "(y/n)"
keys h n
check_screen "n leaves it" h "2/3"
check_eq "nothing was committed after n" "$head" "$(g rev-parse main)"
keys h u
check_screen "u asks again" h "(y/n)"
keys h y
new=$(wait_head_moves "$head")
check_eq "y makes one reverting commit" "$head" "$(g rev-parse main~1)"
check_eq "the reverting commit names the one it reverts" "$status_commit" \
    "$(g log -1 --format='%(trailers:key=Reverts,valueonly)' main | head -1)"
subject=$(g log -1 --format=%s main)
check_eq "its subject says 撤销" "撤销" "${subject:0:2}"
check_eq "its Action is record.revert" "record.revert" \
    "$(g log -1 --format='%(trailers:key=Action,valueonly)' "$new" | head -1)"
check_screen "the history shows the reverting commit on top" h "整改中 -> 持证"
check_screen "the history counts it" h "1/4"
keys h Escape
check_screen "Esc goes back to the table" h "240/240"
keys h Enter
check_screen "the record opens" h "办学状态"
screen h
if grep '办学状态' "$TMP/screen" | grep -qF "持证"; then ok "the record shows the old status again"; else
	not_ok "the record shows the old status again" "$(cat "$TMP/screen")"; fi
keys h Escape
check_screen "back to the table" h "240/240"

# u in the table: the newest change of the record under the cursor.
keys h j
head=$(g rev-parse main)
keys h u
check_screen "u in the table asks first" h "(y/n)"
keys h y
wait_head_moves "$head" >/dev/null
check_eq "u in the table reverts the record's newest change" "$second_commit" \
    "$(g log -1 --format='%(trailers:key=Reverts,valueonly)' main | head -1)"
check_eq "the store has the second row's old status" "$second_status" \
    "$("$HUITOU" -d "$D" show "$second_id" | sed -n 's/^status: //p')"
# The table has no room for the status at 80 columns: the record shows it.
label=$("$HUITOU" --lang zh -d "$D" show --labels "$second_id" | sed -n 's/^办学状态: //p')
keys h Enter
check_screen "the second record opens" h "$second_id"
for _ in $(seq 1 "$WAIT_TRIES"); do
	screen h
	grep '办学状态' "$TMP/screen" | grep -qF -- "$label" && break
	sleep 0.1
done
check_eq "the record shows the second row's old status, $label" "$label" \
    "$(grep '办学状态' "$TMP/screen" | grep -oF -- "$label")"
keys h Escape
check_screen "back to the table again" h "240/240"
keys h q

# In English: the question and the answer, and a refusal said at once.
start s TERM=xterm LANG=C.UTF-8 NO_COLOR=1
check_screen "an English console opens" s "240/240"
keys s j j j u
check_screen "the question counts the records" s "Undo (records: 1)"
keys s y
check_screen "the message line says it is undone" s "undone (records: 1)"
check_eq "the fourth record's change is reverted" "$fourth_commit" \
    "$(g log -1 --format='%(trailers:key=Reverts,valueonly)' main | head -1)"
keys s k
head=$(g rev-parse main)
keys s u
check_screen "undoing a creation is refused with a reason, without a question" s "a creation cannot be undone"
check_eq "nothing was committed" "$head" "$(g rev-parse main)"

# A history longer than the window: the cursor's commit is kept in sight.
keys s j j H
check_screen "a record changed six times shows its history" s "$fifth_id |"
check_screen "the newest change on top" s "复查 4 -> 复查 5"
check_screen "the creation lists fields from (empty)" s "(empty) -> "
screen s
check_no_grep "the creation's last field does not fit at first" "$TMP/screen" "Entered in the"
keys s G
check_screen "G goes to the creation, the last commit" s "6/6"
check_screen "its last field shows" s "Entered in the"
screen s
check_no_grep "the newest change scrolled away" "$TMP/screen" "复查 4 -> 复查 5"
keys s g
check_screen "g goes back to the newest" s "1/6"
keys s PgDn
check_screen "PgDn moves a page of lines: to the creation" s "6/6"
keys s k
check_screen "k moves up a commit" s "5/6"
keys s q q
gone s || echo "# the English console did not quit"
run "$HUITOU" -d "$D" verify
check_status "verify is clean after the console's undos" 0

for km in vi emacs; do
	tm new-session -d -s "km-$km" -x 80 -y 24 \
	    "env -i PATH=/usr/bin:/bin HOME=$TMP/home TERM=xterm LANG=C.UTF-8 $HUITOU --keymap $km -d $D"
	check_screen "keymap $km: the console opens" "km-$km" "240/240"
	keys "km-$km" H
	check_screen "keymap $km: H opens the history" "km-$km" "$first_id |"
	tm kill-session -t "km-$km"
done

done_testing
