#!/usr/bin/env bash
# console-orders.sh — screens 5 and 6, the inspections and the rectification orders of the
# demo: their tables fit 80 columns, and a reference shows the record it names by its title
# (forms/README.md "title"), read afresh at each repaint, so a rename shows at the next key.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

demo_data
"$HUITOU" -d "$DATA" export rectification >"$TMP/orders.csv"
"$HUITOU" -d "$DATA" export inspection >"$TMP/inspections.csv"
n_orders=$(($(wc -l <"$TMP/orders.csv") - 1))
n_inspections=$(($(wc -l <"$TMP/inspections.csv") - 1))
# (the demo's complaints, filings and ledger make more inspections and orders, in commits of
# their own)
check_eq "the demo has inspections and orders in one commit of its casework" 1 \
    "$(git_log --format=%s | grep -cE "^演示数据：[1-9][0-9]* 次检查，[1-9][0-9]* 项整改$")"
check_eq "they are all there" yes "$([ "$n_inspections" -ge 79 ] && [ "$n_orders" -ge 84 ] && echo yes)"
first=$(sed -n 2p "$TMP/orders.csv" | cut -d, -f1)
inst=$(sed -n 2p "$TMP/orders.csv" | cut -d, -f2)
person=$(sed -n 2p "$TMP/orders.csv" | cut -d, -f11)
inst_name=$(field "$inst" name)
person_name=$(field "$person" name)
deadline=$(field "$first" deadline)

start o TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for o "240/240" || echo "# the console did not open"
keys o 6
check_screen "screen 6 is the orders' table with its count" o "整改 $n_orders/$n_orders"
check_screen "its header fits 80 columns" o "  编号              整改机构          检查项       整改期限   责任人   状态"
row=$(grep -F "$first" "$TMP/screen")
shown=$(echo "$row" | awk '{print $2}')
check_eq "the first order's row shows its institution's name, not its id" \
    "${inst_name:0:8}" "${shown:0:8}"
check_grep "and the responsible person's name and the whole deadline" <(echo "$row") "$deadline $person_name"
keys o 5
check_screen "screen 5 is the inspections' table" o "检查 $n_inspections/$n_inspections"
check_screen "its header fits 80 columns" o "  编号              被检查机构           检查日期   检查方式 状态    带队检查员"
keys o 6 Enter
check_screen "Enter opens the order; its institution by name" o "整改机构* $inst  $inst_name"

# A rename elsewhere shows at the next repaint, not a stale name from before.
run "$HUITOU" -d "$DATA" set "$inst" name=改名后的培训学校
check_status "the institution is renamed meanwhile" 0
keys o Escape
check_screen "the table shows the new name after a key" o "改名后的培训学校"
# "m" on a row: the record's form with its list of moves over it.
keys o g
n=$(commits)
keys o m
check_screen "m on a row lists the order's moves" o "将 $first 流转为"
check_screen "over the order's form" o "[6] 整改 $first"
keys o 整改中 Enter
check_eq "the move is made" in_progress "$(field "$first" state)"
check_eq "as one commit, its subject in words" "$((n + 1)) 整改 $first 开始整改" \
    "$(commits) $(git_log -1 --format=%s)"
# Moved by someone else while the form shows it: a move from what the form shows is refused.
"$HUITOU" -d "$DATA" set "$first" response=已整改 >/dev/null
"$HUITOU" -d "$DATA" move "$first" submitted >/dev/null
n=$(commits)
keys o F4
check_screen "F4 lists the moves from the state the form shows" o "将 $first 流转为"
keys o 待复查 Enter
check_screen "the move is refused: the order was moved meanwhile" o "已被他人流转"
check_eq "and nothing is committed" "$n" "$(commits)"
keys o Escape Q
check_exit o "the console leaves cleanly"

done_testing
