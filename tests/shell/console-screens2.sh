#!/usr/bin/env bash
# console-screens2.sh — the screen picker (S, and ":screens"): it lists every screen of the
# registry with its key, typing narrows it, Enter shows the screen chosen, Esc stays; the
# vi and emacs keymaps bind it too; and the help's first and last (g/G, Home/End), which
# show its first and its last page of bindings.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data

# line NAME N: line N of the window (1 is the title).
line() { tm capture-pane -p -t "$1" | sed -n "${2}p"; }

start d TERM=xterm LANG=C.UTF-8 NO_COLOR=1
check_screen "the console opens on screen 1" d "[1] Training institution"
keys d S
check_screen "S opens the screen picker" d "screens: type to narrow"
check_screen "it lists screen 1 with its key" d "1  Institutions  (institutions)"
check_screen "screen 2" d "2  Dashboard  (dashboard)"
check_screen "and screen 3" d "3  People  (people)"
keys d p e o
screen d
if grep -qF "Dashboard  (dashboard)" "$TMP/screen"; then
	not_ok "typing narrows the picker to the matching screens" "$(cat "$TMP/screen")"
else
	ok "typing narrows the picker to the matching screens"
fi
check_screen "the one that matches stays" d "3  People  (people)"
keys d Enter
check_screen "Enter shows the screen chosen" d "[3] "
check_eq "the title is screen 3's, the people" "yes" \
    "$(line d 1 | grep -qF '[3] Person' && echo yes || line d 1)"
keys d S Up Enter
check_screen "the picker starts on the current screen: Up then Enter is screen 2" d "[2] Dashboard"
keys d S Escape
screen d
check_eq "Esc leaves the picker and stays on screen 2" "yes" \
    "$(grep -qF '[2] Dashboard' "$TMP/screen" && ! grep -qF 'screens: type to narrow' "$TMP/screen" && echo yes)"
keys d : screens Enter
check_screen ":screens opens the picker too" d "screens: type to narrow"
keys d Home Enter
check_screen "Home goes to the first screen in the picker, Enter shows it" d "[1] Training institution"
check_screen "which kept its place (the table)" d "240/240"

# The help: g and G go to its first and last page, as in every other list.
keys d '?'
check_screen "? shows the table's keys" d "keys of the record table screen"
n=$(tm capture-pane -p -t d | sed -n 's/.*screen: \([0-9]*\) bindings.*/\1/p')
check_eq "the help has more bindings than a page (the test can fail)" yes "$([ "${n:-0}" -gt 21 ] && echo yes)"
check_eq "the help lists the picker's key and action" yes \
    "$(keys d G; screen d; grep -qE '^  S +choose a screen from the list of every screen' "$TMP/screen" && echo yes)"
check_eq "G shows the last binding on the last line" "yes" \
    "$(line d 22 | grep -qF 'choose a screen' && echo yes || line d 22)"
keys d g
check_eq "g shows the first binding on the first line" "yes" \
    "$(line d 2 | grep -qF 'table.search' && echo yes || line d 2)"
screen d
if grep -qF "choose a screen" "$TMP/screen"; then
	not_ok "the last binding is off the first page" "$(cat "$TMP/screen")"
else
	ok "the last binding is off the first page"
fi
keys d End
check_eq "End is last too" "yes" "$(line d 22 | grep -qF 'choose a screen' && echo yes || line d 22)"
keys d Home
check_eq "Home is first too" "yes" "$(line d 2 | grep -qF 'table.search' && echo yes || line d 2)"
keys d q
check_screen "q goes back from the help" d "240/240"
keys d Q
check_exit d "the session leaves cleanly (no leak under ASan)"

# The other keymaps bind the picker too.
for km in vi emacs; do
	start "k$km" TERM=xterm LANG=C.UTF-8 NO_COLOR=1 --keymap "$km"
	check_screen "--keymap $km: the console opens" "k$km" "240/240"
	keys "k$km" S
	check_screen "--keymap $km: S opens the picker" "k$km" "2  Dashboard  (dashboard)"
	keys "k$km" Down Enter
	check_screen "--keymap $km: Down and Enter show screen 2" "k$km" "[2] Dashboard"
	keys "k$km" Q
done

# In Chinese, the titles are Chinese.
start z TERM=xterm-256color LANG=zh_CN.UTF-8
check_screen "the console opens in Chinese" z "240/240"
keys z S
check_screen "the picker's titles in Chinese" z "2  看板  (dashboard)"
keys z Escape Q

done_testing
