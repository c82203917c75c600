#!/usr/bin/env bash
# credit-history.sh — credit tiers weigh the list history (forms/credit.rules: "published black",
# "latest black", "latest white"): two months published with one institution on the black list
# in both (git is the oracle for what was published), its tier and the explanation naming the
# months, in English, in Chinese and in the console's credit panel; one on the black list only
# in the first month; a correction of the latest month replaces what it corrects; and
# "credit --update" stores the tiers the history gives.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
. "$(dirname "$0")/term.sh"
g() { git --git-dir="$DATA/audit.git" "$@"; }
h() { "$HUITOU" -d "$DATA" "$@"; }

new_city "$DATA"
# 新城区 (610102) first, so the console's first row is the black-listed one.
black=$(h new institution name=黑名单培训点 district=新城区 category=学科类 list=black) ||
    { echo "Bail out! new institution"; exit 1; }
reformed=$(h new institution name=改正培训点 district=碑林区 category=学科类 list=black)
white=$(h new institution name=白名单艺术学校 district=碑林区 category=非学科类)

# October: both on the black list, the third on the white list.
run env HUITOU_NOW=2026-10-28 "$HUITOU" -d "$DATA" publish 2026-10 --yes
check_status "October is published" 0
# November: a decision takes the reformed one off both lists.
h new listing institution="$reformed" list=none reason=已整改到位 >/dev/null ||
    { echo "Bail out! new listing"; exit 1; }
run h publish 2026-11 --yes
check_status "November is published" 0
for m in 2026-10 2026-11; do
	check_eq "git: the black-listed one is on $m's published black list" 1 \
	    "$(g show "lists/$m:lists/$m/black.csv" | grep -c "^$black,")"
done
check_eq "git: the reformed one only on October's" "1 0" \
    "$(for m in 2026-10 2026-11; do g show "lists/$m:lists/$m/black.csv" | grep -c "^$reformed,"; done | tr '\n' ' ' | sed 's/ $//')"

# ---- the explanation names the months ----
run h credit "$black"
check_status "credit ID" 0
check_eq "two months on the black list and the latest publication's: tier D" \
"$black 黑名单培训点
tier: D (seriously untrustworthy) (computed)
stored tier: -, out of date: huitou credit --update
  starting score 100
  2 published months on the list Black (2026-10, 2026-11) −40
  on the list Black of the latest publication (2026-11) −30
  score 30: tier D (seriously untrustworthy)" "$(cat "$TMP/out")"
run h --lang zh credit "$black"
check_grep "in Chinese: the months" "$TMP/out" "  2 期公布列入黑名单（2026-10、2026-11） −40"
check_grep "in Chinese: the latest publication" "$TMP/out" "  最新一期公布列入黑名单（2026-11） −30"
run h credit "$reformed"
check_grep "one month on the black list, off the latest: 80" "$TMP/out" "  score 80: tier B (mostly trustworthy)"
check_grep "naming October" "$TMP/out" "  1 published months on the list Black (2026-10) −20"
check_no_grep "not on the latest publication's list" "$TMP/out" "latest publication"
run h credit "$white"
check_grep "the white list of the latest publication" "$TMP/out" \
    "  on the list White of the latest publication (2026-11) +5"
run h credit
check_eq "credit alone: the tiers from the history" \
"A (trustworthy)	1
B (mostly trustworthy)	1
C (untrustworthy)	0
D (seriously untrustworthy)	1" "$(head -4 "$TMP/out")"

# ---- the console's credit panel says the same ----
start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "1/3" || echo "# the console did not open"
keys c Enter
check_screen "the form of the black-listed one" c "校外培训机构 $black"
keys c Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab	# the credit tier
check_screen "the panel names the months" c "2 期公布列入黑名单（2026-10、2026-11） −40"
check_screen "and the latest publication" c "最新一期公布列入黑名单（2026-11） −30"
check_screen "and the tier" c "得分 30：D级（严重失信）"
keys c Escape q
check_exit c "the console quits"

# ---- a correction of November replaces what it corrects ----
h new listing institution="$black" list=none reason=复核后撤销 >/dev/null ||
    { echo "Bail out! new listing"; exit 1; }
run h publish 2026-11 --correct --reason 复核后撤销 --yes
check_status "November is corrected" 0
run h credit "$black"
check_grep "November as corrected: one month on the black list" "$TMP/out" \
    "  1 published months on the list Black (2026-10) −20"
check_no_grep "off the latest publication's black list" "$TMP/out" "latest publication"
check_grep "score 80" "$TMP/out" "  score 80: tier B (mostly trustworthy)"

# ---- --update stores them ----
run h credit --update
check_status "credit --update" 0
check_eq "the stored tiers" "B B A" \
    "$(for id in "$black" "$reformed" "$white"; do h show "$id" | sed -n 's/^credit_tier: //p'; done | tr '\n' ' ' | sed 's/ $//')"
run h verify
check_status "the store equals git" 0
done_testing
