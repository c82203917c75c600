#!/usr/bin/env bash
# set.sh — new, show and set: validation like the form, versions, and conflicts that lose
# nothing.
. "$(dirname "$0")/lib.sh"

new_city "$TMP/d"
run "$HUITOU" -d "$TMP/d" new institution name=启明星教育 district=雁塔区 category=subject credit_code=91610113ma6txb001e
check_status "new succeeds" 0
check_eq "new prints the id" "JG-610113-000001" "$(cat "$TMP/out")"
id=JG-610113-000001

run "$HUITOU" -d "$TMP/d" show "$id"
check_grep "show prints one field a line" "$TMP/out" "name: 启明星教育"
check_grep "a lower-case credit code is stored upper-case" "$TMP/out" "credit_code: 91610113MA6TXB001E"
check_grep "show prints the version" "$TMP/out" "version: 1"
run "$HUITOU" -d "$TMP/d" show --labels "$id"
check_grep "--labels shows labels and enum words" "$TMP/out" "Status: Licensed"

run "$HUITOU" -d "$TMP/d" set --reason 测试 "$id" status=rectifying phone=13912345678
check_status "set succeeds" 0
check_grep "set reports the new version" "$TMP/out" "version 2"
run "$HUITOU" -d "$TMP/d" set --reason 测试 "$id" status=rectifying
check_grep "an unchanged set keeps the version" "$TMP/out" "unchanged (version 2)"

run "$HUITOU" -d "$TMP/d" set "$id" phone=12345
check_status "a bad value is refused" 1
check_grep "the field is named" "$TMP/err" "Phone (phone): "
check_grep "the stored value is kept" <("$HUITOU" -d "$TMP/d" show "$id") "phone: 13912345678"

run "$HUITOU" -d "$TMP/d" set --reason 测试 "$id" status=banned --expect-version 1
check_status "a stale --expect-version is a conflict (1)" 1
check_grep "the conflict says so" "$TMP/err" "conflict: $id was saved by someone else since version 1"
check_grep "the conflict shows their value and yours" "$TMP/err" "Rectifying → Banned"
"$HUITOU" -d "$TMP/d" show "$id" >"$TMP/after"
check_grep "nothing was written" "$TMP/after" "status: rectifying"
check_grep "the version did not move" "$TMP/after" "version: 2"

run "$HUITOU" -d "$TMP/d" set --reason 测试 "$id" status=banned --expect-version 2
check_status "the current --expect-version saves" 0
check_grep "it is version 3" "$TMP/out" "version 3"

run "$HUITOU" -d "$TMP/d" set "$id" id=JG-610113-000009
check_status "the id cannot be set" 1
run "$HUITOU" -d "$TMP/d" set "$id" colour=red
check_grep "an unknown field is named" "$TMP/err" "has no field 'colour'"
run "$HUITOU" -d "$TMP/d" set "$id" name=
check_grep "a required field cannot be emptied" "$TMP/err" "Name (name): is required"
run "$HUITOU" -d "$TMP/d" set --reason 测试 JG-610113-000404 status=banned
check_status "an unknown id is refused" 1
check_grep "the id is named" "$TMP/err" "JG-610113-000404"
run "$HUITOU" -d "$TMP/d" set --reason 测试 "$id" --expect-version x status=banned
check_status "a bad version number is a usage error" 2

# Data never reaches the terminal raw: line breaks show as \n; escape bytes are refused.
run "$HUITOU" -d "$TMP/d" set "$id" "notes=$(printf 'a\033[31mred')"
check_status "an escape character in notes is refused" 1
check_grep "the refusal names the field" "$TMP/err" "Notes (notes): "
run "$HUITOU" -d "$TMP/d" set "$id" "notes=$(printf 'line1\nline2')"
check_status "notes may hold several lines" 0
run "$HUITOU" -d "$TMP/d" show "$id"
check_grep "a line break is shown as \\n, one field a line" "$TMP/out" 'notes: line1\nline2'
run "$HUITOU" -d "$TMP/d" set "$id" "name=$(printf 'x\033y')"
check_status "a control character in a one-line field is refused" 1

# A reason is kept in the commit as a trailer; the subject names values by their labels.
gl() { git --git-dir="$TMP/d/audit.git" log -1 --format="$1" main; }
run "$HUITOU" -d "$TMP/d" set "$id" status=suspended --reason "逾期未整改，责令停办"
check_status "set with a reason succeeds" 0
check_eq "the reason is the commit's Reason trailer" "逾期未整改，责令停办" \
    "$(gl '%(trailers:key=Reason,valueonly)' | grep .)"
check_grep "the subject names the new status by its label" <(gl %s) "办学状态 取缔→停办"
check_grep "the record's text in git keeps the code" \
    <(git --git-dir="$TMP/d/audit.git" show main:"$(git --git-dir="$TMP/d/audit.git" ls-tree -r --name-only main | grep "/$id\$")") \
    "status: suspended"
before=$(git --git-dir="$TMP/d/audit.git" rev-list --count main)
run "$HUITOU" -d "$TMP/d" set "$id" status=licensed --reason "$(printf 'a\033]0;x\007b')"
check_status "a reason with control characters is a usage error" 2
run "$HUITOU" -d "$TMP/d" set "$id" status=licensed --reason ""
check_status "an empty reason is a usage error" 2
check_eq "neither committed anything" "$before" "$(git --git-dir="$TMP/d/audit.git" rev-list --count main)"

# A field the form marks "reason" (status, list) is not changed without one, on every path.
run "$HUITOU" -d "$TMP/d" --lang zh set "$id" list=black phone=13912345670
check_status "a change of the list without --reason is refused" 1
check_grep "naming the field, the record and the option" "$TMP/err" \
    "黑白名单 (list) 的更改（$id）需要说明理由（--reason 理由）；未写入任何内容"
run "$HUITOU" -d "$TMP/d" show "$id"
check_grep "the phone of that set was not written either" "$TMP/out" "phone: 13912345678"
run "$HUITOU" -d "$TMP/d" set "$id" phone=13912345670
check_status "a field that needs no reason is set without one" 0
check_eq "only that commit was made" "$((before + 1))" "$(git --git-dir="$TMP/d/audit.git" rev-list --count main)"

done_testing
