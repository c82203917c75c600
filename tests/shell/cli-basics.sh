#!/usr/bin/env bash
# cli-basics.sh — global options, help, exit statuses and messages that say what to do.
. "$(dirname "$0")/lib.sh"

run "$HUITOU" --help
check_status "--help exits 0" 0
check_grep "--help shows usage" "$TMP/out" "usage: huitou"

run "$HUITOU" --version
check_status "--version exits 0" 0
check_grep "--version names the program" "$TMP/out" "huitou 0."

run "$HUITOU" help
check_status "help exits 0" 0
for cmd in init import export new show set; do
	check_grep "help lists $cmd" "$TMP/out" "  $cmd "
done

run "$HUITOU" frobnicate
check_status "an unknown command is a usage error (2)" 2
check_grep "an unknown command is named" "$TMP/err" "unknown command 'frobnicate'"

run "$HUITOU" -d "$TMP/none" show JG-610113-000001
check_status "a missing data directory is refused (1)" 1
check_grep "the message says to run init" "$TMP/err" "init --city CODE"

HUITOU_DIR="$TMP/envdir" run "$HUITOU" show JG-610113-000001
check_grep "HUITOU_DIR names the data directory" "$TMP/err" "$TMP/envdir"

new_city "$TMP/d"
run "$HUITOU" -d "$TMP/d" import institution
check_status "import with a missing argument is a usage error" 2
check_grep "the usage names the command" "$TMP/err" "import TYPE FILE"

run "$HUITOU" -d "$TMP/d" export school
check_status "an unknown record type is refused" 1
check_grep "the known types are listed" "$TMP/err" "institution, listing, publication, rectification,"

run "$HUITOU" -d "$TMP/d" </dev/null
check_status "no command and no terminal: a usage error (2)" 2
check_eq "it says the console needs a terminal and points to help, not the usage" \
    "huitou: the console needs a terminal; 'huitou help' lists the commands" "$(cat "$TMP/err")"

# A form file broken by hand stops every command with FILE:LINE and a reason.
printf 'field extra\n  type colour\n' >>"$TMP/d/forms/institution.form"
line=$(wc -l <"$TMP/d/forms/institution.form")
run "$HUITOU" -d "$TMP/d" export institution
check_status "a malformed form file is a failure (3)" 3
check_grep "the error names the file and line" "$TMP/err" "$TMP/d/forms/institution.form:$line: unknown field type 'colour'"

done_testing
