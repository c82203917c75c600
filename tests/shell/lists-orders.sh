#!/usr/bin/env bash
# lists-orders.sh — the orders' facts of the lists (an open, a serious open, an overdue open
# order) read from the rectification form's indexes, only the open orders joined
# (lists-orders.c): each case of the rules over fixed data (HUITOU_NOW 2026-11-28: a deadline
# of today is not overdue, a closed order counts for nothing), and the same lists from a data
# directory whose form lacks the state's index-by, where every order is read whole, and from one
# whose orders' ids are longer than the open orders' table keeps in place. Then the
# publication's files: each member's name and street read from its record (two fields
# decoded), the notice's HTML escaped, checked with git.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
h() { "$HUITOU" -d "$DATA" "$@"; }
J() { printf 'JG-610113-%06d' "$1"; }
inst() { h new institution district=610113 category=non_subject "$@" >/dev/null ||
    echo "Bail out! new institution $*"; }
order() { h new rectification institution="$(J "$1")" check="$2" deadline="$3" state="$4" \
    finding=问题 responsible=RY-00001 >/dev/null || echo "Bail out! order $*"; }
lists_of() { "$HUITOU" -d "$1" publish 2026-10 --dry-run | grep -E '^(white|black)'; }

# casework: the institutions and their orders, in DATA
casework() {
	inst name=严重未整改				# 1 none: a serious order open
	inst name=严重已复查				# 2 white: the serious one verified, a minor one open
	inst name=停办逾期 status=suspended escalation=suspended	# 3 black: an order overdue
	inst name=今日到期 status=suspended escalation=suspended	# 4 none: due today, not overdue
	inst name=逾期已复查 status=suspended escalation=suspended	# 5 none: the overdue one verified
	inst name=两单一严重				# 6 none: one of two orders serious
	inst name=无整改				# 7 white: no order
	inst "name=甲&<乙>\"丙'" street=610113001 address=长安路1号	# 8 white: a street, HTML in its name
	order 1 advertising 2026-12-31 in_progress
	order 2 safety 2026-11-01 verified
	order 2 platform 2026-12-31 submitted
	order 3 platform 2026-11-27 open
	order 4 platform 2026-11-28 open
	order 5 platform 2026-11-01 verified
	order 6 rules 2026-12-31 open
	order 6 licence 2026-12-31 submitted
}

# The same casework where each order's id is longer (36 bytes) than the 24 kept in place.
DATA=$TMP/long
new_city "$DATA"
sed -i 's/^id-format ZG-{district}-{seq:6}$/id-format ZHENGGAI-RECTIFICATION-{district}-{seq:6}/' \
    "$DATA/forms/rectification.form"
casework
long_lists=$(lists_of "$DATA")
check_eq "the long ids' orders are 36 bytes" 36 \
    "$(h export rectification | grep -o 'ZHENGGAI-RECTIFICATION-[0-9]*-[0-9]*' | head -1 |
    tr -d '\n' | wc -c)"

DATA=$TMP/data
new_city "$DATA"
casework

expected="black	+	$(J 3)	停办逾期	停办后仍拒不整改（整改逾期未完成）
white	+	$(J 2)	严重已复查	持证办学，无未整改的严重问题
white	+	$(J 7)	无整改	持证办学，无未整改的严重问题
white	+	$(J 8)	甲&<乙>\"丙'	持证办学，无未整改的严重问题"
check_eq "the lists from the indexes: serious, overdue and closed orders told apart" \
    "$expected" "$(lists_of "$DATA")"

# The same data where the state has no index-by: every order read whole, the same lists.
cp -a "$DATA" "$TMP/plain"
sed -i '/^  index-by deadline$/d' "$TMP/plain/forms/rectification.form"
check_eq "the copy's form has no index-by" 0 \
    "$(grep -c index-by "$TMP/plain/forms/rectification.form")"
check_eq "the lists from every order read whole: the same" "$expected" "$(lists_of "$TMP/plain")"
check_eq "the lists with ids longer than kept in place: the same" "$expected" "$long_lists"

g() { git --git-dir="$DATA/audit.git" "$@"; }
run h publish 2026-10 --yes
check_status "publish 2026-10 --yes" 0
check_eq "white.csv: names and streets from the records" \
"id,name,district,street,reason
$(J 2),严重已复查,雁塔区,,持证办学，无未整改的严重问题
$(J 7),无整改,雁塔区,,持证办学，无未整改的严重问题
$(J 8),\"甲&<乙>\"\"丙'\",雁塔区,小寨路街道,持证办学，无未整改的严重问题" \
    "$(g show main:lists/2026-10/white.csv)"
check_grep "the notice: the name escaped, by runs" <(g show main:lists/2026-10/notice.html) \
    "<td>甲&amp;&lt;乙&gt;&quot;丙&#39;</td>"

done_testing
