#!/usr/bin/env bash
# faults.sh — a full LMDB map (a 1 MB map: init --map-size, grown by maintain --map-size), a
# full disk (a small tmpfs, as root), a locked repository (audit.lock held by another process,
# a stale main.lock) and an unwritable one (read-only, as an ordinary user): a sentence, exit
# 3, nothing half-written (no commit, no outbox entry), nothing acknowledged lost, and the next
# start converges (verify clean). The real git CLI is the oracle. faults-points.sh kills at
# every named write point.
. "$(dirname "$0")/lib.sh"

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
unset GIT_DIR GIT_WORK_TREE GIT_OBJECT_DIRECTORY GIT_INDEX_FILE
g() { local dir=$1; shift; git -c safe.directory='*' -C "$dir/audit.git" "$@"; }
commits() { g "$1" rev-list --count main; }
fsck() { g "$1" fsck --strict --no-dangling --no-progress 2>&1; echo "status $?"; }
tmp_files() { find "$1" \( -name '*tmp*' -o -name '*.lock' -o -name '*_git2_*' \) ! -name audit.lock | tr '\n' ' '; }
# converged WHAT DIR: verify is clean, fsck too, no outbox entry waits, no temporary file.
converged() {
	run "$HUITOU" -d "$2" verify
	check_status "$1: verify is clean" 0
	check_grep "$1: the store equals git HEAD" "$TMP/out" "the store equals git HEAD"
	check_no_grep "$1: no audit commit is pending" "$TMP/err" "pending"
	check_eq "$1: git fsck --strict is clean" "status 0" "$(fsck "$2")"
	check_eq "$1: no temporary file is left" "" "$(tmp_files "$2")"
}
# in_git DIR ID: the record's file is in git HEAD.
in_git() { g "$1" ls-tree -r main --name-only | grep -c "/$2\$"; }
map_full="the data store's map is full; nothing was written: the administrator raises map-size"
csv() {	# N [PREFIX]: a CSV of N institutions
	echo name,district,category
	for i in $(seq 1 "$1"); do echo "${2:-批量机构}$i,610113,subject"; done
}
csv 3000 >"$TMP/big.csv"

# ---- the map size: given at init, kept in DIR/map-size ----
run "$HUITOU" -d "$TMP/bad" init --city 6101 --map-size 12x
check_status "init --map-size 12x is a usage error" 2
check_grep "it says what a size is" "$TMP/err" "'12x' is not a map size: give bytes or a number with K, M, G or T, at least 1M"
check_eq "and makes nothing" no "$([ -e "$TMP/bad" ] && echo yes || echo no)"
run "$HUITOU" -d "$TMP/bad" init --city 6101 --map-size 512K
check_status "a map under 1M is refused" 2

d=$TMP/map
run "$HUITOU" -d "$d" init --city 6101 --map-size 1M
check_status "init --map-size 1M" 0
check_eq "DIR/map-size holds it in bytes" 1048576 "$(cat "$d/map-size")"

# ---- a full map on a save: every save that said so is kept; the one refused is nowhere ----
# Imports of shrinking size fill most of the map first (one process each), then single saves.
saved=0
for n in 1000 300 100 30; do
	while [ "$saved" -lt 20000 ] && csv "$n" "块$saved-" >"$TMP/chunk.csv" &&
	    run "$HUITOU" -d "$d" import institution "$TMP/chunk.csv" && [ "$rc" -eq 0 ]; do
		saved=$((saved + n))
	done
	check_status "an import of $n that does not fit exits 3" 3
done
last=$("$HUITOU" -d "$d" export institution | tail -n 1 | cut -d, -f1)
while run "$HUITOU" -d "$d" new institution name=机构$saved district=610113 category=subject; do
	[ "$rc" -eq 0 ] || break
	saved=$((saved + 1))
	last=$(cat "$TMP/out")
	[ "$saved" -lt 5000 ] || break
done
check_status "a new in a full map exits 3" 3
check_grep "with a sentence naming map-size" "$TMP/err" "$map_full"
check_eq "it printed no id" "" "$(cat "$TMP/out")"
check_eq "the map took some thousands of records first" yes "$([ "$saved" -gt 1000 ] && echo yes)"
check_eq "git holds every acknowledged record" "$saved" "$(g "$d" ls-tree -r main --name-only | grep -c '^institution/')"
check_eq "the last acknowledged record is in git" 1 "$(in_git "$d" "$last")"
check_eq "and in the store" "$saved" "$(rows "$d")"
converged "full map after saves" "$d"

# ---- a batch and an import into the full map: exit 3, nothing of them anywhere ----
head_before=$(g "$d" rev-parse main)
run "$HUITOU" -d "$d" batch --reason 测试 institution --where 'district=610113' --set notes=批量备注 --yes
check_status "a batch over every record in the full map exits 3" 3
check_grep "a batch: the sentence" "$TMP/err" "$map_full"
check_eq "a batch: no record has the note" 0 "$("$HUITOU" -d "$d" export institution | grep -c 批量备注)"
run "$HUITOU" -d "$d" import institution "$TMP/big.csv"
check_status "an import in the full map exits 3" 3
check_grep "an import: the sentence" "$TMP/err" "$map_full"
check_eq "an import: no row more" "$saved" "$(rows "$d")"
check_eq "main did not move for either" "$head_before" "$(g "$d" rev-parse main)"
converged "full map after a batch and an import" "$d"

# ---- growing the map ----
run "$HUITOU" -d "$d" maintain --map-size 16M
check_status "maintain --map-size 16M" 0
check_eq "DIR/map-size holds the new size" 16777216 "$(cat "$d/map-size")"
check_grep "the change is in the security log" "$d/security.log" "event=store.map-size 16777216"
run "$HUITOU" -d "$d" import institution "$TMP/big.csv"
check_status "then the import succeeds" 0
check_eq "with its 3000 rows" "$((saved + 3000))" "$(rows "$d")"
run "$HUITOU" -d "$d" batch --reason 测试 institution --where 'district=610113' --set notes=批量备注 --yes
check_status "and the batch" 0
run "$HUITOU" -d "$d" maintain --map-size 1M
check_status "maintain --map-size below what the store uses is refused" 1
check_grep "it says why" "$TMP/err" "cannot hold the"
check_eq "and DIR/map-size is as it was" 16777216 "$(cat "$d/map-size")"
converged "after growing the map" "$d"
run "$HUITOU" -d "$d" rebuild
check_status "a rebuild in the grown map succeeds" 0
check_eq "and keeps DIR/map-size" 16777216 "$(cat "$d/map-size")"
converged "after the rebuild" "$d"

# ---- the audit lock held by another process: a bounded wait, then exit 3 ----
d=$TMP/lock
new_city "$d"
"$HUITOU" -d "$d" new institution name=甲 district=610113 category=subject >/dev/null
id=JG-610113-000001
flock "$d/audit.lock" sleep 30 &
holder=$!
for _ in $(seq 1 "$WAIT_TRIES"); do flock -n "$d/audit.lock" true || break; sleep 0.1; done
start=$(date +%s)
HUITOU_LOCK_WAIT=2 run "$HUITOU" -d "$d" set "$id" notes=locked
took=$(($(date +%s) - start))
check_status "a save while another holds audit.lock exits 3" 3
check_grep "it says another process holds the lock" "$TMP/err" \
    "nothing was written: another process has held $d/audit.lock for 2 s"
check_eq "after the bounded wait (2 s), not forever" yes "$([ "$took" -ge 2 ] && [ "$took" -le 10 ] && echo yes)"
run "$HUITOU" -d "$d" show "$id"
check_status "reading goes on meanwhile" 0
kill "$holder"; wait "$holder" 2>/dev/null
run "$HUITOU" -d "$d" set "$id" notes=unlocked
check_status "once the lock goes, the save succeeds" 0
check_eq "two commits for two acknowledged writes (init, new, set)" 3 "$(commits "$d")"
converged "after the lock" "$d"

# ---- a main.lock left with garbage in it (a killed git): the next save takes it back ----
echo "not a commit" >"$d/audit.git/refs/heads/main.lock"
run "$HUITOU" -d "$d" set "$id" notes=after-a-garbage-lock
check_status "a save over a left main.lock succeeds" 0
check_eq "main moved by one commit" 4 "$(commits "$d")"
check_eq "the reflog has a line per commit" 4 "$(g "$d" reflog show main | wc -l)"
converged "after a left main.lock" "$d"

# ---- a full disk: a small tmpfs, mounted as root ----
DISK_CHECKS=29	# a skip counts the checks it leaves out
user=
mnt=$TMP/mnt
mkdir -p "$mnt"
conf=
trap 'umount "$mnt" 2>/dev/null; [ -z "$user" ] || userdel "$user" 2>/dev/null; [ -z "$conf" ] || grep -q "^# faults.sh" "$conf" 2>/dev/null && rm -f "$conf"; rm -rf "$TMP"' EXIT
if [ "$(id -u)" -ne 0 ]; then
	skip "$DISK_CHECKS" "needs root (tmpfs)"
elif ! mount -t tmpfs -o size=40M tmpfs "$mnt" 2>/dev/null; then
	skip "$DISK_CHECKS" "cannot mount a tmpfs"
else
	d=$mnt/city
	new_city "$d"
	for i in 1 2 3; do "$HUITOU" -d "$d" new institution name=甲$i district=610113 category=subject >/dev/null; done
	acked=$(commits "$d")
	dd if=/dev/zero of="$mnt/fill" bs=64k 2>/dev/null
	check_eq "the tmpfs is full" 0 "$(df -k --output=avail "$mnt" | tail -n 1 | tr -d ' ')"
	csv 10 >"$TMP/ten.csv"
	for cmd in "set $id notes=full" "new institution name=乙 district=610113 category=subject" \
	    "batch --reason 测试 institution --where district=610113 --set notes=满 --yes" \
	    "import institution $TMP/ten.csv" maintain rebuild; do
		# shellcheck disable=SC2086
		run "$HUITOU" -d "$d" $cmd
		check_status "full disk: ${cmd%% *} exits 3" 3
		check_grep "full disk: ${cmd%% *} says the disk is full" "$TMP/err" "is full"
	done
	check_eq "full disk: no commit was made" "$acked" "$(commits "$d")"
	check_eq "full disk: no rebuild.tmp, no half store" "audit.git audit.lock forms seal.key security.log store" \
	    "$(ls "$d" | tr '\n' ' ' | sed 's/ $//')"
	run "$HUITOU" -d "$d" show "$id"
	check_status "full disk: reading goes on" 0
	rm "$mnt/fill"
	converged "full disk, space freed" "$d"
	check_eq "full disk: the three acknowledged records are there" 3 "$(rows "$d")"
	run "$HUITOU" -d "$d" set "$id" notes=room-again
	check_status "full disk: then a save succeeds" 0
	run "$HUITOU" -d "$d" maintain
	check_status "full disk: and maintain" 0
	converged "full disk, after a save and maintain" "$d"
fi

# ---- the site configuration's map-size wins, for every process (root owns the file; a
# relocated install, so that no other test running at once reads it) ----
SITE_CHECKS=4
if [ "$(id -u)" -ne 0 ]; then
	skip "$SITE_CHECKS" "needs root (the site configuration must be root's)"
else
	d=$TMP/site p=$TMP/prefix
	new_city "$d"
	mkdir -p "$p/bin" "$p/etc" "$p/share/huitou"
	cp "$HUITOU" "$p/bin/huitou"
	src=$(cd "$top_srcdir" && pwd)
	for x in forms keymaps views templates contrib; do ln -s "$src/$x" "$p/share/huitou/$x"; done
	printf '# faults.sh\nmap-size = 1M\n' >"$p/etc/huitou.conf" && chmod 644 "$p/etc/huitou.conf"
	run "$p/bin/huitou" -d "$d" import institution "$TMP/big.csv"
	check_status "site map-size = 1M: an import of 3000 exits 3" 3
	check_grep "site map-size: the sentence" "$TMP/err" "$map_full"
	rm -f "$p/etc/huitou.conf"
	check_eq "site map-size: DIR/map-size was not written" no "$([ -e "$d/map-size" ] && echo yes || echo no)"
	run "$p/bin/huitou" -d "$d" import institution "$TMP/big.csv"
	check_status "without it (16G), the import succeeds" 0
fi

# ---- a read-only audit repository, for an ordinary user (root's rights ignore the mode
# bits: as root, a user made for the test) ----
d=$TMP/ro
mkdir -p "$d"
as() { run "$HUITOU" -d "$d" "$@"; }
if [ "$(id -u)" -eq 0 ] && command -v useradd >/dev/null && command -v runuser >/dev/null; then
	user=hft$$
	useradd -M -N -s /bin/sh "$user" || { echo "Bail out! useradd failed"; exit 1; }
	chown "$user" "$d" && chmod 755 "$TMP"
	as() { run runuser -u "$user" -- env HUITOU_NOW=2026-11-28 TZ=UTC LANG=C.UTF-8 "$HUITOU" -d "$d" "$@"; }
elif [ "$(id -u)" -eq 0 ]; then
	skip 8 "as root, needs useradd and runuser"
	done_testing
	exit 0
fi
as init --city 6101
check_status "read-only: the user makes a city" 0
as new institution name=甲 district=610113 category=subject
acked=$(commits "$d")
chmod -R a-w "$d/audit.git"
as set "$id" notes=read-only
check_status "read-only: a save exits 3" 3
check_grep "read-only: it says the repository cannot be written" "$TMP/err" \
    "nothing was written: the audit repository cannot be written"
check_eq "read-only: no commit" "$acked" "$(commits "$d")"
as show "$id"
check_no_grep "read-only: the store kept the old value" "$TMP/out" "read-only"
chmod -R u+w "$d/audit.git"
as set "$id" notes=writable
check_status "read-only: writable again, the save succeeds" 0
as verify
check_status "read-only: verify is clean" 0
check_eq "read-only: one commit more" "$((acked + 1))" "$(commits "$d")"

done_testing
