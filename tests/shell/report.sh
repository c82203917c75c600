#!/usr/bin/env bash
# report.sh — "huitou report": the districts' evaluation of a period on a small data set made
# here with new, set and move (HUITOU_NOW pinned): CSV checked cell by cell (coverage with a
# banned institution left out and one inspected twice, findings per check, orders closed and
# overdue, a complaint replied late, platform entry, publication on time read from a
# publication form added to the data directory), the score and rank from the shipped weights,
# the period's default from the rules, --district, refusals with their exit codes, and the
# HTML report through headless Chromium (A4 landscape, district names and scores on paper).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/casework-lib.sh"

DATA=$TMP/data
h() { "$HUITOU" -d "$DATA" "$@"; }
P=--period=2026-11-01..2026-11-30

new_city "$DATA"
yt_a=$(must new institution name=甲培训学校 district=雁塔区 category=学科类 platform_entered=yes)
yt_b=$(must new institution name=乙培训学校 district=雁塔区 category=学科类)
yt_c=$(must new institution name=丙培训学校 district=雁塔区 category=学科类 platform_entered=yes)
yt_d=$(must new institution name=丁培训学校 district=雁塔区 category=非学科类)
must set "$yt_c" status=banned --reason 拒不整改 >/dev/null
bl_e=$(must new institution name=戊培训学校 district=碑林区 category=学科类 platform_entered=yes)
# 雁塔区: a inspected twice (two findings, then one), b once, c (banned) once, d never; one
# inspection before the period and one planned in it do not count.
inspect "$yt_a" 2026-11-10 safety=fail platform=fail >/dev/null
inspect "$yt_a" 2026-11-20 rules=fail >/dev/null
inspect "$yt_b" 2026-11-12 >/dev/null
inspect "$yt_c" 2026-11-03 licence=fail >/dev/null
inspect "$yt_d" 2026-10-20 advertising=fail >/dev/null
# shellcheck disable=SC2086
must new inspection institution="$yt_d" date=2026-11-25 method=unannounced $PASSED_CHECKS >/dev/null
inspect "$bl_e" 2026-11-05 >/dev/null
# The orders the closes made (forms/deadlines.rules): a's safety (3 days: 11-13) and platform
# (10 days: 11-20), c's licence (15 days: 11-18) and d's advertising (15 days from 10-20:
# 11-04) fall due in the period, open and overdue; a's rules (30 days: 12-20) after it. One
# more, verified, due 11-15.
must new rectification institution="$yt_b" check=rules finding=制度不全 deadline=2026-11-15 \
    responsible=RY-00001 state=verified >/dev/null
# A complaint received 11-02 by hotline (7 days: due 11-09), replied today (11-28): 26 days, late.
jb=$(must new complaint channel=hotline received=2026-11-02 summary=夜间上课 district=雁塔区 \
    institution="$yt_a")
must set "$jb" assignee=RY-00001 >/dev/null
must move "$jb" assigned >/dev/null
must move "$jb" investigating >/dev/null
must set "$jb" outcome=substantiated reply=已责令整改 >/dev/null
must move "$jb" replied >/dev/null

run h --lang en report "$P"
check_status "report exits 0" 0
cp "$TMP/out" "$TMP/r.csv"
check_eq "the header: district, the measures, the findings per check, score, rank" \
    "District,Institutions,Coverage,Findings,Orders due,Closure rate,Overdue orders,Response days (median),Late replies,Platform entry,Published on time,Findings: Safety" \
    "$(head -1 "$TMP/r.csv" | cut -d, -f1-12)"
check_eq "one row per district of the city" 14 "$(wc -l <"$TMP/r.csv")"
yt() { csv_cell "$TMP/r.csv" 雁塔区 "$1"; }
bl() { csv_cell "$TMP/r.csv" 碑林区 "$1"; }
check_eq "雁塔区: three institutions, the banned one left out" 3 "$(yt Institutions)"
check_eq "雁塔区: a and b of a, b, d inspected in the period" 66.7% "$(yt Coverage)"
check_eq "雁塔区: four failed checks in the period (c's counts, d's before it not)" 4 "$(yt Findings)"
check_eq "雁塔区: safety failed once" 1 "$(yt 'Findings: Safety')"
check_eq "雁塔区: licences failed once (the banned c)" 1 "$(yt 'Findings: Licences')"
check_eq "雁塔区: advertising, failed before the period, not counted" 0 "$(yt 'Findings: Illegal advertising')"
check_eq "雁塔区: five orders due in the period" 5 "$(yt 'Orders due')"
check_eq "雁塔区: one of them verified" 20.0% "$(yt 'Closure rate')"
check_eq "雁塔区: four past due and open" 4 "$(yt 'Overdue orders')"
check_eq "雁塔区: replied in 26 days" 26.0 "$(yt 'Response days (median)')"
check_eq "雁塔区: replied after its deadline" 1 "$(yt 'Late replies')"
check_eq "雁塔区: a of a, b, d entered in the platform" 33.3% "$(yt 'Platform entry')"
check_eq "no list published in the period yet: none on time" 0.0% "$(yt 'Published on time')"
# coverage 20 + closure 5 + overdue 6 + response 1.74 (26 days: 4/23 of 10) + late 4 +
# platform 3.33 + publication 0 = 40.07 of 100
check_eq "雁塔区's score from the weights" 40.1 "$(yt Score)"
check_eq "碑林区: inspected, entered, nothing else to measure but the lists: 80 of 100" 80.0 \
    "$(bl Score)"
check_eq "碑林区 first" 1 "$(bl Rank)"
check_eq "雁塔区 second" 2 "$(yt Rank)"
check_eq "碑林区's closure: no order due" - "$(bl 'Closure rate')"
check_eq "a district with no institution: no score" - "$(csv_cell "$TMP/r.csv" 新城区 Score)"
check_eq "and no rank" - "$(csv_cell "$TMP/r.csv" 新城区 Rank)"

run h --lang zh report "$P" --district 雁塔区
check_eq "--district: its row alone" 2 "$(wc -l <"$TMP/out")"
check_eq "Chinese labels as header" "区县,机构数,检查覆盖率" "$(head -1 "$TMP/out" | cut -d, -f1-3)"
check_eq "its rank among all the districts" 2 "$(csv_cell "$TMP/out" 雁塔区 排名)"

# The default period: the rules' (2026-09-01..2026-11-30), which holds the October inspection.
run h --lang en report --district 雁塔区
check_eq "without --period, the campaign's period from evaluation.rules" 5 \
    "$(csv_cell "$TMP/out" 雁塔区 Findings)"

# Publication on time, from the publication form in the data directory (a small one of the
# test's own where none is shipped): October's list published on the 9th (late: due by the
# 5th), November's on the 4th.
[ -e "$DATA/forms/publication.form" ] || cat >"$DATA/forms/publication.form" <<'FORM'
form publication
version 1
label 名单公布 | Publication
id-format GS-{seq:4}
field id
  type id
  label 编号 | ID
field name
  type text
  label 名称 | Name
  required
field month
  type text
  label 月份 | Month
  required
field published_on
  type date
  label 公布日期 | Published on
field corrects
  type text
  label 更正 | Corrects
FORM
must new publication name=十月名单 month=2026-10 published_on=2026-10-09 >/dev/null
must new publication name=十一月名单 month=2026-11 published_on=2026-11-04 >/dev/null
run h --lang en report --period 2026-10-01..2026-11-30
check_eq "one of the period's two months published by the 5th" 50.0% \
    "$(csv_cell "$TMP/out" 雁塔区 'Published on time')"
run h --lang en report "$P"
cp "$TMP/out" "$TMP/r.csv"
check_eq "November's list on time" 100.0% "$(yt 'Published on time')"
check_eq "the same for every district" 100.0% "$(bl 'Published on time')"
check_eq "雁塔区's score with publication weighed: 50.1 of 100" 50.1 "$(yt Score)"
check_eq "a district with no institution still has no score" - "$(csv_cell "$TMP/out" 新城区 Score)"

# ---- refusals ----
run h report --period 2026-11-30..2026-11-01
check_status "a period that ends before it starts: exit 2" 2
check_grep "saying so" "$TMP/err" "2026-11-30 is after 2026-11-01"
run h report --period 2026-11
check_status "a period that is not FROM..TO: exit 2" 2
run h report --district 北京
check_status "a district not of the city: exit 2" 2
run h report --format pdf
check_status "an unknown format: exit 2" 2
printf 'measure coverage 90 100 0\n' >"$DATA/forms/evaluation.rules"
run h report
check_status "weights that do not total 100: exit 3" 3
check_grep "naming the file" "$TMP/err" "evaluation.rules: the weights total 90, not 100"
rm "$DATA/forms/evaluation.rules"

# ---- HTML through Chromium ----
run h report "$P" --format html -o "$TMP/r.html"
check_status "the HTML report is written" 0
check_grep "the district's name in the HTML" "$TMP/r.html" "雁塔区"
pdf_of() {	# HTML PDF: Chromium prints the file
	HOME=$TMP timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$TMP/chromium" --no-pdf-header-footer --print-to-pdf="$2" \
	    "file://$1" >"$TMP/chromium.log" 2>&1
}
if command -v chromium >/dev/null && command -v pdfinfo >/dev/null &&
    command -v pdftotext >/dev/null; then
	pdf_of "$TMP/r.html" "$TMP/r.pdf"
	pdfinfo "$TMP/r.pdf" >"$TMP/pdfinfo" 2>&1
	pdftotext -layout "$TMP/r.pdf" "$TMP/r.txt" 2>/dev/null
	size=$(awk '/^Page size:/ { printf "%d x %d", $3 + 0.5, $5 + 0.5 }' "$TMP/pdfinfo")
	check_eq "A4 landscape (842 x 595 pt)" "842 x 595" "$size"
	check_grep "two pages: the scores, then the findings per check" "$TMP/pdfinfo" \
	    "Pages:           2"
	pdftotext -layout -f 1 -l 1 "$TMP/r.pdf" "$TMP/p1.txt" 2>/dev/null
	check_grep "every district's score on the first page" "$TMP/p1.txt" "周至县"
	check_grep "the title" "$TMP/r.txt" "督导检查综合考评"
	check_grep "the period in Chinese" "$TMP/r.txt" "2026年11月1日至2026年11月30日"
	check_eq "雁塔区 with its score and rank" "50.1 2" \
	    "$(grep '^ *雁塔区 .*%' "$TMP/r.txt" | awk '{ print $(NF-1), $NF }')"
	check_eq "碑林区 with its score and rank" "100.0 1" \
	    "$(grep '^ *碑林区 .*%' "$TMP/r.txt" | awk '{ print $(NF-1), $NF }')"
	check_grep "the weights under the table" "$TMP/r.txt" "权重：检查覆盖率 30"
else
	for what in "A4" "two pages" "first page" "title" "period" "雁塔区" "碑林区" "weights"; do
		ok "# SKIP no chromium, pdfinfo or pdftotext: $what"
	done
fi

# The orders are counted from the rectification tally: two more orders of the verified one's
# combination (person, state, deadline, district) make one tally entry stand for three.
check_grep "the rectification tally holds the district" "$DATA/forms/rectification.form" \
    "tally responsible state deadline district"
for i in 1 2; do
	must new rectification institution="$yt_b" check=rules finding="制度不全$i" \
	    deadline=2026-11-15 responsible=RY-00001 state=verified >/dev/null
done
run h --lang en report "$P"
check_status "report after two more verified orders" 0
cp "$TMP/out" "$TMP/r.csv"
check_eq "雁塔区: seven orders due (one tally entry counts three)" 7 "$(yt 'Orders due')"
check_eq "雁塔区: three of them verified" 42.9% "$(yt 'Closure rate')"
check_eq "雁塔区: still four past due and open" 4 "$(yt 'Overdue orders')"

done_testing
