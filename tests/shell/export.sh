#!/usr/bin/env bash
# export.sh — export as CSV and JSON; an export imports back to the same records.
. "$(dirname "$0")/lib.sh"

"$HUITOU" -d "$TMP/a" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
run "$HUITOU" -d "$TMP/a" export institution
check_status "export succeeds" 0
cp "$TMP/out" "$TMP/a.csv"
check_eq "the header starts with id, follows the form (a person's name after their id) and ends with the version" \
	"id,name,credit_code,district,street,address,category,status,rectify_deadline,list,permit_no,legal_representative,phone,credit_tier,platform_entered,notes,responsible,responsible_name,escalation,escalated_by,escalated_by_name,escalated_on,credit_override,prepaid,funds_bank,funds_account,funds_status,_version" \
	"$(head -n 1 "$TMP/a.csv")"
check_eq "the demo has 240 institutions" 240 "$(tail -n +2 "$TMP/a.csv" | wc -l)"
check_eq "rows are in id order" "$(tail -n +2 "$TMP/a.csv" | cut -d, -f1 | LC_ALL=C sort)" \
	"$(tail -n +2 "$TMP/a.csv" | cut -d, -f1)"

new_city "$TMP/b"
run "$HUITOU" -d "$TMP/b" import institution "$TMP/a.csv"
check_status "the export imports into a new store" 0
"$HUITOU" -d "$TMP/b" export institution >"$TMP/b.csv"
if cmp -s "$TMP/a.csv" "$TMP/b.csv"; then ok "the round trip gives the same records and ids"; else
	not_ok "the round trip gives the same records and ids" "$(diff "$TMP/a.csv" "$TMP/b.csv" | head -5)"; fi

run "$HUITOU" -d "$TMP/b" import institution "$TMP/a.csv"
check_grep "importing the same file again changes nothing" "$TMP/out" "240 rows: 0 new, 0 updated, 240 unchanged"
run "$HUITOU" -d "$TMP/b" new institution name=新机构 district=610113 category=subject
check_status "a new record after an import with ids gets a fresh id" 0
if grep -q "^$(cat "$TMP/out")," "$TMP/a.csv"; then not_ok "the fresh id was not in use"; else ok "the fresh id was not in use"; fi

run "$HUITOU" -d "$TMP/a" export --format json institution
check_status "JSON export succeeds" 0
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d)==240; assert d[0]["id"].startswith("JG-6101"); assert d[0]["_version"]==1' "$TMP/out" 2>"$TMP/pyerr"; then
	ok "the JSON is well formed and complete"; else not_ok "the JSON is well formed and complete" "$(cat "$TMP/pyerr")"; fi
first_name=$(sed -n 2p "$TMP/a.csv" | cut -d, -f2)
check_grep "JSON keeps Chinese as UTF-8" "$TMP/out" "\"name\": \"$first_name\""

# Every value of the JSON equals the CSV's, read by Python's own parsers; a record changed
# since (a note with a comma, quotes and a line break) has version 2, the others 1.
second=$(sed -n 3p "$TMP/a.csv" | cut -d, -f1)
"$HUITOU" -d "$TMP/a" set --reason 测试 "$second" status=banned "notes=$(printf '甲,"乙"\n丙')" >/dev/null
"$HUITOU" -d "$TMP/a" export institution >"$TMP/a2.csv"
run "$HUITOU" -d "$TMP/a" export --format json institution
check_eq "JSON and CSV hold the same records, field by field" "240 same, 1 at version 2 ($second)" \
    "$(python3 - "$TMP/out" "$TMP/a2.csv" <<'PY'
import csv, json, sys
records = json.load(open(sys.argv[1], encoding="utf-8"))
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8", newline="")))
bad = [r["id"] for r, j in zip(rows, records)
       if {k: str(v) for k, v in j.items()} != r]	# the CSV's _version column included
if len(rows) != len(records) or bad:
    print("differ:", len(rows), len(records), bad[:3])
else:
    v2 = [j["id"] for j in records if j["_version"] == 2]
    others = {j["_version"] for j in records if j["_version"] != 2}
    print(f"{len(rows)} same, {len(v2)} at version 2 ({', '.join(v2)})" + ("" if others == {1} else f" others {others}"))
PY
)"
check_eq "the note keeps its comma, quotes and line break in both" "$(printf '甲,"乙"\n丙')" \
    "$(python3 -c 'import json, sys; print([j["notes"] for j in json.load(open(sys.argv[1])) if j["id"] == sys.argv[2]][0])' "$TMP/out" "$second")"

run "$HUITOU" -d "$TMP/a" export --format xml institution
check_status "an unknown format is a usage error" 2

done_testing
