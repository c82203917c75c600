#!/usr/bin/env bash
# console-board.sh — the task board (screen 4) in a real terminal at 80x24, in Chinese: the
# counts and overdue counts in the header, an overdue card red and marked "!" (the mark kept
# with NO_COLOR), a card moved right (a real move: the store and git have it), a move refused
# with the guard's reason on the message line and nothing moved, Enter opens the record and
# Esc comes back, the filter "mine", a district chosen from the pick list.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
# The demo's institutions and people without its casework: the board holds this test's cards.
"$HUITOU" -d "$DATA" init --city 6101 --demo --no-casework >/dev/null || { echo "Bail out! init"; exit 1; }
hb() { "$HUITOU" -d "$DATA" "$@"; }

# Today is 2026-11-28 (term.sh): the first order is overdue, the second is the tester's own.
late=$(hb new rectification institution=JG-610113-000001 check=safety finding=灭火器过期 \
    deadline=2026-11-20 responsible=RY-00007 | tail -n 1)
mine=$(hb new rectification institution=JG-610102-000002 check=platform finding=未录入平台 \
    deadline=2026-12-20 responsible=RY-00001 | tail -n 1)
[ -n "$late" ] && [ -n "$mine" ] || { echo "Bail out! cannot make orders"; exit 1; }

# line NAME N: line N of the window (1 is the title).
line() { tm capture-pane -p -t "$1" | sed -n "${2}p"; }

start b TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console opens" b "[1] "
keys b 4
check_screen "key 4 shows the task board" b "[4] 任务看板"
check_eq "the header counts each column and its overdue cards" \
    "待办 2 !1 | 进行中 0 | 待复查 0 | 已完成 0" \
    "$(line b 3 | sed 's/  */ /g; s/ $//; s/ \(进行中\|待复查\|已完成\)/ | \1/g')"
check_eq "the overdue card comes first, marked with !" "!$late" "$(line b 4 | awk '{ print $1 }')"
check_eq "its institution, deadline, person and district are on the card" \
    "英才语文培训学校 11-20 杨帆 雁塔区" "$(line b 5 | awk -F'|' '{ print $1 }' | sed 's/^ //; s/ *$//') $(line b 6 | awk -F'|' '{ print $1 }' | sed 's/^ //; s/ *$//')"
check_eq "the other card is not marked" " $mine" "$(line b 7 | cut -c1-17)"
# Colours: the overdue card's lines are drawn red (SGR 31, or 91 bright); the cursor is on it,
# so look at it with the cursor moved down to the other card first.
keys b Down
red=$(tm capture-pane -e -p -t b | sed -n 5p | grep -c $'\e\[\(31\|91\|38;5;1\)m')
check_eq "an overdue card is red" 1 "$red"
keys b Up

# Moving the overdue card right: open → in progress, a real move.
before=$(commits)
keys b '>'
check_screen "the message line says what moved" b "$late: 待整改 → 整改中"
check_eq "the store has the new state" in_progress "$(field "$late" state)"
check_eq "one commit more in git" $((before + 1)) "$(commits)"
check_eq "the header follows: one to do, one in progress and overdue" \
    "待办 1 | 进行中 1 !1 | 待复查 0 | 已完成 0" \
    "$(line b 3 | sed 's/  */ /g; s/ $//; s/ \(进行中\|待复查\|已完成\)/ | \1/g')"

# In progress → awaiting verification needs the institution's response: refused, with why.
keys b Right '>'
check_screen "a refused move shows the guard's reason" b "整改情况"
check_eq "and nothing moved" in_progress "$(field "$late" state)"
check_eq "and nothing was committed" $((before + 1)) "$(commits)"

# Enter opens the card's record; Esc comes back to the board.
keys b Enter
check_screen "Enter opens the record of the card" b "灭火器过期"
keys b Escape
check_screen "Esc comes back to the board" b "[4] 任务看板"

# Filters: mine (the tester is RY-00001), then everyone again, then a district from the list.
keys b m
check_screen "m filters the board to my cards" b "筛选: 我的"
check_eq "only my card is left" "待办 1 | 进行中 0 | 待复查 0 | 已完成 0" \
    "$(line b 3 | sed 's/  */ /g; s/ $//; s/ \(进行中\|待复查\|已完成\)/ | \1/g')"
check_eq "and it is mine" " $mine" "$(line b 4 | cut -c1-17)"
keys b x
check_screen "x shows every card again" b "筛选: 全部卡片"
keys b d
check_screen "d lists the districts" b "（全部区县）"
keys b y a n t a Enter
check_screen "a district chosen from the list filters the board" b "筛选: 区县 雁塔区"
check_eq "only 雁塔区's card is left" "待办 0 | 进行中 1 !1 | 待复查 0 | 已完成 0" \
    "$(line b 3 | sed 's/  */ /g; s/ $//; s/ \(进行中\|待复查\|已完成\)/ | \1/g')"
check_eq "no line is wider than the window" "" "$(tm capture-pane -p -t b | python3 -c '
import sys, unicodedata
for l in sys.stdin:
    if sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) > 80: print(l)')"
keys b x p
check_screen "p lists the people" b "（全部人员）"
keys b y a n g f Enter
check_screen "a person chosen from the list filters the board, named in the header" b "筛选: 人员 杨帆"
check_eq "only 杨帆's card is left" "!$late" "$(line b 4 | awk -F'|' '{ print $2 }' | awk '{ print $1 }')"
keys b Q
check_exit b "huitou leaves with status 0"

# A wider terminal shows more: the full deadline and the state on each card.
COLS=132 start w TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console opens at 132 columns" w "[1] "
keys w 4
check_screen "at 132 columns a card shows its state and full deadline" w "2026-12-20 $(hb show RY-00001 | sed -n 's/^name: //p') 新城区"
check_screen "and its state" w "$mine 待整改"
keys w Q
check_exit w "huitou leaves with status 0 (132 columns)"

# Without colours the overdue card keeps its mark.
start n TERM=vt100 LANG=zh_CN.UTF-8 NO_COLOR=1
check_screen "the console opens without colours" n "[1] "
keys n 4
check_screen "the board shows without colours" n "[4] 任务看板"
check_eq "the overdue card is still marked with ! (NO_COLOR, vt100)" "!$late" \
    "$(line n 4 | cut -c21- | awk '{ print $1 }')"
keys n Q
check_exit n "huitou leaves with status 0 (vt100)"

# The header's counts at scale: 300 orders, deadlines before, on and after today, equal the
# counts of "huitou board"'s cards (each card's overdue decided on its own), with the forms'
# pair indexes (index-by) and without them (a data directory made before them).
DATA=$TMP/many
"$HUITOU" -d "$DATA" init --city 6101 --demo --no-casework >/dev/null || { echo "Bail out! init"; exit 1; }
python3 - >"$TMP/orders.csv" <<'PY'
import random
random.seed(28)
print("institution,district,check,finding,deadline,responsible,state,response")
for i in range(300):
    d = random.choice(["610102", "610113", "610116"])
    st = random.choice(["open", "in_progress", "submitted", "verified"])
    print("JG-%s-%06d,%s,rules,问题%d,2026-11-%02d,RY-%05d,%s,%s" % (d, random.randint(1, 5), d, i,
          random.randint(20, 30), random.randint(1, 9), st, "已整改" if st in ("submitted", "verified") else ""))
PY
hb import rectification "$TMP/orders.csv" >/dev/null || echo "# import failed"
cp -a "$DATA" "$TMP/many-old"
sed -i '/index-by/d' "$TMP/many-old/forms/rectification.form" "$TMP/many-old/forms/inspection.form"
# header_of_cards: the header the cards of "huitou board" make.
header_of_cards() {
	hb board --format csv | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
out = []
for col, label in [("todo", "待办"), ("doing", "进行中"), ("verify", "待复查"), ("done", "已完成")]:
    n = sum(r["column"] == col for r in rows)
    late = sum(r["column"] == col and r["overdue"] == "yes" for r in rows)
    out.append("%s %d%s" % (label, n, " !%d" % late if late else ""))
print(" | ".join(out))'
}
for variant in many many-old; do
	DATA=$TMP/$variant
	want=$(header_of_cards)
	start "$variant" TERM=xterm-256color LANG=zh_CN.UTF-8
	check_screen "$variant: the console opens" "$variant" "[1] "
	keys "$variant" 4
	check_screen "$variant: the board shows" "$variant" "[4] 任务看板"
	check_eq "$variant: the header's counts and overdue counts equal the cards'" "$want" \
	    "$(line "$variant" 3 | sed 's/  */ /g; s/ $//; s/ \(进行中\|待复查\|已完成\)/ | \1/g')"
	# A card moved right, and another moved back left: the board is brought up to date in
	# place (counts, overdue counts), as counting it again would.
	keys "$variant" Down '>'
	check_screen "$variant: a card moved right" "$variant" "待整改 → 整改中"
	keys "$variant" Right '<'
	check_screen "$variant: one moved back left asks for a reason" "$variant" "原因："
	keys "$variant" 回 退 Enter
	check_screen "$variant: and is moved" "$variant" "整改中 → 待整改"
	check_eq "$variant: after the moves the header equals the cards' again" "$(header_of_cards)" \
	    "$(line "$variant" 3 | sed 's/  */ /g; s/ $//; s/ \(进行中\|待复查\|已完成\)/ | \1/g')"
	keys "$variant" Q
	check_exit "$variant" "$variant: huitou leaves with status 0"
done

done_testing
