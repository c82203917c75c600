#!/usr/bin/env bash
# console-dashboard-funds.sh — the funds flag on the dashboard (issue 15): institutions that
# collect prepaid fees without supervision (prepaid=yes funds_status!=supervised) counted on a
# summary line under the table (the cursor's district and the city), the statuses keeping
# their labels at 80 columns; Right past the last column reaches the line's numbers and Enter
# opens exactly those institutions, the district's or the city's; a change shows after C-l and
# verify agrees with the tally that counted it; a summary before a column is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

demo_data
# flagged [DISTRICT_CODE]: the ids of the flagged institutions (of one district), from the CSV.
flagged() {
	python3 - "$TMP/all.csv" "${1:-}" <<'PY'
import csv, sys
print(" ".join(r["id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
               if r["prepaid"] == "yes" and r["funds_status"] != "supervised"
               and sys.argv[2] in ("", r["district"])))
PY
}
n_of() { wc -w <<<"$1" | tr -d ' '; }
city=$(flagged)
first=$(flagged 610102)	# 新城区, the first row
[ "$(n_of "$city")" -gt "$(n_of "$first")" ] && [ "$(n_of "$first")" -gt 0 ] ||
    echo "# the demo has too few flagged institutions for this test"
check_eq "the form's tally holds the funds fields, so the line reads no record" \
    "tally district status rectify_deadline platform_entered prepaid funds_status" \
    "$(grep '^tally ' "$DATA/forms/institution.form")"

COLS=80 ROWS=24 start zh TERM=xterm-256color LANG=zh_CN.UTF-8
keys zh 2
check_screen "the dashboard" zh "[2] 治理看板"
screen zh
check_eq "at 80 columns the statuses keep their labels (no funds column)" \
    "所属区县  持证  无证无照  整改中  停办  取缔  合计  待处理  逾期" \
    "$(sed -n 2p "$TMP/screen" | sed 's/^ *//; s/ *$//')"
check_eq "the summary line under the city's row: the district's count and the city's" \
    "预付费未监管  新城区 $(n_of "$first")   西安市 $(n_of "$city")   prepaid=yes and funds_status!=supervised" \
    "$(grep '预付费未监管' "$TMP/screen" | sed 's/^ *//; s/ *$//')"
check_eq "it is the line after the city's" "西安市" \
    "$(grep -B1 '预付费未监管' "$TMP/screen" | head -1 | awk '{ print $1 }')"
check_no_grep "it is not in the legend" "$TMP/screen" "预付费未监管: "

# Right past 逾期 (total, 待处理, 逾期, the district's number): Enter opens the district's.
keys zh Right Right Right Enter
check_screen "Enter on the district's number: the district's flagged ones" zh \
    "$(n_of "$first")/240"
screen zh
check_eq "exactly the district's flagged institutions" "$first" \
    "$(grep -oE 'JG-[0-9]{6}-[0-9]{6}' "$TMP/screen" | paste -sd' ')"
keys zh q Right Enter
check_screen "Enter on the city's number: the city's flagged ones" zh "$(n_of "$city")/240"
screen zh
check_eq "exactly the city's flagged institutions (the first screenful)" \
    "$(tr ' ' '\n' <<<"$city" | head -"$(grep -cE 'JG-[0-9]{6}-[0-9]{6}' "$TMP/screen")" | paste -sd' ')" \
    "$(grep -oE 'JG-[0-9]{6}-[0-9]{6}' "$TMP/screen" | paste -sd' ')"
keys zh q Right
check_screen "Right stops at the city's number" zh "预付费未监管"

# The cursor's district follows the cursor.
keys zh Left Down Down Down Down
check_screen "down on 未央区: its count on the line" zh "预付费未监管  未央区 $(n_of "$(flagged 610112)")"

# A change: one more flagged in 新城区 shows after C-l; verify agrees with the tally.
one=$(python3 - "$TMP/all.csv" <<'PY'
import csv, sys
print([r["id"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))
       if r["district"] == "610102" and r["prepaid"] != "yes"][0])
PY
)
run "$HUITOU" -d "$DATA" set "$one" prepaid=yes funds_status=none
check_status "a set of the funds fields" 0
keys zh Up Up Up Up C-l
check_screen "after C-l the district counts one more" zh \
    "预付费未监管  新城区 $(($(n_of "$first") + 1))   西安市 $(($(n_of "$city") + 1))"
run "$HUITOU" -d "$DATA" verify
check_status "verify is clean: the tally agrees with the records" 0
check_no_grep "no tally difference" "$TMP/out" "tally of"
keys zh q
check_exit zh "the console leaves cleanly"

# English, 100 columns: the same line.
COLS=100 ROWS=30 start en TERM=xterm LANG=C.UTF-8
keys en 2
check_screen "English: the summary's label" en \
    "Prepaid, unsupervised  新城区 $(($(n_of "$first") + 1))   西安市 $(($(n_of "$city") + 1))"
keys en q
check_exit en "the console (English) leaves cleanly"

# A summary count before a column count is refused, naming the line.
mkdir -p "$DATA/views"
cat >"$DATA/views/dashboard.view" <<'EOF'
form institution
rows district
count funds
  where prepaid=yes
  summary
count open
  where status=unlicensed
EOF
COLS=80 ROWS=24 start bad TERM=xterm LANG=C.UTF-8
keys bad 2
check_screen "a column after a summary: refused as FILE:LINE" bad \
    "dashboard.view:6: the count 'open' is a column"
keys bad q
check_exit bad "the console leaves cleanly after the refusal"
done_testing
