#!/usr/bin/env bash
# tally.sh — the tallies never drift: the institutions' (counts per district × status × funds ×
# deadline, for the dashboard) and the rectification orders' (per responsible × state ×
# deadline, for the people screen's counts). After init --demo, sets, an import, moves, a
# revert and a rebuild, "huitou verify" (which counts the records again and compares them
# with the tallies, one line per difference) is clean. tests/unit/test-dashboard checks the
# dashboard's counts from the tally against the records'.
. "$(dirname "$0")/lib.sh"

D=$TMP/d
A=$D/audit.git
"$HUITOU" -d "$D" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
h() { "$HUITOU" -d "$D" "$@"; }
# clean NAME: verify passes and reports no tally difference.
clean() {
	run h verify
	check_status "$1: verify is clean" 0
	check_no_grep "$1: no tally difference" "$TMP/out" "tally of"
	check_no_grep "$1: no tally difference (stderr)" "$TMP/err" "tally of"
}

clean "after init --demo"
h export institution >"$TMP/all.csv"
ids=($(tail -n +2 "$TMP/all.csv" | cut -d, -f1 | head -6))

run h set --reason 测试 "${ids[0]}" status=rectifying rectify_deadline=2026-11-01
check_status "a set of status and deadline is saved" 0
run h set "${ids[1]}" district=610113
check_status "a set of the district is saved" 0
run h set "${ids[2]}" phone=13912345678
check_status "a set of another field is saved" 0
run h set "${ids[5]}" prepaid=yes funds_status=partial
check_status "a set of the funds fields (in the tally: the dashboard's funds line) is saved" 0
clean "after sets"

printf 'name,district,category,status,rectify_deadline\n' >"$TMP/in.csv"
for i in 1 2 3 4 5; do printf '计数培训学校%s,610113,subject,rectifying,2026-10-0%s\n' "$i" "$i"; done >>"$TMP/in.csv"
run h import institution "$TMP/in.csv"
check_status "an import is saved" 0
clean "after an import"

run h move "${ids[3]}" rectifying --reason "检查不合格"
check_status "a move that sets the status is saved" 0
clean "after a move"

run h set --reason 测试 "${ids[4]}" status=banned
before=$(git -C "$A" rev-parse main)
run h revert "$before"
check_status "a revert is saved" 0
clean "after a revert"

# The rectification orders' tally: moves that change the state, sets of the person and the
# deadline, and a revert of them.
check_grep "the rectification form keeps a tally by person, state and deadline" \
    "$D/forms/rectification.form" "tally responsible state deadline"
h export rectification >"$TMP/zg.csv"
# person_deadline ID [CSV]: the order's responsible and deadline.
person_deadline() { awk -F, -v id="$1" '$1 == id { print $11 "," $10 }' "${2:-/dev/stdin}"; }
zg=($(awk -F, 'NR > 1 && $13 == "open" { print $1 }' "$TMP/zg.csv" | head -3))
[ ${#zg[@]} -eq 3 ] || { echo "Bail out! the demo has fewer than 3 open orders"; exit 1; }
run h move "${zg[0]}" in_progress
check_status "an order moved to in_progress" 0
run h set "${zg[1]}" response=已整改
run h move "${zg[1]}" submitted
check_status "an order moved to submitted" 0
run h move "${zg[0]}" open --reason "退回"
check_status "an order moved back to open" 0
clean "after moves of orders"
run h set "${zg[2]}" responsible=RY-00010 deadline=2026-11-01
check_status "a set of an order's person and deadline is saved" 0
set_commit=$(git -C "$A" rev-parse main)
run h set "${zg[1]}" deadline=2026-12-31
check_status "a set of an order's deadline is saved" 0
clean "after sets of orders"
check_eq "the set person and deadline show in the export" "RY-00010,2026-11-01" \
    "$(h export rectification | person_deadline "${zg[2]}")"
run h revert "$set_commit"
check_status "a revert of the set of an order's person and deadline is saved" 0
check_eq "the revert restored the order's person and deadline" \
    "$(person_deadline "${zg[2]}" "$TMP/zg.csv")" \
    "$(h export rectification | person_deadline "${zg[2]}")"
clean "after a revert of orders"

run h rebuild
check_status "rebuild succeeds" 0
clean "after a rebuild"

done_testing
