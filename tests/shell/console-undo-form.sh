#!/usr/bin/env bash
# console-undo-form.sh — a form is read again when its history view comes back after an undo
# there (issue 13, friction 6): it shows the undone value and the new version, and a save
# from it is not taken for someone else's change.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data
id=$(sed -n 2p "$TMP/all.csv" | cut -d, -f1)
"$HUITOU" -d "$DATA" set "$id" phone=13912345678 >/dev/null || echo "Bail out! set"
version=$("$HUITOU" -d "$DATA" show "$id" | sed -n 's/^version: //p')

start u TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for u "240/240" || echo "# the console did not open"
keys u Enter
check_screen "the form shows the phone set" u "13912345678"
check_screen "and its version" u "版本 $version"
n=$(commits)
keys u F3
check_screen "F3 shows the history" u "-> 13912345678"
keys u u
check_screen "u asks first" u "(y/n)"
keys u y
check_eq "y makes one reverting commit" "$((n + 1))" "$(commits)"
keys u Escape
check_screen "back in the form: the new version" u "版本 $((version + 1))"
screen u
check_no_grep "the undone phone is gone from the form" "$TMP/screen" "13912345678"
keys u End X C-s
check_screen "an edit saved from it is the next version, no conflict" u "版本 $((version + 2))"
check_no_grep "no one else's values are shown" <(tm capture-pane -p -t u) "他人的值"
check_eq "the name is saved" X "$(field "$id" name | tail -c 2)"
keys u Escape Q
check_exit u "the console leaves cleanly"
done_testing
