#!/usr/bin/env bash
# board.sh — "huitou board": the task board's cards for scripts. The cards of 400 imported
# rectification orders equal what this test computes from "huitou export" (column of each
# state, overdue from the deadline and HUITOU_NOW, deadline order, done last id first, names of
# people, institutions and districts), with the forms' pair indexes (index-by) and without;
# the filters (district, person, mine, type, --where) and the text format; inspections on the board beside orders; a refused and an allowed move seen in
# the next board and in git; bad options exit 2.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/demo
"$HUITOU" -d "$DATA" init --city 6101 --demo --no-casework >/dev/null || { echo "Bail out! init --demo"; exit 1; }
hb() { "$HUITOU" -d "$DATA" "$@"; }

# 400 orders over three districts, four states, deadlines either side of today (2026-11-28).
python3 - >"$TMP/orders.csv" <<'PY'
import random
random.seed(12)
print("institution,district,check,finding,deadline,responsible,state,response")
for i in range(400):
    d = random.choice(["610102", "610103", "610113"])
    st = random.choice(["open", "in_progress", "submitted", "verified"])
    print("JG-%s-%06d,%s,safety,问题%d,2026-%02d-%02d,RY-%05d,%s,%s" % (d, random.randint(1, 5), d, i,
          random.choice([10, 11, 12]), random.randint(1, 28), random.randint(2, 5), st,
          "已整改" if st in ("submitted", "verified") else ""))
PY
run hb import rectification "$TMP/orders.csv"
check_status "400 orders are imported" 0

# expected TODAY [FILTER]: the board's CSV computed from the exports; FILTER is a Python
# expression over an order's row r.
expected() {
	hb export rectification >"$TMP/r.csv"
	hb export institution >"$TMP/i.csv"
	hb export user >"$TMP/u.csv"
	python3 - "$1" "${2:-True}" "$TMP" "$top_srcdir/contrib/data/divisions/areas.csv" <<'PY'
import csv, sys
today, flt, tmp, areas = sys.argv[1:5]
rd = lambda n: list(csv.DictReader(open(tmp + "/" + n, encoding="utf-8")))
inst = {r["id"]: r["name"] for r in rd("i.csv")}
users = {r["id"]: r["name"] for r in rd("u.csv")}
dist = {r["code"]: r["name"] for r in csv.DictReader(open(areas, encoding="utf-8"))}
column = {"open": "todo", "in_progress": "doing", "submitted": "verify", "verified": "done"}
rows = [r for r in rd("r.csv") if eval(flt)]
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["id", "column", "overdue", "deadline", "person", "person_name", "type", "state",
              "institution", "district"])
for col in ["todo", "doing", "verify", "done"]:
    cards = [r for r in rows if column[r["state"]] == col]
    if col == "done":
        cards.sort(key=lambda r: r["id"], reverse=True)
    else:
        cards.sort(key=lambda r: (r["deadline"], r["id"]))
    for r in cards:
        late = r["state"] != "verified" and r["deadline"] < today
        out.writerow([r["id"], col, "yes" if late else "no", r["deadline"], r["responsible"],
                      users[r["responsible"]], "rectification", r["state"],
                      inst[r["institution"]], dist[r["district"]]])
PY
}
# check_board NAME TODAY [FILTER] -- OPTIONS…: board --format csv with OPTIONS equals expected.
check_board() {
	local name=$1 today=$2 flt=$3
	shift 4
	expected "$today" "$flt" >"$TMP/want"
	HUITOU_NOW=$today hb board --format csv "$@" >"$TMP/got" 2>"$TMP/err"
	rc=$?
	if [ "$rc" -eq 0 ] && diff "$TMP/want" "$TMP/got" >"$TMP/diff"; then ok "$name"; else
		not_ok "$name" "status $rc" "$(head -c 1500 "$TMP/diff")" "$(cat "$TMP/err")"; fi
}

check_board "every order's card: its column, overdue, deadline order, names" 2026-11-28 True -- \
    --type rectification
check_eq "the orders fill every column, some overdue and some not" "todo doing verify done yes no" \
    "$(awk -F, 'NR > 1 { c[$2] = 1; o[$3] = 1 } END { printf "%s %s %s %s %s %s", c["todo"] ? "todo" : "",
        c["doing"] ? "doing" : "", c["verify"] ? "verify" : "", c["done"] ? "done" : "",
        o["yes"] ? "yes" : "", o["no"] ? "no" : "" }' "$TMP/got")"
check_board "HUITOU_NOW pins today: fewer are overdue on 2026-10-15" 2026-10-15 True -- \
    --type rectification
check_board "--district 新城区 (by name)" 2026-11-28 'r["district"] == "610102"' -- \
    --type rectification --district 新城区
check_board "--person by login, with --district" 2026-11-28 \
    'r["district"] == "610113" and r["responsible"] == "RY-00003"' -- \
    --type rectification --person edu610103 --district 610113
check_board "--where deadline<2026-11-01 and state=open" 2026-11-28 \
    'r["deadline"] < "2026-11-01" and r["state"] == "open"' -- \
    --type rectification --where 'deadline<2026-11-01 and state=open'

# A data directory whose forms have no index-by (made before it): the board crosses the state
# and deadline indexes itself, and shows the same cards.
cp -a "$DATA" "$TMP/old"
sed -i '/index-by/d' "$TMP/old/forms/rectification.form" "$TMP/old/forms/inspection.form"
DATA=$TMP/old
check_board "without index-by: the same cards" 2026-11-28 True -- --type rectification
check_board "without index-by: --district, today pinned earlier" 2026-10-15 \
    'r["district"] == "610103"' -- --type rectification --district 碑林区
check_board "without index-by: --where" 2026-11-28 'r["state"] != "verified" and r["deadline"] >= "2026-12-01"' -- \
    --type rectification --where 'state!=verified and deadline>=2026-12-01'
DATA=$TMP/demo

# An inspection beside the orders: on the board in its own column, by its date and inspector.
jc=$(hb new inspection institution=JG-610113-000002 date=2026-11-27 method=unannounced \
    inspector=RY-00007 | tail -n 1)
run hb board --format csv
check_grep "an inspection planned for yesterday is an overdue to-do card of its inspector" \
    "$TMP/out" "$jc,todo,yes,2026-11-27,RY-00007,杨帆,inspection,planned"
run hb board --format csv --type inspection
check_eq "--type inspection shows only it" "1" "$(tail -n +2 "$TMP/out" | wc -l)"
run hb board --format csv --where 'method=unannounced'
check_eq "--where with a field only inspections have leaves the orders out" "$jc" \
    "$(tail -n +2 "$TMP/out" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
run hb board --format csv
check_eq "without filters every card is on the board: 400 orders and the inspection" 401 \
    "$(tail -n +2 "$TMP/out" | wc -l)"

# --mine: the login running the test is the city coordinator RY-00001, who has no card yet.
run hb board --mine
check_eq "--mine: no card of RY-00001 yet" "0 0" "$rc $(wc -l <"$TMP/out")"
zg=$(hb new rectification institution=JG-610104-000001 check=licence finding=无证 \
    deadline=2026-11-30 responsible=RY-00001 | tail -n 1)
run hb board --mine --format csv
check_eq "--mine: the order given to RY-00001" "$zg,todo,no,2026-11-30,RY-00001" \
    "$(tail -n +2 "$TMP/out" | cut -d, -f1-5)"

# A few cards of one person in every column: a filter that lets so few through reads their
# records (a narrow board), in the same order as the indexes give.
for st in in_progress submitted verified verified open; do
	hb new rectification institution=JG-610116-000003 check=rules finding=制度缺失 \
	    deadline=2026-11-2$((RANDOM % 9)) responsible=RY-00001 state=$st response=已整改 >/dev/null
done
check_board "--mine with cards in every column (few: read from the records)" 2026-11-28 \
    'r["responsible"] == "RY-00001"' -- --type rectification --mine
check_eq "those are six cards" 7 "$(wc -l <"$TMP/got")"

# The text format: aligned in display columns, Chinese names counting two.
run hb board --type rectification --district 碑林区
check_eq "text: one line a card" "$(HUITOU_NOW=2026-11-28 hb board --format csv --type rectification \
    --district 碑林区 | tail -n +2 | wc -l)" "$(wc -l <"$TMP/out")"
check_eq "text: the deadline and the person start in the same display column on every line" "1 1" \
    "$(python3 - "$TMP/out" <<'PY'
import re, sys, unicodedata
w = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
d, p = set(), set()
for line in open(sys.argv[1], encoding="utf-8"):
    m = re.search(r"2026-\d\d-\d\d", line)
    d.add(w(line[:m.start()]))
    p.add(w(line[:m.end() + 2]))
print(len(d), len(p))
PY
)"
check_grep "text: an overdue card says so" "$TMP/out" "overdue"

# A refused move and an allowed one, seen in the next board and in git.
id=$(hb new rectification institution=JG-610113-000004 check=rules finding=制度不全 \
    deadline=2026-12-10 responsible=RY-00002 | tail -n 1)
before=$(git --git-dir="$DATA/audit.git" rev-list --count main)
run hb move "$id" submitted
check_status "a move whose guard fails (no response yet) is refused" 1
run hb board --format csv
check_grep "after the refusal the card is still to do" "$TMP/out" "$id,todo,"
check_eq "the refusal made no commit" "$before" "$(git --git-dir="$DATA/audit.git" rev-list --count main)"
run hb move "$id" in_progress
check_status "the move open → in progress is made" 0
run hb board --format csv
check_grep "the next board shows the card in progress" "$TMP/out" "$id,doing,"
check_no_grep "and no longer to do" "$TMP/out" "$id,todo,"
check_grep "git has the move's commit for that record" \
    <(git --git-dir="$DATA/audit.git" log -1 --format=%B main) "$id"

# Bad options: exit 2 with the reason.
for bad in "--format xml" "--where nosuchfield=1" "--district 不存在区" "--type user" \
    "--person no.such.login" "--mine --person RY-00002" "--colour" "extra"; do
	# shellcheck disable=SC2086
	run hb board $bad
	check_status "board $bad: usage, exit 2" 2
done

done_testing
