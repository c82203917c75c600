#!/usr/bin/env bash
# console-credit.sh — an institution's credit tier in the console (tmux, 80x24, Chinese and
# English): on its credit fields the form shows the computed tier and each contribution of
# forms/credit.rules (the values `huitou credit` prints), on its funds fields the flag of
# prepaid fees without supervised funds; the override is edited like any field and asks for a
# reason, refused without one, kept as the commit's Reason trailer (git is the oracle); the
# panel then names the override and the computed tier.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
. "$(dirname "$0")/term.sh"
h() { "$HUITOU" -d "$DATA" "$@"; }
trailer() { git_log -1 --format="%(trailers:key=$1,valueonly)" | sed '/^$/d'; }

new_city "$DATA"
inst=$(h new institution name=某某辅导中心 district=雁塔区 category=学科类 prepaid=yes \
    funds_status=partial) || { echo "Bail out! new institution"; exit 1; }
order() {	# CHECK SEVERITY DEADLINE STATE
	h new rectification institution="$inst" check="$1" severity="$2" finding=问题 deadline="$3" \
	    responsible=RY-00001 state="$4" >/dev/null || { echo "Bail out! new rectification"; exit 1; }
}
order safety critical 2026-11-20 open
order platform minor 2026-11-10 in_progress
order disclosure minor 2026-12-20 open

start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "1/1" || echo "# the console did not open"
keys c Enter
check_screen "the form opens" c "校外培训机构 $inst"
# The credit tier is the 13th field after the name.
keys c Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
check_screen "on the credit tier: the computed tier heads the panel" c \
    "信用等级 D级（严重失信）（按规则计算）；已存 -"
check_screen "the starting score" c "基础分 100"
check_screen "the findings by check and severity" c "1 项问题（安全管理，严重） −20"
check_screen "and by severity" c "2 项问题（一般） −6"
check_screen "the overdue orders" c "2 项整改逾期 −20"
check_screen "the open one" c "1 项整改未结 −2"
check_screen "the score and tier" c "得分 52：D级（严重失信）"
check_screen "the funds flag" c "资金监管：已标记，收取预付费而资金未监管（部分监管）"
run h --lang zh credit "$inst"
check_grep "the same values as huitou credit" "$TMP/out" "  得分 52：D级（严重失信）"

# The last field (funds status) shows the panel too; back to the override, four fields up.
keys c End
check_screen "on the funds status: the flag" c "资金监管：已标记"
keys c BTab BTab BTab BTab
check_screen "on the override" c "人工认定的等级，须说明理由"
before=$(commits)
keys c Right
check_screen "Right chooses a tier" c "信用等级调整  A级（守信）"
keys c C-s
check_screen "saving an override asks why" c "修改信用等级调整的理由："
keys c Escape
check_screen "without a reason it is refused" c "未保存：修改信用等级调整须说明理由"
check_eq "nothing committed" "$before" "$(commits)"
keys c C-s '复核后整改到位' Enter
check_screen "with a reason it saves" c "已保存 $inst"
check_eq "one commit" "$((before + 1))" "$(commits)"
check_eq "the reason is its Reason trailer" "复核后整改到位" "$(trailer Reason)"
check_eq "the store has the override" "A" "$(field "$inst" credit_override)"
check_screen "the panel names the override and the computed tier" c \
    "信用等级 A级（守信）（人工调整；计算结果 D级（严重失信））；已存 -"
keys c Escape q
check_exit c "the console quits"

# English: the same panel.
start e TERM=xterm LANG=C.UTF-8
wait_for e "1/1" || echo "# the console did not open"
keys e Enter Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab Tab
check_screen "English: the tier" e "Credit tier A (trustworthy) (override; computed D"
check_screen "English: the overdue orders" e "2 rectification orders overdue −20"
check_screen "English: the funds flag" e "Funds: FLAGGED, prepaid fees without supervised funds"
keys e Escape q
check_exit e "the English console quits"
done_testing
