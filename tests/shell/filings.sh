#!/usr/bin/env bash
# filings.sh — subject-class filings (学科类培训备案) with an expert's review, on the command
# line, with real Unix users as root (a district coordinator and an expert, as policy.sh makes
# them): a filing submitted, taken and rejected by the expert as 超前超标 with a reason; the
# expert refused when changing anything else (the policy's "only" rule) or creating a record;
# the coordinator turning the rejection into a rectification order. git and DATA/security.log
# are the oracles. Without root the single-user checks run and the rest is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }
last_log() { tail -n 1 "$DATA/security.log" 2>/dev/null; }
trailer() { g log -1 --format="%(trailers:key=$1,valueonly)" main | sed '/^$/d'; }

# ---- one user (the city coordinator): the form, the machine's guards ----
new_city "$DATA"
check_eq "init copies the filing's form and states" "ok ok" \
    "$(cmp -s "$top_srcdir/forms/filing.form" "$DATA/forms/filing.form" && echo ok) $(cmp -s "$top_srcdir/forms/filing.states" "$DATA/forms/filing.states" && echo ok)"
"$HUITOU" -d "$DATA" new institution name=启明星教育培训学校 district=雁塔区 category=学科类 >/dev/null
"$HUITOU" -d "$DATA" new institution name=新城英才学校 district=新城区 category=学科类 >/dev/null
yt=JG-610113-000001 xc=JG-610102-000001
run "$HUITOU" -d "$DATA" new filing institution=$yt subject=数学
check_status "a filing needs its class name" 1
check_grep "the refusal names the field" "$TMP/err" "class_name"
run "$HUITOU" -d "$DATA" new filing institution=$yt class_name=初二数学提高班 subject=数学 \
    target=初中 submitted_on=2026-11-20 "class_times=周六 9:00-11:00"
check_status "a filing is made" 0
check_eq "its id is BA-{district}-{seq:6}, its district the institution's" "BA-610113-000001 610113 submitted" \
    "$(cat "$TMP/out") $(field BA-610113-000001 district) $(field BA-610113-000001 state)"
ba=BA-610113-000001
run "$HUITOU" -d "$DATA" set $ba state=approved
check_status "its state changes only by a move" 1
run "$HUITOU" -d "$DATA" move $ba approved
check_status "a submitted filing is not approved before review" 1
check_grep "the refusal says where it cannot go" "$TMP/err" "cannot go from Submitted to Approved"

if [ "$(id -u)" -ne 0 ]; then
	for what in "the expert takes the filing" "the expert rejects it as 超前超标" \
	    "the expert is refused outside the review" "the coordinator refers the rejection"; do
		ok "$what as another Unix user # skip needs root"
	done
	done_testing
	exit 0
fi

# ---- real users: a district coordinator of 雁塔区 and an expert ----
tag=htf$$
grp=$tag dc=${tag}dc ex=${tag}ex
cleanup_users() {
	for u in "$dc" "$ex"; do userdel "$u" >/dev/null 2>&1; done
	groupdel "$grp" >/dev/null 2>&1
}
trap 'cleanup_users; tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$grp" || { echo "Bail out! groupadd"; exit 1; }
useradd -M -N -g "$grp" -s /bin/sh -c 王芳 "$dc" || { echo "Bail out! useradd $dc"; exit 1; }
useradd -M -N -g "$grp" -s /bin/sh -c 李专家 "$ex" || { echo "Bail out! useradd $ex"; exit 1; }
as() { local u=$1; shift; run runuser -u "$u" -- "$HUITOU" -d "$DATA" --lang zh "$@"; }
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$dc" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
"$HUITOU" -d "$DATA" new user login="$ex" name=李专家 role=expert >/dev/null
dc_id=RY-00002 ex_id=RY-00003
gecos() { getent passwd "$1" | cut -d: -f5 | cut -d, -f1; }	# the author git shows

# The coordinator files a class of their district.
as "$dc" new filing institution=$yt class_name=初三物理冲刺班 subject=物理 target=初中 \
    "content=九年级电学、力学综合" submitted_on=2026-11-25
check_status "the district coordinator files a class" 0
bb=BA-610113-000002
check_eq "it is submitted" submitted "$(field $bb state)"

# The expert takes it: one commit stamping the expert and the day.
n=$(count)
as "$ex" move $bb review
check_status "the expert takes the filing for review" 0
check_eq "one commit, by the expert" "$((n + 1)) $(gecos "$ex") filing.take $ex_id" \
    "$(count) $(g log -1 --format=%an main) $(trailer Action) $(trailer Decided-By)"
check_eq "the filing names the expert and the day" "$ex_id 2026-11-28 review" \
    "$(field $bb expert) $(field $bb reviewed_on) $(field $bb state)"

# The determination is the expert's to write; a rejection needs one that is not compliant.
as "$ex" set $bb determination=未超前超标
check_status "the expert writes the determination" 0
as "$ex" move $bb rejected --reason 超纲
check_status "a compliant filing cannot be rejected" 1
check_grep "the refusal says why" "$TMP/err" "审核结论为未超前超标：审核不通过须审核结论为超前、超标或超前超标"
as "$ex" set $bb determination=超前超标
check_status "the expert corrects the determination" 0
as "$ex" move $bb rejected
check_status "a rejection without a reason is refused" 1
check_grep "the refusal asks for a reason" "$TMP/err" "--reason"
n=$(count)
as "$ex" move $bb rejected --reason "初三班讲授高中物理电磁感应，超前超标"
check_status "the expert rejects the filing as 超前超标 with a reason" 0
check_eq "in one commit authored by the expert's passwd name" "$((n + 1)) 李专家" \
    "$(count) $(g log -1 --format=%an main)"
check_eq "its Action and Decided-By" "filing.reject $ex_id" "$(trailer Action) $(trailer Decided-By)"
check_eq "its reason in the body" "初三班讲授高中物理电磁感应，超前超标" "$(g log -1 --format=%b main | head -n 1)"
check_eq "the subject says what happened" "备案 $bb 审核未通过" "$(g log -1 --format=%s main)"
check_eq "the filing keeps the determination and the reason" \
    "rejected ahead_beyond 初三班讲授高中物理电磁感应，超前超标" \
    "$(field $bb state) $(field $bb determination) $(field $bb review_reason)"
check_grep "the commit's diff shows the review's reason" <(g show --format= main) \
    "+review_reason: 初三班讲授高中物理电磁感应，超前超标"

# The expert is refused outside the review: the class name, an institution, a new record.
n=$(count)
as "$ex" set $ba class_name=初二数学培优班
check_status "the expert may not change a filing's class name" 1
check_grep "the refusal names the field, the rule and what it allows" "$TMP/err" \
    "专家 $ex 不能修改课程名称：$ba（规则 expert-filing-review：只能修改备案记录的审核专家、审核结论、审核意见、审核日期、状态）"
check_grep "in the security log" <(last_log) "login=$ex event=policy.refused"
check_grep "naming the rule there too" <(last_log) "expert-filing-review"
as "$ex" set $yt notes=专家备注
check_status "the expert may not change an institution" 1
check_grep "the refusal names the rule" "$TMP/err" "（规则 expert-nothing-else）"
check_grep "in the security log" <(last_log) "login=$ex event=policy.refused"
as "$ex" new filing institution=$yt class_name=专家自建班
check_status "the expert may not create a filing" 1
check_grep "the refusal says they may not create one" "$TMP/err" "专家 $ex 不能新建备案记录，只能修改审核专家"
check_grep "in the security log" <(last_log) "（规则 expert-filing-review）"
as "$ex" move $bb referred
check_status "the expert may not refer the rejection (it writes an order)" 1
check_grep "refused by the rule on other records" "$TMP/err" "（规则 expert-nothing-else）"
check_eq "nothing was committed" "$n" "$(count)"
check_eq "the class name is as it was" 初二数学提高班 "$(field $ba class_name)"

# The coordinator turns the rejection into a finding: one commit, a rectification order.
as "$dc" move $bb referred
check_status "the coordinator refers the rejection" 0
check_eq "one commit, by the coordinator" "$((n + 1)) $(gecos "$dc") filing.refer" \
    "$(count) $(g log -1 --format=%an main) $(trailer Action)"
zg=$(trailer Creates)
check_eq "which creates a rectification order" ZG-610113-000001 "$zg"
check_eq "of check filing_review, its finding the review's reason" \
    "filing_review 初三班讲授高中物理电磁感应，超前超标 $yt open" \
    "$(field "$zg" check) $(field "$zg" finding) $(field "$zg" institution) $(field "$zg" state)"
check_eq "severity and deadline from deadlines.rules (major, 15 days)" "major 2026-12-13" \
    "$(field "$zg" severity) $(field "$zg" deadline)"
check_eq "the coordinator answers for it (the institution names nobody)" "$dc_id" "$(field "$zg" responsible)"
check_eq "the filing is referred" referred "$(field $bb state)"
check_eq "git's tree has the order" 1 "$(g ls-tree -r --name-only main | grep -c "$zg\$")"
run "$HUITOU" -d "$DATA" verify
check_status "verify: git and the store agree" 0

done_testing
