#!/usr/bin/env bash
# lists.sh — the black and white lists published once a month: the rules of forms/lists.rules
# over fixed data (HUITOU_NOW 2026-11-28), manual decisions, "huitou publish" end to end with
# the real git as the oracle (the files of the one commit, the annotated tag and its message,
# the author and the Reason of a correction), a month refused a second time, a correction,
# "huitou lists" and "lists diff", the tag of a publication killed before it was made made by
# the next start, and the policy's refusal for a role other than the city's coordinators.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

me=$(id -un)
DATA=$TMP/data
chmod 711 "$TMP"
g() { git --git-dir="$DATA/audit.git" "$@"; }
h() { "$HUITOU" -d "$DATA" "$@"; }
count() { g rev-list --count main; }
# The rows of the notice's table under the heading holding $2: "id name district reason".
notice_rows() {
	awk -v h="$2" 'index($0, "<h2>") && index($0, h) { on = 1; next }
	    on && /<\/table>/ { exit } on' "$1" | tr -d '\n' | sed 's|<tr>|\n&|g; s|</tr>|&\n|g' |
	    sed -n 's|^<tr><td class="n">\([^<]*\)</td><td>\([^<]*\)</td><td class="d">\([^<]*\)</td><td class="d">[^<]*</td><td>\([^<]*\)</td></tr>$|\1 \2 \3 \4|p'
}

new_city "$DATA"
check_eq "init copies lists.rules beside the forms" "$(cat "$top_srcdir/forms/lists.rules")" \
    "$(cat "$DATA/forms/lists.rules")"

# ---- fixed data: one institution for each case of the rules ----
inst() { h new institution district=610113 "$@" >/dev/null || echo "Bail out! new institution $*"; }
inst name=白一非学科 category=non_subject				# 1 white: licensed
inst name=学科无备案 category=subject				# 2 none: subject, no approved filing
inst name=学科有备案 category=subject				# 3 white: approved filing
inst name=严重未整改 category=non_subject				# 4 none: open serious order
inst name=一般未整改 category=non_subject				# 5 white: open order, not serious
inst name=已取缔 category=non_subject status=banned			# 6 black: banned
inst name=已拉黑 category=non_subject list=black			# 7 black: list black
inst name=停办逾期 category=non_subject status=suspended escalation=suspended	# 8 black: refusing
inst name=停办未逾期 category=non_subject status=suspended escalation=suspended	# 9 none
inst name=决定移出 category=non_subject				# 10 kept off by a decision
inst name=无证 category=non_subject status=unlicensed			# 11 none
J() { printf 'JG-610113-%06d' "$1"; }
h new filing institution="$(J 3)" class_name=数学 state=approved >/dev/null
h new filing institution="$(J 2)" class_name=语文 state=review >/dev/null
order() { h new rectification institution="$(J "$1")" check="$2" finding=问题 deadline="$3" \
    responsible=RY-00001 >/dev/null || echo "Bail out! order $*"; }
order 4 safety 2026-12-31
order 5 platform 2026-12-31
order 8 platform 2026-11-01
order 9 platform 2026-12-31
h new rectification institution="$(J 1)" check=safety finding=已整改 deadline=2026-11-01 \
    responsible=RY-00001 state=verified >/dev/null

# ---- the preview of the first publication ----
before=$(count)
run h publish 2026-10 --dry-run
check_status "publish --dry-run succeeds" 0
check_eq "the dry run commits nothing" "$before" "$(count)"
check_eq "black: banned, marked, refusing, with the rules' words" \
"black	+	$(J 6)	已取缔	已被依法取缔
black	+	$(J 7)	已拉黑	已被列入黑名单
black	+	$(J 8)	停办逾期	停办后仍拒不整改（整改逾期未完成）" "$(grep '^black' "$TMP/out")"
check_eq "white: licensed (a verified order is closed), with an approved filing, a minor order open" \
"white	+	$(J 1)	白一非学科	持证办学，无未整改的严重问题
white	+	$(J 3)	学科有备案	持证办学，无未整改的严重问题
white	+	$(J 5)	一般未整改	持证办学，无未整改的严重问题
white	+	$(J 10)	决定移出	持证办学，无未整改的严重问题" "$(grep '^white' "$TMP/out")"
check_grep "the counts" "$TMP/out" "# white list: 4 (+4 -0); black list: 3 (+3 -0)"

run h publish 2026-10 </dev/null
check_status "without --yes and no terminal: refused" 2
check_eq "nothing committed" "$before" "$(count)"

# ---- the first publication, checked with git ----
run h publish 2026-10 --yes
check_status "publish 2026-10 --yes" 0
check_grep "it says what it made" "$TMP/out" "published 2026-10 as GB-0001 with the tag lists/2026-10: white list 4, black list 3"
check_eq "one commit" "$((before + 1))" "$(count)"
check_eq "the commit's files: the lists, the notice, the rules, the record" \
"forms/lists.rules
lists/2026-10/black.csv
lists/2026-10/notice.html
lists/2026-10/white.csv
publication/01/GB-0001" "$(g show --format= --name-only main)"
check_eq "white.csv: id, name, district, street, reason" \
"id,name,district,street,reason
$(J 1),白一非学科,雁塔区,,持证办学，无未整改的严重问题
$(J 3),学科有备案,雁塔区,,持证办学，无未整改的严重问题
$(J 5),一般未整改,雁塔区,,持证办学，无未整改的严重问题
$(J 10),决定移出,雁塔区,,持证办学，无未整改的严重问题" "$(g show main:lists/2026-10/white.csv)"
check_eq "black.csv has the three" 4 "$(g show main:lists/2026-10/black.csv | wc -l)"
g show main:lists/2026-10/notice.html >"$TMP/notice.html"
check_grep "the notice is in Chinese with the counts" "$TMP/notice.html" "白名单 4 家，黑名单 3 家"
check_eq "the notice: the white list, then the black list, each under its heading and count" \
"<h2>一、白名单（4 家）</h2>
<h2>二、黑名单（3 家）</h2>" "$(grep '<h2>' "$TMP/notice.html")"
check_eq "two tables" 2 "$(grep -c '^<table>' "$TMP/notice.html")"
check_eq "the white table: its four, in id order, with district and reason" \
"$(J 1) 白一非学科 雁塔区 持证办学，无未整改的严重问题
$(J 3) 学科有备案 雁塔区 持证办学，无未整改的严重问题
$(J 5) 一般未整改 雁塔区 持证办学，无未整改的严重问题
$(J 10) 决定移出 雁塔区 持证办学，无未整改的严重问题" "$(notice_rows "$TMP/notice.html" 白名单)"
check_eq "the black table: its three, with the rules' words" \
"$(J 6) 已取缔 雁塔区 已被依法取缔
$(J 7) 已拉黑 雁塔区 已被列入黑名单
$(J 8) 停办逾期 雁塔区 停办后仍拒不整改（整改逾期未完成）" "$(notice_rows "$TMP/notice.html" 黑名单)"
check_eq "lists/2026-10 is an annotated tag" tag "$(g cat-file -t lists/2026-10)"
check_eq "the tag names the commit" "$(g rev-parse main)" "$(g rev-parse 'lists/2026-10^{commit}')"
check_eq "the tag's message gives the counts" "公布 2026-10 黑白名单：白名单 4 家，黑名单 3 家

白名单 4 家，黑名单 3 家。" "$(g tag -l --format='%(contents)' lists/2026-10 | sed '/^$/N;/^\n$/D')"
check_eq "the tagger is the commit's author" "$(g log -1 --format='%an %ae %at' main)" \
    "$(g tag -l --format='%(taggername) %(taggeremail:trim) %(taggerdate:unix)' lists/2026-10)"
check_eq "the commit's author is the coordinator" "$me" "$(g log -1 --format=%an main)"
check_eq "its Action" lists.publish "$(g log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "the record holds the counts" "name: 2026-10|month: 2026-10|white_count: 4|black_count: 3|published_by: RY-00001" \
    "$(h show GB-0001 | grep -E '^(name|month|white_count|black_count|published_by):' | paste -sd'|')"

# ---- a month is published once ----
before=$(count)
run h publish 2026-10 --yes
check_status "a second publish of 2026-10 is refused" 1
check_grep "with a sentence saying to correct it" "$TMP/err" "to correct it, publish it again with --correct --reason TEXT"
check_eq "nothing committed" "$before" "$(count)"
run h publish 2026-10 --correct --yes
check_status "a correction without a reason: usage" 2

# ---- manual decisions override the rules ----
run h new listing institution="$(J 10)" list=none reason=已停止招生
check_status "a decision: kept off both lists" 0
h new listing institution="$(J 2)" list=white reason=备案材料已补齐 >/dev/null
h new listing institution="$(J 2)" list=black reason=先前误判 >/dev/null
h new listing institution="$(J 2)" list=white reason=复核后列入白名单 >/dev/null
check_eq "the decision is stamped with who and when" "decided_by: RY-00001|decided_on: 2026-11-28" \
    "$(h show MD-000001 | grep -E '^decided_(by|on):' | paste -sd'|')"

# ---- a correction ----
run h publish 2026-10 --correct --reason 漏列一家 --yes
check_status "the correction is published" 0
check_grep "as 2026-10-c1" "$TMP/out" "published 2026-10-c1 as GB-0002 with the tag lists/2026-10-c1"
check_grep "the preview: the newest decision puts one on the white list" "$TMP/out" \
    "white	+	$(J 2)	学科无备案	决定 MD-000004：复核后列入白名单"
check_grep "the preview: a decision keeps one off, and says which and why" "$TMP/out" \
    "white	-	$(J 10)	决定移出	决定 MD-000001：已停止招生"
check_eq "the correction is tagged" tag "$(g cat-file -t lists/2026-10-c1)"
check_grep "its tag message names what it corrects" <(g tag -l --format='%(contents)' lists/2026-10-c1) "更正 2026-10：漏列一家"
check_eq "its commit has the Reason" 漏列一家 "$(g log -1 --format='%(trailers:key=Reason,valueonly)' main | head -1)"
check_eq "its record names what it corrects" "corrects: GB-0001" "$(h show GB-0002 | grep '^corrects:')"
g show main:lists/2026-10-c1/notice.html >"$TMP/notice.html"
check_grep "the notice names what it corrects" "$TMP/notice.html" "本公告更正 2026-10 期公布的名单。更正理由：漏列一家"
check_eq "the first publication's files are unchanged" "$(g show lists/2026-10:lists/2026-10/white.csv)" \
    "$(g show main:lists/2026-10/white.csv)"

# ---- lists, lists diff ----
h set "$(J 1)" status=banned --reason 查实违规 >/dev/null
run h publish 2026-11 --yes
check_status "publish 2026-11" 0
run h lists
check_eq "lists: the publications, tab-separated" \
"2026-10	GB-0001	2026-11-28	4	3	
2026-10-c1	GB-0002	2026-11-28	4	3	2026-10
2026-11	GB-0003	2026-11-28	3	4	" "$(cat "$TMP/out")"
run h lists diff 2026-10 2026-11
check_status "lists diff" 0
check_eq "lists diff: added and removed per list, from git" \
"black	+	$(J 1)	白一非学科	已被依法取缔
white	-	$(J 1)	白一非学科	已被依法取缔
white	+	$(J 2)	学科无备案	决定 MD-000004：复核后列入白名单
white	-	$(J 10)	决定移出	本期未列入" "$(cat "$TMP/out")"
run h lists diff 2026-10 2026-09
check_status "lists diff of a month never published" 1
check_grep "says so" "$TMP/err" "no tag lists/2026-09"

run h verify
check_status "verify: the store equals git" 0
check_eq "git fsck is clean" "status 0" "$(g fsck --strict --no-dangling --no-progress 2>&1; echo "status $?")"

# ---- push sends the tags ----
git init -q --bare "$TMP/mirror.git"
run h push "$TMP/mirror.git"
check_status "push" 0
check_eq "the mirror has the tags" "lists/2026-10 lists/2026-10-c1 lists/2026-11" \
    "$(git --git-dir="$TMP/mirror.git" tag -l | paste -sd' ')"

# ---- killed after main moved, before the tag: the next start makes it ----
{ HUITOU_FAULT=audit-before-tag h publish 2026-12 --yes >/dev/null 2>&1; } 2>/dev/null
check_eq "killed before the tag (137)" 137 "$?"
check_eq "main has the publication" "公布 2026-12 黑白名单：白名单 3 家，黑名单 4 家" "$(g log -1 --format=%s main)"
check_eq "without its tag" "" "$(g tag -l lists/2026-12)"
run h lists
check_eq "the next start made the tag" tag "$(g cat-file -t lists/2026-12)"
check_eq "on that commit" "$(g rev-parse main)" "$(g rev-parse 'lists/2026-12^{commit}')"
check_eq "and its message" "白名单 3 家，黑名单 4 家。" "$(g tag -l --format='%(contents:body)' lists/2026-12 | head -1)"
run h verify
check_status "verify after the replay" 0

# ---- killed before the commit was made: the replay makes the commit and the tag ----
{ HUITOU_FAULT=store-committed h publish 2027-01 --yes >/dev/null 2>&1; } 2>/dev/null
check_eq "killed after the store committed (137)" 137 "$?"
check_eq "git lacks it" "" "$(g tag -l lists/2027-01)"
run h lists
check_eq "the replay made the tag" tag "$(g cat-file -t lists/2027-01)"
check_eq "on the replayed commit" "$(g rev-parse main)" "$(g rev-parse 'lists/2027-01^{commit}')"

# ---- a tag that names another commit is an error, not moved ----
old=$(g rev-parse main)
g -c user.name=x -c user.email=x@example.org tag -a -m 手工 lists/2027-02 "$old"
run h publish 2027-02 --yes
check_grep "a tag in the way: the publication says so" "$TMP/err" "the tag lists/2027-02 already names another commit"
check_eq "the tag was not moved" "$old" "$(g rev-parse 'lists/2027-02^{commit}')"
run h new listing institution="$(J 3)" list=white reason=再次确认
check_status "writes wait until the tag in the way is resolved (exit 3)" 3
g tag -d lists/2027-02 >/dev/null
run h lists
check_eq "once it is gone, the next start tags the publication" "$(g rev-parse main)" \
    "$(g rev-parse 'lists/2027-02^{commit}')"

# ---- the policy: only city coordinators publish and decide ----
if [ "$(id -u)" -ne 0 ]; then
	ok "publish refused to a district coordinator # skip needs root"
	ok "a decision refused to a district coordinator # skip needs root"
	done_testing
	exit 0
fi
grp=hls$$ dc=hls$$dc
trap 'userdel "$dc" >/dev/null 2>&1; groupdel "$grp" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$grp" || { echo "Bail out! groupadd"; exit 1; }
useradd -M -N -g "$grp" -s /bin/sh "$dc" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
h new user login="$dc" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
as() { run runuser -u "$dc" -- "$HUITOU" -d "$DATA" --lang en "$@"; }
before=$(count)
as publish 2027-03 --yes
check_status "publish as a district coordinator: refused" 1
check_grep "by the rule lists-by-city" "$TMP/err" "(rule lists-by-city)"
as new listing institution="$(J 3)" list=black reason=试图拉黑
check_status "a decision of their own district as a district coordinator: refused" 1
check_grep "by the rule lists-by-city" "$TMP/err" "(rule lists-by-city)"
check_eq "nothing committed" "$before" "$(count)"
as publish 2027-03 --dry-run
check_status "the preview is open to them" 0

# An office's own notice is checked when it is read: a table of a list that is no option.
mkdir -p "$DATA/templates"
sed 's/records list=black/records list=grey/' "$top_srcdir/templates/lists-notice.html" \
    >"$DATA/templates/lists-notice.html"
cp "$top_srcdir/templates/lists-notice.settings" "$DATA/templates/"
before=$(count)
run h publish 2027-03 --yes
check_status "a notice with {{#each records list=grey}}: refused" 3
check_grep "naming the line and why" "$TMP/err" \
    "lists-notice.html:$(grep -n 'list=grey' "$DATA/templates/lists-notice.html" | cut -d: -f1): the field list has no option 'grey'"
check_eq "nothing committed" "$before" "$(count)"
done_testing
