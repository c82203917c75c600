#!/usr/bin/env bash
# lists-story.sh — issue 15's month end to end on the demo data, through the command line, with
# plain git as the auditor's oracle: an institution escalated to a ban and another kept off the
# white list by a decision show in the month's preview; the publication is one commit and an
# annotated tag whose counts are the files' lines; the diff against last month names both; the
# banned one's credit tier follows; a spot-check draw among the month's white list is re-checked
# from a fresh clone without huitou; the districts' evaluation counts the month as published
# on time and last month's (published late) as not. verify is clean at the end.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
g() { git --git-dir="$DATA/audit.git" "$@"; }
h() { "$HUITOU" -d "$DATA" --lang en "$@"; }
count() { g rev-list --count main; }
field() { h show "$1" | sed -n "s/^$2: //p"; }

h init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
check_eq "the demo published last month's lists" "tag" "$(g cat-file -t lists/2026-10)"

# Two institutions of last month's white list: one is escalated to a ban, one kept off by a
# decision of the city.
g show lists/2026-10:lists/2026-10/white.csv | tail -n +2 | cut -d, -f1 >"$TMP/white10"
banned=$(sed -n 1p "$TMP/white10")
kept_off=$(sed -n 2p "$TMP/white10")
[ -n "$banned" ] && [ -n "$kept_off" ] || { echo "Bail out! no white list last month"; exit 1; }
for step in "rectifying 复查发现超标培训" "suspended 逾期拒不整改" "banned 拒不整改，依法取缔"; do
	h move "$banned" ${step%% *} --reason "${step#* }" >/dev/null ||
	    echo "# the move to ${step%% *} failed"
done
check_eq "the ban put it on the black list" "banned black" \
    "$(field "$banned" status) $(field "$banned" list)"
run h new listing institution="$kept_off" list=none reason=家长投诉收费不规范，暂缓列入
check_status "a decision keeps another off both lists" 0

run h publish 2026-11 --dry-run
check_status "the preview" 0
check_grep "names the ban: off the white list" "$TMP/out" "$(printf 'white\t-\t%s' "$banned")"
check_grep "and onto the black list" "$TMP/out" "$(printf 'black\t+\t%s' "$banned")"
check_grep "names the decision's institution off the white list" "$TMP/out" \
    "$(printf 'white\t-\t%s' "$kept_off")"
check_grep "the removal says why: the decision and its reason" "$TMP/out" \
    "$(printf 'white\t-\t%s\t%s\t决定 MD-000004：家长投诉收费不规范，暂缓列入' "$kept_off" "$(field "$kept_off" name)")"
check_grep "the ban's removal from the white list says why: its black list reason" "$TMP/out" \
    "$(printf 'white\t-\t%s\t%s\t已被依法取缔' "$banned" "$(field "$banned" name)")"

before=$(count)
run h publish 2026-11 --yes
check_status "the publication" 0
check_eq "is one commit" "$((before + 1))" "$(count)"
check_eq "tagged lists/2026-11, an annotated tag" "tag" "$(g cat-file -t lists/2026-11)"
check_eq "the tag names that commit" "$(g rev-parse main)" "$(g rev-parse 'lists/2026-11^{commit}')"
white=$(g show main:lists/2026-11/white.csv | tail -n +2 | wc -l)
black=$(g show main:lists/2026-11/black.csv | tail -n +2 | wc -l)
check_grep "the tag's message gives the white count of the file" <(g tag -l --format='%(contents)' lists/2026-11) "$white"
check_grep "and the black count" <(g tag -l --format='%(contents)' lists/2026-11) "$black"
check_eq "the banned one is on the published black list" 1 \
    "$(g show main:lists/2026-11/black.csv | grep -c "^$banned,")"
check_eq "and neither is on the white list" 0 \
    "$(g show main:lists/2026-11/white.csv | grep -c "^$banned,\|^$kept_off,")"
check_grep "the notice names the month" <(g show main:lists/2026-11/notice.html) "2026年11月"
g show main:lists/2026-11/notice.html >"$TMP/notice.html"
check_eq "the notice: a white table with the file's count, then a black one" \
"<h2>一、白名单（$white 家）</h2>
<h2>二、黑名单（$black 家）</h2>" "$(grep '<h2>' "$TMP/notice.html")"
# The ids of the notice's table under the heading holding $1, one a line.
table_ids() {
	awk -v h="$1" 'index($0, "<h2>") && index($0, h) { on = 1; next }
	    on && /<\/table>/ { exit } on' "$TMP/notice.html" |
	    sed -n 's|^<tr><td class="n">\([^<]*\)</td>.*|\1|p'
}
check_eq "the white table's rows are white.csv's ids, in order" \
    "$(g show main:lists/2026-11/white.csv | tail -n +2 | cut -d, -f1)" "$(table_ids 白名单)"
check_eq "the black table's rows are black.csv's ids, the banned one among them" \
    "$(g show main:lists/2026-11/black.csv | tail -n +2 | cut -d, -f1)" "$(table_ids 黑名单)"
check_eq "the banned one is in the black table only" "0 1" \
    "$(table_ids 白名单 | grep -c "^$banned\$") $(table_ids 黑名单 | grep -c "^$banned\$")"
run h publish 2026-11 --yes
check_status "the month is published once" 1
run h lists diff 2026-10 2026-11
check_grep "lists diff: the ban, from git" "$TMP/out" "$(printf 'black\t+\t%s' "$banned")"
check_grep "lists diff: the decision" "$TMP/out" "$(printf 'white\t-\t%s' "$kept_off")"

# The ban and the black list weigh on the credit tier; the update writes it.
run h credit "$banned"
check_grep "the banned institution's computed tier is D" "$TMP/out" "D"
h credit --update >/dev/null
check_eq "credit --update stores it" D "$(field "$banned" credit_tier)"

# A spot check among this month's white list in 雁塔区, re-checked without huitou.
yt=$(g show main:lists/2026-11/white.csv | tail -n +2 | grep ',雁塔区,' | cut -d, -f1 | head -6 | paste -sd' ')
where="id=$(echo "$yt" | sed 's/ / or id=/g')"
run h draw --where "$where" --size 3 --public-source "福彩3D 2026-11-29 开奖号码"
check_status "a draw is announced" 0
cj=$(grep -o 'CJ-[0-9]*' "$TMP/out" | head -1)
run h draw "$cj" --public-value 527
check_status "and completed with the public value" 0
check_eq "three drawn, each of the population" 3 \
    "$(g show "main:draws/$cj/sample.csv" | tail -n +2 | cut -d, -f2 | grep -c -F -x -f <(echo "$yt" | tr ' ' '\n'))"
run h draw --verify "$cj"
check_status "huitou draw --verify agrees" 0
git clone -q --bare "$DATA/audit.git" "$TMP/clone.git"
run python3 "$top_srcdir/contrib/verify-draw" "$TMP/clone.git" "$cj"
check_status "contrib/verify-draw agrees from a fresh clone" 0

# The evaluation: a month's list is due by the 5th of that month (forms/evaluation.rules), so
# the demo's October list and November's (published today, 2026-11-28) are late; December's,
# published on the 3rd, is on time: one month of three once all three fell due.
HUITOU_NOW=2026-12-03 run h publish 2026-12 --yes
check_status "December's lists, on the 3rd" 0
HUITOU_NOW=2026-12-06 run h report --period 2026-10-01..2026-12-31 --district 雁塔区
check_status "the districts' report" 0
col=$(head -1 "$TMP/out" | tr ',' '\n' | grep -n -x 'Published on time' | cut -d: -f1)
check_eq "one month of three published on time" 33.3% "$(sed -n 2p "$TMP/out" | cut -d, -f"$col")"

run h verify
check_status "verify: the store equals git after the month" 0
done_testing
