#!/usr/bin/env bash
# console-ledger.sh — the joint-enforcement ledger in the console at 80x24 in Chinese: its
# screen (8) shows the demo's entries with their actions by label; a new entry is made in the
# form, the departments and actions marked in the set pick list (Enter marks or unmarks, the
# first line takes the marks, Esc leaves the value as it was), saved as one commit; the table
# shows it by label; the institution's form lists it among its related records.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data

h() { "$HUITOU" -d "$DATA" "$@"; }
# the sealed institution of the demo's ledger in 雁塔区
inst=$(field ZF-610113-000001 institution)
name=$(field "$inst" name)
[ "$(field ZF-610113-000001 actions)" = sealed,signs_removed,confiscated,students_moved ] ||
    echo "Bail out! the demo's first entry in 610113 is no sealing"

start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "240/240" || echo "# the console did not open"
keys c S
keys c ledger
keys c Enter
check_screen "the screen picker opens the enforcement ledger" c "[10] 联合执法台账"
check_screen "its entries show their actions by label, joined by 、" c \
    "ZF-610113-000001  雁塔区   2026-11-16"
screen c
check_grep "the sealing's actions" "$TMP/screen" "查封、摘牌、没收"
check_grep "the status line counts them" "$TMP/screen" "联合执法台账 36/36"

# ---- a new entry, the sets marked in the pick list ----
n=$(commits)
keys c a
check_screen "a opens a new entry" c "新建联合执法台账"
keys c Space y t
check_screen "the district is picked by its pinyin" c "雁塔区"
keys c Enter Tab Tab 2 0 2 6 - 1 1 - 2 7 Tab Tab Tab
keys c Space
check_screen "Space on the departments opens the set pick list" c "[ ] 市场监管"
screen c
check_grep "its first line takes the marks" "$TMP/screen" "（完成：采用已勾选的项）"
keys c Enter
check_screen "Enter marks the option under the cursor" c "[x] 市场监管"
keys c Down Enter
check_screen "and the next" c "[x] 公安"
screen c
check_grep "the first one stays marked" "$TMP/screen" "[x] 市场监管"
keys c Home Enter
check_screen "the first line takes them, labels joined by 、" c "参与部门  市场监管、公安"
keys c Tab Space "$inst"
check_screen "the institution is picked by its id" c "$inst"
keys c Enter Tab Tab Tab
keys c Space
check_screen "the actions' pick list" c "[ ] 查封"
keys c Enter Down Down Enter
check_screen "marks 没收 too" c "[x] 没收"
keys c Home Enter
check_screen "the actions by label, in option order" c "处置措施  查封、没收"
keys c Space Down Down Down Down Down Down Enter
check_screen "警告 marked in the list" c "[x] 警告"
keys c Escape
check_screen "Esc leaves the value as it was" c "处置措施  查封、没收"
screen c
check_no_grep "without 警告" "$TMP/screen" "警告"
keys c C-s
check_screen "saved with its new id" c "ZF-610113-000004"
check_eq "one commit" "$((n + 1))" "$(commits)"
check_eq "the actions as values" "sealed,confiscated" "$(field ZF-610113-000004 actions)"
check_eq "the departments as values" "market,police" "$(field ZF-610113-000004 departments)"
check_eq "the date typed" "2026-11-27" "$(field ZF-610113-000004 date)"
check_eq "the institution picked" "$inst" "$(field ZF-610113-000004 institution)"

# ---- the institution's form lists it ----
while ! grep -q '^>.*执法对象' "$TMP/screen"; do keys c BTab; screen c; done
keys c Enter
check_screen "Enter on the target opens the institution" c "校外培训机构 $inst"
check_screen "its related records count the ledger's entries" c "联合执法台账 2"
screen c
check_grep "the new entry is listed" "$TMP/screen" "ZF-610113-000004"
keys c Escape Escape
check_screen "the table shows the new entry" c "ZF-610113-000004  雁塔区   2026-11-27"
screen c
check_grep "with its actions by label" "$TMP/screen" "$(printf '%.6s' "$name")"
keys c q
check_exit c "the console quits cleanly"

done_testing
