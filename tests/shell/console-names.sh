#!/usr/bin/env bash
# console-names.sh — people named beside their ids (issue 13, item 5) where the audit record
# is read: a commit's subject says "责任人 RY-00003(李强)→RY-00004(张敏)" and a Person trailer
# names each person a changed field refers to, while the record's text in git keeps the ids;
# "huitou log ID" and the console's history screen show the name beside the id. Git is the
# oracle; the console runs in tmux at 80x24 in Chinese.
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/term.sh"
demo_data
id=$(sed -n 2p "$TMP/all.csv" | cut -d, -f1)
name_of() { "$HUITOU" -d "$DATA" show "$1" | sed -n 's/^name: //p'; }
p3=RY-00003 p4=RY-00004
n3=$(name_of $p3) n4=$(name_of $p4)
[ -n "$n3" ] && [ -n "$n4" ] && [ "$(field "$id" responsible)" = "" ] ||
	{ echo "Bail out! the demo is not as this test expects"; exit 1; }
persons() { git_log -1 --format='%(trailers:key=Person,valueonly)' | sed '/^$/d'; }

"$HUITOU" -d "$DATA" set "$id" responsible=$p3 >/dev/null
check_eq "a first person: the subject names them beside the id" "校外培训机构 $id 责任人 →$p3($n3)" \
    "$(git_log -1 --format=%s)"
check_eq "and a Person trailer names them" "$p3 $n3" "$(persons)"
"$HUITOU" -d "$DATA" set "$id" responsible=$p4 >/dev/null
check_eq "a change of person: both named in the subject" "校外培训机构 $id 责任人 $p3($n3)→$p4($n4)" \
    "$(git_log -1 --format=%s)"
check_eq "a Person trailer for each, the one before first" "$p3 $n3
$p4 $n4" "$(persons)"
git --git-dir="$DATA/audit.git" show HEAD:institution/610102/01/"$id" >"$TMP/text"
check_grep "the record's text in git keeps the id" "$TMP/text" "responsible: $p4"
check_no_grep "and not the name" "$TMP/text" "$n4"
"$HUITOU" -d "$DATA" set "$id" phone=13912345678 >/dev/null
check_eq "a change of another field names nobody" "" "$(persons)"

# huitou log ID: the name beside the id, field by field.
run "$HUITOU" -d "$DATA" log "$id"
check_grep "huitou log shows the names beside the ids" "$TMP/out" \
    "Responsible person (responsible): $p3 ($n3) → $p4 ($n4)"
check_grep "and for the first person" "$TMP/out" "Responsible person (responsible): (empty) → $p3 ($n3)"

# The console: the history screen, and a batch of ;= naming the person once.
start n TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for n "240/240" || echo "# the console did not open"
keys n H
check_screen "the history shows the id and the name, before and after" n "$p3 $n3 -> $p4 $n4"
keys n Escape
keys n j t t t t '\;' = "责任人=$p3" Enter
check_screen "the batch's sample names the person" n "责任人 （空）→$n3"
keys n y
check_screen "the batch runs" n "4 条记录中 4 条已修改"
check_eq "its Person trailer names them once" "$p3 $n3" "$(persons)"
keys n Q
check_exit n "the console leaves cleanly (no leak under ASan)"

done_testing
