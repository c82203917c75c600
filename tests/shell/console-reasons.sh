#!/usr/bin/env bash
# console-reasons.sh — changes carry a reason (issue 13, item 11) and a batch says what it
# will do before it runs: in a real terminal (tmux, 80x24, Chinese), the form asks why when a
# field its form marks "reason" (institution status, list) changes and refuses to save without
# one, keeping what was typed; "=" and ";=" ask too; the reason is the commit's Reason trailer
# (git is the oracle), shown by the history screen and "huitou log". Before ";=" runs, a panel
# counts the records that change (not those already so) with a sample before → after; n
# changes nothing, y makes one commit.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
id_at() { sed -n "$(($1 + 1))p" "$TMP/all.csv" | cut -d, -f1; }
first=$(id_at 1)
[ "$(field "$first" status)" = licensed ] && [ "$(field "$first" list)" = none ] ||
	{ echo "Bail out! the demo's first institution is not as this test expects"; exit 1; }
label_of() { case $1 in none) echo 未列入 ;; white) echo 白名单 ;; black) echo 黑名单 ;; esac; }
trailer() { git_log -1 --format="%(trailers:key=$1,valueonly)" | sed '/^$/d'; }

start r TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for r "240/240" || echo "# the console did not open"

# The form: status changed, saved; a reason is asked, and Esc refuses the save.
before=$(commits)
keys r Enter
check_screen "the form opens on the first record" r "校外培训机构 $first"
keys r Tab Tab Tab Tab Tab Tab Right
check_screen "Right steps the status to the next choice" r "无证无照"
keys r C-s
check_screen "saving a change of status asks why" r "修改办学状态的理由："
keys r Escape
check_screen "without a reason the save is refused, saying why" r "未保存：修改办学状态须说明理由"
check_eq "nothing was committed" "$before" "$(commits)"
check_eq "the store keeps the old status" licensed "$(field "$first" status)"
check_screen "the form keeps what was chosen, not saved" r "未保存"
screen r
check_eq "the status field still shows the new choice" 1 "$(grep -c '办学状态\* 无证无照' "$TMP/screen")"
# A blank reason is no reason.
keys r C-s Enter
check_screen "a blank reason is refused the same way" r "未保存：修改办学状态须说明理由"
check_eq "still nothing committed" "$before" "$(commits)"
# Given, it is saved with the reason as the commit's Reason trailer.
keys r C-s '现场核实无证照' Enter
check_screen "with a reason the form saves" r "已保存 $first"
check_eq "one commit" "$((before + 1))" "$(commits)"
check_eq "the store has the new status" unlicensed "$(field "$first" status)"
check_eq "the commit's Reason trailer is what was typed" "现场核实无证照" "$(trailer Reason)"
check_eq "its subject says the change in labels" "校外培训机构 $first 办学状态 持证→无证无照" \
    "$(git_log -1 --format=%s)"
# A field that needs no reason saves without the question.
keys r Tab Tab Tab Tab Tab Tab Tab Tab '补充说明' C-s
check_screen "a change of another field saves at once" r "已保存 $first"
check_eq "its commit has no Reason" "" "$(trailer Reason)"

# The history screen shows each change's reason under it.
keys r F3
check_screen "the history shows the reason of the status change" r "理由：现场核实无证照"
screen r
check_eq "under its commit's line, above the change" "理由：现场核实无证照" \
    "$(grep -A1 "$first 办学状态 持证→" "$TMP/screen" | sed -n 2p | sed 's/^ *//;s/ *$//')"
keys r Escape Escape

# huitou log shows it, in both languages; --full keeps the trailer once.
run "$HUITOU" -d "$DATA" log "$first"
check_grep "huitou log shows the reason" "$TMP/out" "    Reason: 现场核实无证照"
LANG=zh_CN.UTF-8 run "$HUITOU" -d "$DATA" log "$first" --max 2
check_grep "huitou log shows it in Chinese" "$TMP/out" "    理由：现场核实无证照"
run "$HUITOU" -d "$DATA" log --full --max 2
check_eq "log --full shows the Reason trailer once" 1 "$(grep -c '现场核实无证照' "$TMP/out")"

# "=" on one row: asked to confirm, then why; Esc at the reason changes nothing.
before=$(commits)
keys r g = '办学状态=取缔' Enter y
check_screen "= with a status asks why after the confirmation" r "修改办学状态的理由："
keys r Escape
check_screen "no reason, nothing changed" r "未保存：修改办学状态须说明理由"
check_eq "no commit" "$before" "$(commits)"
keys r = '办学状态=取缔' Enter y '多次拒不整改' Enter
check_screen "with a reason it is set" r "1 条记录中 1 条已修改"
check_eq "= made one commit" "$((before + 1))" "$(commits)"
check_eq "the row is banned" banned "$(field "$first" status)"
check_eq "its Reason trailer" "多次拒不整改" "$(trailer Reason)"
keys r = '办学状态=取缔' Enter y
check_screen "a value the row already holds asks no reason and changes nothing" r "1 条记录中 0 条已修改"
check_eq "and commits nothing" "$((before + 1))" "$(commits)"

# ";=": the batch's confirmation, then the reason. Rows 2–4 are tagged; row 2 is already on
# the black list, so 2 records change.
second=$(id_at 2) third=$(id_at 3) fourth=$(id_at 4)
"$HUITOU" -d "$DATA" set "$second" list=black --reason "准备" >/dev/null
l3=$(field "$third" list) l4=$(field "$fourth" list)
before=$(commits)
keys r g j t t t '\;' = '黑白名单=黑名单' Enter
check_screen "the panel says how many records change, those already so apart" r \
    "将修改 2 条记录（另 1 条已是此值，不变）；例如："
screen r
check_grep "the panel names the batch" "$TMP/screen" "批量修改：黑白名单=黑名单"
check_grep "a sample row: the id and the change in labels" "$TMP/screen" \
    "$third  黑白名单 $(label_of "$l3")→黑名单"
check_no_grep "a record already so is not in the sample" "$TMP/screen" "$second  黑白名单"
check_grep "the question on the message line" "$TMP/screen" "修改这 2 条记录（一次提交）？ (y/n)"
keys r n
check_screen "n changes nothing" r "未做任何修改"
check_eq "n: no commit" "$before" "$(commits)"
check_eq "n: the third row keeps its list" "$l3" "$(field "$third" list)"
keys r '\;' = '黑白名单=黑名单' Enter y
check_screen "y: the list needs a reason too" r "修改黑白名单的理由："
keys r '举报核实' Enter
check_screen "the batch runs" r "3 条记录中 2 条已修改，合为一次提交"
check_eq "y: one commit" "$((before + 1))" "$(commits)"
check_eq "its Count trailer says 2" 2 "$(trailer Count)"
check_eq "its Reason trailer" "举报核实" "$(trailer Reason)"
check_eq "both rows are black-listed" "black black" "$(field "$third" list) $(field "$fourth" list)"
check_eq "the commit changes two record files" 2 \
    "$(git --git-dir="$DATA/audit.git" show --stat --format= HEAD | grep -c 'JG-')"
# Nothing to change: no question, no commit.
keys r '\;' = '黑白名单=黑名单' Enter
check_screen "a batch that changes nothing says so" r "无需修改：这 3 条记录已是此值"
check_eq "and commits nothing" "$((before + 1))" "$(commits)"
# A field with no reason flag: the confirmation, and no reason asked.
keys r '\;' = '备注=批量复查' Enter
check_screen "the panel for notes" r "将修改 3 条记录；例如："
keys r y
check_screen "notes need no reason: it runs at once" r "3 条记录中 3 条已修改，合为一次提交"
check_eq "that commit has no Reason" "" "$(trailer Reason)"

keys r Q
check_exit r "the console leaves cleanly (no leak under ASan)"

done_testing
