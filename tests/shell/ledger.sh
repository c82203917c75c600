#!/usr/bin/env bash
# ledger.sh — the joint-enforcement ledger (联合执法台账): entries made with `new` (the set
# fields by labels, 、 and spaces) and by `import` from CSV, queried by one of their actions;
# `huitou ledger` as CSV (exact rows, the district and period filters, refusals with their
# exit codes) and as HTML rendered in headless Chromium (the entries in the PDF, A4 landscape,
# the pages expected); and the ban of an unlicensed institution that a joint operation sealed
# (取缔无证机构), one commit with its trailers, a licensed one refused by the `when` guard.
# Chromium, pdfinfo and pdftotext must be installed (CI installs them).
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }
h() { "$HUITOU" -d "$DATA" "$@"; }

new_city "$DATA"
h new user login=wangfang name=王芳 role=district_coordinator district=雁塔区 \
    phone=13800000000 >/dev/null || { echo "Bail out! new user"; exit 1; }
flat=$(h new institution name=某小区辅导点 district=雁塔区 category=学科类 status=unlicensed \
    address=某小区3号楼) || { echo "Bail out! new institution"; exit 1; }
school=$(h new institution name=启明星教育培训学校 district=雁塔区 category=学科类) ||
    { echo "Bail out! new institution"; exit 1; }
other=$(h new institution name=碑林某培训点 district=碑林区 category=学科类 status=unlicensed) ||
    { echo "Bail out! new institution"; exit 1; }

# ---- entries through new ----
run h new enforcement date=2026-11-20 district=雁塔区 institution="$flat" kind=联合执法 \
    lead_department=教育 'departments=市场监管、公安 城管' 'actions=没收, 查封' \
    materials=教材20本 lead_person=RY-00002 'findings=居民楼内无证办学'
check_status "an entry is made with new" 0
zf1=$(cat "$TMP/out")
check_eq "its id from the district" "ZF-610113-000001" "$zf1"
check_eq "its actions stored in option order" "actions: sealed,confiscated" \
    "$(h show "$zf1" | grep '^actions:')"
check_eq "its departments by value" "departments: market,police,urban" \
    "$(h show "$zf1" | grep '^departments:')"
run h --lang zh show --labels "$zf1"
check_grep "shown by their labels joined by 、" "$TMP/out" "处置措施: 查封、没收"
run h new enforcement date=2026-11-20 district=雁塔区 'actions=sealed demolished'
check_status "an action that is no option is refused" 1
check_grep "naming it and the options" "$TMP/err" "'demolished' is not an option: use one of sealed"
zf2=$(h new enforcement date=2026-11-05 district=雁塔区 kind=unannounced \
    site_address=某小区5号楼302室 'actions=ordered_to_stop students_moved')
zf3=$(h new enforcement date=2026-10-30 district=雁塔区 institution="$school" actions=warned)
zf4=$(h new enforcement date=2026-11-10 district=碑林区 institution="$other" actions=sealed)

# ---- one through import ----
printf '执法日期,所属区县,执法对象,处置措施,检查发现\n2026-11-25,雁塔区,%s,"查封、摘牌",复查时再次查封\n' \
    "$school" >"$TMP/ledger.csv"
run h import enforcement "$TMP/ledger.csv"
check_status "an entry is imported from CSV with Chinese headers" 0
zf5=ZF-610113-000004
check_eq "the imported actions as values" "actions: sealed,signs_removed" \
    "$(h show "$zf5" | grep '^actions:')"
run h export enforcement --where 'actions=sealed'
check_eq "a query finds the entries whose actions include sealed" \
    "$zf4 $zf1 $zf5" "$(tail -n +2 "$TMP/out" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
run h export enforcement --where 'actions=查封 and actions=signs_removed'
check_eq "by label too, and both of two" "$zf5" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"
run h export enforcement --where 'actions!=sealed and district=雁塔区'
check_eq "and != the others" "$zf2 $zf3" \
    "$(tail -n +2 "$TMP/out" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"

# ---- the ledger as CSV ----
n=$(count)
run h --lang zh ledger --district 雁塔区 --from 2026-11-01 --to 2026-11-30
check_status "ledger prints a district's period" 0
check_eq "the labels as header and the rows in date order, as people read them" \
"编号,所属区县,街道/管委会,执法日期,行动类型,牵头部门,参与部门,执法对象,地点,检查发现,处置措施,没收物品,带队人员,备注
$zf2,雁塔区,,2026-11-05,暗访,教育,,,某小区5号楼302室,,责令停止、清退学员,,,
$zf1,雁塔区,,2026-11-20,联合执法,教育,市场监管、公安、城管,某小区辅导点,,居民楼内无证办学,查封、没收,教材20本,王芳,
$zf5,雁塔区,,2026-11-25,联合执法,教育,,启明星教育培训学校,,复查时再次查封,查封、摘牌,,," "$(cat "$TMP/out")"
check_eq "printing is no audit event" "$n" "$(count)"
run h ledger --district 610113 --from 2026/10/30 --to 2026-11-05 --format csv -o "$TMP/l.csv"
check_status "by code, with dates as people write them, into a file" 0
check_eq "the period's ends included" "$zf3 $zf2" \
    "$(tail -n +2 "$TMP/l.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
run h ledger --district 碑林区 --from 2026-11-01 --to 2026-11-30
check_eq "another district's entries only" "$zf4" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"
run h ledger --district 雁塔区 --from 2026-12-01 --to 2026-12-31
check_eq "a period without entries: the header alone" "1" "$(wc -l <"$TMP/out")"

run h ledger --district 火星区 --from 2026-11-01 --to 2026-11-30
check_status "a district that is not the city's is refused" 2
check_grep "saying so" "$TMP/err" "--district: '火星区' is no district of 西安市"
run h ledger --district 雁塔区 --from 2026-11-31 --to 2026-11-30
check_status "a date that is none is refused" 2
check_grep "saying why" "$TMP/err" "--from: '2026-11-31' is not a date (2026-11 has no day 31"
run h ledger --district 雁塔区 --from 2026-11-01 --to 十一月
check_status "a word for a date is refused" 2
check_grep "naming the option" "$TMP/err" "--to: '十一月' is not a date"
run h ledger --district 雁塔区 --from 2026-11-30 --to 2026-11-01
check_status "a period that ends before it starts is refused" 2
check_grep "saying so" "$TMP/err" "--from 2026-11-30 is after --to 2026-11-01"
run h ledger --district 雁塔区 --from 2026-11-01
check_status "a missing option is a usage error" 2
check_grep "showing the usage" "$TMP/err" "usage: huitou ledger --district D --from DATE --to DATE"
run h ledger --district 雁塔区 --from 2026-11-01 --to 2026-11-30 --format pdf
check_status "an unknown format is a usage error" 2
run h --lang zh ledger --district 火星区 --from 2026-11-01 --to 2026-11-30
check_grep "in Chinese too" "$TMP/err" "--district：“火星区”不是西安市的区县"

# ---- the ledger as HTML, rendered in Chromium ----
run h ledger --district 雁塔区 --from 2026-11-01 --to 2026-11-30 --format html -o "$TMP/l.html"
check_status "the ledger as HTML" 0
check_grep "its heading names the district" "$TMP/l.html" "区县：雁塔区（610113）"
check_grep "the period" "$TMP/l.html" "期间：2026年11月1日至2026年11月30日"
check_grep "the count" "$TMP/l.html" "共 3 条"
check_grep "the date printed" "$TMP/l.html" "打印日期：2026年11月28日"
check_eq "one row per entry" "3" "$(grep -c '^<tr><td>ZF-' "$TMP/l.html")"

# Many entries of another district, by import, for the pages.
{
	echo 'date,district,site_address,actions,findings'
	for i in $(seq 1 60); do
		printf '2026-11-%02d,莲湖区,莲湖某小区%d号楼,"sealed,confiscated",居民楼内无证开展学科类培训第%d次\n' \
		    $(( (i % 28) + 1 )) "$i" "$i"
	done
} >"$TMP/many.csv"
h import enforcement "$TMP/many.csv" >/dev/null || not_ok "import of 60 entries"
h ledger --district 莲湖区 --from 2026-11-01 --to 2026-11-30 --format html -o "$TMP/many.html"

pdf_of() {	# HTML PDF: Chromium prints the file
	HOME=$TMP timeout 120 chromium --headless --no-sandbox --disable-gpu \
	    --user-data-dir="$TMP/chromium" --no-pdf-header-footer --print-to-pdf="$2" \
	    "file://$1" >"$TMP/chromium.log" 2>&1
}
if command -v chromium >/dev/null && command -v pdfinfo >/dev/null &&
    command -v pdftotext >/dev/null; then
	pdf_of "$TMP/l.html" "$TMP/l.pdf"
	pdfinfo "$TMP/l.pdf" >"$TMP/pdfinfo" 2>&1
	pdftotext -layout "$TMP/l.pdf" "$TMP/l.txt" 2>/dev/null
	check_grep "Chromium prints three entries on one page" "$TMP/pdfinfo" "Pages:           1"
	size=$(awk '/^Page size:/ { printf "%d x %d", $3 + 0.5, $5 + 0.5 }' "$TMP/pdfinfo")
	check_eq "A4 landscape (842 x 595 pt)" "842 x 595" "$size"
	check_grep "the title" "$TMP/l.txt" "联合执法台账"
	for id in "$zf2" "$zf1" "$zf5"; do
		check_grep "entry $id is on paper" "$TMP/l.txt" "$id"
	done
	check_grep "the institution by name" "$TMP/l.txt" "某小区辅导点"
	check_grep "the actions by label" "$TMP/l.txt" "查封、没收"
	check_no_grep "no other district's entry" "$TMP/l.txt" "$zf4"
	pdf_of "$TMP/many.html" "$TMP/many.pdf"
	pdfinfo "$TMP/many.pdf" >"$TMP/pdfinfo" 2>&1
	pdftotext "$TMP/many.pdf" "$TMP/many.txt" 2>/dev/null
	check_grep "60 entries take three pages" "$TMP/pdfinfo" "Pages:           3"
	check_eq "every entry once" "60" "$(grep -o 'ZF-610104-0000[0-9][0-9]' "$TMP/many.txt" | sort -u | wc -l)"
	check_eq "the heading of the table on every page" "3" "$(grep -c '编号$' "$TMP/many.txt")"
else
	for what in "one page" "A4 landscape" "title" "entries" "name" "actions" "district" \
	    "pages" "every entry" "heading"; do
		not_ok "the PDF's $what: chromium, pdfinfo and pdftotext must be installed"
	done
fi

# ---- the ban of an unlicensed institution the operation sealed ----
n=$(count)
run h move "$school" banned --reason 查封后取缔
check_status "a licensed institution is refused by the when guard" 1
check_grep "naming its status" "$TMP/err" \
    "unlicensed institution banned only when Status (status) is Unlicensed: $school is Licensed"
run h move "$other" banned
check_status "a ban needs a reason" 1
run h move "$flat" banned --reason 联合执法查封后予以取缔
check_status "the sealed unlicensed institution is banned" 0
check_eq "its status is banned" "status: banned" "$(h show "$flat" | grep '^status:')"
check_eq "it is on the black list" "list: black" "$(h show "$flat" | grep '^list:')"
check_eq "who decided, and when" "escalated_by: RY-00001 escalated_on: 2026-11-28" \
    "$(h show "$flat" | grep -E '^escalated_(by|on):' | tr '\n' ' ' | sed 's/ $//')"
check_eq "in one commit" "$((n + 1))" "$(count)"
g log -1 --format=%B main >"$TMP/commit"
check_grep "its subject" "$TMP/commit" "校外培训机构 $flat 取缔无证机构"
check_grep "its reason" "$TMP/commit" "联合执法查封后予以取缔"
check_grep "its Action" "$TMP/commit" "Action: institution.ban-unlicensed"
check_grep "who decided" "$TMP/commit" "Decided-By: RY-00001"
check_grep "the states" "$TMP/commit" "To-State: banned"
check_eq "its author is the login" "$(id -un)" "$(g log -1 --format=%an main)"
run h move "$other" banned --reason 已查封
check_status "another district's sealed flat may be banned too" 0

done_testing
