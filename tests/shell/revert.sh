#!/usr/bin/env bash
# revert.sh — "huitou revert COMMIT", with real git as the oracle: the reverting commit's
# subject and trailers, its diff the inverse of the original's, the records back, verify
# clean; a field changed again since is refused with nothing written; a multi-record commit is
# reverted by one commit; a creation cannot be reverted.
. "$(dirname "$0")/lib.sh"

D=$TMP/d
A=$D/audit.git
"$HUITOU" -d "$D" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
g() { git -C "$A" "$@"; }
field() { "$HUITOU" -d "$D" show "$1" | sed -n "s/^$2: //p"; }	# ID FIELD: its value now
# fields COMMIT_A COMMIT_B PATH: the field lines of the diff from A to B (not the version).
fields() { g diff "$1" "$2" -- "$3" | grep -E '^[-+][a-z_]+:' | grep -v '^[-+]version:' | sort; }

"$HUITOU" -d "$D" export institution >"$TMP/all.csv"
id=$(sed -n 2p "$TMP/all.csv" | cut -d, -f1)
path=$(g ls-tree -r --name-only main | grep "/$id\$")
was_status=$(field "$id" status)
was_phone=$(field "$id" phone)

run "$HUITOU" -d "$D" set --reason 测试 "$id" status=banned phone=13912345678
check_status "a change to revert is saved" 0
changed=$(g rev-parse main)
changed_subject=$(g log -1 --format=%s main)

run "$HUITOU" -d "$D" revert "${changed:0:10}"
check_status "revert takes an abbreviated commit id and succeeds" 0
check_grep "it says what it reverted" "$TMP/out" "reverted ${changed:0:12}"
check_eq "one new commit on main" "$changed" "$(g rev-parse main~1)"
check_eq "the subject quotes the original, in Chinese as every subject" "撤销 \"$changed_subject\"" "$(g log -1 --format=%s main)"
check_eq "Action: record.revert" "record.revert" "$(g log -1 --format='%(trailers:key=Action,valueonly)' main | head -1)"
check_eq "Reverts: the full commit id" "$changed" "$(g log -1 --format='%(trailers:key=Reverts,valueonly)' main | head -1)"
check_eq "Record: the record" "$id" "$(g log -1 --format='%(trailers:key=Record,valueonly)' main | head -1)"
check_eq "the revert's diff is the inverse of the change's" "$(fields "$changed" "$changed~1" "$path")" \
    "$(fields main~1 main "$path")"
g show main -- "$path" >"$TMP/show"
check_grep "git show has the status set back" "$TMP/show" "+status: $was_status"
check_grep "git show has the changed status taken out" "$TMP/show" "-status: banned"
check_eq "git show names the one record file" "$path" "$(g show --format= --name-only main)"
check_eq "the status is back" "$was_status" "$(field "$id" status)"
check_eq "the phone is back" "$was_phone" "$(field "$id" phone)"
check_eq "git holds the record as it was, but its version" \
    "$(g show "$changed~1:$path" | grep -v '^version:')" "$(g show "main:$path" | grep -v '^version:')"
run "$HUITOU" -d "$D" verify
check_status "verify is clean after a revert" 0

# A field changed again since: refused, naming the record, the field and both values.
"$HUITOU" -d "$D" set "$id" phone=13800000001 >/dev/null
first=$(g rev-parse main)
"$HUITOU" -d "$D" set "$id" phone=13800000002 >/dev/null
head=$(g rev-parse main)
version=$(field "$id" version)
run "$HUITOU" -d "$D" revert "$first"
check_status "a revert of a field changed since is refused (1)" 1
check_grep "the refusal names the record" "$TMP/err" "$id"
check_grep "the refusal names the field and both values" "$TMP/err" "(phone) is 13800000002 now, not 13800000001"
check_eq "nothing was committed" "$head" "$(g rev-parse main)"
check_eq "nothing was written to the store" "13800000002 $version" "$(field "$id" phone) $(field "$id" version)"
run "$HUITOU" -d "$D" verify
check_status "verify is clean after a refusal" 0

# A later change to another field does not stop a revert: it is field by field.
"$HUITOU" -d "$D" set "$id" notes=复查 >/dev/null
run "$HUITOU" -d "$D" revert "$head"
check_status "a revert skips fields other commits changed" 0
check_eq "the reverted field is back" "13800000001" "$(field "$id" phone)"
check_eq "the later field stays" "复查" "$(field "$id" notes)"
run "$HUITOU" -d "$D" revert "$head"
check_status "the same commit cannot be reverted twice" 1
check_grep "the refusal says it seems undone already" "$TMP/err" "undone already"

# A commit of many records (an import that updates three) is reverted by one commit.
ids=$(sed -n '3,5p' "$TMP/all.csv" | cut -d, -f1 | tr '\n' ' ')
bulk_before=$(g rev-parse main)
{ head -1 "$TMP/all.csv"; sed -n '3,5p' "$TMP/all.csv" | awk -F, 'BEGIN { OFS = "," } { $8 = "banned"; print }'; } >"$TMP/three.csv"
run "$HUITOU" -d "$D" import institution "$TMP/three.csv"
check_status "an import that changes a status without --reason is refused" 1
check_grep "naming the field and the record" "$TMP/err" "Status (status) of ${ids%% *} needs a reason (--reason TEXT)"
check_eq "and nothing is committed" "$bulk_before" "$(g rev-parse main)"
"$HUITOU" -d "$D" import institution "$TMP/three.csv" --reason 一并取缔 >/dev/null
bulk=$(g rev-parse main)
check_eq "with --reason it is, the reason its Reason trailer" "一并取缔" \
    "$(g log -1 --format='%(trailers:key=Reason,valueonly)' main | head -1)"
check_eq "the import is one commit of three records" "3" "$(g log -1 --format='%(trailers:key=Count,valueonly)' main | head -1)"
run "$HUITOU" -d "$D" revert "$bulk"
check_status "a commit of three records is reverted" 0
check_eq "by one commit" "$bulk" "$(g rev-parse main~1)"
check_eq "that counts three records" "3" "$(g log -1 --format='%(trailers:key=Count,valueonly)' main | head -1)"
check_eq "that changes three files" "3" "$(g show --format= --name-only main | wc -l)"
back=""
for i in $ids; do back="$back$(field "$i" status) "; done
check_eq "all three are back" "$(sed -n '3,5p' "$TMP/all.csv" | cut -d, -f8 | tr '\n' ' ')" "$back"
run "$HUITOU" -d "$D" verify
check_status "verify is clean after a bulk revert" 0

# What cannot be reverted.
before=$(g rev-parse main)
run "$HUITOU" -d "$D" revert "$(g log --format=%H --grep='^Action: record.demo$' main | tail -n 1)"
check_status "a commit that created records cannot be reverted (1)" 1
check_grep "it says why" "$TMP/err" "a creation cannot be undone"
run "$HUITOU" -d "$D" revert "$(g rev-list --max-parents=0 main)"
check_status "the first commit (divisions and forms) changed no record (1)" 1
run "$HUITOU" -d "$D" revert 0123456789abcdef
check_status "an unknown commit is refused (1)" 1
check_grep "it is named" "$TMP/err" "0123456789abcdef"
run "$HUITOU" -d "$D" revert
check_status "revert without a commit is a usage error (2)" 2
check_eq "nothing of that was committed" "$before" "$(g rev-parse main)"

# The subject is Chinese whatever the language; the help lists the command.
"$HUITOU" -d "$D" set --reason 测试 "$id" status=rectifying >/dev/null
run "$HUITOU" -d "$D" --lang zh revert main
check_status "revert in Chinese" 0
subject=$(g log -1 --format=%s main)
check_eq "the subject says 撤销" "撤销" "${subject:0:2}"
run "$HUITOU" help
check_grep "help lists revert" "$TMP/out" "revert COMMIT"

done_testing
