#!/usr/bin/env bash
# console-keys.sh — keys with no test elsewhere, in a real terminal (tmux, term.sh): T tags by
# expression, N goes back a match, the ":" short words (:sort, :new, :2, :q), F2 saves; the
# vi and emacs keymaps' own bindings and "?" listing them; a user keymap found through HOME;
# and a console that ignores $USER and $LOGNAME (the login is the real uid's passwd entry).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"
demo_data
me=$(id -un)
pw=$(getent passwd "$(id -u)")
author=$(printf '%s\n' "$pw" | cut -d: -f5 | cut -d, -f1)
[ -n "$author" ] || author=$me

# csv_ids AWK-CONDITION: the ids of the rows of the export (in id order) where it holds; $2
# is the name, $8 the status.
csv_ids() { tail -n +2 "$TMP/all.csv" | awk -F, "$1 { print \$1 }"; }
# cursor_id NAME: the id of the table row under the cursor (reverse video, no colours).
cursor_id() {
	tm capture-pane -p -e -t "$1" | sed -n '3,22p' | grep -E $'\e\\[([0-9]+;)*7(;[0-9]+)*m' | head -1 |
	    sed 's/\x1b\[[0-9;]*m//g' | grep -oE 'JG-[0-9]{6}-[0-9]{6}'
}
# tagged_ids NAME: the ids of the rows marked as tagged on the screen.
tagged_ids() { screen "$1"; sed -n '3,22p' "$TMP/screen" | sed -n 's/^\* \(JG-[0-9-]*\).*/\1/p' | paste -sd' '; }

# ---- the default keymap, in English ----
start d TERM=xterm LANG=C.UTF-8 NO_COLOR=1
check_screen "the console opens" d "240/240"

# T tags the rows an expression matches: the status line counts them all, the screen marks
# those of the first page (the first 20 ids).
banned=$(csv_ids '$8 == "banned"' | wc -l)
keys d T 'status=banned' Enter
check_screen "T tags by expression and says how many" d "$banned rows tagged"
check_screen "the status line counts them" d "tagged $banned "
check_eq "the rows marked on the first page are its banned ones" \
    "$(csv_ids 'NR <= 20 && $8 == "banned"' | paste -sd' ')" "$(tagged_ids d)"
keys d T 'colour=red' Enter
check_screen "T with a bad expression names the word" d "colour"
keys d Escape
check_screen "and the tags stay" d "tagged $banned "
keys d '\;' t
check_screen "; t untags them" d "240/240 | $me "

# / finds, n goes on, N goes back a match (the matches in id order).
read -r -a qmx <<<"$(csv_ids '$2 ~ /启明星/' | paste -sd' ')"
check_eq "the demo has at least three 启明星 (the test can fail)" yes "$([ "${#qmx[@]}" -ge 3 ] && echo yes)"
keys d g / 启明星 Enter
check_eq "/ goes to the first match" "${qmx[0]}" "$(cursor_id d)"
keys d n
check_eq "n goes to the second" "${qmx[1]}" "$(cursor_id d)"
keys d n
check_eq "n again to the third" "${qmx[2]}" "$(cursor_id d)"
keys d N
check_eq "N goes back to the second" "${qmx[1]}" "$(cursor_id d)"
keys d N
check_eq "N again back to the first" "${qmx[0]}" "$(cursor_id d)"

# The ":" short words.
last=$(csv_ids 1 | tail -1)
keys d g : sort Enter
check_screen ":sort sorts the column under the cursor" d "ID ^"
keys d : sort Enter
check_screen ":sort again sorts it the other way" d "ID v"
keys d g
check_eq "the last id is now on top" "$last" "$(cursor_id d)"
keys d : sort Enter
check_screen "and back" d "ID ^"
keys d : new Enter
check_screen ":new opens the form of a new record" d "(assigned when saved)"
keys d Escape
check_screen "Esc leaves the empty form" d "240/240"
keys d : 2 Enter
check_screen ":2 switches to screen 2, the dashboard" d "[2] Dashboard"
keys d : 1 Enter
check_screen ":1 back to screen 1" d "[1] Training institution"

# F2 saves a form, as C-s does.
first=$(csv_ids 1 | head -1)
before=$(commits)
keys d g Enter
check_screen "Enter opens the first record" d "$first  version 1"
keys d End Z F2
check_screen "F2 saves: version 2" d "$first  version 2"
check_eq "the store has what was typed" "Z" "$(field "$first" name | tail -c 2)"
check_eq "the save is one commit" "$((before + 1))" "$(commits)"
keys d Escape : q Enter
if gone d; then ok ":q on the table, the top screen, quits"; else not_ok ":q on the table, the top screen, quits"; fi
check_exit d "and huitou ended with status 0"

# ---- vi keys ----
start v TERM=xterm LANG=C.UTF-8 NO_COLOR=1 --keymap vi
check_screen "vi: the console opens" v "240/240"
keys v x
check_screen "vi: x tags the row" v "tagged 1 "
check_eq "vi: the first row is marked" "$first" "$(tagged_ids v)"
keys v '\;' x X 'status=banned' Enter	# ; then the key of table.tag untags
check_screen "vi: X tags by expression" v "$banned rows tagged"
keys v '\;' x L 'status=banned' Enter
check_screen "vi: L limits" v "$banned/240"
keys v L Enter
check_screen "vi: L with nothing shows all again" v "240/240"
# C-d and C-u page as PgDn and PgUp do.
keys v g PgDn
down=$(cursor_id v)
keys v PgDn PgUp
up=$(cursor_id v)
check_eq "vi: PgDn leaves the first page (the test can fail)" 1 "$(csv_ids 'NR > 20' | grep -c "^$down\$")"
keys v g C-d
check_eq "vi: C-d pages down as PgDn does" "$down" "$(cursor_id v)"
keys v C-d C-u
check_eq "vi: C-u pages up as PgUp does" "$up" "$(cursor_id v)"
keys v j
row=$(cursor_id v)
keys v o
check_screen "vi: o opens the record under the cursor" v "$row  version"
keys v Escape l s
check_screen "vi: l moves right (not a limit): s then sorts the name column" v "Name ^"
keys v ?
check_screen "vi: ? lists x for table.tag" v "x          tag or untag the row  [table.tag]"
screen v
check_grep "vi: and X for table.tag-pattern" "$TMP/screen" "X          tag the rows matching an expression  [table.tag-pattern]"
check_grep "vi: and L for table.limit" "$TMP/screen" "L          show only the rows matching an expression  [table.limit]"
check_no_grep "vi: and not T, the default's key" "$TMP/screen" "T          table.tag-pattern"
keys v q Q
check_exit v "vi: the console leaves cleanly"

# ---- emacs keys ----
start e TERM=xterm LANG=C.UTF-8 NO_COLOR=1 --keymap emacs
check_screen "emacs: the console opens" e "240/240"
keys e C-n C-n
check_eq "emacs: C-n moves down" "$(csv_ids 1 | sed -n 3p)" "$(cursor_id e)"
keys e C-p
check_eq "emacs: C-p moves up" "$(csv_ids 1 | sed -n 2p)" "$(cursor_id e)"
keys e m
check_screen "emacs: m tags the row" e "tagged 1 "
keys e '\;' m % 'status=banned' Enter
check_screen "emacs: % tags by expression" e "$banned rows tagged"
keys e '\;' m '<' C-s 启明星 Enter
check_eq "emacs: C-s searches" "${qmx[0]}" "$(cursor_id e)"
keys e n n C-r
check_eq "emacs: C-r goes back a match" "${qmx[1]}" "$(cursor_id e)"
keys e +
check_screen "emacs: + opens a new record's form" e "(assigned when saved)"
keys e C-g
check_screen "emacs: C-g cancels it" e "240/240"
keys e ?
check_screen "emacs: ? lists C-s for table.search" e "C-s        search forward as you type  [table.search]"
screen e
check_grep "emacs: m for table.tag" "$TMP/screen" "m          tag or untag the row  [table.tag]"
check_grep "emacs: % for table.tag-pattern" "$TMP/screen" "%          tag the rows matching an expression  [table.tag-pattern]"
check_no_grep "emacs: and not t, the default's key" "$TMP/screen" "t          table.tag "
keys e C-g Q
check_exit e "emacs: the console leaves cleanly"

# ---- a user keymap found through HOME (no XDG_CONFIG_HOME) ----
mkdir -p "$TMP/home/.config/huitou"
printf 'bind table x table.tag\nbind table q none\nbind global C-q app.quit\n' \
    >"$TMP/home/.config/huitou/keys"
start u TERM=xterm LANG=C.UTF-8 NO_COLOR=1
check_screen "HOME's keymap: the console opens" u "240/240"
screen u
check_eq "HOME's keymap: no error on the message line" "" "$(sed -n 24p "$TMP/screen" | tr -d ' ')"
keys u x
check_screen "HOME's keymap: x tags" u "tagged 1 "
keys u '\;' t q
check_screen "HOME's keymap: q does nothing in the table" u "240/240 | $me "
keys u ?
check_screen "HOME's keymap: ? lists x for table.tag" u "x          tag or untag the row  [table.tag]"
keys u q
check_screen "q still goes back from the help" u "240/240"
keys u C-q
if gone u; then ok "HOME's keymap: C-q quits"; else not_ok "HOME's keymap: C-q quits"; fi
rm -r "$TMP/home/.config"

# ---- $USER and $LOGNAME are not who works ----
start m TERM=xterm LANG=C.UTF-8 NO_COLOR=1 USER=mallory LOGNAME=mallory
check_screen "with USER=mallory the status line names the real login" m "240/240 | $me City coordinator"
screen m
check_no_grep "and never mallory" "$TMP/screen" "mallory"
second=$(csv_ids 1 | sed -n 2p)
keys m j Enter
check_screen "mallory's environment: the record opens" m "$second  version 1"
keys m End W C-s
check_screen "and saves" m "$second  version 2"
check_eq "the commit's author is the passwd name, not mallory" "$author" "$(git_log -1 --format=%an)"
check_eq "no commit names mallory" 0 "$(git_log --format='%an %ae %cn %ce' | grep -c mallory)"
keys m Escape Q
check_exit m "that console leaves cleanly"

done_testing
