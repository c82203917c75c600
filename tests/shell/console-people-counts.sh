#!/usr/bin/env bash
# console-people-counts.sh — the people screen shows what each person answers for (issue 13,
# item 9): per person the open rectification orders naming them and the overdue among them,
# equal to what "huitou export rectification" says (overdue: a deadline before today, pinned
# by HUITOU_NOW, in a state that is not final); Enter on a count lists exactly those orders;
# a change from another shell shows at the next key. The counts come from the rectification
# form's tally, or from the indexes when a data directory's form has none (the same counts).
# In a real terminal, 80x24, Chinese.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
"$HUITOU" -d "$DATA" export rectification >"$TMP/orders.csv"
# orders PERSON [overdue]: the ids of that person's open (or open and overdue) orders, sorted.
orders() {
	awk -F, -v p="$1" -v late="${2:-}" 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next }
	    $h["responsible"] == p && $h["state"] != "verified" &&
	    (late == "" || ($h["deadline"] != "" && $h["deadline"] < "2026-11-28")) { print $1 }' \
	    "$TMP/orders.csv" | sort
}
count() { orders "$@" | grep -c .; }
a=RY-00002 b=RY-00010
[ "$(count $a)" -gt 2 ] && [ "$(count $a overdue)" -gt 0 ] && [ "$(count $b)" -gt 0 ] ||
	{ echo "Bail out! the demo's orders are not as this test expects"; exit 1; }
# row_counts ID: the last two numbers on the person's row of the screen.
row_counts() { grep "^. $1 " "$TMP/screen" | awk '{ print $(NF - 1), $NF }'; }
# shown_ids: the order ids the screen lists, sorted.
shown_ids() { grep -o 'ZG-[0-9]*-[0-9]*' "$TMP/screen" | sort; }

start p TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for p "240/240" || echo "# the console did not open"
keys p 3
check_screen "screen 3 shows the counts' columns" p "未结整改  逾期"
screen p
check_eq "$a: open and overdue orders as the export says" "$(count $a) $(count $a overdue)" "$(row_counts $a)"
check_eq "$b: the same" "$(count $b) $(count $b overdue)" "$(row_counts $b)"
check_eq "the city coordinator answers for none" "0 0" "$(row_counts RY-00001)"
check_screen "the people's own columns stay: login, name, role, district" p "edu610113"

# Enter on the open count of $a's row: the orders, exactly.
keys p j Right Right Right Right Right Right Right Right Right Right Left
keys p Enter
check_screen "Enter on the open count lists the orders" p "整改 $(count $a)/"
screen p
check_eq "exactly $a's open orders" "$(orders $a)" "$(shown_ids)"
keys p q Right Enter
check_screen "Enter on the overdue count lists the overdue ones" p "整改 $(count $a overdue)/"
screen p
check_eq "exactly $a's overdue orders" "$(orders $a overdue)" "$(shown_ids)"
keys p q

# A deadline moved on from another shell: the counts follow at the next key.
late=$(orders $a overdue | head -1)
"$HUITOU" -d "$DATA" set "$late" deadline=2026-12-31 >/dev/null || echo "# set failed"
keys p j k
screen p
check_eq "after another shell's change the overdue count drops by one" \
    "$(count $a) $(($(count $a overdue) - 1))" "$(row_counts $a)"
keys p Q
check_exit p "the console leaves cleanly (no leak under ASan)"

# A data directory whose form keeps no tally (made before it had one): the same counts, from
# the indexes.
grep -q '^tally ' "$DATA/forms/rectification.form" ||
	echo "# the rectification form keeps no tally: the counts above came from the indexes"
sed -i '/^tally /d' "$DATA/forms/rectification.form"
"$HUITOU" -d "$DATA" export rectification >"$TMP/orders.csv"
start q TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for q "240/240" || echo "# the console did not open"
keys q 3
check_screen "without a tally: screen 3 shows the counts' columns" q "未结整改  逾期"
screen q
check_eq "without a tally: $a's counts as the export says" "$(count $a) $(count $a overdue)" \
    "$(row_counts $a)"
check_eq "without a tally: $b's" "$(count $b) $(count $b overdue)" "$(row_counts $b)"
keys q Q
check_exit q "without a tally: the console leaves cleanly"

done_testing
