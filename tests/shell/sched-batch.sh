#!/usr/bin/env bash
# sched-batch.sh — a command runs as the kernel's batch work (SCHED_BATCH) so that consoles'
# keystrokes wake ahead of it on a shared server; the console keeps the normal policy. Read
# from the kernel (sched_getscheduler of the running processes), and the command still saves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

DATA=$TMP/data
policy() { python3 -c 'import os, sys; p = os.sched_getscheduler(int(sys.argv[1])); print({os.SCHED_OTHER: "other", os.SCHED_BATCH: "batch"}.get(p, p))' "$1" 2>/dev/null; }

new_city "$DATA"
id=$("$HUITOU" -d "$DATA" new institution name=甲培训学校 district=雁塔区 category=学科类) ||
    echo "Bail out! new institution"

# A long-lived `set --stdin`, waiting for its first line: its policy while it runs.
mkfifo "$TMP/in"
"$HUITOU" -d "$DATA" set --stdin <"$TMP/in" >"$TMP/set.out" 2>&1 &
pid=$!
exec 4>"$TMP/in"
for _ in $(seq 1 100); do [ -e "/proc/$pid" ] && grep -q 'huitou' "/proc/$pid/comm" && break; sleep 0.05; done
sleep 0.3
check_eq "a command runs as batch work" batch "$(policy "$pid")"
echo "$id notes=批处理" >&4
exec 4>&-
wait "$pid"
check_eq "set --stdin ends well" 0 "$?"
check_eq "and its save is kept" 批处理 "$("$HUITOU" -d "$DATA" show "$id" | sed -n 's/^notes: *//p')"

# The console in tmux: the normal policy.
start c TERM=xterm-256color LANG=zh_CN.UTF-8
wait_for c "$id" || { screen c; sed "s/^/# /" "$TMP/screen"; }
pane=$(tm list-panes -t c -F '#{pane_pid}')
console=$(pgrep -P "$pane" -x huitou | head -1)
check_eq "the console is found" yes "$([ -n "$console" ] && echo yes)"
check_eq "the console keeps the normal policy" other "$(policy "$console")"
keys c Q
check_exit c "the console quits cleanly"

done_testing
