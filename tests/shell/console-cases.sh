#!/usr/bin/env bash
# console-cases.sh — cases in the console (tmux, 80x24, zh_CN): the casework counts (screen 8)
# per district equal those computed here from "huitou export" ("-" for a form not in force);
# Enter on a district shows its streets with their own counts; a case made in the console's
# form from there, moved to investigating and decided with a reason (each one commit, git the
# oracle); C-l counts again with the new case; a data directory's own view counting another
# form (teachers) per district.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data

h() { "$HUITOU" -d "$DATA" "$@"; }
new() { h new "$@" || echo "Bail out! new $*"; }
trailer() { git_log -1 --format="%(trailers:key=$1,valueonly,separator=%x2C)"; }
goto_field() {
	for key in Tab BTab; do
		for _ in $(seq 1 25); do
			screen "$1"
			grep -q "^>.*$2" "$TMP/screen" && return 0
			keys "$1" "$key"
		done
	done
	echo "# no field $2 reached"
}
# shown SESSION NAME: the numbers of the screen's line for NAME (a district, a street), the
# bar left out.
shown() {
	screen "$1"
	python3 - "$TMP/screen" "$2" <<'PY'
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    w = line.split()
    if w and w[0] == sys.argv[2]:
        print(" ".join(x for x in w[1:] if not x.startswith("#")))
        break
PY
}
# expected WHERE: a district's (or a street's) cases and open cases from the export, then
# "-" for each count of a form the data directory does not have.
expected() {
	h export case >"$TMP/cases.csv"
	python3 - "$TMP/cases.csv" "$1" "$DATA/forms" <<'PY'
import csv, os, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if eval(sys.argv[2])]
out = [len(rows), sum(r["state"] != "closed" for r in rows)]
for form in ["complaint", "complaint", "filing", "enforcement"]:
    out.append("-" if not os.path.exists(os.path.join(sys.argv[3], form + ".form")) else "?")
print(" ".join(str(x) for x in out))
PY
}
# check_row SESSION NAME WHERE: the line shows what the export says (a count of a form that
# is in force is not checked here: "?" matches any number).
check_row() {
	local want got
	want=$(expected "$3")
	got=$(shown "$1" "$2")
	if python3 -c 'import sys; w, g = sys.argv[1].split(), sys.argv[2].split(); sys.exit(not (len(w) == len(g) and all(a == b or (a == "?" and b.isdigit()) for a, b in zip(w, g))))' "$want" "$got"; then
		ok "$2: $want"
	else
		not_ok "$2: the screen's counts are the export's" "wanted: $want" "got:    $got" "$(cat "$TMP/screen")"
	fi
}

# Teachers and cases in two districts: 雁塔区 (610113) has one on 小寨路街道 (610113001), one
# without a street and a closed one; 新城区 (610102) one on 西一路街道.
inst=$(h export institution --where district=610113 | sed -n 2p | cut -d, -f1)
js=$(new teacher name=张某 cert=20196101000012345 district=雁塔区 employer=西安市第八十五中学 institution="$inst")
new teacher name=李某 cert=20196101000054321 district=雁塔区 employer_kind=institution >/dev/null
new teacher name=王某 cert=20196101000099999 district=新城区 >/dev/null
new case kind=moonlighting district=雁塔区 street=610113001 institution="$inst" teacher="$js" \
    found_on=2026-11-20 >/dev/null
new case kind=advertising district=雁塔区 found_on=2026-11-21 >/dev/null
closed=$(new case kind=advertising district=雁塔区 street=610113001 found_on=2026-11-02 \
    found=散发传单 action=没收 medium=leaflet ad_content=冲刺班)
h move "$closed" investigating >/dev/null && h move "$closed" decided --reason 属实 >/dev/null &&
    h move "$closed" closed >/dev/null || echo "Bail out! the closed case"
new case kind=advertising district=新城区 street=610102001 found_on=2026-11-22 >/dev/null

start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "240/240" || echo "# the console did not open"
keys c 8
check_screen "8 shows the casework counts" c "[8] 案件与举报统计"
check_screen "with the cases and the counts as columns" c "案件  在办案件  举报待办  举报逾期  备案待审  近月执法"
check_row c 雁塔区 'r["district"] == "610113"'
check_row c 新城区 'r["district"] == "610102"'
check_row c 碑林区 'r["district"] == "610103"'
check_row c 西安市 'True'
check_no_grep "the demo's complaint counts are numbers" "$TMP/screen" "当前没有表单 complaint"
# A data directory without the complaint form: its counts are "-" and say why.
nc=$TMP/no-complaint
new_city "$nc" && rm "$nc/forms/complaint.form"
DATA=$nc start nc TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for nc "(西安市 6101)" || echo "# the console did not open on $nc"
keys nc 8
check_screen "a count of a form not in force says so" nc "举报待办: -（当前没有表单 complaint）"
check_eq "its column shows - for 雁塔区" "-" "$(awk '$1 == "雁塔区" { print $4 }' "$TMP/screen")"
keys nc q
check_exit nc "that console leaves cleanly"
keys c 8

# ---- a district's streets ----
keys c g
# 雁塔区 is the sixth district in code order (610102 … 610113).
keys c j j j j j
keys c Enter
check_screen "Enter on a district shows its streets" c "案件与举报统计 · 雁塔区"
check_screen "the street's name heads the rows" c "街道/管委会"
check_row c 小寨路街道 'r["district"] == "610113" and r["street"] == "610113001"'
check_row c 大雁塔街道 'r["street"] == "610113002"'
check_row c （未填街道） 'r["district"] == "610113" and r["street"] == ""'
check_row c 雁塔区 'r["district"] == "610113"'
screen c
check_eq "the screen keeps 24 lines of at most 80 columns" "24 yes" "$(wc -l <"$TMP/screen") $(python3 -c '
import sys, unicodedata
print("yes" if max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) for l in open(sys.argv[1])) <= 80 else "no")' "$TMP/screen")"

# ---- a case made and moved in the console ----
open_on_street=$(h export case --where 'street=610113001 and state!=closed' | tail -n +2 | wc -l)
keys c Right Enter
check_screen "Enter on the street's open cases lists them" c "案件 $open_on_street/"
screen c
check_eq "exactly those" "$(h export case --where 'street=610113001 and state!=closed' | tail -n +2 | cut -d, -f1)" \
    "$(grep -oE 'AJ-[0-9]+-[0-9]+' "$TMP/screen")"
before=$(commits)
keys c a
check_screen "a opens a new case" c "新建案件"
keys c Space wf Enter
goto_field c 所属区县
keys c Space yt Enter
goto_field c 街道/管委会
keys c Space xzl Enter
goto_field c 发现日期
keys c 2026-11-27
goto_field c 查实情况
keys c 校门口发放补课传单
goto_field c 处理措施
keys c 没收传单，责令停止发布
goto_field c 广告媒介
keys c Space cd Enter
goto_field c 广告内容
keys c 寒假小升初冲刺班
goto_field c 没收材料
keys c '传单 120 份' C-s
check_screen "the case is saved with an id of its district" c "AJ-610113-"
aj=$(h export case --where 'materials_confiscated~120' | sed -n 2p | cut -d, -f1)
check_eq "the new case is in the store, on 小寨路街道" "610113001 open" "$(field "$aj" street) $(field "$aj" state)"
check_eq "one commit" "$((before + 1))" "$(commits)"
check_eq "its Action" "record.create" "$(trailer Action)"

keys c F4
check_screen "F4 lists the case's moves" c "将 $aj 流转为"
keys c 调查中 Enter
check_screen "the move is reported" c "$aj 开始调查"
check_eq "the case is investigating" investigating "$(field "$aj" state)"
check_eq "one commit for the move" "$((before + 2))" "$(commits)"
check_eq "its Action" "case.investigate" "$(trailer Action)"
keys c F4 已处理 Enter
check_screen "deciding asks for the reason" c "流转理由："
keys c 违法广告属实 Enter
check_screen "the decision is reported" c "$aj 作出处理决定"
check_eq "the case is decided" decided "$(field "$aj" state)"
check_eq "one commit for the decision" "$((before + 3))" "$(commits)"
check_eq "its Action" "case.decide" "$(trailer Action)"
check_eq "its reason" "违法广告属实" "$(git_log -1 --format=%b | head -1)"
check_eq "who decided" "RY-00001" "$(trailer Decided-By)"

# Back on the street screen, C-l counts again: the decided case is still open casework.
keys c Escape q
check_screen "Esc and q come back to the streets" c "案件与举报统计 · 雁塔区"
keys c C-l
check_screen "C-l counts again" c "重新统计"
check_row c 小寨路街道 'r["district"] == "610113" and r["street"] == "610113001"'
check_eq "小寨路街道 now has three cases, two open" "3 2" "$(shown c 小寨路街道 | cut -d' ' -f1-2)"
keys c q
check_screen "q comes back to the districts" c "[8] 案件与举报统计  (西安市"
keys c C-l
check_row c 雁塔区 'r["district"] == "610113"'

# ---- a data directory's own view: teachers, another form, per district ----
mkdir -p "$DATA/views"
cat >"$DATA/views/casework.view" <<'VIEW'
form case
label 教师与案件 | Teachers and cases
rows district
streets
count teachers
  form teacher
  label 教师 | Teachers
  where employer_kind=public_school
count moonlighting
  where kind=moonlighting
VIEW
keys c C-l
check_screen "the data directory's own view is read" c "教师与案件"
# own_expected DISTRICT: its cases, public-school teachers and moonlighting cases, from the export.
own_expected() {
	h export case >"$TMP/cases.csv"
	h export teacher >"$TMP/teachers.csv"
	python3 - "$TMP" "$1" <<'PY2'
import csv, sys
rd = lambda n: [r for r in csv.DictReader(open(sys.argv[1] + "/" + n, encoding="utf-8"))
                if r["district"] == sys.argv[2]]
cases, teachers = rd("cases.csv"), rd("teachers.csv")
print(len(cases), sum(t["employer_kind"] == "public_school" for t in teachers),
      sum(c["kind"] == "moonlighting" for c in cases))
PY2
}
check_eq "雁塔区: cases, public-school teachers, moonlighting cases" "$(own_expected 610113)" "$(shown c 雁塔区)"
check_eq "新城区" "$(own_expected 610102)" "$(shown c 新城区)"
check_eq "the teachers made here are counted" "yes" "$(own_expected 610113 | awk '{ print ($2 >= 1) ? "yes" : "no" }')"
check_screen "the legend names the other form" c "教师: 教师 employer_kind=public_school"
# ---- the institution's form lists its cases and teachers ----
n_cases=$(h export case --where "institution=$inst" | tail -n +2 | wc -l)
n_teachers=$(h export teacher --where "institution=$inst" | tail -n +2 | wc -l)
keys c 1 : "limit id=$inst" Enter
keys c Enter
check_screen "the institution's form opens" c "校外培训机构 $inst"
check_screen "its related records count its cases" c "案件 $n_cases"
check_screen "and its teachers" c "教师 $n_teachers"
screen c
check_grep "the moonlighting case is listed" "$TMP/screen" "案件         AJ-610113-"
keys c Escape
keys c Q
check_exit c "the console leaves cleanly"

done_testing
