#!/usr/bin/env bash
# credit.sh — credit tiers (信用分级) and funds supervision (资金监管) on the command line:
# `huitou credit ID` explains a score line by line from forms/credit.rules (findings by check
# and severity, overdue and open orders, complaints, the black list), the count per tier; an
# override needs a reason, which is the commit's Reason trailer, and wins over the computed
# tier; `credit --update` writes the tiers that changed in one commit (checked with git show
# --stat) and nothing the second time; a changed credit.rules goes into that commit; an
# auditor may not update (a real Unix user, as root); and the flag of institutions that take
# prepaid fees without supervised funds, as a query.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }
h() { "$HUITOU" -d "$DATA" "$@"; }

new_city "$DATA"
clean=$(h new institution name=启明星教育培训学校 district=雁塔区 category=学科类) ||
    { echo "Bail out! new institution"; exit 1; }
bad=$(h new institution name=某某辅导中心 district=雁塔区 category=学科类 prepaid=yes \
    funds_status=partial funds_bank=西安银行 funds_account=6222000011112222)
black=$(h new institution name=黑名单培训点 district=碑林区 category=学科类 list=black prepaid=yes)
safe=$(h new institution name=资金已监管学校 district=碑林区 category=非学科类 prepaid=yes \
    funds_status=supervised)
order() {	# INSTITUTION CHECK SEVERITY DEADLINE STATE [VERIFIED_ON]
	h new rectification institution="$1" check="$2" severity="$3" finding=问题 deadline="$4" \
	    responsible=RY-00001 state="$5" ${6:+verified_on=$6} >/dev/null ||
	    { echo "Bail out! new rectification"; exit 1; }
}
order "$bad" safety critical 2026-11-20 open		# overdue (today is 2026-11-28)
order "$bad" platform minor 2026-11-10 in_progress	# overdue
order "$bad" disclosure minor 2026-12-20 open		# open
order "$bad" rules minor 2026-11-15 verified 2026-11-14	# verified on time
h new complaint channel=hotline received=2026-11-25 summary=超前教学 district=雁塔区 \
    institution="$bad" state=investigating >/dev/null || { echo "Bail out! new complaint"; exit 1; }

# ---- the explanation ----
run h credit "$bad"
check_status "credit ID explains an institution's tier" 0
check_eq "each contribution a line, the score and tier last" \
"$bad 某某辅导中心
tier: D (seriously untrustworthy) (computed)
stored tier: -, out of date: huitou credit --update
  starting score 100
  3 findings (Minor) −9
  1 findings (Safety, Critical) −20
  2 rectification orders overdue −20
  1 rectification orders open −2
  1 rectification orders verified on time +2
  1 complaints (Investigating) −2
  score 49: tier D (seriously untrustworthy)" "$(cat "$TMP/out")"
run h --lang zh credit "$bad"
check_grep "in Chinese: the overdue orders" "$TMP/out" "  2 项整改逾期 −20"
check_grep "in Chinese: the score and tier" "$TMP/out" "  得分 49：D级（严重失信）"
run h credit "$clean"
check_eq "a clean institution: the start score, tier A" "$clean 启明星教育培训学校
tier: A (trustworthy) (computed)
stored tier: -, out of date: huitou credit --update
  starting score 100
  score 100: tier A (trustworthy)" "$(cat "$TMP/out")"
# The black list counts as published: the month on it and the latest publication.
h publish 2026-11 --yes >/dev/null || { echo "Bail out! publish"; exit 1; }
run h credit "$black"
check_grep "the published black list counts, naming the month" "$TMP/out" \
    "  1 published months on the list Black (2026-11) −20"
check_grep "and the latest publication's black list" "$TMP/out" \
    "  on the list Black of the latest publication (2026-11) −30"
run h credit RY-00001
check_status "credit of a person is a usage error" 2
run h credit JG-610113-999999
check_status "an unknown institution is refused" 1

# ---- the count per tier ----
run h credit
check_eq "credit alone: institutions per tier, and how many are stale" \
"A (trustworthy)	2
B (mostly trustworthy)	0
C (untrustworthy)	0
D (seriously untrustworthy)	2
4 stored tiers out of date: huitou credit --update
funds flagged (prepaid=yes funds_status!=supervised): 2" "$(cat "$TMP/out")"

# ---- an override needs a reason, kept in the commit ----
run h set "$clean" credit_override=C --reason "媒体曝光虚假宣传"
check_status "an override with a reason is written" 0
check_eq "the reason is the commit's Reason trailer" "媒体曝光虚假宣传" \
    "$(g log -1 --format='%(trailers:key=Reason,valueonly)' main | sed '/^$/d')"
check_eq "of that record" "$clean" "$(g log -1 --format='%(trailers:key=Record,valueonly)' main | sed '/^$/d')"
run h credit "$clean"
check_grep "the override wins over the computed tier" "$TMP/out" \
    "tier: C (untrustworthy) (override; computed A (trustworthy))"

# ---- --update: one commit with exactly the records that changed ----
before=$(count)
run h credit --update
check_status "credit --update runs" 0
check_eq "it says how many changed" "4 institutions changed tier in one commit" "$(cat "$TMP/out")"
check_eq "in one commit" "$((before + 1))" "$(count)"
check_eq "its subject counts them by tier" "信用等级更新 4 家：A 1、C 1、D 2" "$(g log -1 --format=%s main)"
check_eq "its Action" "credit.update" "$(g log -1 --format='%(trailers:key=Action,valueonly)' main | sed '/^$/d')"
check_eq "its Count" "4" "$(g log -1 --format='%(trailers:key=Count,valueonly)' main | sed '/^$/d')"
check_eq "the files it changed are the four institutions and the rules" \
    "forms/credit.rules $(for id in "$black" "$safe" "$clean" "$bad"; do
	printf 'institution/%s/%s/%s ' "$(echo "$id" | cut -d- -f2)" "$(echo "$id" | cut -d- -f3 | cut -c5-6)" "$id"
    done | sed 's/ $//')" \
    "$(g show --stat=200 --format= main | grep '|' | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
check_eq "the stored tier is the effective one: the override" "credit_tier: C" "$(h show "$clean" | grep '^credit_tier:')"
check_eq "the computed one where there is none" "credit_tier: D" "$(h show "$bad" | grep '^credit_tier:')"
check_eq "the body: id, from, to" "$bad - → D" "$(g log -1 --format=%b main | grep "^$bad")"
run h credit --update
check_eq "a second --update writes nothing" "$((before + 1))" "$(count)"
check_grep "and says so" "$TMP/out" "every stored tier is current; nothing was written"
run h credit
check_no_grep "nothing is stale any more" "$TMP/out" "out of date"
run h verify
check_status "the store equals git after the update" 0

# A change of the weights is in the commit that applies them.
sed -i 's/^latest black -30/latest black -5/' "$DATA/forms/credit.rules"
run h credit --update
check_eq "new weights change the black-listed one's tier" "1 institutions changed tier in one commit" "$(cat "$TMP/out")"
check_eq "and the rules file is in that commit" "forms/credit.rules" \
    "$(g show --name-only --format= main | grep '^forms/')"
echo "overdue ten" >>"$DATA/forms/credit.rules"
run h credit --update
check_status "a bad rules file is refused" 3
check_grep "as FILE:LINE: reason" "$TMP/err" "credit.rules:$(wc -l <"$DATA/forms/credit.rules"): 'ten' is not a number from -10000 to 10000"
cp "$top_srcdir/forms/credit.rules" "$DATA/forms/credit.rules"

# ---- funds supervision: the flag ----
run h export institution --where 'prepaid=yes funds_status!=supervised'
check_eq "prepaid without supervised funds: flagged" "$black $bad" \
    "$(tail -n +2 "$TMP/out" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
run h export institution --where 'prepaid=是 and funds_status=部分监管'
check_eq "labels may name the values" "$bad" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"
check_eq "the bank and account are kept" "funds_bank: 西安银行" "$(h show "$bad" | grep '^funds_bank:')"
run h set "$bad" funds_status=supervised
run h export institution --where 'prepaid=yes funds_status!=supervised'
check_eq "supervised: no longer flagged" "$black" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"

# ---- an auditor may not update tiers (real users, as root) ----
if [ "$(id -u)" -ne 0 ]; then
	ok "an auditor's credit --update is refused # skip needs root"
	ok "and writes nothing # skip needs root"
	ok "an auditor reads a tier # skip needs root"
	done_testing
	exit 0
fi
tag=htc$$
au=${tag}au
cleanup_users() { userdel "$au" >/dev/null 2>&1; groupdel "$tag" >/dev/null 2>&1; }
trap 'cleanup_users; rm -rf "$TMP"' EXIT
groupadd "$tag" || { echo "Bail out! groupadd"; exit 1; }
useradd -M -N -g "$tag" -s /bin/sh "$au" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$tag" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
h new user login="$au" name=审计员 role=auditor >/dev/null
h set "$bad" credit_override=A --reason 复核后调整 >/dev/null
before=$(count)
run runuser -u "$au" -- "$HUITOU" -d "$DATA" credit --update
check_status "an auditor's credit --update is refused" 1
check_eq "and writes nothing" "$before" "$(count)"
run runuser -u "$au" -- "$HUITOU" -d "$DATA" credit "$bad"
check_grep "an auditor reads a tier" "$TMP/out" "tier: A (trustworthy) (override; computed"
done_testing
