#!/usr/bin/env bash
# input.sh — data that round-trips and bad input refused: a district change clears the street
# it no longer holds in every path (set, new, import, the console's ";=" and ":set") while the
# record's git path stays put; exports carry versions and a stale one is a conflict; NUL bytes,
# bidi controls and invisible-only values are refused as FILE:LINE: field: reason; file names
# and values reach the terminal escaped; an open quote is reported where it opens.
. "$(dirname "$0")/lib.sh"

g() { git --git-dir="$1/audit.git" "${@:2}"; }
commits() { g "$1" rev-list --count main; }
field() { "$HUITOU" -d "$1" show "$2" | sed -n "s/^$3: //p"; }
# no_raw NAME FILE: the file holds no escape byte and no bidi control (U+202A–E, U+2066–9,
# U+200E/F, U+061C) as raw bytes.
no_raw() {
	if LC_ALL=C grep -qP '\x1b|\xe2\x80[\xaa-\xae\x8e\x8f]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$2"; then
		not_ok "$1" "raw control bytes in:" "$(od -c "$2" | head -8)"
	else ok "$1"; fi
}

d=$TMP/d
new_city "$d"

# ---- a district change and its street, on the command line ----
run "$HUITOU" -d "$d" new institution name=启明星教育 district=雁塔区 street=小寨路街道 category=subject
check_status "new with a street of its district succeeds" 0
id=$(cat "$TMP/out")
path=institution/610113/01/$id
run "$HUITOU" -d "$d" set "$id" district=碑林区
check_status "set district to another district succeeds" 0
check_eq "the district is the new one" 610103 "$(field "$d" "$id" district)"
check_eq "the street of the old district is cleared" "" "$(field "$d" "$id" street)"
g "$d" show main:"$path" >"$TMP/text" 2>&1
check_grep "git's text of the record has the new district" "$TMP/text" "district: 610103"
check_grep "and the street emptied" "$TMP/text" "street:"
check_no_grep "and no street of 雁塔区" "$TMP/text" "610113001"
check_eq "the record's path follows its id, not its district: one file" "$path" \
    "$(g "$d" ls-tree -r --name-only main institution/)"
check_eq "its whole history is on that one path (git log without --follow)" 2 \
    "$(g "$d" log --format=%h -- "$path" | wc -l)"
check_eq "no commit names another path of it" "$path" \
    "$(g "$d" log --format= --name-only -- institution/ | sort -u)"

run "$HUITOU" -d "$d" set "$id" district=雁塔区 street=小寨路街道
check_status "a district and a street of it given together are set" 0
check_eq "both are stored" "610113 610113001" "$(field "$d" "$id" district) $(field "$d" "$id" street)"
n=$(commits "$d")
run "$HUITOU" -d "$d" set "$id" district=碑林区 street=小寨路街道
check_status "a new district with a street outside it is refused (1)" 1
check_grep "the refusal names the street" "$TMP/err" "小寨路街道 (610113001)"
check_grep "and the district it is not in" "$TMP/err" "is not a street of 碑林区 (610103)"
check_eq "nothing was written" "610113 610113001 $n" \
    "$(field "$d" "$id" district) $(field "$d" "$id" street) $(commits "$d")"
run "$HUITOU" -d "$d" new institution name=西安测试学校 district=碑林区 street=小寨路街道 category=subject
check_status "new with a street of another district is refused" 1
check_grep "new names both" "$TMP/err" "is not a street of 碑林区"

# The regression: the exported row of a moved record imports.
run "$HUITOU" -d "$d" set "$id" district=碑林区
"$HUITOU" -d "$d" export institution >"$TMP/moved.csv"
new_city "$TMP/fresh"
run "$HUITOU" -d "$TMP/fresh" import institution "$TMP/moved.csv"
check_status "the export of a moved record imports into a new store" 0
check_eq "with its district and no street" "610103 " \
    "$(field "$TMP/fresh" "$id" district) $(field "$TMP/fresh" "$id" street)"
run "$HUITOU" -d "$TMP/fresh" new institution name=雁塔新校 district=雁塔区 category=subject
check_eq "its id's number is not given again in its first district" JG-610113-000002 "$(cat "$TMP/out")"
# An id in another district's shape must be a real one: a district code the city has, and the
# sequence's own number of digits.
printf 'id,name,district,category\nJG-ZZZ-000005,甲,雁塔区,学科类\n' >"$TMP/badid.csv"
run "$HUITOU" -d "$TMP/fresh" import institution "$TMP/badid.csv"
check_status "an id naming no district is refused" 1
check_grep "it says the id does not fit" "$TMP/err" "id JG-ZZZ-000005 does not fit this record"
printf 'id,name,district,category\nJG-610104-0000998,甲,雁塔区,学科类\n' >"$TMP/badid.csv"
run "$HUITOU" -d "$TMP/fresh" import institution "$TMP/badid.csv"
check_status "an id with a seven-digit sequence is refused" 1
run "$HUITOU" -d "$TMP/fresh" new institution name=莲湖新校 district=莲湖区 category=subject
check_eq "and raised no counter: 莲湖's first id is 000001" JG-610104-000001 "$(cat "$TMP/out")"
run "$HUITOU" -d "$d" rebuild
check_status "rebuild from git restores a moved record under its id" 0
run "$HUITOU" -d "$d" verify
check_status "and verify finds the store equal to git" 0
check_eq "the moved record is as it was" "610103 " "$(field "$d" "$id" district) $(field "$d" "$id" street)"

# Undo puts both back: the revert of a move sets the district and the street it cleared.
r=$TMP/r
new_city "$r"
rid=$("$HUITOU" -d "$r" new institution name=回退测试学校 district=雁塔区 street=小寨路街道 category=subject)
"$HUITOU" -d "$r" set "$rid" district=碑林区 >/dev/null
run "$HUITOU" -d "$r" revert "$(g "$r" rev-parse main)"
check_status "reverting the move succeeds" 0
check_eq "the district and its street are back" "610113 610113001" \
    "$(field "$r" "$rid" district) $(field "$r" "$rid" street)"

# ---- the same through import ----
run "$HUITOU" -d "$d" set "$id" district=雁塔区 street=小寨路街道
# district.csv: the export without its street column, the district changed; both.csv: with it.
"$HUITOU" -d "$d" export institution | cut -d, -f1-4,6- | sed "2s/,610113,/,碑林区,/" >"$TMP/district.csv"
run "$HUITOU" -d "$d" import institution "$TMP/district.csv"
check_status "import of a new district alone succeeds" 0
check_eq "import clears the street outside it" "610103 " \
    "$(field "$d" "$id" district) $(field "$d" "$id" street)"
run "$HUITOU" -d "$d" set "$id" district=雁塔区 street=小寨路街道
"$HUITOU" -d "$d" export institution | sed "2s/,610113,610113001,/,碑林区,小寨路街道,/" >"$TMP/both.csv"
check_eq "(both.csv has the new district and the old street)" 1 "$(grep -c '碑林区,小寨路街道' "$TMP/both.csv")"
n=$(commits "$d")
run "$HUITOU" -d "$d" import institution "$TMP/both.csv"
check_status "import of a district with a street outside it is refused" 1
check_grep "FILE:LINE: field: reason, naming both" "$TMP/err" \
    "$TMP/both.csv:2: Street (street): 小寨路街道 (610113001) is not a street of 碑林区 (610103)"
check_eq "import wrote nothing" "610113 $n" "$(field "$d" "$id" district) $(commits "$d")"

# ---- versions: export, import, edit, stale import ----
e=$TMP/e
new_city "$e"
"$HUITOU" -d "$e" new institution name=版本测试学校 district=雁塔区 category=subject notes=first >/dev/null
vid=JG-610113-000001
"$HUITOU" -d "$e" set "$vid" notes=second >/dev/null
"$HUITOU" -d "$e" export institution >"$TMP/v2.csv"
check_eq "the CSV export ends with a _version column" "_version" "$(head -1 "$TMP/v2.csv" | awk -F, '{ print $NF }')"
check_eq "which holds the record's version" "2" "$(sed -n 2p "$TMP/v2.csv" | awk -F, '{ print $NF }')"
"$HUITOU" -d "$e" export institution --format json >"$TMP/v2.json"
check_eq "the JSON export has _version" 2 \
    "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["_version"])' "$TMP/v2.json")"
n=$(commits "$e")
run "$HUITOU" -d "$e" import institution "$TMP/v2.csv"
check_status "re-importing an unchanged export succeeds" 0
check_grep "and updates nothing" "$TMP/out" "1 rows: 0 new, 0 updated, 1 unchanged"
check_eq "and makes no commit" "$n" "$(commits "$e")"
"$HUITOU" -d "$e" set "$vid" notes=third >/dev/null
n=$(commits "$e")
run "$HUITOU" -d "$e" import institution "$TMP/v2.csv"
check_status "importing a stale export is a conflict (1)" 1
check_grep "the conflict names the line, the id and both versions" "$TMP/err" \
    "$TMP/v2.csv:2: $vid: the store has version 3, this row was exported at version 2"
check_grep "it says what to do" "$TMP/err" "--overwrite-newer"
check_grep "and that nothing was imported, counting the conflict" "$TMP/err" \
    "1 of 1 rows are bad, 1 of them exported before the store's version (see above); nothing was imported"
check_eq "the newer value is kept" third "$(field "$e" "$vid" notes)"
check_eq "no commit was made" "$n" "$(commits "$e")"
run "$HUITOU" -d "$e" import institution --overwrite-newer "$TMP/v2.csv"
check_status "--overwrite-newer imports it anyway" 0
check_grep "one row updated" "$TMP/out" "0 new, 1 updated"
check_eq "the exported value is back" second "$(field "$e" "$vid" notes)"
check_eq "as one more commit" "$((n + 1))" "$(commits "$e")"
g "$e" show main:institution/610113/01/$vid >"$TMP/text"
check_grep "git has the value" "$TMP/text" "notes: second"
"$HUITOU" -d "$e" set "$vid" notes=fifth >/dev/null
sed 's/,_version$//; s/,[0-9]*$//' "$TMP/v2.csv" >"$TMP/noversion.csv"
run "$HUITOU" -d "$e" import institution "$TMP/noversion.csv"
check_status "a file without the version column imports as before" 0
check_eq "its value is written" second "$(field "$e" "$vid" notes)"
sed '1s/_version$/版本/' "$TMP/v2.csv" >"$TMP/label.csv"
run "$HUITOU" -d "$e" import institution "$TMP/label.csv"
check_status "the column may be headed 版本" 1
check_grep "and is read as the version" "$TMP/err" "this row was exported at version 2"
sed '2s/,[0-9]*$/,abc/' "$TMP/v2.csv" >"$TMP/badversion.csv"
run "$HUITOU" -d "$e" import institution "$TMP/badversion.csv"
check_grep "a version that is no number is refused" "$TMP/err" \
    "$TMP/badversion.csv:2: _version: 'abc' is not a version number"
run "$HUITOU" help import
check_grep "help import documents --overwrite-newer" "$TMP/out" "--overwrite-newer"

# ---- bad bytes: NUL, bidi controls, invisible-only values ----
n=$(commits "$e")
printf 'name,district,category\nab\0cd,雁塔区,subject\n' >"$TMP/nul.csv"
run "$HUITOU" -d "$e" import institution "$TMP/nul.csv"
check_status "a NUL byte in a cell is refused (1)" 1
check_grep "FILE:LINE: field: a NUL byte" "$TMP/err" "$TMP/nul.csv:2: Name (name): a NUL byte is not allowed"
printf 'name,district,category\n"启明",雁塔区,subject\n"x\0y",雁塔区,subject\n' >"$TMP/nulq.csv"
run "$HUITOU" -d "$e" import institution "$TMP/nulq.csv"
check_grep "a NUL byte in a quoted cell too" "$TMP/err" "$TMP/nulq.csv:3: Name (name): a NUL byte is not allowed"
check_eq "nothing was written for either" "$n 1" "$(commits "$e") $(rows "$e")"

run "$HUITOU" -d "$e" new institution name=$'\u200b' district=雁塔区 category=subject
check_status "a name of a zero-width space alone is refused" 1
check_grep "as empty: it is required" "$TMP/err" "Name (name): is required: U+200B"
run "$HUITOU" -d "$e" set "$vid" name=$'\u200c\ufeff'
check_grep "set refuses ZWNJ and BOM alone, the same way" "$TMP/err" "Name (name): is required: U+200C"
run "$HUITOU" -d "$e" set "$vid" address=$'\u2060'
check_status "an optional field of only invisible characters is refused" 1
check_grep "naming the character" "$TMP/err" "Address (address): only invisible characters (U+2060)"
for c in 202a 202b 202c 202d 202e 2066 2067 2068 2069 200e 200f 061c; do
	ch=$(printf "\\u$c")
	run "$HUITOU" -d "$e" set "$vid" "name=ab${ch}cd"
	[ "$rc" -eq 1 ] && grep -qiF "U+$c is a bidirectional control" "$TMP/err" || break
done
check_eq "every bidi control in a name is refused, named" "1 061c" "$rc $c"
no_raw "the refusal does not echo it raw" "$TMP/err"
printf 'name,district,category\n"%s",雁塔区,subject\n%s,雁塔区,subject\n' \
    "$(printf 'ab\u202ecd')" "$(printf '\u200b')" >"$TMP/bidi.csv"
run "$HUITOU" -d "$e" import institution "$TMP/bidi.csv"
check_grep "import: a bidi control is FILE:LINE: field: reason" "$TMP/err" \
    "$TMP/bidi.csv:2: Name (name): U+202E is a bidirectional control character"
check_grep "import: a zero-width name is empty" "$TMP/err" "$TMP/bidi.csv:3: Name (name): is required"
check_eq "nothing was written" "$n 1" "$(commits "$e") $(rows "$e")"

# ---- what reaches the terminal is escaped ----
bad=$TMP/$'a\e[31mb.csv'
cp "$TMP/nul.csv" "$bad"
run "$HUITOU" -d "$e" import institution "$bad"
no_raw "a file name with an escape sequence is not sent raw (errors)" "$TMP/err"
check_grep "it is shown escaped" "$TMP/err" 'a\x1b[31mb.csv:2: Name (name)'
printf 'name,district,category\n好名字学校,雁塔区,subject\n' >"$bad"
run "$HUITOU" -d "$e" import institution "$bad"
check_status "a good file with such a name imports" 0
no_raw "the summary escapes it" "$TMP/out"
check_grep "shown escaped in the summary" "$TMP/out" 'a\x1b[31mb.csv (UTF-8): 1 rows'
rtl=$TMP/$'x\u202eclj.csv'
printf 'name,district,category\n右向学校,雁塔区,subject\n' >"$rtl"
run "$HUITOU" -d "$e" import institution "$rtl"
no_raw "a bidi control in a file name is escaped" "$TMP/out"
run "$HUITOU" -d "$e" log
no_raw "log escapes the commit subjects (the file's name)" "$TMP/out"
check_grep "the bidi control shows as \\u202e" "$TMP/out" 'x\u202eclj.csv'
run "$HUITOU" -d "$e" set "$vid" $'col\u202eour=x'
no_raw "a field name echoed in a refusal is escaped" "$TMP/err"

# ---- quotes are reported where they open ----
printf 'name,district,category\n甲学校,雁塔区,subject\n"乙学校,雁塔区,subject\n丙学校,雁塔区,subject\n\n' >"$TMP/quote.csv"
n=$(commits "$e")
run "$HUITOU" -d "$e" import institution "$TMP/quote.csv"
check_status "an unclosed quote is refused" 1
check_grep "at the line where it opens" "$TMP/err" "$TMP/quote.csv:3: the quote opened here is never closed"
check_eq "nothing was written" "$n" "$(commits "$e")"
printf 'name,district,category\n"丁\n学校",雁塔区,subject\n' >"$TMP/multi.csv"
run "$HUITOU" -d "$e" import institution "$TMP/multi.csv"
check_grep "a row whose first cell spans lines is named by the line it starts on" "$TMP/err" \
    "$TMP/multi.csv:2: Name (name): line breaks are not allowed"

# ---- the console: ";=" and ":set" clear the street too; bidi controls are drawn escaped ----
. "$(dirname "$0")/term.sh"
demo_data
id_at() { sed -n "$(($1 + 1))p" "$TMP/all.csv" | cut -d, -f1; }
start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "240/240" || echo "# the console did not open"
first=$(id_at 1)
check_eq "(the first row has a street of 新城区)" "610102 610102001" \
    "$(field "$first" district) $(field "$first" street)"
keys c g : 'set 所属区县=碑林区' Enter y
check_eq ":set of a district clears the street outside it" "610103 " \
    "$(field "$first" district) $(field "$first" street)"
check_eq "the record keeps its id and git path" "institution/610102/01/$first" \
    "$(git_log -1 --format= --name-only)"
keys c j t t
keys c '\;'
keys c = '所属区县=碑林区' Enter
check_screen "the batch asks first, with how many records change" c "修改这 2 条记录（一次提交）？"
keys c y
check_screen "the bulk set of a district reports the records changed" c "2 条记录中 2 条已修改"
check_eq ";= clears the streets outside the new district" "610103  610103 " \
    "$(field "$(id_at 2)" district) $(field "$(id_at 2)" street) $(field "$(id_at 3)" district) $(field "$(id_at 3)" street)"
name=$(field "$(id_at 4)" name)
n=$(commits)
keys c G g j j j Enter
check_screen "the form of the fourth record opens" c "$(id_at 4)"
keys c End "$(printf 'x\u202ey')"
check_screen "a bidi control typed into the form is drawn escaped" c 'x\u202ey'
screen c
no_raw "the screen holds no raw bidi control" "$TMP/screen"
keys c C-s
check_screen "the save is refused, naming the character" c "U+202E"
check_eq "the store keeps the name" "$name" "$(field "$(id_at 4)" name)"
check_eq "no commit was made" "$n" "$(commits)"
keys c Escape
tm kill-session -t c 2>/dev/null

done_testing
