#!/usr/bin/env bash
# console-review.sh — a review queue of 20 in a real terminal at 80x24, in Chinese: 20
# institutions ordered to rectify are tagged and reviewed one at a time (R); accepts and a
# reject with its reason are moves git shows (one commit each, the reason in the commit), a
# skip changes nothing; the queue is left half-way with q and again by quitting huitou, and
# resumed at the same place (progress and counts shown) in a new session; the "once at the
# end" mode (b) commits nothing until c, then one commit for all; a decision made stale by
# someone else is refused and shown; the record's open order and last inspection are on
# screen; e edits and comes back; the help lists the keys in words; a bad saved file starts a
# fresh queue.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
# The demo's institutions and people without its casework: the related records are this test's.
"$HUITOU" -d "$DATA" init --city 6101 --demo --no-casework >/dev/null || { echo "Bail out! init"; exit 1; }
hb() { "$HUITOU" -d "$DATA" "$@"; }
mapfile -t ids < <(hb export institution | cut -d, -f1 | sed -n 2,21p)
for id in "${ids[@]}"; do
	hb move "$id" rectifying --reason 检查发现问题 >/dev/null || { echo "Bail out! move $id"; exit 1; }
done
# The fourth has an open order and two inspections: the review shows the order and the newer.
hb new inspection institution="${ids[3]}" date=2026-10-01 inspector=RY-00007 method=open_visit \
    state=done >/dev/null && old_jc=$(hb export inspection | tail -n 1 | cut -d, -f1)
hb new inspection institution="${ids[3]}" date=2026-11-01 inspector=RY-00007 method=open_visit \
    state=done >/dev/null && new_jc=$(hb export inspection | tail -n 1 | cut -d, -f1)
order=$(hb new rectification institution="${ids[3]}" check=safety finding=灭火器过期 \
    deadline=2026-11-20 responsible=RY-00007 | tail -n 1)
[ -n "$old_jc" ] && [ -n "$new_jc" ] && [ -n "$order" ] || { echo "Bail out! casework"; exit 1; }
state_dir=$TMP/home/.local/state/huitou
line() { tm capture-pane -p -t "$1" | sed -n "${2}p"; }
status() { line "$1" 23; }
esc() { hb show "$1" | sed -n 's/^escalation: //p'; }
# last_commit ID: the subject and body of the newest commit naming the record.
last_commit() { git_log -1 --format='%s%n%b' --grep="Record: $1"; }

start r TERM=xterm LANG=zh_CN.UTF-8
check_screen "the console opens" r "[1] "
keys r T
keys r escalation=rectifying Enter
check_screen "T tags the 20 institutions ordered to rectify" r "20"
keys r R
check_screen "R reviews the tagged rows" r "1/20"
check_grep "the first record is on screen" "$TMP/screen" "${ids[0]}"
check_grep "the choices of its state's review line are shown" "$TMP/screen" "通过：整改完成   退回：停办"
check_grep "the status line shows the progress and the counts" "$TMP/screen" "审核 1/20 | 通过 0  退回 0  跳过 0"

# 1, 2: accepted (the ladder's step back needs a reason); one commit each, as moves are.
before=$(commits)
keys r a
check_screen "accept asks the move's reason" r "理由"
keys r 已整改 Enter
check_screen "an accept moves on to the next record" r "2/20"
check_eq "the accepted record is moved in the store" none "$(esc "${ids[0]}")"
check_eq "one commit for the accept" $((before + 1)) "$(commits)"
check_grep "its commit says what happened, with the reason" <(last_commit "${ids[0]}") "整改完成"
check_grep "and the reason" <(last_commit "${ids[0]}") "已整改"
keys r a 已整改 Enter
check_screen "the second accepted" r "3/20"
# 3: rejected with a reason: suspended.
keys r r
check_screen "reject asks for a reason" r "退回理由："
keys r 拒不整改 Enter
check_screen "a reject moves on" r "4/20"
check_eq "the rejected record is suspended" suspended "$(esc "${ids[2]}")"
check_grep "its commit is the suspension" <(last_commit "${ids[2]}") "停办"
check_grep "with the reason in git" <(last_commit "${ids[2]}") "拒不整改"
check_grep "and the action trailer" <(last_commit "${ids[2]}") "Action: institution.suspend"
check_eq "three commits for three decisions" $((before + 3)) "$(commits)"

# 4: its open order and its last inspection (not the older one) are on screen; accepting it is
# refused by the move's guard and shown; skipped.
check_grep "the fourth record's open order is shown" "$TMP/screen" "$order"
check_grep "its last inspection is shown" "$TMP/screen" "$new_jc"
check_no_grep "an older closed inspection is not" "$TMP/screen" "$old_jc"
keys r a 试试 Enter
check_screen "an accept the guard refuses is shown" r "被拒绝："
check_eq "nothing moved" rectifying "$(esc "${ids[3]}")"
keys r s
check_screen "s skips" r "5/20"
check_eq "a skip changes nothing" rectifying "$(esc "${ids[3]}")"
check_eq "no commit for the refusal and the skip" $((before + 3)) "$(commits)"
# e edits the record and Esc comes back to the same place.
keys r e
check_screen "e opens the record's form" r "[1] 校外培训机构 ${ids[4]}"
keys r Escape
check_screen "leaving the form returns to the review at the same record" r "5/20"

# q leaves half-way; the place is saved in the user's state dir.
keys r q
check_screen "q leaves, saying where the review is kept" r "审核已保存于 5/20"
check_eq "the queue is saved under ~/.local/state/huitou" 1 "$(ls "$state_dir" | grep -c '^review-')"
saved=$(ls -d "$state_dir"/review-*)
check_grep "the saved queue names its place" "$saved" "at 4"
keys r R
check_screen "R on the same rows offers to resume" r "继续审核 20 条记录"
keys r y
check_screen "y resumes at the same place" r "5/20"
check_screen "with the counts so far" r "通过 2  退回 1  跳过 1"
keys r a 已整改 Enter
check_screen "the fifth accepted" r "6/20"
# Quitting huitou keeps the place too.
keys r Q
check_exit r "huitou quits from the review"

# A new session: :review with nothing to review offers the saved queue.
start r2 TERM=xterm LANG=zh_CN.UTF-8
check_screen "huitou starts again" r2 "[1] "
keys r2 ":review" Enter
check_screen ":review offers the saved review" r2 "继续审核 20 条记录"
check_grep "at the place it was left" "$TMP/screen" "6/20"
keys r2 y
check_screen "resumed at 6/20" r2 "审核 6/20 | 通过 3  退回 1  跳过 1"
check_grep "showing the sixth record" "$TMP/screen" "${ids[5]}"

# Once at the end: b keeps the decisions; nothing is committed until c.
before=$(commits)
keys r2 b
check_screen "b switches to committing at the end" r2 "最后一并提交"
keys r2 a 已整改 Enter
keys r2 r 拒不整改 Enter
keys r2 a 已整改 Enter
check_screen "the kept decisions are counted" r2 "待提交 3"
check_eq "nothing is committed yet" "$before" "$(commits)"
check_eq "and nothing moved" "rectifying rectifying" "$(esc "${ids[5]}") $(esc "${ids[6]}")"
keys r2 Q
check_exit r2 "huitou quits with decisions kept"
# Someone else moves the eighth meanwhile: its kept accept is stale.
hb move "${ids[7]}" suspended --reason 另案处理 >/dev/null
before=$(commits)
start r3 TERM=xterm LANG=zh_CN.UTF-8
check_screen "huitou starts a third time" r3 "[1] "
keys r3 ":review" Enter
keys r3 y
check_screen "the kept decisions are still there" r3 "待提交 3"
check_grep "at the same place" "$TMP/screen" "9/20"
keys r3 c
check_screen "c commits the kept decisions and says what was refused" r3 "已提交 2/3 个决定（一次提交）"
check_eq "one commit for the two that were still valid" $((before + 1)) "$(commits)"
git_log -1 --format='%s%n%b' >"$TMP/batch"
check_grep "its subject counts the moves" "$TMP/batch" "批量流转 2 条记录"
check_grep "its body has each move in words with its reason" "$TMP/batch" "校外培训机构 ${ids[6]} 停办：拒不整改"
check_grep "a Move trailer for the accept" "$TMP/batch" "Move: ${ids[5]} rectifying none institution.rectified"
check_grep "a Move trailer for the reject" "$TMP/batch" "Move: ${ids[6]} rectifying suspended institution.suspend"
check_no_grep "none for the stale one" "$TMP/batch" "Move: ${ids[7]}"
check_grep "both records are in the commit's tree" <(git --git-dir="$DATA/audit.git" show --stat --format= HEAD) "${ids[6]}"
check_eq "the kept accept and reject are made" "none suspended" "$(esc "${ids[5]}") $(esc "${ids[6]}")"
check_eq "the stale one is refused: the record stays as the other person left it" suspended \
    "$(esc "${ids[7]}")"
keys r3 Left
check_screen "the stale decision is marked on its record" r3 "被拒绝："
check_grep "saying it was moved meanwhile" "$TMP/screen" "${ids[7]}"

# The help lists the review's keys in words.
keys r3 '?'
check_screen "? lists the review's keys" r3 "通过此记录"
check_grep "reject in words" "$TMP/screen" "退回此记录，须说明理由"
keys r3 q
# Finish: back to the each-key mode, skip the rest; the finished queue is forgotten.
keys r3 b
for _ in $(seq 8 20); do keys r3 s; done
check_screen "the last record says so" r3 "这是最后一条"
keys r3 q
check_screen "leaving a finished review says so" r3 "审核完成：通过 4，退回 2，跳过"
check_eq "a finished review is not kept" 0 "$(ls "$state_dir" | grep -c '^review-')"
check_eq "no line is wider than the window" "" "$(tm capture-pane -p -t r3 | python3 -c '
import sys, unicodedata
for l in sys.stdin:
    if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) > 80: print(l)')"
keys r3 Q
check_exit r3 "huitou quits"

# A saved queue that makes no sense: said, and a fresh queue starts.
printf 'review 1\nitem a b\n' >"$saved"
start r4 TERM=xterm LANG=zh_CN.UTF-8
check_screen "huitou starts a fourth time" r4 "[1] "
keys r4 T
keys r4 escalation=rectifying Enter
keys r4 R
check_screen "a bad saved review is said" r4 "无法读取保存的审核"
check_screen "and a new review starts on the rows still rectifying" r4 "1/13"
# Someone else suspends the record shown: a reject of what was seen is refused and shown.
hb move "${ids[3]}" suspended --reason 另案处理 >/dev/null
before=$(commits)
keys r4 r 拒不整改 Enter
check_screen "a decision on a record moved meanwhile is refused" r4 "被拒绝："
check_eq "the record stays as the other person left it" suspended "$(esc "${ids[3]}")"
check_eq "and nothing is committed" "$before" "$(commits)"
# From the task board: R reviews the current column's cards (the one open order); its state
# has no review line, which the screen says.
keys r4 q 4
check_screen "the task board" r4 "[4] 任务看板"
keys r4 R
check_screen "R on the board reviews the column's cards" r4 "1/1  整改 $order"
check_grep "named after the column" "$TMP/screen" "任务看板：待办"
check_grep "a state without a review line says so" "$TMP/screen" "此状态没有审核规则：可跳过或编辑"
keys r4 a
check_screen "and accept explains" r4 "s 跳过，e 编辑"
keys r4 Q
check_exit r4 "huitou quits"
done_testing
