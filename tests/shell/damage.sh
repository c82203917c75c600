#!/usr/bin/env bash
# damage.sh — a damaged data directory gives a sentence and exit 3, never a signal: a
# truncated, empty or corrupt data.mdb, a missing store/ (then init refuses and new makes
# nothing); init never half-initialises, even killed; a failed or killed rebuild leaves
# nothing that blocks the next; gc.auto is a number git reads; maintain removes what killed
# processes left (a console's spares, a half-written pack) and keeps a live one's; a stale
# main.lock costs no reflog line. The git CLI is the oracle: reflog, gc, fsck --strict.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/term.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
export GIT_AUTHOR_NAME=Other GIT_AUTHOR_EMAIL=other@example.org \
    GIT_COMMITTER_NAME=Other GIT_COMMITTER_EMAIL=other@example.org
g() { local dir=$1; shift; git -C "$dir/audit.git" "$@"; }
commits() { g "$1" rev-list --count main; }
fsck() { g "$1" fsck --strict --no-dangling --no-progress 2>&1; echo "status $?"; }
# run_killed CMD…: like run, without the shell's "Killed" notice on stderr.
run_killed() { { "$@" >"$TMP/out" 2>"$TMP/err"; } 2>/dev/null; rc=$?; }
id=JG-610113-000001

# base DIR: a city with one institution, kept as the original to copy.
base=$TMP/base
new_city "$base"
"$HUITOU" -d "$base" new institution name=启明星 district=雁塔区 category=subject >/dev/null
copy() { rm -rf "$1" && cp -a "$base" "$1"; }

# ---- a damaged data.mdb: a sentence and exit 3 for every command, never a signal ----
d=$TMP/trunc
copy "$d"
truncate -s 8192 "$d/store/data.mdb"
for cmd in "show $id" "set $id notes=x" "export institution" verify; do
	# shellcheck disable=SC2086
	run "$HUITOU" -d "$d" $cmd
	check_status "truncated data.mdb: ${cmd%% *} exits 3 (no SIGBUS)" 3
done
check_grep "truncated: the message says so and what to run" "$TMP/err" \
    "$d/store/data.mdb is truncated (8192 bytes; its last page ends at"
check_grep "truncated: it names rebuild" "$TMP/err" "run 'huitou -d $d rebuild'"
run "$HUITOU" -d "$d" rebuild
check_status "truncated: rebuild succeeds" 0
run "$HUITOU" -d "$d" show $id
check_grep "truncated: after rebuild the record is back" "$TMP/out" "name: 启明星"
run "$HUITOU" -d "$d" verify
check_status "truncated: after rebuild verify is clean" 0

d=$TMP/empty
copy "$d"
: >"$d/store/data.mdb"
run "$HUITOU" -d "$d" show $id
check_status "empty data.mdb: show exits 3" 3
check_grep "empty: the message says so" "$TMP/err" "$d/store/data.mdb is missing or empty: the store is damaged"
check_eq "empty: LMDB did not make a new store over it" 0 "$(stat -c %s "$d/store/data.mdb")"

d=$TMP/corrupt
copy "$d"
head -c 8192 /dev/zero | tr '\0' 'x' | dd of="$d/store/data.mdb" conv=notrunc status=none
run "$HUITOU" -d "$d" show $id
check_status "corrupt meta pages: show exits 3" 3
check_grep "corrupt: LMDB's error is a sentence" "$TMP/err" \
    "the data store is damaged (MDB_INVALID: File is not an LMDB file); 'huitou rebuild' recreates it"

# ---- store/ missing while audit.git is there ----
d=$TMP/nostore
copy "$d"
rm -rf "$d/store"
run "$HUITOU" -d "$d" show $id
check_status "no store/: show exits 3" 3
check_grep "no store/: the message says run rebuild" "$TMP/err" \
    "$d/store: the store is missing but the audit record is there; run 'huitou -d $d rebuild'"
run "$HUITOU" -d "$d" new institution name=乙 district=雁塔区 category=subject
check_status "no store/: new exits 3" 3
check_eq "no store/: new printed no id" "" "$(cat "$TMP/out")"
check_eq "no store/: git is untouched (2 commits)" 2 "$(commits "$d")"
run "$HUITOU" -d "$d" init --city 6101
check_status "no store/: init refuses" 1
check_grep "no store/: init names what is there" "$TMP/err" \
    "$d is already a huitou data directory (it holds $d/audit.git, $d/forms)"
check_eq "no store/: init made no store" no "$([ -e "$d/store" ] && echo yes || echo no)"
run "$HUITOU" -d "$d" rebuild
check_status "no store/: rebuild succeeds" 0
check_grep "no store/: rebuild says there was none to keep" "$TMP/out" "(there was no store to keep)"
run "$HUITOU" -d "$d" new institution name=乙 district=雁塔区 category=subject
check_eq "no store/: then new makes the next id" "JG-610113-000002" "$(cat "$TMP/out")"
check_eq "no store/: and its commit" 3 "$(commits "$d")"

# ---- init never half-initialises ----
d=$TMP/half
mkdir -p "$d/audit.git"
run "$HUITOU" -d "$d" init --city 6101
check_status "a folder holding audit.git: init refuses" 1
check_eq "and makes nothing" "audit.git" "$(ls "$d" | tr '\n' ' ' | sed 's/ $//')"
d=$TMP/killed-init
run_killed env HUITOU_FAULT=store-committed "$HUITOU" -d "$d" init --city 6101
check_status "init killed at its first commit (137)" 137
check_eq "a killed init leaves only its temporary folder" "audit.lock init.tmp" \
    "$(ls "$d" | tr '\n' ' ' | sed 's/ $//')"
run "$HUITOU" -d "$d" init --city 6101
check_status "the next init succeeds" 0
check_eq "and leaves a whole data directory, no init.tmp" "audit.git audit.lock forms seal.key store" \
    "$(ls "$d" | tr '\n' ' ' | sed 's/ $//')"
run "$HUITOU" -d "$d" verify
check_status "that directory verifies" 0
check_eq "its audit record has the one setup commit" 1 "$(commits "$d")"
run "$HUITOU" -d "$TMP/bad-city" init --city 9999
check_eq "a failed init leaves no folder behind" no "$([ -e "$TMP/bad-city" ] && echo yes || echo no)"

# ---- rebuild: a failure cleans up; a killed one does not block the next ----
d=$TMP/rebuild
copy "$d"
good=$(g "$d" rev-parse main)
blob=$(printf 'id: JG-610113-000009\nname: bad\nversion: zz\n' | g "$d" hash-object -w --stdin)
export GIT_INDEX_FILE=$TMP/index
g "$d" read-tree main
g "$d" update-index --add --cacheinfo "100644,$blob,institution/610113/09/JG-610113-000009"
bad=$(echo "a record file huitou cannot read" | g "$d" commit-tree -p main "$(g "$d" write-tree)")
unset GIT_INDEX_FILE
g "$d" update-ref refs/heads/main "$bad"
# A store that opens is not rebuilt past a commit huitou did not make (that is recover's work):
# this one is damaged, the case rebuild is for.
cp "$d/store/data.mdb" "$TMP/data.mdb.good"
truncate -s 8192 "$d/store/data.mdb"
cp "$d/store/data.mdb" "$TMP/data.mdb.damaged"
run "$HUITOU" -d "$d" rebuild
check_status "rebuild over a corrupt record file fails (3)" 3
check_grep "the failure names the file" "$TMP/err" "institution/610113/09/JG-610113-000009"
check_eq "the failed rebuild leaves no rebuild.tmp" no "$([ -e "$d/rebuild.tmp" ] && echo yes || echo no)"
check_eq "the store it found is left as it was" same \
    "$(cmp -s "$d/store/data.mdb" "$TMP/data.mdb.damaged" && echo same || echo changed)"
cp "$TMP/data.mdb.good" "$d/store/data.mdb"
g "$d" update-ref refs/heads/main "$good"
run "$HUITOU" -d "$d" show $id
check_status "the store put back opens" 0
run_killed env HUITOU_FAULT=rebuild-filled "$HUITOU" -d "$d" rebuild
check_status "rebuild killed before the swap (137)" 137
check_eq "the killed rebuild left rebuild.tmp" yes "$([ -d "$d/rebuild.tmp" ] && echo yes || echo no)"
run "$HUITOU" -d "$d" rebuild
check_status "the next rebuild succeeds over it" 0
check_grep "a rebuild is a line in the security log" "$d/security.log" "event=store.rebuild"
check_eq "and removes it" no "$([ -e "$d/rebuild.tmp" ] && echo yes || echo no)"
run "$HUITOU" -d "$d" verify
check_status "verify is clean after it" 0

# ---- gc.auto, git gc and fsck ----
d=$TMP/gc
copy "$d"
check_eq "gc.auto is 0" 0 "$(g "$d" config gc.auto)"
run g "$d" gc -q
check_status "plain git gc runs clean" 0
check_eq "git fsck --strict is clean after git gc" "status 0" "$(fsck "$d")"
sed -i 's/auto = 0/auto = false/' "$d/audit.git/config"
run g "$d" gc -q
check_status "a repository from before (gc.auto = false) fails git gc" 128
run "$HUITOU" -d "$d" maintain
check_status "maintain succeeds there" 0
check_eq "and writes gc.auto as 0" 0 "$(g "$d" config gc.auto)"
run g "$d" gc -q
check_status "after which git gc runs clean" 0

# ---- a stale main.lock holding main's own value ----
d=$TMP/stale
copy "$d"
lines=$(g "$d" reflog show main | wc -l)
g "$d" rev-parse main >"$d/audit.git/refs/heads/main.lock"
run "$HUITOU" -d "$d" set $id notes=after-a-stale-lock
check_status "a set over a stale main.lock holding the tip succeeds" 0
check_eq "main's reflog gained one line, lost none" "$((lines + 1))" "$(g "$d" reflog show main | wc -l)"
check_eq "HEAD's too" "$((lines + 1))" "$(g "$d" reflog show HEAD | wc -l)"
check_eq "the reflog has a line per commit" "$(commits "$d")" "$(g "$d" reflog show main | wc -l)"
check_eq "main is not locked" no "$([ -e "$d/audit.git/refs/heads/main.lock" ] && echo yes || echo no)"
g "$d" rev-parse main >"$d/audit.git/refs/heads/main.lock"
run "$HUITOU" -d "$d" maintain
check_status "maintain over a stale main.lock succeeds" 0
check_eq "maintain removed the stale lock" no "$([ -e "$d/audit.git/refs/heads/main.lock" ] && echo yes || echo no)"
check_eq "and kept every reflog line" "$(commits "$d")" "$(g "$d" reflog show main | wc -l)"
check_eq "git fsck --strict is clean" "status 0" "$(fsck "$d")"

# ---- a console killed after saving leaves its spares; maintain removes them ----
DATA=$TMP/console
copy "$DATA"
spares() { { ls "$DATA/audit.git/objects/pack"; ls "$DATA/audit.git"; } | grep -c '^tmp_'; }
start s TERM=xterm LANG=C.UTF-8
wait_for s "1/1" || echo "# the console did not open"
keys s Enter
keys s 甲 C-s
wait_for s "version 2" || echo "# no first save"
keys s 乙 C-s
check_screen "the console saved twice" s "version 3"
for _ in $(seq 1 "$WAIT_TRIES"); do [ "$(spares)" -eq 3 ] && break; sleep 0.1; done
check_eq "the running console keeps three spares (pack, index, lock)" 3 "$(spares)"
printf 'PACK' >"$DATA/audit.git/objects/pack/tmp_huitou_pack_HALF01"	# as if killed mid-write
run "$HUITOU" -d "$DATA" maintain
check_status "maintain while the console runs succeeds" 0
check_eq "maintain keeps a live console's spares, removes the half-written pack" 3 "$(spares)"
pid=$(huitou_under "$(tm display -p -t s '#{pane_pid}')")
kill -KILL "$pid"
gone s || echo "# the console did not end"
check_eq "the killed console left its spares" 3 "$(spares)"
run "$HUITOU" -d "$DATA" maintain
check_status "maintain after the kill succeeds" 0
check_eq "maintain removed the killed console's spares" 0 "$(spares)"
check_eq "git fsck --strict is clean" "status 0" "$(fsck "$DATA")"
run "$HUITOU" -d "$DATA" verify
check_status "verify is clean" 0
check_eq "a reflog line per commit" "$(commits "$DATA")" "$(g "$DATA" reflog show main | wc -l)"

done_testing
