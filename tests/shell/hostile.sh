#!/usr/bin/env bash
# hostile.sh — values and file names holding escape sequences (CSI, OSC 52), C0 and C1
# controls, bytes that are not UTF-8, bidi controls or 100,000 characters never reach a
# terminal raw: not from show, log, export (CSV, JSON), error messages or the console at 80x24.
# The write path refuses such values, so they come in the only way left: a commit made by hand
# in the audit repository, taken into the store by "recover --from-git". What is shown escaped
# stays recoverable: git keeps the exact text, JSON the exact characters, CSV a visible escape.
# A value a spreadsheet would run as a formula is exported with an apostrophe first, which
# import drops again.
. "$(dirname "$0")/lib.sh"

export HUITOU_NOW=2026-11-15
d=$TMP/d
g() { git --git-dir="$d/audit.git" "$@"; }
# raw_bytes FILE: what of the terminal's dangers the file holds as raw bytes (ESC, BEL, C1 as
# UTF-8, bidi controls U+202A-E U+2066-9 U+200E/F U+061C, bytes that are not UTF-8).
raw_bytes() {
	LC_ALL=C grep -caP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae\x8e\x8f]|\xe2\x81[\xa6-\xa9]|\xd8\x9c|\xff' "$1"
}
no_raw() {	# NAME FILE
	if [ "$(raw_bytes "$2")" -eq 0 ]; then ok "$1"
	else not_ok "$1" "raw control bytes in:" "$(LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xff' "$2" | head -3 | od -c | head -8)"; fi
}

new_city "$d"
run "$HUITOU" -d "$d" new institution name=启明星教育 district=雁塔区 street=小寨路街道 category=subject
check_status "(an institution is made)" 0
id=$(cat "$TMP/out")
path=institution/610113/01/$id

# ---- the write path refuses them, and its refusals echo nothing raw ----
for v in $'a\e[31mb' $'a\e]52;c;aGk=\ab' $'a\xc2\x9b2Jb' $'a\xffb' $'a\u202eb' $'a\bb'; do
	run "$HUITOU" -d "$d" set "$id" "notes=$v" --reason test
	[ "$rc" -eq 1 ] && [ "$(raw_bytes "$TMP/err")" -eq 0 ] || break
done
check_eq "set refuses each hostile value, its message raw-free" "1 0" "$rc $(raw_bytes "$TMP/err")"
run "$HUITOU" -d "$d" set "$id" "notes=$(head -c 100000 /dev/zero | tr '\0' x)" --reason test
check_grep "a 100,000-character value is refused as too long" "$TMP/err" "too long: 100000 columns"
check_eq "the refusal does not echo it" 1 "$(wc -l <"$TMP/err")"
run "$HUITOU" -d "$d" export institution --where $'\e]52;c;aGk=\a=1'
no_raw "a bad --where word is echoed escaped" "$TMP/err"
check_grep "it is shown as an escape" "$TMP/err" "unknown field '\\x1b]52;c;aGk'"
bad=$TMP/$'list\e]0;owned\a\u202e.csv'
printf 'name,district,category\n\xff学校,雁塔区,subject\n' >"$bad"
run "$HUITOU" -d "$d" import institution "$bad"
no_raw "import names a hostile file name escaped" "$TMP/err"
check_grep "its name is shown with escapes" "$TMP/err" 'list\x1b]0;owned\x07\u202e.csv'

# ---- a commit made by hand brings them in ----
name='a\x1b]52;c;aGk=\x07b\x1b[31mred'$'\u202e''evil\xc2\x9b2J\xff'
long=$(head -c 100000 /dev/zero | tr '\0' y)
g show "main:$path" | sed "s/^name: .*/name: ${name//\\/\\\\}/; s/^notes:.*/notes: $long/" >"$TMP/forged"
export GIT_INDEX_FILE=$TMP/index
blob=$(g hash-object -w "$TMP/forged") && g read-tree main &&
    g update-index --cacheinfo "100644,$blob,$path" && tree=$(g write-tree) &&
    c=$(g -c user.name=x -c user.email=x@example.com commit-tree "$tree" -p main -m $'forged \e[2J') &&
    g update-ref refs/heads/main "$c"
unset GIT_INDEX_FILE
run "$HUITOU" -d "$d" verify
no_raw "verify reports the hand-made commit escaped" "$TMP/out"
no_raw "and its errors too" "$TMP/err"
run "$HUITOU" -d "$d" recover --from-git
check_status "recover --from-git takes the hand-made text into the store" 0
no_raw "recover's report is raw-free" "$TMP/out"
g show "main:$path" >"$TMP/git"
check_grep "git keeps the exact text (escaped as the record text escapes)" "$TMP/git" "name: $name"

# ---- show, log ----
shown='a\x1b]52;c;aGk=\x07b\x1b[31mred\u202eevil\u009b2J\xff'
run "$HUITOU" -d "$d" show "$id"
no_raw "show sends nothing raw" "$TMP/out"
check_grep "show escapes each control visibly" "$TMP/out" "name: $shown"
check_eq "show gives the 100,000 characters whole" 100000 "$(sed -n 's/^notes: //p' "$TMP/out" | tr -d '\n' | wc -c)"
run "$HUITOU" -d "$d" show --labels "$id"
no_raw "show --labels sends nothing raw" "$TMP/out"
run "$HUITOU" -d "$d" log
no_raw "log sends nothing raw (a subject with ESC [2J)" "$TMP/out"
check_grep "the subject's escape is shown" "$TMP/out" 'forged \x1b[2J'
run "$HUITOU" -d "$d" log "$id"
no_raw "log of the record sends nothing raw" "$TMP/out"
check_grep "its change is shown escaped" "$TMP/out" "→ $shown"

# ---- export: CSV escapes visibly, JSON exactly ----
run "$HUITOU" -d "$d" export institution
no_raw "the CSV export sends nothing raw" "$TMP/out"
check_grep "its cell holds the visible escapes" "$TMP/out" "$id,$shown,"
run "$HUITOU" -d "$d" export institution --format json
no_raw "the JSON export sends nothing raw" "$TMP/out"
check_eq "JSON gives the exact characters back (a byte that is not UTF-8 as \\xff)" \
    "$(printf '%s' $'a\e]52;c;aGk=\ab\e[31mred\u202eevil\u009b2J\\xff' | od -An -tx1 | tr -d ' \n')" \
    "$(python3 -c 'import json,sys; sys.stdout.buffer.write(json.load(open(sys.argv[1]))[0]["name"].encode("utf-8","surrogateescape"))' "$TMP/out" | od -An -tx1 | tr -d ' \n')"

# ---- a spreadsheet formula is exported as text, and imports back unchanged ----
formula='=HYPERLINK("http://example.com/?x="&A1,"点击")'
run "$HUITOU" -d "$d" set "$id" "notes=$formula" "name=启明星教育" --reason test
check_status "(a formula-like value and a clean name are set)" 0
run "$HUITOU" -d "$d" set "$id" "address=-1+2" --reason test
"$HUITOU" -d "$d" export institution >"$TMP/f.csv"
check_grep "the formula's cell starts with an apostrophe" "$TMP/f.csv" ",\"'=HYPERLINK("
check_grep "so does one starting with a minus" "$TMP/f.csv" ",'-1+2,"
sed -i "s/启明星教育/启明星教育二/" "$TMP/f.csv"
run "$HUITOU" -d "$d" import institution "$TMP/f.csv"
check_status "the export imports back" 0
check_eq "the formula comes back without the apostrophe" "$formula" \
    "$("$HUITOU" -d "$d" show "$id" | sed -n 's/^notes: //p')"
check_eq "and the minus too" "-1+2" "$("$HUITOU" -d "$d" show "$id" | sed -n 's/^address: //p')"
run "$HUITOU" -d "$d" export institution --format json
check_grep "JSON keeps the formula as it is (no spreadsheet opens it)" "$TMP/out" '"notes": "=HYPERLINK('

# ---- the console at 80x24: the screen and every byte sent to the terminal ----
g show "$c:$path" >"$TMP/forged2"	# the hostile text again, by hand
export GIT_INDEX_FILE=$TMP/index
blob=$(g hash-object -w "$TMP/forged2") && g read-tree main &&
    g update-index --cacheinfo "100644,$blob,$path" && tree=$(g write-tree) &&
    c2=$(g -c user.name=x -c user.email=x@example.com commit-tree "$tree" -p main -m 'again') &&
    g update-ref refs/heads/main "$c2"
unset GIT_INDEX_FILE
run "$HUITOU" -d "$d" recover --from-git
check_eq "(the hostile name is in the store again)" "$shown" \
    "$("$HUITOU" -d "$d" show "$id" | sed -n 's/^name: //p')"
DATA=$d
. "$(dirname "$0")/term.sh"
start h TERM=xterm-256color LANG=en_US.UTF-8
tm pipe-pane -o -t h "cat >>'$TMP/pty'"
wait_for h "$id" || echo "# the table did not open"
check_screen "the table shows the name escaped" h 'a\x1b]52'
keys h Enter
check_screen "the form shows it escaped" h 'a\x1b]52;c;aGk=\x07b\x1b[31mred'
keys h F3
check_screen "the history names the hand-made commit" h 'again'
tm capture-pane -p -e -t h >"$TMP/screen-e"
sed -E $'s/\e\\[[0-9;]*m//g' "$TMP/screen-e" >"$TMP/screen-nosgr"
no_raw "the screen holds no escape other than tmux's colours, no C1, no bidi control" "$TMP/screen-nosgr"
check_eq "no colour was set by the value's ESC [31m" 0 "$(grep -c $'\e\\[31m' "$TMP/screen-e")"
keys h Q
sleep 0.3
check_eq "the bytes sent to the terminal hold no OSC (ESC ])" 0 "$(LC_ALL=C grep -caP '\x1b\]' "$TMP/pty")"
check_eq "no C1 control, no bidi control, no byte that is not UTF-8" 0 \
    "$(LC_ALL=C grep -caP '\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xff' "$TMP/pty")"
check_eq "no BEL" 0 "$(LC_ALL=C grep -caP '\x07' "$TMP/pty")"
check_grep "what it drew holds the visible escape" "$TMP/pty" 'aGk='

done_testing
