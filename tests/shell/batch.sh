#!/usr/bin/env bash
# batch.sh — the command line for scripts: "huitou batch" sets fields on every record an
# expression names in one commit (count in the subject and trailer, every id in the body),
# "huitou undo" takes back the caller's last action with a reverting commit (repeated undos
# walk back; refused when a record changed since), "export --where" keeps the matching rows
# and puts a person's name beside their id, and import takes such an export back. Git and the
# store are the oracles. As root, a district coordinator (a real Unix user) meets the policy.
. "$(dirname "$0")/lib.sh"

DATA=$TMP/data
chmod 711 "$TMP"	# other users reach the data directory through it
g() { git --git-dir="$DATA/audit.git" "$@"; }
count() { g rev-list --count main; }
hu() { run "$HUITOU" -d "$DATA" "$@"; }
field() { "$HUITOU" -d "$DATA" show "$1" | sed -n "s/^$2: //p"; }
# ids WHERE: the institutions the expression names, by the full export and awk.
ids_where() { tail -n +2 "$TMP/all.csv" | awk -F, "$1"' { print $1 }'; }

# The demo city, and 500 more institutions marked by their notes (all licensed), imported.
"$HUITOU" -d "$DATA" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
"$HUITOU" -d "$DATA" export institution >"$TMP/all.csv"
head -1 "$TMP/all.csv" >"$TMP/more.csv"
for k in 1 2 3; do
	tail -n +2 "$TMP/all.csv" | awk -F, -v OFS=, -v k=$k \
	    '{ $1 = ""; $2 = $2 "分校" k; $3 = ""; $8 = "licensed"; $9 = ""; $10 = "none"; $11 = "";
	       $16 = "回头看批次"; $NF = ""; print }'
done | head -500 >>"$TMP/more.csv"
hu import institution "$TMP/more.csv"
check_status "500 more institutions are imported" 0
"$HUITOU" -d "$DATA" export institution >"$TMP/all.csv"
ids_where '$16 == "回头看批次"' >"$TMP/marked"
check_eq "500 of them are marked" 500 "$(wc -l <"$TMP/marked")"

# ---- export --where ----
hu export institution --where 'district=yt and status=rectifying'
check_status "export --where: done" 0
check_eq "export --where: exactly the rows the expression names, in id order" \
    "$(ids_where '$4 == "610113" && $8 == "rectifying"')" "$(tail -n +2 "$TMP/out" | cut -d, -f1)"
check_eq "export --where: the same header as the whole export" "$(head -1 "$TMP/all.csv")" \
    "$(head -1 "$TMP/out")"
hu export institution --where 'notes~回头看批次' --format json
check_eq "export --where in JSON: 500 records" 500 "$(grep -c '"id": "JG-' "$TMP/out")"
hu export institution --where 'status=rectifyng'
check_status "export --where: a bad value is a usage error" 2
check_grep "the error says what is wrong" "$TMP/err" "--where: 'rectifyng' is not an option"
check_eq "and nothing is written to standard output" 0 "$(wc -c <"$TMP/out")"
hu export institution --where 'colour=red'
check_status "export --where: an unknown field is a usage error" 2
check_grep "naming the field" "$TMP/err" "colour"

# ---- names beside person ids ----
hu export rectification
header=$(head -1 "$TMP/out")
check_eq "CSV: responsible_name right after responsible" "responsible,responsible_name" \
    "$(echo "$header" | tr , '\n' | grep -A1 '^responsible$' | paste -sd,)"
col=$(echo "$header" | tr , '\n' | grep -n '^responsible$' | cut -d: -f1)
row=$(grep -m1 ',RY-' "$TMP/out")
person=$(echo "$row" | cut -d, -f"$col") name=$(echo "$row" | cut -d, -f$((col + 1)))
check_eq "CSV: the name is the person's" "$("$HUITOU" -d "$DATA" show "$person" | sed -n 's/^name: //p')" "$name"
check_eq "CSV: a name for every order with a person" \
    "$(tail -n +2 "$TMP/out" | cut -d, -f"$col" | grep -c .)" \
    "$(tail -n +2 "$TMP/out" | cut -d, -f$((col + 1)) | grep -c .)"
cp "$TMP/out" "$TMP/orders.csv"
hu export rectification --format json --where "responsible=$person"
check_grep "JSON: \"responsible_name\" after \"responsible\"" "$TMP/out" \
    "\"responsible\": \"$person\", \"responsible_name\": \"$name\""
# The round trip: import takes the export back, the name columns ignored.
n=$(count)
hu import rectification "$TMP/orders.csv"
check_status "import of an export with names: done" 0
check_grep "every row unchanged" "$TMP/out" "0 new, 0 updated, $(($(wc -l <"$TMP/orders.csv") - 1)) unchanged"
check_eq "and no commit" "$n" "$(count)"
first=$(sed -n 2p "$TMP/orders.csv" | cut -d, -f1)
sed "2s/,$person,$name,/,$person,某某某,/" "$TMP/orders.csv" >"$TMP/edited.csv"
sed -i '2s/,0,,,1$/,2,,,1/' "$TMP/edited.csv"
hu import rectification "$TMP/edited.csv"
check_status "an edited export imports" 0
check_grep "one row updated" "$TMP/out" "0 new, 1 updated"
check_eq "the edited value is stored" 2 "$("$HUITOU" -d "$DATA" show "$first" | sed -n 's/^relapses: //p')"
check_eq "a name typed over is ignored: the person stays" "$person" \
    "$("$HUITOU" -d "$DATA" show "$first" | sed -n 's/^responsible: //p')"

# ---- batch: what it asks for ----
n=$(count)
hu batch institution --where 'notes~回头看批次' --set 办学状态=停办 --dry-run
check_status "batch --dry-run: done" 0
check_grep "it says how many would change" "$TMP/out" "500 of 500 records matching would change"
check_grep "and shows one before → after" "$TMP/out" "$(head -1 "$TMP/marked")  Status Licensed → Suspended"
check_grep "and how many more" "$TMP/out" "… and 495 more"
hu --lang zh batch --reason 测试 institution --where 'notes~回头看批次' --set status=suspended --dry-run
check_grep "in Chinese, labels" "$TMP/out" "$(head -1 "$TMP/marked")  办学状态 持证 → 停办"
hu batch --reason 测试 institution --where 'notes~回头看批次' --set status=suspended </dev/null
check_status "without --yes and no terminal to ask on: a usage error" 2
check_grep "saying to add --yes" "$TMP/err" "give --yes"
hu batch --reason 测试 institution --where 'status=rectifyng' --set status=suspended --yes
check_status "batch: a bad --where is a usage error" 2
check_grep "with the reason" "$TMP/err" "--where: 'rectifyng' is not an option"
hu batch --reason 测试 institution --set status=suspended --yes
check_status "batch without --where: a usage error" 2
hu batch institution --where 'notes~回头看批次' --yes
check_status "batch without --set: a usage error" 2
hu batch institution --where 'notes~回头看批次' --set colour=red --yes
check_status "batch: an unknown field is refused" 1
hu batch institution --where 'notes~回头看批次' --set escalation=banned --yes
check_status "batch: a field changed only by moves is refused" 1
check_grep "with the command that changes it" "$TMP/err" "huitou move ID STATE"
hu batch institution --where 'notes~回头看批次' --set phone=123 --yes
check_status "batch: a value that does not fit refuses the whole batch" 1
check_grep "naming a record and the field" "$TMP/err" "$(head -1 "$TMP/marked"): "
check_eq "nothing of all that was committed" "$n" "$(count)"
check_eq "nor stored" 500 "$("$HUITOU" -d "$DATA" export institution --where 'notes~回头看批次 and status=licensed' | tail -n +2 | wc -l)"

# ---- batch: 500 records, one commit ----
hu batch institution --where 'notes~回头看批次' --set 办学状态=停办 --reason 专项复查未通过 --yes
check_status "batch: done" 0
check_eq "it prints the count" "500 records changed in one commit" "$(cat "$TMP/out")"
batch=$(g rev-parse main)
check_eq "one commit" "$((n + 1))" "$(count)"
check_eq "its subject gives the count" "批量修改校外培训机构 500 条：办学状态=停办" "$(g log -1 --format=%s main)"
check_eq "its Count trailer is 500" 500 "$(g log -1 --format='%(trailers:key=Count,valueonly)' main | head -1)"
check_eq "its Reason trailer is the reason" 专项复查未通过 \
    "$(g log -1 --format='%(trailers:key=Reason,valueonly)' main | head -1)"
check_eq "its body lists all 500 ids, one a line" "$(cat "$TMP/marked")" \
    "$(g log -1 --format=%b main | grep -E '^JG-[0-9]+-[0-9]+$')"
check_eq "it changes 500 record files" 500 "$(g show --format= --name-only main | grep -c '/JG-')"
check_eq "the store has them suspended" 500 \
    "$("$HUITOU" -d "$DATA" export institution --where 'notes~回头看批次' | cut -d, -f8 | grep -c '^suspended$')"
check_eq "huitou show agrees" suspended "$(field "$(tail -1 "$TMP/marked")" status)"
check_eq "the others are untouched" "$(ids_where '$16 != "回头看批次" && $8 == "suspended"' | wc -l)" \
    "$("$HUITOU" -d "$DATA" export institution --where 'status=suspended and not notes~回头看批次' | tail -n +2 | wc -l)"
hu batch institution --where 'notes~回头看批次' --set 办学状态=停办 --yes
check_eq "a batch that changes nothing makes no commit" "0 records changed in one commit $((n + 1))" \
    "$(cat "$TMP/out") $(count)"

# ---- undo ----
hu undo --dry-run
check_status "undo --dry-run: done" 0
check_grep "it names the batch" "$TMP/out" "would undo ${batch:0:12} (records: 500): 批量修改校外培训机构 500 条"
check_eq "and writes nothing" "$((n + 1))" "$(count)"
hu undo
check_status "undo: done" 0
check_grep "it says what was undone" "$TMP/out" "undid ${batch:0:12} (records: 500)"
check_grep "and the new commit" "$TMP/out" "new commit $(g rev-parse --short=12 main): 撤销 \"批量修改校外培训机构 500 条"
check_eq "one reverting commit" "$((n + 2))" "$(count)"
check_eq "that names the batch" "$batch" "$(g log -1 --format='%(trailers:key=Reverts,valueonly)' main | head -1)"
check_eq "git: the records are as before the batch (but their version)" "" \
    "$(g diff "$batch^" main | grep -E '^[-+][a-z_]+:' | grep -v '^[-+]version: ' | head -5)"
check_eq "the store: the 500 are licensed again" 500 \
    "$("$HUITOU" -d "$DATA" export institution --where 'notes~回头看批次 and status=licensed' | tail -n +2 | wc -l)"
hu verify
check_status "verify: the store equals git" 0

# Undo again walks back, never undoing the undo: the import of the edited export before the
# batch, then the import of the 500, which made records and is refused.
hu undo
check_status "a second undo takes back the action before the batch" 0
check_grep "the import of the edited export" "$TMP/out" "导入整改 1 条（新增 0，更新 1）自 edited.csv"
check_eq "its value is back" 0 "$("$HUITOU" -d "$DATA" show "$first" | sed -n 's/^relapses: //p')"
check_eq "the batch stays undone" 500 \
    "$("$HUITOU" -d "$DATA" export institution --where 'notes~回头看批次 and status=licensed' | tail -n +2 | wc -l)"
hu undo
check_status "a third undo: the import of the 500 made records, refused" 1
check_grep "saying why" "$TMP/err" "a creation cannot be undone"
check_eq "and nothing was written" "$((n + 3))" "$(count)"
a=$(head -1 "$TMP/marked") b=$(sed -n 2p "$TMP/marked")
"$HUITOU" -d "$DATA" set "$a" notes=一 >/dev/null
"$HUITOU" -d "$DATA" set "$b" notes=二 >/dev/null
hu undo
check_grep "undo takes back the last set" "$TMP/out" "$b"
hu undo
check_grep "the next undo the set before it" "$TMP/out" "$a"
check_eq "both notes are back" "回头看批次 回头看批次" "$(field "$a" notes) $(field "$b" notes)"

# Values given as codes are named by their labels in the subject, as an auditor reads them.
k=$(ids_where '$4 == "610113" && $16 == "回头看批次"' | wc -l)
hu batch --reason 测试 institution --where 'district=yt and notes~回头看批次' --set status=banned \
    --set platform_entered=yes --yes
check_eq "the subject names values by their labels" "批量修改校外培训机构 $k 条：办学状态=取缔，已录入监管平台=是" \
    "$(g log -1 --format=%s main)"
hu undo
check_status "and undo takes that batch back" 0

# On a terminal, without --yes, batch shows the change and asks (script gives it a terminal).
if command -v script >/dev/null; then
	ask() { (sleep 1; printf '%s\n' "$1") | script -qec "'$HUITOU' -d '$DATA' batch institution \
	    --where 'district=yt and notes~回头看批次' --set notes=问过" /dev/null >"$TMP/out" 2>&1; }
	n=$(count)
	ask n
	check_grep "on a terminal it asks first" "$TMP/out" "Change these $(ids_where '$4 == "610113" && $16 == "回头看批次"' | wc -l) records in one commit? [y/N]"
	check_grep "after showing a change" "$TMP/out" "Notes 回头看批次 → 问过"
	check_eq "n: nothing was changed" "$n" "$(count)"
	ask y
	check_grep "y: it runs" "$TMP/out" "records changed in one commit"
	check_eq "y: one commit" "$((n + 1))" "$(count)"
	hu undo
	check_status "and undo takes it back" 0
else
	for what in "on a terminal it asks first" "after showing a change" "n: nothing was changed" \
	    "y: it runs" "y: one commit" "and undo takes it back"; do
		ok "$what # skip needs script(1)"
	done
fi

# ---- another Unix user: the policy, and a change since the batch (root only) ----
if [ "$(id -u)" -ne 0 ]; then
	for what in "batch refused by the policy" "batch --skip-refused" \
	    "undo refused after another user's change"; do
		ok "$what as another Unix user # skip needs root"
	done
	done_testing
	exit 0
fi
tag=htb$$
grp=$tag dc=${tag}dc
trap 'userdel "$dc" >/dev/null 2>&1; groupdel "$grp" >/dev/null 2>&1; rm -rf "$TMP"' EXIT
groupadd "$grp" && useradd -M -N -g "$grp" -s /bin/sh "$dc" || { echo "Bail out! useradd"; exit 1; }
chgrp -R "$grp" "$DATA" && chmod -R g+rwX "$DATA" && find "$DATA" -type d -exec chmod g+s {} +
"$HUITOU" -d "$DATA" new user login="$dc" name=王芳 role=district_coordinator district=雁塔区 >/dev/null
as() { local u=$1; shift; run runuser -u "$u" -- "$HUITOU" -d "$DATA" "$@"; }
"$HUITOU" -d "$DATA" export institution >"$TMP/all.csv"
ids_where '$16 == "回头看批次" && $4 != "610113"' >"$TMP/theirs"
ids_where '$16 == "回头看批次" && $4 == "610113"' >"$TMP/ours"

n=$(count)
as "$dc" batch --reason 测试 institution --where 'notes~回头看批次' --set status=rectifying --yes
check_status "district coordinator: a batch over other districts is refused" 1
check_grep "the refused records are named" "$TMP/err" "$(head -1 "$TMP/theirs")"
check_grep "with the rule" "$TMP/err" "(rule district-scope)"
check_eq "and nothing was written" "$n" "$(count)"
as "$dc" batch --reason 测试 institution --where 'notes~回头看批次' --set status=rectifying --yes --skip-refused
check_status "--skip-refused: done" 0
check_eq "it changes their district's records only" "$(wc -l <"$TMP/ours") records changed in one commit" \
    "$(cat "$TMP/out")"
check_grep "naming those it left out" "$TMP/err" "left out, the policy refuses $(wc -l <"$TMP/theirs") of the records"
check_eq "in one commit by them" "$((n + 1)) $dc" "$(count) $(g log -1 --format=%an main)"
check_eq "its body lists their ids" "$(cat "$TMP/ours")" "$(g log -1 --format=%b main | grep -E '^JG-[0-9]+-[0-9]+$')"

# root's batch, then the district coordinator changes one of its records: undo is refused.
hu batch --reason 测试 institution --where 'notes~回头看批次' --set list=black --yes
check_status "a batch by the city coordinator" 0
one=$(head -1 "$TMP/ours")
as "$dc" set --reason 测试 "$one" list=white
check_status "the district coordinator changes one of its records" 0
n=$(count)
hu undo
check_status "undo is refused: a record changed since" 1
check_grep "naming the record, the field and both values" "$TMP/err" \
    "$one: List (list) is White now, not Black: changed since commit"
check_eq "nothing was written to git" "$n" "$(count)"
check_eq "nor to the store" "black white" "$(field "$(head -1 "$TMP/theirs")" list) $(field "$one" list)"

done_testing
