#!/usr/bin/env bash
# evaluation-tallied.sh — the evaluation's complaints counted from the complaint form's tally
# (the shipped form tallies received and replied_on with the casework's fields) give the same
# report, byte for byte, as a copy of the data directory whose tally lacks them (every
# complaint read, as before): received, replied on time and late, past due unreplied, closed
# unreplied, before the period, two alike (one combination of the tally standing for two)
# checked cell by cell; on the supervision screen the late ones' cell opens a table of exactly
# them (their ids read only then); C-l counts again only when the store has changed since,
# and then a new late complaint is counted at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
. "$(dirname "$0")/casework-lib.sh"

DATA=$TMP/data
OLD=$TMP/old
# same PERIOD: the report of DATA and of OLD compared byte for byte
same() {
	"$HUITOU" -d "$DATA" --lang en report --period="$1" >"$TMP/new.csv" ||
	    echo "Bail out! report"
	"$HUITOU" -d "$OLD" --lang en report --period="$1" >"$TMP/old.csv" ||
	    echo "Bail out! report old"
	check_eq "$1: the same report from the tally and from the records" "" \
	    "$(cmp "$TMP/old.csv" "$TMP/new.csv" 2>&1)"
}

new_city "$DATA"
check_grep "the shipped complaint form tallies received and replied_on" \
    "$DATA/forms/complaint.form" 'tally district street state deadline received replied_on'
must new institution name=甲培训学校 district=雁塔区 category=学科类 >/dev/null
must new institution name=乙培训学校 district=碑林区 category=学科类 >/dev/null
# 雁塔区 in November (today 11-28): replied in 3 days; in 9, after its deadline; two alike in
# 11 days, before the deadline; past due unreplied (late); due after today; closed unreplied; no
# deadline; one received in October (late, not in the period). 碑林区: replied late in 10.
cat >"$TMP/comp.csv" <<'CSV'
channel,received,summary,district,deadline,state,replied_on
hotline,2026-11-02,sum-a,雁塔区,2026-11-09,replied,2026-11-05
hotline,2026-11-03,sum-b,雁塔区,2026-11-10,replied,2026-11-12
hotline,2026-11-05,sum-c,雁塔区,2026-11-20,replied,2026-11-16
hotline,2026-11-05,sum-d,雁塔区,2026-11-20,replied,2026-11-16
hotline,2026-11-04,sum-e,雁塔区,2026-11-11,assigned,
hotline,2026-11-26,sum-f,雁塔区,2026-11-30,assigned,
hotline,2026-11-06,sum-g,雁塔区,2026-11-13,closed,
hotline,2026-11-08,sum-h,雁塔区,,received,
hotline,2026-10-20,sum-i,雁塔区,2026-10-27,assigned,
hotline,2026-11-10,sum-j,碑林区,2026-11-17,replied,2026-11-20
CSV
run "$HUITOU" -d "$DATA" import complaint "$TMP/comp.csv"
check_status "the complaints imported" 0

cp -a "$DATA" "$OLD"
sed -i 's/^tally district street state deadline received replied_on$/tally district street state deadline/' \
    "$OLD/forms/complaint.form"
check_eq "the copy's tally lacks them" 1 \
    "$(grep -c '^tally district street state deadline$' "$OLD/forms/complaint.form")"

same 2026-11-01..2026-11-30
yt() { csv_cell "$TMP/new.csv" 雁塔区 "$1"; }
check_eq "雁塔区: the median of 3, 9, 11 and 11 days (c and d alike)" 10.0 "$(yt 'Response days (median)')"
check_eq "雁塔区: late: b replied after its deadline, e past it unreplied" 2 "$(yt 'Late replies')"
check_eq "碑林区: replied in 10 days, late" "10.0 1" \
    "$(csv_cell "$TMP/new.csv" 碑林区 'Response days (median)') $(csv_cell "$TMP/new.csv" 碑林区 'Late replies')"
for p in 2026-10-01..2026-11-30 2026-11-03..2026-11-05 2026-12-01..2026-12-31; do
	same $p
done
same 2026-10-01..2026-11-30
check_eq "October too: i, received in October and past due, late as well" 3 "$(yt 'Late replies')"
check_eq "verify: the tallies agree with the records" 0 \
    "$("$HUITOU" -d "$DATA" verify >/dev/null 2>&1; echo $?)"

# The screen: the late cell of 雁塔区 (the sixth district in code order; Right five times
# from the coverage) opens the two late complaints; a new complaint assigned on 11-06 (hotline:
# due 11-13, unreplied) is counted at once on C-l.
open_supervision
check_screen "the supervision screen" s "督导考评 2026-09-01..2026-11-30"
screen s
check_eq "雁塔区's response days and late ones on the screen" "10.0 3" \
    "$(row 雁塔区 | awk '{ print $7, $8 }')"
keys s j j j j j Right Right Right Right Right
check_screen "the late cell of 雁塔区 chosen" s "雁塔区 · 超期答复"
keys s Enter
check_screen "Enter: exactly its three late complaints" s " 举报 3/"
screen s
check_eq "b, e and i listed, a and d not" "1 1 1 0 0" \
    "$(for t in b e i a d; do grep -c "sum-$t" "$TMP/screen"; done | tr '\n' ' ' | sed 's/ $//')"
keys s q
keys s C-l
check_screen "C-l with nothing written since: the figures stand, not counted again" s \
    "统计后数据未变，数字仍然有效"
jb=$(must new complaint channel=hotline received=2026-11-06 summary=sum-k district=雁塔区)
must set "$jb" assignee=RY-00001 >/dev/null
must move "$jb" assigned >/dev/null
keys s C-l
wait_for s "已重新统计" || true
check_screen "a write since: counted again" s "已重新统计，用时"
screen s
check_eq "after C-l: the new late complaint counted" "10.0 4" \
    "$(row 雁塔区 | awk '{ print $7, $8 }')"
keys s Enter
check_screen "and listed behind the cell" s " 举报 4/"
keys s q
keys s q
keys s Q
check_exit s "huitou quits cleanly"
rm -rf "$OLD"
cp -a "$DATA" "$OLD"
sed -i 's/^tally district street state deadline received replied_on$/tally district street state deadline/' \
    "$OLD/forms/complaint.form"
same 2026-09-01..2026-11-30
check_eq "the report has it" 4 "$(yt 'Late replies')"

done_testing
