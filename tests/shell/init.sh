#!/usr/bin/env bash
# init.sh — a data directory for a city from the bundled GB/T 2260 table.
. "$(dirname "$0")/lib.sh"

run "$HUITOU" -d "$TMP/xa" init --city 6101
check_status "init for Xi'an succeeds" 0
check_grep "Xi'an has 13 districts and counties and 172 streets" "$TMP/out" "西安市 (6101): 13 districts, 172 streets"
for f in "$TMP/xa/store/data.mdb" "$TMP/xa/forms/institution.form"; do
	if [ -f "$f" ]; then ok "init created ${f#"$TMP"/}"; else not_ok "init created ${f#"$TMP"/}"; fi
done
if cmp -s "$top_srcdir/forms/institution.form" "$TMP/xa/forms/institution.form"; then
	ok "the forms in force are copied into the data directory"; else not_ok "the forms in force are copied"; fi

run "$HUITOU" -d "$TMP/xa" init --city 6101
check_status "a second init is refused" 1
check_grep "it says the directory is taken" "$TMP/err" "already a huitou data directory"

run "$HUITOU" -d "$TMP/bj" init --city 110100
check_status "a 6-digit city code works" 0
check_grep "a municipality takes its province's name" "$TMP/out" "北京市 (1101): 16 districts"

run "$HUITOU" -d "$TMP/none" init --city 9999
check_status "an unknown city code is refused" 1
check_grep "the message names the code and an example" "$TMP/err" "no city has the code 9999"
if [ -e "$TMP/none/store/data.mdb" ]; then not_ok "nothing is created for an unknown city"; else ok "nothing is created for an unknown city"; fi

run "$HUITOU" -d "$TMP/none" init --city xian
check_status "a city code that is not digits is refused" 1
run "$HUITOU" -d "$TMP/none" init
check_status "init without --city is a usage error" 2

run "$HUITOU" -d "$TMP/demo" init --city 6101 --demo
check_status "init --demo succeeds" 0
check_eq "the demo data set has 240 institutions" 240 "$(rows "$TMP/demo")"
check_eq "demo districts all belong to the city" 0 \
	"$("$HUITOU" -d "$TMP/demo" export institution | tail -n +2 | cut -d, -f4 | grep -vc '^6101')"
check_eq "the demo covers every district" 13 \
	"$("$HUITOU" -d "$TMP/demo" export institution | tail -n +2 | cut -d, -f4 | sort -u | wc -l)"

done_testing
