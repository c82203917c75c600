# term.sh — the tmux helpers of the console tests (sourced after lib.sh): huitou runs in a tmux
# window at a fixed size and TERM, keys go in with send-keys, and what a coordinator would see
# comes back with capture-pane. DATA (default $TMP/demo) is the data directory used.
# shellcheck shell=bash
SOCK=$TMP/tmux.sock
DATA=${DATA:-$TMP/demo}
tm() { tmux -S "$SOCK" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT

# start NAME ENV…: huitou on $DATA in a window of ${COLS:-80}x${ROWS:-24} (ENV are its
# environment's extra words); its exit status goes to $TMP/exit.NAME (under ASan a leak makes
# it non-zero).
start() {
	local name=$1
	shift
	tm new-session -d -s "$name" -x "${COLS:-80}" -y "${ROWS:-24}" \
	    "env -i PATH=/usr/bin:/bin HOME=$TMP/home TZ=UTC HUITOU_NOW=2026-11-28 ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} $* $HUITOU -d $DATA; echo \$? >$TMP/exit.$name" \
	    || echo "# cannot start tmux"
}
# check_exit NAME WHAT: the session's huitou has ended with status 0.
check_exit() {
	for _ in $(seq 1 100); do
		[ -s "$TMP/exit.$1" ] && break
		sleep 0.1
	done
	check_eq "$2" 0 "$(cat "$TMP/exit.$1" 2>/dev/null)"
}
# demo_data: the demo data set in $DATA, exported to $TMP/all.csv.
demo_data() {
	"$HUITOU" -d "$DATA" init --city 6101 --demo >/dev/null || { echo "Bail out! init --demo"; exit 1; }
	"$HUITOU" -d "$DATA" export institution >"$TMP/all.csv"
}
git_log() { git --git-dir="$DATA/audit.git" log "$@"; }
commits() { git_log --oneline | wc -l; }
# field ID NAME: a field of a record as the store has it.
field() { "$HUITOU" -d "$DATA" show "$1" | sed -n "s/^$2: //p"; }
screen() { tm capture-pane -p -t "$1" >"$TMP/screen" 2>/dev/null; }
# wait_for NAME TEXT: until the screen shows TEXT (10 s at most); 0 when it did.
wait_for() {
	for _ in $(seq 1 100); do
		screen "$1"
		grep -qF -- "$2" "$TMP/screen" && return 0
		sleep 0.1
	done
	return 1
}
check_screen() {	# NAME SESSION TEXT
	if wait_for "$2" "$3"; then ok "$1"; else not_ok "$1" "no '$3' on:" "$(cat "$TMP/screen")"; fi
}
keys() { tm send-keys -t "$@"; sleep 0.2; }
# cursor NAME: where the terminal's hardware cursor is, as "x y".
cursor() { tm display -p -t "$1" '#{cursor_x} #{cursor_y}'; }
# check_dump NAME SESSION FILE: the whole screen equals tests/shell/screens/FILE, with the data
# directory (even cut short) shown as DATA, the login as USER and milliseconds as N (they differ from run to run).
# UPDATE_SCREENS=1 writes the file instead, for a person to read before committing it.
check_dump() {
	local want="$top_srcdir/tests/shell/screens/$3" who
	who=$(id -un)
	sleep 0.3
	screen "$2"
	sed -e "s|${TMPDIR:-/tmp}/[^ ]*|DATA|g" -e "s|\\b$who\\b|USER|g" \
	    -e 's/[0-9][0-9]* \(ms\|毫秒\)/N \1/g' "$TMP/screen" >"$TMP/dump"
	if [ "${UPDATE_SCREENS:-}" = 1 ]; then cp "$TMP/dump" "$want"; fi
	if diff -u "$want" "$TMP/dump" >"$TMP/dump.diff" 2>&1; then ok "$1"; else
		not_ok "$1" "the screen differs from $3:" "$(cat "$TMP/dump.diff")"
	fi
}
