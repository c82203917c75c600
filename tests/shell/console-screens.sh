#!/usr/bin/env bash
# console-screens.sh — whole screens compared with the expected ones in tests/shell/screens/:
# the table, a record's form, the dashboard, a pick list, the help and a conflict, at 80x24
# in Chinese and English. A change of layout shows here as a diff a person can read; remake
# the files with UPDATE_SCREENS=1 and read them before committing.
. "$(dirname "$0")/lib.sh"

"$HUITOU" -d "$TMP/demo" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
. "$(dirname "$0")/term.sh"

start z TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for z "240/240" >/dev/null
check_dump "the table of institutions, in Chinese" z table-zh.txt
keys z Enter
wait_for z "版本 1" >/dev/null
check_dump "a record's form, in Chinese" z form-zh.txt
keys z Tab Tab Space
wait_for z "+-" >/dev/null
check_dump "the district pick list" z pick-zh.txt
keys z Escape Escape
keys z 2
wait_for z "看板" >/dev/null
check_dump "the dashboard, in Chinese" z dashboard-zh.txt
keys z 1 '?'
check_dump "the help of the table, in Chinese" z help-zh.txt
keys z q
# A conflict: the first record changed by someone else while its form is open here.
keys z g Enter
wait_for z "版本 1" >/dev/null
first=$("$HUITOU" -d "$TMP/demo" export institution | sed -n 2p | cut -d, -f1)
"$HUITOU" -d "$TMP/demo" set "$first" phone=13900000000 legal_representative=钱七 >/dev/null
keys z End 甲 C-s
wait_for z "他人的值" >/dev/null
check_dump "a conflict, both values of each field, in Chinese" z conflict-zh.txt
keys z Escape Escape y
wait_for z "240/240" >/dev/null

start e TERM=vt100 LANG=C.UTF-8 NO_COLOR=1
wait_for e "240/240" >/dev/null
check_dump "the table on a vt100, in English" e table-en.txt
keys e G Enter
wait_for e "version 1" >/dev/null
check_dump "the last record's form, in English" e form-en.txt
keys e Escape 2
wait_for e "Dashboard" >/dev/null
check_dump "the dashboard, in English" e dashboard-en.txt
keys z Q
keys e Q
check_exit z "the Chinese session leaves cleanly (no leak under ASan)"
check_exit e "the vt100 session leaves cleanly"

done_testing
