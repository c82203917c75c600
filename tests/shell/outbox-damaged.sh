#!/usr/bin/env bash
# outbox-damaged.sh — an outbox entry git lacks that cannot be read (damaged on disk, or
# written by a newer huitou's format after a downgrade) stops writes: the next save is refused
# with a sentence and exit 3, never acknowledged while git gets neither commit (the replay
# stopped at the entry and reported success). With the real git as the oracle, and the entry
# damaged in data.mdb's bytes (LMDB keeps a small value as it is). rebuild is the way out.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_OBJECT_DIRECTORY GIT_INDEX_FILE

DATA=$TMP/data
id=JG-610113-000001
g() { git --git-dir="$DATA/audit.git" "$@"; }
h() { "$HUITOU" -d "$DATA" "$@"; }

new_city "$DATA"
h new institution district=610113 name=甲 category=non_subject >/dev/null
{ HUITOU_FAULT=store-committed "$HUITOU" -d "$DATA" set $id name=乙 >/dev/null 2>&1; } 2>/dev/null
check_eq "killed after the store's commit: an entry waits" 137 "$?"
tip=$(g rev-parse main)
# The entry's file: path NUL '+' length NUL text; '+' made '*', which no huitou reads.
python3 - "$DATA/store/data.mdb" "$id" <<'EOF'
import sys
path, rid = sys.argv[1], sys.argv[2].encode()
data = open(path, 'rb').read()
pat = rid + b'\x00+'
if data.count(pat) == 0:
    sys.exit("Bail out! the entry's bytes not found")
open(path, 'r+b').write(data.replace(pat, rid + b'\x00*'))
EOF

run h new institution district=610113 name=丙 category=non_subject
check_status "a save behind the damaged entry is refused (3)" 3
check_grep "saying why" "$TMP/err" "an outbox entry is damaged"
check_no_grep "and not acknowledged" "$TMP/out" "JG-610113-000002"
check_eq "main has not moved" "$tip" "$(g rev-parse main)"
check_eq "the store has no new record" 1 "$(rows "$DATA" 2>/dev/null)"

printf '%s name=丁\n' "$id" >"$TMP/lines"
run h set --stdin <"$TMP/lines"
check_status "set --stdin: refused (3)" 3
check_grep "set --stdin: an error line" "$TMP/out" "error $id: nothing was written"
check_no_grep "set --stdin: no 'saved' warning" "$TMP/err" "saved, but"
check_eq "set --stdin: main has not moved" "$tip" "$(g rev-parse main)"

run h verify
check_status "verify fails (3)" 3
run h rebuild
check_status "rebuild from git is the way out" 0
run h verify
check_status "then verify is clean" 0
check_eq "the store is git's: the killed change is not in it" 甲 \
    "$(h export institution | awk -F, -v id=$id '$1 == id { print $2 }')"

done_testing
