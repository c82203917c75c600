#!/usr/bin/env bash
# console-scenario.sh — the issue's scenario through the console at 80x24, with git as the
# oracle: an unannounced inspection with two failed checks is closed from its form (F4) and
# makes two orders; a verification inspection closed the same way verifies one; the other is
# overdue on the task board, filtered to its person; the institution is escalated from its form
# to banned (each step with a reason), which puts it on the black list. Every step is one
# commit by this login, with its reason and trailers, in "huitou log --full" and plain git log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data

me=$(id -un)
author=$(getent passwd "$me" | cut -d: -f5 | cut -d, -f1)
[ -n "$author" ] || author=$me
inst=$(grep ',610113,' "$TMP/all.csv" | head -n 1 | cut -d, -f1)
"$HUITOU" -d "$DATA" set --reason 测试 "$inst" status=licensed list=white >/dev/null || echo "Bail out! set"
new() { "$HUITOU" -d "$DATA" new "$@" || echo "Bail out! new $*"; }
person=$(new user login=scenario1 name=赵督查 role=inspector district=雁塔区)
passes="disclosure=pass joint_enforcement=pass licence=pass filing_review=na rules=pass
    unlicensed=pass advertising=pass moonlighting=pass"
# shellcheck disable=SC2086
jc=$(new inspection institution="$inst" date=2026-11-10 method=unannounced inspector="$person" \
    safety=fail safety_note=消防通道堵塞 platform=fail $passes)
subject() { git_log -1 --format=%s; }
message() { tail -n 1 "$TMP/screen"; }
# open SESSION SCREEN ID: the record's form, from its table limited to it.
open() {
	keys "$1" "$2"
	keys "$1" : "limit id=$3" Enter
	keys "$1" Enter
	check_screen "$3 opens" "$1" "$3"
}

start s TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for s "240/240" || echo "# the console did not open"

# ---- close the unannounced inspection from its form: two orders, one commit ----
n=$(commits)
open s 5 "$jc"
keys s F4
check_screen "F4 lists the moves of the inspection" s "将 $jc 流转为"
keys s 已完成 Enter
check_screen "the close is reported" s "$jc 检查完成"
check_eq "one commit" "$((n + 1))" "$(commits)"
check_eq "its subject in words" "检查 $jc 检查完成" "$(subject)"
check_eq "by this login" "$author" "$(git_log -1 --format=%an)"
"$HUITOU" -d "$DATA" export rectification | grep ",$jc," >"$TMP/orders"
check_eq "two failed checks, two orders" "safety platform" "$(cut -d, -f6 "$TMP/orders" | paste -sd' ')"
o_safety=$(grep ',safety,' "$TMP/orders" | cut -d, -f1)
o_platform=$(grep ',platform,' "$TMP/orders" | cut -d, -f1)
check_grep "the message names the orders made" <(message) "$o_safety"
check_eq "the commit creates both" "$o_safety $o_platform" \
    "$(git_log -1 --format='%(trailers:key=Creates,valueonly)' | grep . | sort | paste -sd' ')"
check_eq "the safety order: critical, 3 days from the inspection, the inspector answers" \
    "critical 2026-11-13 $person open" \
    "$(field "$o_safety" severity) $(field "$o_safety" deadline) $(field "$o_safety" responsible) $(field "$o_safety" state)"
check_eq "the platform order: minor, 10 days" "minor 2026-11-20" \
    "$(field "$o_platform" severity) $(field "$o_platform" deadline)"
check_eq "the finding is the check's note" "消防通道堵塞" "$(field "$o_safety" finding)"
keys s Escape Escape

# ---- a verification inspection passes the safety check: that order is verified ----
# shellcheck disable=SC2086
vc=$(new inspection institution="$inst" date=2026-11-25 method=verification inspector="$person" \
    order="$o_safety" safety=pass platform=pass $passes)
n=$(commits)
open s 5 "$vc"
keys s F4 已完成 Enter
check_screen "the verification's close is reported" s "$vc 检查完成"
check_eq "one commit" "$((n + 1))" "$(commits)"
check_eq "the order is verified by it" "verified $vc 2026-11-25" \
    "$(field "$o_safety" state) $(field "$o_safety" verified_by) $(field "$o_safety" verified_on)"
check_grep "the commit's body says so in words" <(git_log -1 --format=%b) "整改 $o_safety 复查通过"
check_eq "and names the order it changed" "$o_safety" \
    "$(git_log -1 --format='%(trailers:key=Changes,valueonly)' | grep .)"
check_eq "the other order is still open" open "$(field "$o_platform" state)"
keys s Escape Escape

# ---- the task board, filtered to the person: the open order is overdue ----
keys s 4
check_screen "screen 4 is the task board" s "任务看板"
keys s p
check_screen "p lists the people" s "（全部人员）"
keys s 赵督查 Enter
check_screen "the board shows the person's cards" s "筛选: 人员 赵督查"
check_screen "the overdue order is marked in the to-do column" s "!$o_platform"
check_screen "the header counts one to do, overdue" s "待办 1 !1"
check_eq "huitou board says the same for scripts" "$o_platform,todo,yes,2026-11-20" \
    "$("$HUITOU" -d "$DATA" board --person scenario1 --format csv | grep "^$o_platform," | cut -d, -f1-4)"
check_eq "overdue is derived, never stored" "" "$("$HUITOU" -d "$DATA" show "$o_platform" | grep -i overdue)"

# ---- escalation from the institution's form, each step with a reason ----
keys s Escape
open s 1 "$inst"
for step in "责令整改:两项检查不合格" "停办:逾期未整改" "取缔:拒不整改"; do
	n=$(commits)
	keys s F4 "${step%%:*}" Enter
	check_screen "${step%%:*} asks for a reason" s "流转理由："
	keys s "${step#*:}" Enter
	check_screen "${step%%:*} is reported" s "$inst ${step%%:*}"
	check_eq "${step%%:*}: one commit" "$((n + 1))" "$(commits)"
	check_eq "${step%%:*}: its subject" "校外培训机构 $inst ${step%%:*}" "$(subject)"
	check_eq "${step%%:*}: its reason is the body" "${step#*:}" "$(git_log -1 --format=%b | head -n 1)"
done
check_eq "banned, on the black list, who decided and when" "banned banned black RY-00001 2026-11-28" \
    "$(field "$inst" escalation) $(field "$inst" status) $(field "$inst" list) $(field "$inst" escalated_by) $(field "$inst" escalated_on)"
check_eq "the ladder's actions, in git's order" \
    "institution.ban institution.suspend institution.order-rectify" \
    "$(git_log -3 --format='%(trailers:key=Action,valueonly)' | grep . | paste -sd' ')"
check_eq "each step names who decided" "RY-00001 RY-00001 RY-00001" \
    "$(git_log -3 --format='%(trailers:key=Decided-By,valueonly)' | grep . | paste -sd' ')"
keys s Escape Q
check_exit s "the console leaves cleanly"

# ---- the whole story in huitou log and plain git log ----
run "$HUITOU" -d "$DATA" log "$inst" --full
check_status "log --full of the institution" 0
for reason in 两项检查不合格 逾期未整改 拒不整改; do
	check_grep "huitou log shows the reason $reason" "$TMP/out" "    $reason"
done
check_grep "and the trailers" "$TMP/out" "    Action: institution.ban"
check_grep "and the author" "$TMP/out" "$author <"
check_eq "plain git log: the scenario's subjects, newest first" \
    "校外培训机构 $inst 取缔|校外培训机构 $inst 停办|校外培训机构 $inst 责令整改|检查 $vc 检查完成|新增检查 $vc|检查 $jc 检查完成" \
    "$(git_log -6 --format=%s | paste -sd'|')"
check_eq "every one by this login" "$author" "$(git_log -6 --format=%an | sort -u)"
run "$HUITOU" -d "$DATA" verify
check_status "the store equals git afterwards" 0

done_testing
