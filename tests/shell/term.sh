# term.sh — the tmux helpers of the console tests (sourced after lib.sh): huitou runs in a tmux
# window at a fixed size and TERM, keys go in with send-keys, and what a coordinator would see
# comes back with capture-pane. DATA (default $TMP/demo) is the data directory used.
# shellcheck shell=bash
SOCK=$TMP/tmux.sock
DATA=${DATA:-$TMP/demo}
# -f /dev/null: a ~/.tmux.conf (prefix, status line, history) never changes what the tests see.
tm() { tmux -f /dev/null -S "$SOCK" "$@"; }
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$TMP"' EXIT
# One server for the whole test, kept when its last session ends: a new session started just
# as the last one quits would otherwise meet a server on its way out.
tm start-server \; set-option -s exit-empty off || echo "# cannot start the tmux server"

# start NAME WORD…: huitou on $DATA in a window of ${COLS:-80}x${ROWS:-24}; a WORD with "=" is
# a variable of its environment, any other an option of huitou (--keymap vi). Its exit status
# goes to $TMP/exit.NAME (under ASan a leak makes it non-zero).
start() {
	local name=$1 envs="" opts="" w
	shift
	for w in "$@"; do
		case $w in *=*) envs="$envs $w" ;; *) opts="$opts $w" ;; esac
	done
	tm new-session -d -s "$name" -x "${COLS:-80}" -y "${ROWS:-24}" \
	    "env -i PATH=/usr/bin:/bin HOME=$TMP/home TZ=UTC HUITOU_NOW=2026-11-28 ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} $envs $HUITOU$opts -d $DATA; echo \$? >$TMP/exit.$name" \
	    || echo "# cannot start tmux"
}
# check_exit NAME WHAT: the session's huitou has ended with status 0.
check_exit() {
	for _ in $(seq 1 "$WAIT_TRIES"); do
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
# wait_for NAME TEXT: until the screen shows TEXT (WAIT_TRIES tenths of a second at most); 0
# when it did.
wait_for() {
	for _ in $(seq 1 "$WAIT_TRIES"); do
		screen "$1"
		grep -qF -- "$2" "$TMP/screen" && return 0
		sleep 0.1
	done
	return 1
}
check_screen() {	# NAME SESSION TEXT
	if wait_for "$2" "$3"; then ok "$1"; else not_ok "$1" "no '$3' on:" "$(cat "$TMP/screen")"; fi
}
# keys NAME KEY…: sends the keys and returns once huitou there has dealt with them: it has
# been active (a read call, else a context switch) since they were sent and is back, twice
# 25 ms apart, asleep in a terminal read (so nothing is left unread), or it has quit. Where the
# kernel does not say where it sleeps, asleep and idle for half a second will do; where /proc
# does not show huitou at all, a screen unchanged for half a second. A loaded machine then
# makes the tests slower, not wrong; WAIT_TRIES tenths of a second at most.
keys() {
	local pid before now last=-1 calm=0 quiet=0
	pid=$(huitou_under "$(tm display -p -t "$1" '#{pane_pid}' 2>/dev/null)")
	before=$(activity "$pid")
	tm send-keys -t "$@"
	[ -n "$before" ] || { screen_settles "$1"; return; }
	for _ in $(seq 1 $((WAIT_TRIES * 4))); do
		sleep 0.025
		[ -d "/proc/$pid" ] || return 0
		now=$(activity "$pid")
		case $([ "$now" -gt "$before" ] && sleeps_in "$pid") in
		tty) calm=$((calm + 1)) ;;
		other) calm=0; if [ "$now" -eq "$last" ]; then quiet=$((quiet + 1)); else quiet=0; fi ;;
		*) calm=0 quiet=0 ;;
		esac
		{ [ "$calm" -ge 2 ] || [ "$quiet" -ge 20 ]; } && return 0
		last=$now
	done
	echo "# keys: huitou in $1 still busy after $((WAIT_TRIES / 10)) s" >&2
}
# screen_settles NAME: until the window's screen has not changed for half a second
# (WAIT_TRIES tenths of a second at most): where /proc cannot tell when huitou is done.
screen_settles() {
	local prev="" now same=0
	for _ in $(seq 1 $((WAIT_TRIES * 2))); do
		sleep 0.05
		now=$(tm capture-pane -p -t "$1" 2>/dev/null | cksum)
		if [ "$now" = "$prev" ]; then same=$((same + 1)); else same=0; fi
		[ "$same" -ge 10 ] && return 0
		prev=$now
	done
}
# huitou_under PID: the huitou that is PID or under it (the pane's shell runs it), if any:
# from the kernel's list of children, else from every process's parent.
huitou_under() {
	local comm child children stat
	[ -n "$1" ] && [ -r "/proc/$1/comm" ] || return 0
	read -r comm <"/proc/$1/comm" 2>/dev/null
	if [ "$comm" = huitou ]; then echo "$1"; return 0; fi
	if [ -r "/proc/$1/task/$1/children" ]; then
		read -r -a children <"/proc/$1/task/$1/children" 2>/dev/null
	else
		children=()
		for stat in /proc/[0-9]*/stat; do
			read -r stat <"$stat" 2>/dev/null || continue
			set -- "$1" ${stat##*) }
			[ "$3" = "$1" ] && children+=("${stat%% *}")
		done
	fi
	for child in "${children[@]}"; do huitou_under "$child"; done
}
# activity PID: a count that grows whenever the process works: its read calls, all threads
# together, else (no /proc/PID/io) how often its main thread was switched out; nothing
# when neither can be read.
activity() {
	local key value n=""
	[ -n "$1" ] || return 0
	while read -r key value; do
		[ "$key" = syscr: ] && { echo "$value"; return 0; }
	done <"/proc/$1/io" 2>/dev/null
	while read -r key value; do
		case $key in *ctxt_switches:) n=$((${n:-0} + value)) ;; esac
	done <"/proc/$1/status" 2>/dev/null
	echo "$n"
}
# sleeps_in PID: "tty" when its main thread sleeps in a terminal read (where the console waits
# for a key), "other" when it sleeps elsewhere or the kernel does not say where, else nothing.
sleeps_in() {
	local stat wchan=""
	read -r stat <"/proc/$1/task/$1/stat" 2>/dev/null || return 0
	read -r wchan <"/proc/$1/task/$1/wchan" 2>/dev/null
	stat=${stat##*) }
	[ "${stat%% *}" = S ] || return 0
	case $wchan in wait_woken|n_tty_read) echo tty ;; *) echo other ;; esac
}
# gone NAME: until the tmux session has ended (WAIT_TRIES tenths of a second at most); 0 when
# it has.
gone() {
	for _ in $(seq 1 "$WAIT_TRIES"); do
		tm has-session -t "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}
# cursor NAME: where the terminal's hardware cursor is, as "x y".
cursor() { tm display -p -t "$1" '#{cursor_x} #{cursor_y}'; }
# check_dump NAME SESSION FILE: the whole screen equals tests/shell/screens/FILE, with the data
# directory (even cut short) shown as DATA, the login on the status line as USER (the spaces
# next to it keep the line's width, whatever the login's length; the login elsewhere on the
# screen is data and stays), milliseconds as N and the clock after "in git" as HH:MM (they
# differ from run to run).
# UPDATE_SCREENS=1 writes the file instead, for a person to read before committing it.
check_dump() {
	local want="$top_srcdir/tests/shell/screens/$3"
	for _ in $(seq 1 "$WAIT_TRIES"); do	# until it does, or WAIT_TRIES tenths of a second
		screen "$2"
		sed -e "s|${TMPDIR:-/tmp}/[^ ]*|DATA|g" -e 's/[0-9][0-9]* \(ms\|毫秒\)/N \1/g' \
		    -e 's/\(in git\|已存入 git\) [0-9][0-9]:[0-9][0-9]/\1 HH:MM/' \
		    "$TMP/screen" | login_as_user "$(id -un)" $((${ROWS:-24} - 1)) >"$TMP/dump"
		{ [ "${UPDATE_SCREENS:-}" = 1 ] || cmp -s "$want" "$TMP/dump"; } && break
		sleep 0.1
	done
	if [ "${UPDATE_SCREENS:-}" = 1 ]; then cp "$TMP/dump" "$want"; fi
	if diff -u "$want" "$TMP/dump" >"$TMP/dump.diff" 2>&1; then ok "$1"; else
		not_ok "$1" "the screen differs from $3:" "$(cat "$TMP/dump.diff")"
	fi
}
# login_as_user LOGIN ROW: stdin with the first LOGIN standing as a word on line ROW (the
# status line) written USER, the nearest run of two or more spaces on that line made longer or
# shorter by the difference so the line keeps its width.
login_as_user() {
	python3 -c '
import re, sys
login, row = sys.argv[1], int(sys.argv[2])
lines = sys.stdin.read().split("\n")
if len(lines) >= row:
    line = lines[row - 1]
    m = re.search(r"(?<!\S)" + re.escape(login) + r"(?!\S)", line)
    if m:
        line = line[:m.start()] + "USER" + line[m.end():]
        grow, at = len(login) - 4, m.start() + 2
        runs = sorted(re.finditer(r"  +", line), key=lambda r: min(abs(r.start() - at), abs(r.end() - at)))
        if grow != 0 and runs and len(runs[0].group()) + grow >= 1:
            r = runs[0]
            line = line[:r.start()] + " " * (len(r.group()) + grow) + line[r.end():]
    lines[row - 1] = line
sys.stdout.write("\n".join(lines))' "$1" "$2"
}
