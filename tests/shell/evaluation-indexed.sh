#!/usr/bin/env bash
# evaluation-indexed.sh — the evaluation's inspections counted three ways give the same
# report, byte for byte: from the tally (the shipped inspection.form: per state, date,
# district and institution, with each check's failures counted), from the indexes (a copy
# whose form keeps no tally) and from the records (a copy whose form has no tally and indexes
# no check). The numbers checked cell by cell (coverage with an inspection planned, one
# before the period, one of a banned institution and one inspected twice; findings per
# check); a check passed after all and an inspection moved out of the period follow at once,
# with verify clean; an institution counts as covered in the district its inspection names;
# and the supervision screen counts a new inspection at once on C-l.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
. "$(dirname "$0")/casework-lib.sh"

DATA=$TMP/data
OLD=$TMP/old
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
a2=$(inspect "$a" 2026-11-20 safety=fail rules=fail)
b1=$(inspect "$b" 2026-10-12 moonlighting=fail)
inspect "$c" 2026-10-03 licence=fail >/dev/null
inspect "$d" 2026-08-20 advertising=fail >/dev/null # before the period
# shellcheck disable=SC2086
must new inspection institution="$d" date=2026-11-25 method=unannounced $PASSED_CHECKS \
    disclosure=fail >/dev/null	# planned: not counted
inspect "$e" 2026-11-05 disclosure=fail unlicensed=fail >/dev/null
# copies: $IDX, a copy of $DATA whose inspection form keeps no tally, and $OLD, one that
# also indexes no check (each rebuilds its indexes when it first opens).
IDX=$TMP/idx
copies() {
	rm -rf "$IDX" "$OLD"
	cp -a "$DATA" "$IDX"
	sed -i '/^tally/d' "$IDX/forms/inspection.form"
	cp -a "$IDX" "$OLD"
	sed -i '/^  option na /{n;/^  index$/d}' "$OLD/forms/inspection.form"
}
# same_three NAME [REPORT ARGS]: the report of $DATA (into new.csv) is the copies', byte for
# byte.
same_three() {
	local name=$1
	shift
	"$HUITOU" -d "$DATA" --lang en report "$@" >"$TMP/new.csv" || echo "Bail out! report"
	"$HUITOU" -d "$IDX" --lang en report "$@" >"$TMP/idx.csv" || echo "Bail out! report idx"
	"$HUITOU" -d "$OLD" --lang en report "$@" >"$TMP/old.csv" || echo "Bail out! report old"
	check_eq "$name: the same report from the tally, the indexes and the records" "" \
	    "$(cmp "$TMP/idx.csv" "$TMP/new.csv" 2>&1; cmp "$TMP/old.csv" "$TMP/new.csv" 2>&1)"
}
copies
check_eq "the shipped form's tally counts the ten checks' failures" 10 \
    "$(grep '^tally-count ' "$DATA/forms/inspection.form" | tr ' ' '\n' | grep -c '=fail$')"
check_eq "the first copy's form keeps no tally" 0 "$(grep -c '^tally' "$IDX/forms/inspection.form")"
check_eq "the second copy's form indexes no check" 0 \
    "$(grep -A6 '^field safety$' "$OLD/forms/inspection.form" | grep -c '^  index$')"

same_three "$P" "$P"
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
for p in 2026-10-01..2026-10-31 2026-11-20..2026-11-20 2026-01-01..2026-12-31 \
    2026-09-10..2026-09-10 2026-09-11..2026-11-19; do
	same_three "$p" --period=$p
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

# After the fact: a's failed safety on 11-20 passed after all, b's inspection dated out of
# the period, and e moved to 雁塔区 (its inspection still names 碑林区). The tally follows
# each write; verify counts it again.
must set "$a2" safety=pass >/dev/null
must set "$b1" date=2026-08-30 >/dev/null
must set "$e" district=雁塔区 >/dev/null
run "$HUITOU" -d "$DATA" verify
check_status "verify is clean after the changes" 0
copies
same_three "after the changes" "$P"
check_eq "雁塔区: safety failed twice now (a's 09-10, d's), findings 6 (b's moved out)" "2 6" \
    "$(yt 'Findings: Safety') $(yt Findings)"
check_eq "雁塔区: a and d of a, b, d, e inspected in the period (b's moved out, e's is 碑林区's)" \
    "4 50.0%" "$(yt Institutions) $(yt Coverage)"
check_eq "碑林区: no institution now; e's inspection and its findings still count there" \
    "0 - 2" "$(csv_cell "$TMP/new.csv" 碑林区 Institutions) $(csv_cell "$TMP/new.csv" 碑林区 Coverage) $(csv_cell "$TMP/new.csv" 碑林区 Findings)"

# 300 inspections of d on one day, imported closed, 130 of them failing safety: one
# combination of the tally whose counts take more than a byte each.
{
	# shellcheck disable=SC2086
	echo "institution,district,date,method,inspector,state,$(printf '%s\n' $PASSED_CHECKS | cut -d= -f1 | paste -sd,)"
	# shellcheck disable=SC2086
	passed=$(printf '%s\n' $PASSED_CHECKS | cut -d= -f2 | paste -sd,)
	for i in $(seq 1 300); do
		checks=$passed
		[ "$i" -le 130 ] && checks=fail${passed#pass}
		echo "$d,雁塔区,2026-10-20,unannounced,RY-00001,done,$checks"
	done
} >"$TMP/many.csv"
must import inspection "$TMP/many.csv" >/dev/null
run "$HUITOU" -d "$DATA" verify
check_status "verify is clean after 300 inspections in one combination" 0
copies
same_three "300 inspections in one combination" "$P"
check_eq "雁塔区: 132 failing safety (a's 09-10, d's 11-26 and 130), 136 findings" "132 136" \
    "$(yt 'Findings: Safety') $(yt Findings)"

done_testing
