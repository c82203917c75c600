#!/usr/bin/env bash
# console-supervision.sh — the supervision screen (督导考评, in the picker S) on the demo data at
# 80x24 with today pinned: the districts × the evaluation's measures, score and rank as
# "huitou report" counts them, a bar per district, the chosen cell in words under the table;
# Enter on a cell opens a table of exactly the records behind its number (coverage: the
# period's closed inspections; closure: the verified orders due; overdue: the open ones past
# due), q comes back; Enter on the score explains its points; p changes the period.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
. "$(dirname "$0")/casework-lib.sh"
demo_data

h() { "$HUITOU" -d "$DATA" "$@"; }
FROM=2026-09-01 TO=2026-11-30	# the period of forms/evaluation.rules
HUITOU_NOW=2026-11-28 h --lang zh report --period $FROM..$TO >"$TMP/r.csv" ||
    echo "Bail out! report"
cell() { csv_cell "$TMP/r.csv" "$@"; }	# DISTRICT COLUMN: the report's cell
# how many records of FORM the expression names, as export counts them
count() { h export "$1" --where "$2" | tail -n +2 | wc -l; }

open_supervision
check_screen "the picker opens the supervision screen" s "督导考评 $FROM..$TO"
check_screen "the header names the measures" s "区县   机构 覆盖率 问题 销号率 逾期 答复 超期 录入率 公布率 得分 排名"
screen s
cov=$(cell 雁塔区 检查覆盖率) closure=$(cell 雁塔区 整改销号率) score=$(cell 雁塔区 得分)
rank=$(cell 雁塔区 排名)
check_eq "雁塔区's row: coverage, closure, score and rank as the report has them" \
    "$cov $closure $score $rank" \
    "$(row 雁塔区 | awk '{ print $3, $5, $11, $12 }')"
check_eq "and its institutions" "$(cell 雁塔区 机构数)" "$(row 雁塔区 | awk '{ print $2 }')"
check_eq "周至县's score the same" "$(cell 周至县 得分)" "$(row 周至县 | awk '{ print $11 }')"
# the bar: a tenth of the line's free columns per ten points, '#' after the rank
check_eq "a bar of '#' after each district's rank" 13 "$(grep -cE '^ *[^ ]+(区|县) .* #+$' "$TMP/screen")"
check_screen "the key help on the screen" s "Enter 查看记录  p 改期间"

# 雁塔区 is the sixth district (in code order); the cursor starts on the coverage.
keys s j j j j j
screen s
check_grep "the chosen cell in words, with what it is made of" "$TMP/screen" "雁塔区 · 检查覆盖率 $cov"
want=$(count inspection "district=雁塔区 and state=done and date>=$FROM and date<=$TO")
keys s Enter
check_screen "Enter on the coverage: the period's closed inspections of 雁塔区" s " 检查 $want/"
keys s q
keys s Right Right
check_screen "Right, Right: the closure rate" s "雁塔区 · 整改销号率 $closure"
want=$(count rectification "district=雁塔区 and deadline>=$FROM and deadline<=$TO and state=verified")
keys s Enter
check_screen "Enter: the verified orders due in the period" s " 整改 $want/"
keys s q
keys s Right
want=$(count rectification "district=雁塔区 and deadline>=$FROM and deadline<=$TO and deadline<2026-11-28 and state!=verified")
check_eq "the overdue count on the screen is the count of those orders" "$want" \
    "$(cell 雁塔区 逾期整改)"
keys s Enter
check_screen "Enter: the open orders past due" s " 整改 $want/"
keys s q
keys s Right Right Right Right Right Right
keys s Enter
check_screen "Enter on the score: its points measure by measure" s "雁塔区：得分 $score = 覆盖率"

# p: another period; the numbers follow it.
keys s p
keys s C-u "2026-11-01..2026-11-30" Enter
check_screen "the title shows the new period" s "督导考评 2026-11-01..2026-11-30"
HUITOU_NOW=2026-11-28 h --lang zh report --period 2026-11-01..2026-11-30 >"$TMP/r.csv"
screen s
check_eq "雁塔区's coverage of November" "$(cell 雁塔区 检查覆盖率)" \
    "$(row 雁塔区 | awk '{ print $3 }')"
keys s p
keys s C-u "2026-12-01..2026-11-01" Enter
check_screen "a period that ends before it starts is refused" s "不是由两个日期组成的期间"
keys s q
keys s Q
check_exit s "huitou quits cleanly"

done_testing
