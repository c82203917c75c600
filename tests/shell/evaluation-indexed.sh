#!/usr/bin/env bash
# evaluation-indexed.sh — the evaluation's inspections counted from the indexes (the shipped
# inspection.form indexes its ten checks) give the same report, byte for byte, as a copy of
# the data directory whose form indexes no check (the records read, as before); the numbers
# checked cell by cell (coverage with an inspection planned, one before the period, one of a
# banned institution and one inspected twice; findings per check); and the supervision screen
# counts a new inspection at once on C-l. The inspected institutions are few beside sixty
# others, so the covered ones are looked up in the indexes one by one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
. "$(dirname "$0")/casework-lib.sh"

DATA=$TMP/data
OLD=$TMP/old
must() { "$HUITOU" -d "$DATA" "$@" || echo "Bail out! $*"; }
P=--period=2026-09-01..2026-11-30

new_city "$DATA"
check_eq "the shipped inspection form indexes its checks" 10 \
    "$(grep -A6 '^field \(safety\|platform\|disclosure\|joint_enforcement\|licence\|filing_review\|rules\|unlicensed\|advertising\|moonlighting\)$' \
    "$DATA/forms/inspection.form" | grep -c '^  index$')"
a=$(must new institution name=甲培训学校 district=雁塔区 category=学科类)
b=$(must new institution name=乙培训学校 district=雁塔区 category=学科类)
c=$(must new institution name=丙培训学校 district=雁塔区 category=学科类)
d=$(must new institution name=丁培训学校 district=雁塔区 category=学科类)
e=$(must new institution name=戊培训学校 district=碑林区 category=学科类)
must set "$c" status=banned --reason 拒不整改 >/dev/null
# Sixty more in 新城区, never inspected: the few inspected institutions among many are looked
# up one by one in the institutions' indexes (evaluation.c's few_covered), not walked.
{ echo name,district,category; for i in $(seq 1 60); do echo "新城机构$i,新城区,学科类"; done; } \
    >"$TMP/more.csv"
must import institution "$TMP/more.csv" >/dev/null
inspect "$a" 2026-09-10 safety=fail platform=fail >/dev/null
inspect "$a" 2026-11-20 safety=fail rules=fail >/dev/null
inspect "$b" 2026-10-12 moonlighting=fail >/dev/null
inspect "$c" 2026-10-03 licence=fail >/dev/null
inspect "$d" 2026-08-20 advertising=fail >/dev/null # before the period
# shellcheck disable=SC2086
must new inspection institution="$d" date=2026-11-25 method=unannounced $PASSED_CHECKS \
    disclosure=fail >/dev/null	# planned: not counted
inspect "$e" 2026-11-05 disclosure=fail unlicensed=fail >/dev/null
cp -a "$DATA" "$OLD"
sed -i '/^  option na /{n;/^  index$/d}' "$OLD/forms/inspection.form"
check_eq "the copy's form indexes no check" 0 \
    "$(grep -A6 '^field safety$' "$OLD/forms/inspection.form" | grep -c '^  index$')"

"$HUITOU" -d "$DATA" --lang en report "$P" >"$TMP/new.csv" || echo "Bail out! report"
"$HUITOU" -d "$OLD" --lang en report "$P" >"$TMP/old.csv" || echo "Bail out! report old"
check_eq "the same report from the indexes and from the records" "" \
    "$(cmp "$TMP/old.csv" "$TMP/new.csv" 2>&1)"
yt() { csv_cell "$TMP/new.csv" 雁塔区 "$1"; }
check_eq "雁塔区: a and b of a, b, d (c banned) inspected in the period" 66.7% "$(yt Coverage)"
check_eq "雁塔区: six failed checks (c's licence counts; d's before the period, the planned not)" \
    6 "$(yt Findings)"
check_eq "雁塔区: safety failed twice" 2 "$(yt 'Findings: Safety')"
check_eq "雁塔区: licences once" 1 "$(yt 'Findings: Licences')"
check_eq "雁塔区: no disclosure (the planned one's)" 0 "$(yt 'Findings: Disclosure')"
check_eq "雁塔区: no advertising (before the period)" 0 "$(yt 'Findings: Illegal advertising')"
check_eq "碑林区: its one institution inspected" 100.0% "$(csv_cell "$TMP/new.csv" 碑林区 Coverage)"
check_eq "新城区: sixty institutions, none inspected" "60 0.0%" \
    "$(csv_cell "$TMP/new.csv" 新城区 Institutions) $(csv_cell "$TMP/new.csv" 新城区 Coverage)"
check_eq "碑林区: disclosure and unlicensed failed" "1 1" \
    "$(csv_cell "$TMP/new.csv" 碑林区 'Findings: Disclosure') $(csv_cell "$TMP/new.csv" 碑林区 'Findings: Unlicensed operation')"
for p in 2026-10-01..2026-10-31 2026-11-20..2026-11-20 2026-01-01..2026-12-31; do
	"$HUITOU" -d "$DATA" --lang en report --period=$p >"$TMP/new.csv"
	"$HUITOU" -d "$OLD" --lang en report --period=$p >"$TMP/old.csv"
	check_eq "$p: the same report both ways" "" "$(cmp "$TMP/old.csv" "$TMP/new.csv" 2>&1)"
done

# The screen: a new inspection of d, closed, counts at once on C-l (coverage of 雁塔区 from
# 2 of 3 to 3 of 3, its findings from 6 to 8).
open_supervision
check_screen "the supervision screen" s "督导考评 2026-09-01..2026-11-30"
screen s
check_eq "雁塔区: coverage and findings on the screen" "66.7% 6" \
    "$(row 雁塔区 | awk '{ print $3, $4 }')"
inspect "$d" 2026-11-26 safety=fail rules=fail >/dev/null
keys s C-l
wait_for s "100.0%" || true
check_eq "after C-l: the new inspection counted" "100.0% 8" \
    "$(row 雁塔区 | awk '{ print $3, $4 }')"
keys s q
keys s Q
check_exit s "huitou quits cleanly"
"$HUITOU" -d "$DATA" --lang en report "$P" >"$TMP/new.csv"
"$HUITOU" -d "$OLD" --lang en report "$P" >"$TMP/old.csv"
check_eq "the copy does not have it" 6 "$(csv_cell "$TMP/old.csv" 雁塔区 Findings)"
check_eq "the report has it" 8 "$(csv_cell "$TMP/new.csv" 雁塔区 Findings)"

done_testing
