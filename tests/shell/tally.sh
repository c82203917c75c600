#!/usr/bin/env bash
# tally.sh — the institutions' tally (counts per district × status × deadline, kept by the
# write path for the dashboard) never drifts: after init --demo, sets, an import, a move, a
# revert and a rebuild, "huitou verify" (which counts the records again and compares them
# with the tally, one line per difference) is clean. tests/unit/test-dashboard checks the
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
	check_no_grep "$1: no tally difference" "$TMP/out" "tally of institution"
	check_no_grep "$1: no tally difference (stderr)" "$TMP/err" "tally of institution"
}

clean "after init --demo"
h export institution >"$TMP/all.csv"
ids=($(tail -n +2 "$TMP/all.csv" | cut -d, -f1 | head -6))

run h set "${ids[0]}" status=rectifying rectify_deadline=2026-11-01
check_status "a set of status and deadline is saved" 0
run h set "${ids[1]}" district=610113
check_status "a set of the district is saved" 0
run h set "${ids[2]}" phone=13912345678
check_status "a set of another field is saved" 0
clean "after sets"

printf 'name,district,category,status,rectify_deadline\n' >"$TMP/in.csv"
for i in 1 2 3 4 5; do printf '计数培训学校%s,610113,subject,rectifying,2026-10-0%s\n' "$i" "$i"; done >>"$TMP/in.csv"
run h import institution "$TMP/in.csv"
check_status "an import is saved" 0
clean "after an import"

run h move "${ids[3]}" rectifying --reason "检查不合格"
check_status "a move that sets the status is saved" 0
clean "after a move"

run h set "${ids[4]}" status=banned
before=$(git -C "$A" rev-parse main)
run h revert "$before"
check_status "a revert is saved" 0
clean "after a revert"

run h rebuild
check_status "rebuild succeeds" 0
clean "after a rebuild"

done_testing
